"""ISO 20022 camt.054 credit notifications (DOMAIN § 10), versions 001.02 to 001.NN: a
streaming reader into a `BankFile` whose memory stays flat however long the file is.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from fordring.domain.bank_files import BankFile, BankFormat, BankTransaction, checked_texts
from fordring.domain.errors import InvalidInput
from fordring.domain.input_rules import check_amount, check_text, parse_iso_date

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.054.001."
CENT = Decimal("0.01")
BREAKS = str.maketrans("\t\r\n", "   ")  # in a name or text: spaces (the input rules)
NOT_PROVIDED = "NOTPROVIDED"  # what banks put in EndToEndId when the payer gave none
# No entities, no network: a bank file has no business defining either (XXE).
PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "collect_ids": False,
}
Element = Any  # lxml.etree._Element; lxml ships no type stubs


class Tags(dict[str, str]):
    """An ISO element name → its qualified name in the file's namespace (version)."""

    def __init__(self, namespace: str) -> None:
        super().__init__()
        self.prefix = f"{{{namespace}}}"

    def each(self, names: str) -> list[str]:
        return [self[name] for name in names.split()]

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
    read_entry = _entry_reader(t)
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
                transactions.extend(read_entry(element, account, where))
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
    message_id = check_text(_text(_child(header, t["MsgId"])), "GrpHdr/MsgId", 35, "GrpHdr")
    if not message_id:  # Max35Text, as the schema says
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


EntryReader = Callable[[Element, str, str], list[BankTransaction]]


def _entry_reader(t: Tags) -> EntryReader:
    """A reader of Ntry elements in the file's namespace. Its walk is most of the parse's
    Python time, so it binds the tags it compares as local names and calls few functions.
    """
    amt, ind, bookg, val, svcr_ref = t.each("Amt CdtDbtInd BookgDt ValDt AcctSvcrRef")
    ntry_dtls, tx_dtls, refs, e2e = t.each("NtryDtls TxDtls Refs EndToEndId")
    amt_dtls, tx_amt, parties, dbtr, pty, nm = t.each("AmtDtls TxAmt RltdPties Dbtr Pty Nm")
    dbtr_acct, id_, iban, othr, dt, dt_tm = t.each("DbtrAcct Id IBAN Othr Dt DtTm")
    rmt_inf, ustrd, strd, cdtr_ref_inf, ref = t.each("RmtInf Ustrd Strd CdtrRefInf Ref")
    date_choice = frozenset((dt, dt_tm))
    dates: dict[str, date] = {}

    def entry(ntry: Element, account: str, where: str) -> list[BankTransaction]:
        """One transaction per TxDtls, or the entry itself when it has none."""
        amount_element = indicator = booked = value = None
        entry_ref, details = "", []
        for child in ntry:
            tag = child.tag
            if tag == amt:
                amount_element = child
            elif tag == ind:
                indicator = child.text
            elif tag == bookg:
                booked = day(child, "Ntry/BookgDt", where)
            elif tag == val:
                value = day(child, "Ntry/ValDt", where)
            elif tag == svcr_ref:
                entry_ref = (child.text or "").strip()
            elif tag == ntry_dtls:
                details += [d for d in child if d.tag == tx_dtls]
        if amount_element is None:
            raise InvalidInput.one("Ntry/Amt", "missing", where)
        amount = _amount(amount_element, "Ntry/Amt", where)
        if indicator not in ("CRDT", "DBIT"):
            reason = f"{indicator!r} is neither CRDT nor DBIT" if indicator else "missing"
            raise InvalidInput.one("Ntry/CdtDbtInd", reason, where)
        if booked is None:
            raise InvalidInput.one("Ntry/BookgDt", "missing", where)
        # The entry's own fields, which its transactions share; an entry without details is
        # one payment of its amount.
        shared = (account, amount, booked, None, "", "", "", entry_ref, indicator, value)
        if not details:
            return checked_texts([BankTransaction(where, *shared, indicator == "DBIT")])
        only = amount if len(details) == 1 else None  # a lone TxDtls may leave out its amount
        transactions = [
            detail(d, f"{where} / TxDtls {n}", shared, only) for n, d in enumerate(details, 1)
        ]
        total = sum(t.amount for t in transactions) if only is None else transactions[0].amount
        if total != amount:
            reason = f"is {amount} but its TxDtls amounts add up to {total}"
            raise InvalidInput.one("Ntry/Amt", reason, where)
        return checked_texts(transactions)

    def day(element: Element, field: str, where: str) -> date:
        """BookgDt or ValDt: a Dt or a DtTm, of which the date."""
        for choice in element:
            if choice.tag in date_choice:
                text = (choice.text or "").strip()[:10]
                field += "/Dt" if choice.tag == dt else "/DtTm"
                return dates.get(text) or _iso_date(text, dates, field, where)
        raise InvalidInput.one(f"{field}/Dt", "missing", where)

    def detail(
        details: Element, where: str, shared: tuple[Any, ...], only: Decimal | None
    ) -> BankTransaction:
        """One TxDtls: its amount, KID, text, payer and references over the entry's."""
        transaction_amount = booked_amount = kid = None  # the amount elements: parsed once chosen
        texts: list[str] = []
        name = payer = service_ref = end_to_end = ""
        for child in details:
            tag = child.tag
            if tag == refs:
                for reference in child:
                    tag = reference.tag
                    if tag == svcr_ref:
                        service_ref = (reference.text or "").strip()
                    elif tag == e2e and reference.text != NOT_PROVIDED:
                        end_to_end = (reference.text or "").strip()
            elif tag == amt_dtls:
                for amounts in child:
                    if amounts.tag == tx_amt:
                        for element in amounts:
                            if element.tag == amt:
                                transaction_amount = element
            elif tag == amt:  # 001.08 and later: the amount booked, in the account's currency
                booked_amount = child
            elif tag == parties:
                for party in child:
                    tag = party.tag
                    if tag == dbtr:  # Dbtr/Nm (001.02) or Dbtr/Pty/Nm (later)
                        for element in party:
                            tag = element.tag
                            if tag == nm:
                                name = (element.text or "").strip()
                            elif tag == pty:
                                name = _text(_child(element, nm))
                    elif tag == dbtr_acct:
                        for element in party:
                            if element.tag == id_:
                                payer = payer_account(element)
            elif tag == rmt_inf:
                for part in child:
                    tag = part.tag
                    if tag == ustrd:
                        texts.append((part.text or "").strip())
                    elif tag == strd and kid is None:  # the first reference: the KID
                        for information in part:
                            if information.tag == cdtr_ref_inf:
                                for element in information:
                                    if element.tag == ref:
                                        kid = (element.text or "").strip() or None
        if booked_amount is not None:
            amount = _amount(booked_amount, "TxDtls/Amt", where)
        elif transaction_amount is not None:
            amount = _amount(transaction_amount, "TxDtls/AmtDtls/TxAmt/Amt", where)
        elif only is not None:
            amount = only
        else:
            reason = "missing, and the entry has several TxDtls"
            raise InvalidInput.one("TxDtls/AmtDtls/TxAmt/Amt", reason, where)
        account, _, booked, _, _, _, _, entry_ref, indicator, value = shared
        return BankTransaction(
            where,
            account,
            amount,
            booked,
            kid,
            _spaced(" ".join(filter(None, texts))) if texts else "",
            _spaced(name),
            payer,
            service_ref or entry_ref or end_to_end,
            indicator,
            value,
            indicator == "DBIT",  # money taken back from the payee's account
        )

    def payer_account(identification: Element) -> str:
        """DbtrAcct/Id: Othr/Id as it stands, or an IBAN (a Norwegian one as 11 digits)."""
        for choice in identification:
            tag = choice.tag
            if tag == othr:
                return _text(_child(choice, id_))
            if tag == iban:
                number = _text(choice).replace(" ", "").upper()
                return _norwegian_bban(number) or number
        return ""

    return entry


def _amount(element: Element, field: str, where: str) -> Decimal:
    """A positive NOK amount in whole øre, returned with two decimals."""
    text = element.text or ""
    digits = text.replace(".", "", 1)
    if (
        element.get("Ccy") == "NOK"
        and text[-3:-2] == "."
        and len(text) < 17  # below the input rules' largest amount
        and digits.isascii()
        and digits.isdigit()
    ):
        amount = Decimal(text)  # the usual 123.45: exact as it stands
        if amount:
            return amount
    return _unusual_amount(element, field, where)


def _unusual_amount(element: Element, field: str, where: str) -> Decimal:
    """An amount without two decimals (123, 123.5), or a refusal naming the element."""
    currency = element.get("Ccy")
    if currency != "NOK":
        raise InvalidInput.one(field, f"currency {currency!r}: only NOK is read", where)
    text = _text(element)
    try:
        digits = text.replace(".", "", 1)
        if not (digits.isascii() and digits.isdigit()):
            raise InvalidOperation
        value = Decimal(text)
        amount = value.quantize(CENT)
        if amount != value or not amount:
            raise InvalidOperation
    except InvalidOperation:
        raise InvalidInput.one(field, f"{text!r} is not an amount in NOK and øre", where) from None
    return check_amount(amount, field, where)


def _iso_date(text: str, dates: dict[str, date], field: str, where: str) -> date:
    dates[text] = value = parse_iso_date(text[:10], field, where)
    return value


def _spaced(text: str) -> str:
    """A name or text with its line breaks and tabs as spaces (the input rules refuse them)."""
    return text if text.isprintable() else text.translate(BREAKS)


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
