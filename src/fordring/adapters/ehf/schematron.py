"""ISO Schematron (XPath 2/3 query bindings) compiled to XSLT 3 and run with Saxon-HE.

Validates a document against rule files a user holds, such as the official Peppol and CEN
EN 16931 files: each pattern becomes a mode walking the whole document, each rule a template
(the first rule of a pattern that matches a node wins), each assert or report a finding.
Compiled once per file and reused; saxonche is imported only when something is validated.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

Element = Any  # lxml.etree._Element; lxml ships no type stubs

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
XS = "http://www.w3.org/2001/XMLSchema"
OWN = "urn:fordring:schematron"  # the compiler's own functions and modes
QUERY_BINDINGS = {"", "xslt", "xslt2", "xslt3", "xpath2", "xpath3", "xpath31"}
ALL_PHASES = "#ALL"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)

# Where a finding is: /Invoice[1]/cac:AccountingSupplierParty[1]/@schemeID.
_LOCATION = f"""
<xsl:function xmlns:xsl="{XSL}" xmlns:xs="{XS}" xmlns:fx="{OWN}" name="fx:location"
    as="xs:string">
  <xsl:param name="node" as="node()"/>
  <xsl:sequence select="
    if ($node instance of document-node()) then '/'
    else if (every $n in $node/ancestor-or-self::node()[not(self::document-node())]
             satisfies ($n instance of element() or $n instance of attribute()))
    then string-join(
      for $n in $node/ancestor-or-self::node()[not(self::document-node())]
      return if ($n instance of attribute()) then concat('/@', name($n))
      else concat('/', name($n), '[',
                  count($n/preceding-sibling::*[node-name(.) eq node-name($n)]) + 1, ']'),
      '')
    else path($node)"/>
</xsl:function>
"""


@dataclass(frozen=True, slots=True)
class Finding:
    """A failed assert or a fired report: its id, flag (fatal, warning, ...), where, why."""

    rule_id: str
    flag: str
    location: str
    text: str

    @property
    def is_fatal(self) -> bool:
        return self.flag == "fatal"


class SchematronError(ValueError):
    """A rule file this compiler cannot compile, or a document it cannot read."""


def _sch(name: str) -> str:
    return f"{{{SCH}}}{name}"


def _xsl(parent: Element, instruction: str, **attributes: str) -> Element:
    return etree.SubElement(parent, f"{{{XSL}}}{instruction}", attributes)


class _Compiler:
    """One .sch file into one XSLT 3 stylesheet (as an lxml tree)."""

    def __init__(self, schema: Element, phase: str | None) -> None:
        self.schema = schema
        self._refuse_unsupported()
        self.patterns = self._active_patterns(phase)
        self.abstract_rules = {
            rule.get("id"): rule
            for rule in schema.iter(_sch("rule"))
            if rule.get("abstract") == "true"
        }
        nsmap = {k: v for k, v in schema.nsmap.items() if k and v not in (SCH, XSL)}
        nsmap.update({ns.get("prefix"): ns.get("uri") for ns in schema.iter(_sch("ns"))})
        nsmap.update({"xsl": XSL, "fx": OWN})
        nsmap.setdefault("xs", XS)
        self.stylesheet = etree.Element(
            f"{{{XSL}}}stylesheet",
            {"version": "3.0", "exclude-result-prefixes": "#all"},
            nsmap=nsmap,
        )
        self.phase_element: Element | None = None

    def _refuse_unsupported(self) -> None:
        binding = self.schema.get("queryBinding", "").lower()
        if binding not in QUERY_BINDINGS:
            raise SchematronError(f"query binding {binding!r} is not XPath 2/3 or XSLT")
        if next(self.schema.iter(_sch("include")), None) is not None:
            raise SchematronError("sch:include is not supported: give a self-contained file")
        for pattern in self.schema.iter(_sch("pattern")):
            if pattern.get("abstract") == "true" or pattern.get("is-a"):
                raise SchematronError("abstract patterns (is-a) are not supported")

    def _active_patterns(self, phase: str | None) -> list[Element]:
        patterns = list(self.schema.iterchildren(_sch("pattern")))
        chosen = phase or self.schema.get("defaultPhase") or ALL_PHASES
        if chosen == "#DEFAULT":
            chosen = self.schema.get("defaultPhase") or ALL_PHASES
        if chosen == ALL_PHASES:
            return patterns
        for element in self.schema.iterchildren(_sch("phase")):
            if element.get("id") == chosen:
                self.phase_element = element
                active = {a.get("pattern") for a in element.iterchildren(_sch("active"))}
                return [p for p in patterns if p.get("id") in active]
        raise SchematronError(f"no phase {chosen!r} in the rule file")

    def compile(self) -> Element:
        _xsl(self.stylesheet, "output", method="xml", indent="no", encoding="UTF-8")
        self._globals()
        self.stylesheet.append(etree.fromstring(_LOCATION))
        main = _xsl(self.stylesheet, "template", match="/")
        findings = etree.SubElement(main, "findings")
        for number, pattern in enumerate(self.patterns, start=1):
            mode = f"fx:pattern-{number}"
            _xsl(self.stylesheet, "mode", name=mode, **{"on-no-match": "shallow-skip"})
            _xsl(findings, "apply-templates", select=".", mode=mode)
            self._pattern(pattern, mode)
        return self.stylesheet

    def _globals(self) -> None:
        """Schema lets as parameters, pattern and phase lets as variables, XSLT copied."""
        for child in self.schema.iterchildren():
            if child.tag == _sch("let"):
                self._let(self.stylesheet, child, "param")
            elif isinstance(child.tag, str) and child.tag.startswith(f"{{{XSL}}}"):
                self.stylesheet.append(copy.deepcopy(child))
        scopes = [*self.patterns, self.phase_element] if self.phase_element else self.patterns
        for scope in scopes:
            for let in scope.iterchildren(_sch("let")):
                self._let(self.stylesheet, let, "variable")

    def _let(self, parent: Element, let: Element, kind: str) -> None:
        name = let.get("name")
        value = let.get("value")
        if value is not None:
            _xsl(parent, kind, name=name, select=value)
            return
        variable = _xsl(parent, kind, name=name)
        for child in let:
            variable.append(copy.deepcopy(child))

    def _pattern(self, pattern: Element, mode: str) -> None:
        rules = [r for r in pattern.iterchildren(_sch("rule")) if r.get("abstract") != "true"]
        for index, rule in enumerate(rules):
            context = rule.get("context")
            if not context:
                raise SchematronError("a rule without a context")
            template = _xsl(
                self.stylesheet,
                "template",
                match=context,
                mode=mode,
                priority=str(len(rules) - index),
            )
            self._rule_body(template, rule)
            _xsl(template, "apply-templates", select="@*|node()", mode="#current")

    def _rule_body(self, template: Element, rule: Element) -> None:
        for child in self._rule_children(rule):
            if child.tag == _sch("let"):
                self._let(template, child, "variable")
            elif child.tag == _sch("assert"):
                self._check(template, f"not({child.get('test')})", child)
            elif child.tag == _sch("report"):
                self._check(template, child.get("test"), child)

    def _rule_children(self, rule: Element) -> Iterable[Element]:
        """A rule's lets and checks, with abstract rules it extends put in their place."""
        for child in rule.iterchildren(tag=etree.Element):
            if child.tag == _sch("extends"):
                base = self.abstract_rules.get(child.get("rule"))
                if base is None:
                    raise SchematronError(f"no abstract rule {child.get('rule')!r}")
                yield from self._rule_children(base)
            else:
                yield child

    def _check(self, template: Element, test: str | None, check: Element) -> None:
        if not test:
            raise SchematronError(f"{check.get('id') or 'an assert'} has no test")
        condition = _xsl(template, "if", test=test)
        finding = etree.SubElement(
            condition,
            "finding",
            id=_literal(check.get("id", "")),
            flag=_literal(check.get("flag") or check.get("role") or "error"),
            location="{fx:location(.)}",
        )
        _message(finding, check)


def _literal(text: str) -> str:
    """Text for an attribute value template: braces doubled."""
    return text.replace("{", "{{").replace("}", "}}")


def _message(target: Element, source: Element) -> None:
    """An assert's text as XSLT: text kept, sch:name and sch:value-of evaluated."""
    if source.text:
        _xsl(target, "text").text = source.text
    for child in source.iterchildren():
        if child.tag == _sch("name"):
            _xsl(target, "value-of", select=f"name({child.get('path') or '.'})")
        elif child.tag == _sch("value-of"):
            _xsl(target, "value-of", select=child.get("select"))
        elif isinstance(child.tag, str):
            _message(target, child)  # emph, dir, span: their text
        if child.tail:
            _xsl(target, "text").text = child.tail


def to_xslt(schematron: bytes, phase: str | None = None) -> bytes:
    """The XSLT 3 stylesheet of a Schematron file (ISO, queryBinding xslt2 or XPath 2/3)."""
    try:
        schema = etree.fromstring(schematron, _PARSER)
    except etree.XMLSyntaxError as error:
        raise SchematronError(f"the rule file is not XML: {error}") from None
    if schema.tag != _sch("schema"):
        raise SchematronError(f"not an ISO Schematron schema: {schema.tag}")
    stylesheet = _Compiler(schema, phase).compile()
    return bytes(etree.tostring(stylesheet, encoding="UTF-8"))


@cache
def _saxon() -> Any:
    """The saxonche module, imported on first use: only validation needs Saxon-HE."""
    import saxonche  # type: ignore[import-not-found]  # a compiled module without stubs

    return saxonche


@cache
def _processor() -> Any:
    return _saxon().PySaxonProcessor(license=False)


class Schematron:
    """A compiled rule file; `validate` runs it on one document at a time."""

    def __init__(self, xslt: bytes, name: str = "") -> None:
        self.name = name
        self._lock = threading.Lock()  # a Saxon executable is not for concurrent use
        compiler = _processor().new_xslt30_processor()
        try:
            self._executable = compiler.compile_stylesheet(stylesheet_text=xslt.decode())
        except _saxon().PySaxonApiError as error:
            raise SchematronError(f"{name}: the compiled rules do not compile: {error}") from None

    @classmethod
    def from_schematron(
        cls, schematron: bytes, name: str = "", phase: str | None = None
    ) -> Schematron:
        return cls(to_xslt(schematron, phase), name)

    def validate(self, xml: bytes) -> list[Finding]:
        """Every finding for the document, in pattern order; empty when all rules hold."""
        processor = _processor()
        with self._lock:
            try:
                document = processor.parse_xml(xml_text=_as_text(xml))
                output = self._executable.transform_to_string(xdm_node=document)
            except (_saxon().PySaxonApiError, etree.XMLSyntaxError) as error:
                raise SchematronError(f"{self.name}: {error}") from None
        return _findings(output)


def _as_text(xml: bytes) -> str:
    """The document as text for Saxon: UTF-8 (a BOM dropped), else as lxml reads it."""
    try:
        return xml.decode("utf-8-sig")
    except UnicodeDecodeError:  # another declared encoding: let lxml read it
        return str(etree.tostring(etree.fromstring(xml, _PARSER), encoding="unicode"))


def _findings(output: str) -> list[Finding]:
    root = etree.fromstring(output.encode(), _PARSER)
    return [
        Finding(
            element.get("id", ""),
            element.get("flag", ""),
            element.get("location", ""),
            " ".join((element.text or "").split()),
        )
        for element in root.iterchildren("finding")
    ]


@cache
def _load(path: Path, modified: int, phase: str | None) -> Schematron:
    return Schematron.from_schematron(path.read_bytes(), path.name, phase)


def load(path: Path | str, phase: str | None = None) -> Schematron:
    """The compiled rules of a .sch file, compiled once (again only if the file changes)."""
    resolved = Path(path).resolve()
    return _load(resolved, resolved.stat().st_mtime_ns, phase)


def fatal(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that make a document invalid."""
    return [finding for finding in findings if finding.is_fatal]
