"""The Schematron compiler on small rule files, and fordring's EHF documents against the
official Peppol BIS 3.0 and CEN EN 16931 rules (release 3.0.19, ../shared/data/peppol)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from tests.unit.adapters.ehf import documents

from fordring.adapters.ehf import schematron, ubl
from fordring.adapters.ehf.schematron import Finding, Schematron, SchematronError
from fordring.adapters.ehf.writer import UblEhfWriter
from fordring.domain.invoice_document import InvoiceDocument
from fordring.domain.language import Language

pytest.importorskip("saxonche", reason="saxonche (Saxon-HE) runs the compiled Schematron")

SCH = 'xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"'


def rules_of(body: str, phase: str | None = None, attributes: str = "") -> Schematron:
    source = f'<schema {SCH} {attributes}><ns prefix="o" uri="urn:order"/>{body}</schema>'
    return Schematron.from_schematron(source.encode(), "test.sch", phase)


ORDER = b"""<?xml version="1.0" encoding="UTF-8"?>
<o:order xmlns:o="urn:order" currency="NOK">
  <o:line amount="10"/><o:line amount="-5"/><o:total>5</o:total>
</o:order>"""


def ids(findings: list[Finding]) -> list[str]:
    return [finding.rule_id for finding in findings]


# The compiler


def test_a_failed_assert_is_a_finding_with_id_flag_location_and_text() -> None:
    compiled = rules_of(
        '<pattern><rule context="o:line">'
        '<assert id="R1" flag="fatal" test="@amount &gt; 0">Amount <value-of select="@amount"/>'
        " of <name/> must be positive</assert></rule></pattern>"
    )

    assert compiled.validate(ORDER) == [
        Finding("R1", "fatal", "/o:order[1]/o:line[2]", "Amount -5 of o:line must be positive")
    ]


def test_a_report_fires_when_its_test_holds() -> None:
    compiled = rules_of(
        '<pattern><rule context="o:order">'
        '<report id="R2" flag="warning" test="count(o:line) = 2">two lines</report>'
        "</rule></pattern>"
    )

    assert compiled.validate(ORDER) == [Finding("R2", "warning", "/o:order[1]", "two lines")]


def test_the_first_matching_rule_of_a_pattern_wins_and_patterns_are_independent() -> None:
    compiled = rules_of(
        "<pattern>"
        '<rule context="o:line[@amount &lt; 0]"><assert id="FIRST" test="false()">x</assert></rule>'
        '<rule context="o:line"><assert id="SECOND" test="false()">x</assert></rule>'
        "</pattern>"
        '<pattern><rule context="o:line"><assert id="OTHER" test="false()">x</assert></rule>'
        "</pattern>"
    )

    assert ids(compiled.validate(ORDER)) == ["SECOND", "FIRST", "OTHER", "OTHER"]


def test_lets_at_schema_pattern_and_rule_level_are_visible_where_they_should_be() -> None:
    compiled = rules_of(
        '<let name="currency" value="/o:order/@currency"/>'
        '<pattern><let name="lines" value="count(//o:line)"/>'
        "<rule context=\"o:order[$currency = 'NOK']\">"
        '<let name="sum" value="sum(o:line/@amount)"/>'
        '<assert id="R3" flag="fatal" test="$sum = o:total and $lines = 3">'
        'sum <value-of select="$sum"/> of <value-of select="$lines"/> lines</assert>'
        "</rule></pattern>"
    )

    assert compiled.validate(ORDER) == [Finding("R3", "fatal", "/o:order[1]", "sum 5 of 2 lines")]


def test_an_attribute_can_be_a_rule_context() -> None:
    compiled = rules_of(
        '<pattern><rule context="@currency">'
        '<assert id="R4" test=". = \'EUR\'">currency</assert></rule></pattern>'
    )

    assert compiled.validate(ORDER)[0].location == "/o:order[1]/@currency"


def test_xslt_functions_in_the_rule_file_are_available() -> None:
    compiled = rules_of(
        '<function xmlns="http://www.w3.org/1999/XSL/Transform" name="o:twice" as="xs:decimal">'
        '<param name="value" as="xs:decimal"/><sequence select="$value * 2"/></function>'
        '<pattern><rule context="o:total">'
        '<assert id="R5" test="o:twice(.) = 10">twice</assert></rule></pattern>',
        attributes='xmlns:xs="http://www.w3.org/2001/XMLSchema"',
    )

    assert compiled.validate(ORDER) == []


def test_a_phase_runs_only_its_active_patterns() -> None:
    body = (
        '<phase id="totals"><active pattern="p2"/></phase>'
        '<pattern id="p1"><rule context="o:order"><assert id="P1" test="false()">1</assert>'
        "</rule></pattern>"
        '<pattern id="p2"><rule context="o:order"><assert id="P2" test="false()">2</assert>'
        "</rule></pattern>"
    )

    assert ids(rules_of(body).validate(ORDER)) == ["P1", "P2"]
    assert ids(rules_of(body, phase="totals").validate(ORDER)) == ["P2"]
    assert ids(rules_of(body, attributes='defaultPhase="totals"').validate(ORDER)) == ["P2"]


def test_a_rule_can_extend_an_abstract_rule() -> None:
    compiled = rules_of(
        '<pattern><rule abstract="true" id="positive">'
        '<assert id="R6" test="@amount &gt; 0">positive</assert></rule>'
        '<rule context="o:line"><extends rule="positive"/></rule></pattern>'
    )

    assert ids(compiled.validate(ORDER)) == ["R6"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<include href="other.sch"/>', "include"),
        ('<pattern abstract="true" id="a"/>', "abstract patterns"),
        (
            '<pattern><rule context="o:order"><extends rule="none"/></rule></pattern>',
            "abstract rule",
        ),
        (
            '<pattern><rule context="///"><assert test="true()">x</assert></rule></pattern>',
            "compile",
        ),
    ],
)
def test_what_the_compiler_cannot_compile_is_refused_clearly(body: str, message: str) -> None:
    with pytest.raises(SchematronError, match=message):
        rules_of(body)


def test_a_utf8_document_with_a_byte_order_mark_is_read() -> None:
    compiled = rules_of(
        '<pattern><rule context="o:total"><assert id="R7" test=". = 6">total</assert></rule>'
        "</pattern>"
    )

    assert ids(compiled.validate(b"\xef\xbb\xbf" + ORDER)) == ["R7"]


def test_a_document_that_is_not_xml_is_refused() -> None:
    with pytest.raises(SchematronError):
        rules_of("").validate(b"<order>")


# The official rules


def official(rules: Path) -> Schematron:
    if not rules.exists():
        pytest.skip(f"the official Peppol rule files are not in {documents.PEPPOL_DATA}")
    return schematron.load(rules)


@pytest.fixture(scope="module")
def peppol() -> Schematron:
    return official(documents.PEPPOL_RULES)


@pytest.fixture(scope="module")
def cen() -> Schematron:
    return official(documents.CEN_RULES)


def written(document: InvoiceDocument) -> bytes:
    return UblEhfWriter().write(document)


VALID_DOCUMENTS = {
    "several-vat-rates": documents.document(
        ("Verktøy", "3", "249.90", "25"),
        ("Matvarer", "12.5", "37.45", "15"),
        ("Transport", "1", "850", "12"),
        ("Avisabonnement", "1", "399", "0"),
    ),
    "credit-note": documents.credit_note(),
    "business-invoice-with-kid": documents.document(),
    "200-lines": documents.document(*documents.many_lines(200)),
    "recurring-with-period": documents.document(
        ("Husleie", "1", "12500", "0"),
        ("Parkering", "1", "1200", "25"),
        period_text="Husleie mars 2026",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
    ),
    "english-buyer": dataclasses.replace(
        documents.credit_note(), buyer=documents.business(language=Language.EN)
    ),
    "seller-not-vat-registered": dataclasses.replace(
        documents.document(("Kurs", "2", "1500", "0")),
        seller=documents.seller(vat_registered=False),
    ),
    "discount-line": documents.document(
        ("Timer", "10", "950", "25"), ("Rabatt", "-1", "500", "25")
    ),
    "consumer-with-peppol-id": dataclasses.replace(
        documents.document(), buyer=documents.consumer(peppol_id="0192:123456785")
    ),
    "foreign-currency": dataclasses.replace(
        documents.document(),
        invoice=documents.invoice(currency="EUR", exchange_rate=Decimal("11.4567")),
    ),
}


@pytest.mark.parametrize("kind", VALID_DOCUMENTS)
def test_fordring_documents_have_no_fatal_finding(
    kind: str, peppol: Schematron, cen: Schematron
) -> None:
    xml = written(VALID_DOCUMENTS[kind])

    assert schematron.fatal(peppol.validate(xml)) == []
    assert schematron.fatal(cen.validate(xml)) == []


def test_a_typical_invoice_has_no_warning_either(peppol: Schematron, cen: Schematron) -> None:
    xml = written(documents.document())

    assert peppol.validate(xml) + cen.validate(xml) == []


@pytest.mark.parametrize("example", ["Norwegian-example-1.xml", "base-creditnote-correction.xml"])
def test_the_official_examples_pass(example: str, peppol: Schematron, cen: Schematron) -> None:
    xml = (documents.PEPPOL_DATA / example).read_bytes()

    assert schematron.fatal(peppol.validate(xml)) == []
    assert schematron.fatal(cen.validate(xml)) == []


def test_a_seller_vat_id_without_mva_is_fatal_no_r_001(peppol: Schematron) -> None:
    xml = ubl.render(documents.document()).replace(b"NO923609016MVA", b"NO923609016")

    findings = schematron.fatal(peppol.validate(xml))

    assert ids(findings) == ["NO-R-001"]
    assert findings[0].location == "/Invoice[1]/cac:AccountingSupplierParty[1]/cac:Party[1]"


def test_totals_that_do_not_add_up_give_br_co_findings(cen: Schematron) -> None:
    root = ubl.build(documents.document())
    root.find("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", ubl.NAMESPACES).text = "1.00"

    findings = schematron.fatal(cen.validate(ubl.to_bytes(root)))

    assert ids(findings) == ["BR-CO-15", "BR-CO-16"]


def test_a_consumer_without_peppol_id_breaks_the_peppol_rules_as_the_writer_says(
    peppol: Schematron,
) -> None:
    document = dataclasses.replace(documents.document(), buyer=documents.consumer())

    assert ids(schematron.fatal(peppol.validate(ubl.render(document)))) == ["PEPPOL-EN16931-R010"]


def test_a_rule_file_is_compiled_once(peppol: Schematron) -> None:
    assert schematron.load(str(documents.PEPPOL_RULES)) is peppol
