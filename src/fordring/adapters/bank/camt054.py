"""ISO 20022 camt.054 credit notifications (DOMAIN § 10), versions 001.02 to 001.NN: a
streaming reader into a `BankFile` whose memory stays flat however long the file is.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from lxml import etree

from fordring.domain.bank_files import BankFile, BankFormat, BankTransaction
from fordring.domain.errors import InvalidInput

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.054.001."
CENT = Decimal("0.01")
NOT_PROVIDED = "NOTPROVIDED"  # what banks put in EndToEndId when the payer gave none
# No entities, no network: a bank file has no business defining either (XXE).
PARSER_OPTIONS: dict[str, Any] = {"resolve_entities": False, "no_network": True}
Element = Any  # lxml.etree._Element; lxml ships no type stubs


class Tags(dict[str, str]):
    """An ISO element name → its qualified name in the file's namespace (version)."""

    def __init__(self, namespace: str) -> None:
        super().__init__()
        self.prefix = f"{{{namespace}}}"

    def __missing__(self, name: str) -> str:
        self[name] = qualified = self.prefix + name
        return qualified


def read_camt054(path: Path) -> BankFile:
    """Read a camt.054 file; InvalidInput names the element and where it is."""
    with path.open("rb") as source:
        return parse_camt054(source)


def parse_camt054(source: IO[bytes] | bytes) -> BankFile:
    """Parse a camt.054 document from bytes or a seekable binary stream."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    start = source.tell()
    t = Tags(root_namespace(source))
    source.seek(start)
    transactions: list[BankTransaction] = []
    dates: dict[str, date] = {}
    file_id, created = "", None
    notification = entry = 0
    account = ""  # of the open Ntfctn
    tags = (t["GrpHdr"], t["Acct"], t["Ntry"], t["Ntfctn"])
    try:
        for _, element in etree.iterparse(source, events=("end",), tag=tags, **PARSER_OPTIONS):
            tag = element.tag
            if tag == t["Ntry"]:
                entry += 1
                where = f"Ntfctn {notification + 1} / Ntry {entry}"
                parent = element.getparent()
                if parent.tag != t["Ntfctn"]:
                    raise InvalidInput.one("Ntry", "is not in a Ntfctn", where)
                if not account:
                    raise InvalidInput.one("Ntfctn/Acct", "missing before the Ntry", where)
                transactions.extend(_entry(element, t, account, where, dates))
                # Forget what is read so memory stays flat: the entry's content, and the
                # entries (and account, already read) before it.
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del parent[0]
            elif tag == t["Acct"]:
                if element.getparent().tag == t["Ntfctn"]:
                    account = _account(element, t, f"Ntfctn {notification + 1}")
            elif tag == t["Ntfctn"]:
                notification += 1
                if element.getparent().tag != t["BkToCstmrDbtCdtNtfctn"] or not account:
                    raise InvalidInput.one("Ntfctn/Acct", "missing", f"Ntfctn {notification}")
                account, entry = "", 0
                element.clear(keep_tail=True)
            else:
                file_id, created = _group_header(element, t)
    except etree.XMLSyntaxError as error:
        raise _not_well_formed(error) from None
    if not file_id:
        raise InvalidInput.one("GrpHdr/MsgId", "missing", "GrpHdr")
    if not notification:
        raise InvalidInput.one("Ntfctn", "missing: the message notifies of nothing")
    return BankFile(BankFormat.CAMT054, file_id, created, tuple(transactions))


def root_namespace(source: IO[bytes]) -> str:
    """The namespace of a camt.054 root `Document`, from the start of the stream only."""
    try:
        _, root = next(etree.iterparse(source, events=("start",), **PARSER_OPTIONS))
    except etree.XMLSyntaxError as error:
        raise _not_well_formed(error) from None
    namespace, _, name = root.tag[1:].partition("}") if root.tag[0] == "{" else ("", "", root.tag)
    if name != "Document" or not namespace.startswith(NAMESPACE_PREFIX):
        reason = f"the root is {root.tag}, not Document in namespace {NAMESPACE_PREFIX}NN"
        raise InvalidInput.one("Document", reason, "line 1")
    return str(namespace)


def peek_message_id(source: IO[bytes]) -> str:
    """GrpHdr/MsgId, parsing only the start of the stream (the group header comes first)."""
    start = source.tell()
    t = Tags(root_namespace(source))
    source.seek(start)
    tags = (t["GrpHdr"], t["MsgId"], t["Ntfctn"])
    try:
        for event, element in etree.iterparse(
            source, events=("start", "end"), tag=tags, **PARSER_OPTIONS
        ):
            if event == "end" and element.tag == t["MsgId"]:
                if element.getparent().tag == t["GrpHdr"] and _text(element):
                    return _text(element)
            elif (event == "end" and element.tag == t["GrpHdr"]) or element.tag == t["Ntfctn"]:
                break
    except etree.XMLSyntaxError as error:
        raise _not_well_formed(error) from None
    raise InvalidInput.one("GrpHdr/MsgId", "missing", "GrpHdr")


def _group_header(header: Element, t: Tags) -> tuple[str, date]:
    if header.getparent().tag != t["BkToCstmrDbtCdtNtfctn"]:
        raise InvalidInput.one("GrpHdr", "is not in BkToCstmrDbtCdtNtfctn", "GrpHdr")
    message_id = _text(_child(header, t["MsgId"]))
    if not message_id:
        raise InvalidInput.one("GrpHdr/MsgId", "missing", "GrpHdr")
    created = _text(_child(header, t["CreDtTm"]))
    if not created:
        raise InvalidInput.one("GrpHdr/CreDtTm", "missing", "GrpHdr")
    return message_id, _iso_date(created, {}, "GrpHdr/CreDtTm", "GrpHdr")


def _account(account: Element, t: Tags, where: str) -> str:
    """The payee's account: an 11-digit BBAN (Othr/Id) or a Norwegian IBAN."""
    for choice in _children(_child(account, t["Id"])):
        if choice.tag == t["IBAN"]:
            iban = _text(choice).replace(" ", "").upper()
            bban = _norwegian_bban(iban)
            if not bban:
                reason = f"{iban!r} is not a Norwegian IBAN (NOkk + 11 digits); only those are read"
                raise InvalidInput.one("Acct/Id/IBAN", reason, where)
            return bban
        if choice.tag == t["Othr"]:
            value = _text(_child(choice, t["Id"]))
            compact = value.replace(".", "").replace(" ", "")
            if len(compact) != 11 or not (compact.isascii() and compact.isdecimal()):
                reason = f"{value!r} is not an 11-digit Norwegian account"
                raise InvalidInput.one("Acct/Id/Othr/Id", reason, where)
            return compact
    raise InvalidInput.one("Acct/Id", "missing (IBAN or Othr/Id)", where)


def _entry(
    ntry: Element, t: Tags, account: str, where: str, dates: dict[str, date]
) -> list[BankTransaction]:
    """One entry's transactions: one per TxDtls, or the entry itself when it has none."""
    amount_element = indicator = booked = value_on = None
    entry_ref, details = "", []
    for child in ntry:
        tag = child.tag
        if tag == t["Amt"]:
            amount_element = child
        elif tag == t["CdtDbtInd"]:
            indicator = child.text
        elif tag == t["BookgDt"]:
            booked = _date_choice(child, t, dates, "Ntry/BookgDt", where)
        elif tag == t["ValDt"]:
            value_on = _date_choice(child, t, dates, "Ntry/ValDt", where)
        elif tag == t["AcctSvcrRef"]:
            entry_ref = _text(child)
        elif tag == t["NtryDtls"]:
            details.extend(d for d in child if d.tag == t["TxDtls"])
    if amount_element is None:
        raise InvalidInput.one("Ntry/Amt", "missing", where)
    amount = _amount(amount_element, "Ntry/Amt", where)
    if indicator not in ("CRDT", "DBIT"):
        reason = f"{indicator!r} is neither CRDT nor DBIT" if indicator else "missing"
        raise InvalidInput.one("Ntry/CdtDbtInd", reason, where)
    if booked is None:
        raise InvalidInput.one("Ntry/BookgDt", "missing", where)
    reversal = indicator == "DBIT"  # money taken back from the payee's account
    parts = [_details(d, t, f"{where} / TxDtls {n}") for n, d in enumerate(details, 1)]
    transactions, total = [], Decimal(0)
    for part_where, part_amount, kid, text, name, payer, ref, end_to_end in parts or [
        (where, amount, None, "", "", "", "", "")  # an entry without details is one payment
    ]:
        if part_amount is None:
            if len(parts) > 1:
                reason = "missing, and the entry has several TxDtls"
                raise InvalidInput.one("TxDtls/AmtDtls/TxAmt/Amt", reason, part_where)
            part_amount = amount
        total += part_amount
        archive_ref = ref or entry_ref or end_to_end
        transactions.append(
            BankTransaction(
                part_where,
                account,
                part_amount,
                booked,
                kid,
                text,
                name,
                payer,
                archive_ref,
                indicator,
                value_on,
                reversal,
            )
        )
    if total != amount:
        reason = f"is {amount} but its TxDtls amounts add up to {total}"
        raise InvalidInput.one("Ntry/Amt", reason, where)
    return transactions


def _details(
    details: Element, t: Tags, where: str
) -> tuple[str, Decimal | None, str | None, str, str, str, str, str]:
    """where, amount, KID, text, payer name, payer account, AcctSvcrRef, EndToEndId."""
    amount = direct = kid = None
    texts: list[str] = []
    name = payer = service_ref = end_to_end = ""
    for child in details:
        tag = child.tag
        if tag == t["Refs"]:
            for ref in child:
                if ref.tag == t["AcctSvcrRef"]:
                    service_ref = _text(ref)
                elif ref.tag == t["EndToEndId"] and _text(ref) != NOT_PROVIDED:
                    end_to_end = _text(ref)
        elif tag == t["AmtDtls"]:
            amount_element = _child(_child(child, t["TxAmt"]), t["Amt"])
            if amount_element is not None:
                amount = _amount(amount_element, "TxDtls/AmtDtls/TxAmt/Amt", where)
        elif tag == t["Amt"]:  # 001.08 and later
            direct = _amount(child, "TxDtls/Amt", where)
        elif tag == t["RltdPties"]:
            name, payer = _debtor(child, t)
        elif tag == t["RmtInf"]:
            for part in child:
                if part.tag == t["Ustrd"]:
                    texts.append(_text(part))
                elif part.tag == t["Strd"] and kid is None:  # the first reference is the KID
                    kid = _text(_child(_child(part, t["CdtrRefInf"]), t["Ref"])) or None
    text = " ".join(piece for piece in texts if piece)
    amount = direct if amount is None else amount
    return where, amount, kid, text, name, payer, service_ref, end_to_end


def _debtor(parties: Element, t: Tags) -> tuple[str, str]:
    """The payer's name (Dbtr/Nm in 001.02, Dbtr/Pty/Nm later) and account."""
    name = account = ""
    for party in parties:
        if party.tag == t["Dbtr"]:
            name = _text(_child(party, t["Nm"])) or _text(_child(_child(party, t["Pty"]), t["Nm"]))
        elif party.tag == t["DbtrAcct"]:
            for choice in _children(_child(party, t["Id"])):
                if choice.tag == t["IBAN"]:
                    iban = _text(choice).replace(" ", "").upper()
                    account = _norwegian_bban(iban) or iban
                elif choice.tag == t["Othr"]:
                    account = _text(_child(choice, t["Id"]))
    return name, account


def _amount(element: Element, field: str, where: str) -> Decimal:
    """A positive NOK amount in whole øre, with two decimals."""
    currency = element.get("Ccy")
    if currency != "NOK":
        raise InvalidInput.one(field, f"currency {currency!r}: only NOK is read", where)
    text = _text(element)
    try:
        if not text.replace(".", "", 1).isdecimal():
            raise InvalidOperation
        value = Decimal(text)
        amount = value.quantize(CENT)
        if amount != value or not amount:
            raise InvalidOperation
    except InvalidOperation:
        raise InvalidInput.one(field, f"{text!r} is not an amount in NOK and øre", where) from None
    return amount


def _date_choice(
    element: Element, t: Tags, dates: dict[str, date], field: str, where: str
) -> date | None:
    """BookgDt or ValDt: a Dt or a DtTm, of which the date."""
    for choice in element:
        if choice.tag == t["Dt"] or choice.tag == t["DtTm"]:
            text = _text(choice)[:10]
            return dates.get(text) or _iso_date(text, dates, f"{field}/{choice.tag[-4:]}", where)
    return None


def _iso_date(text: str, dates: dict[str, date], field: str, where: str) -> date:
    try:
        value = date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput.one(field, f"{text!r} is not a date (YYYY-MM-DD)", where) from None
    dates[text] = value
    return value


def _norwegian_bban(iban: str) -> str:
    """The 11-digit account of a valid Norwegian IBAN, or "" for anything else."""
    digits = iban[2:]
    if (
        iban[:2] != "NO"
        or len(iban) != 15
        or not (digits.isascii() and digits.isdecimal())
        or int(iban[4:] + "2324" + iban[2:4]) % 97 != 1  # N=23, O=24 (ISO 13616)
    ):
        return ""
    return iban[4:]


def _child(element: Element | None, tag: str) -> Element | None:
    """The first child with the tag; faster than lxml's find() for a few children."""
    if element is not None:
        for child in element:
            if child.tag == tag:
                return child
    return None


def _children(element: Element | None) -> Element | tuple[()]:
    return () if element is None else element


def _text(element: Element | None) -> str:
    return "" if element is None else (element.text or "").strip()


def _not_well_formed(error: etree.XMLSyntaxError) -> InvalidInput:
    where = f"line {error.lineno}" if error.lineno else ""
    return InvalidInput.one("XML", f"not well-formed: {error.msg}", where)
