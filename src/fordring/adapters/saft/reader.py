"""Reading a SAF-T Financial file as a stream of typed records (domain/saft.py).

The file is parsed with lxml's iterparse and checked against the official XSD of its
version while it is read (libxml2 validates the stream as it goes: the file is never held
whole). Each Header, Account, Customer and Transaction is read into records when it ends
and then cleared, with what came before it, so memory stays flat however many transactions
the file holds. A file that is not well-formed or not valid is refused whole, naming the
element and the line (InvalidInput, field "saft"); the service writes only after the last
record, so nothing is written.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from fordring.adapters.saft.schema import schema, version_of
from fordring.domain.company import Address
from fordring.domain.errors import InvalidInput
from fordring.domain.saft import (
    NAMESPACE,
    SaftAccount,
    SaftCustomer,
    SaftHeader,
    SaftLine,
    SaftRecord,
)

Element = Any  # lxml.etree._Element
_NS = "{" + NAMESPACE + "}"
_CHUNK = 1 << 20
ZERO = Decimal(0)
_HEADER, _TRANSACTION, _CUSTOMER, _ACCOUNT = (
    _NS + name for name in ("Header", "Transaction", "Customer", "Account")
)
# The elements read (and cleared, with all before them) as they end: what is read, and the
# repeated parts of the file that are not, so that nothing grows with the file.
_SECTIONS = [_HEADER, _TRANSACTION, _CUSTOMER, _ACCOUNT] + [
    _NS + name
    for name in (
        "Supplier",
        "TaxTableEntry",
        "AnalysisTypeTableEntry",
        "Owner",
        "Product",
        "Asset",
        "PhysicalStockEntry",
        "Invoice",
        "Payment",
        "StockMovement",
        "AssetTransaction",
    )
]
LOCATE_LIMIT = 200 * 1024 * 1024  # bytes: a refused file larger than this is not re-read


class SaftFile:
    """A SAF-T file to import: its name, content hash, and its records in file order."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InvalidInput.one("file", f"{self.path} does not exist or is not a file")
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        self.sha256 = digest.hexdigest()
        self.version = version_of(self.path)

    @property
    def name(self) -> str:
        return self.path.name

    def records(self) -> Iterator[SaftRecord]:
        """The Header first, then accounts, customers and transaction lines; InvalidInput
        naming the element and line for a file that is not valid SAF-T."""
        last = 1  # the line of the last element read, for an error that names none
        events = etree.iterparse(
            str(self.path),
            events=("end",),
            tag=_SECTIONS,  # filtered in C: Python sees one event per section, not per field
            schema=schema(self.version),
            resolve_entities=False,
            no_network=True,
        )
        try:
            for _, element in events:
                last = element.sourceline or last
                tag = element.tag
                if tag == _HEADER:
                    yield _header(element, self.version)
                    continue
                if tag == _TRANSACTION:
                    yield from _lines(element)
                elif tag == _CUSTOMER:
                    yield _customer(element)
                elif tag == _ACCOUNT:
                    yield SaftAccount(
                        _text(element, "AccountID"), _text(element, "AccountDescription")
                    )
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
        except _Malformed as error:
            raise _refused(error.line, error.tag, error.reason) from None
        except etree.XMLSyntaxError as error:
            line, message = error.lineno, str(error.msg or error)
            if not line:  # the streaming validator does not say where: find it
                line, message = _locate(self.path, self.version, last, message)
            raise _refused(line, "", message) from None


class _Malformed(Exception):
    def __init__(self, element: Element, reason: str) -> None:
        self.line = element.sourceline or 0
        self.tag = element.tag.replace(_NS, "")
        self.reason = reason


def _refused(line: int, tag: str, message: str) -> InvalidInput:
    message = message.replace(_NS, "")
    if not tag and "Element '" in message:
        tag = message.split("Element '", 1)[1].split("'", 1)[0]
    named = f", element {tag}" if tag else ""
    reason = f"line {line}{named}: {message} (nothing was imported)"
    return InvalidInput.one("saft", reason, code="invalid")


def _locate(path: Path, version: str, near: int, message: str) -> tuple[int, str]:
    """The line and message of a file's first error, from a second, whole-tree reading:
    only a refused file pays for it, and one too large for it is placed near the element
    being read when the stream failed."""
    if path.stat().st_size > LOCATE_LIMIT:
        return near, f"{message} (near this line)"
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        document = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as error:
        return error.lineno or near, str(error.msg or error)
    checker = schema(version)
    if checker.validate(document):
        return near, message
    first = checker.error_log[0]
    return first.line, first.message


def _child(element: Element, name: str) -> Element | None:
    return element.find(_NS + name)


def _text(element: Element | None, name: str) -> str:
    if element is None:
        return ""
    found = element.find(_NS + name)
    return "" if found is None or found.text is None else found.text.strip()


def _date(element: Element | None, name: str) -> date | None:
    # The stream is validated a chunk behind the reading: a value is checked here too.
    found = None if element is None else element.find(_NS + name)
    if found is None or not (found.text or "").strip():
        return None
    try:
        return date.fromisoformat(found.text.strip()[:10])
    except ValueError:
        raise _Malformed(found, f"{found.text.strip()!r} is not a date") from None


def _amount(element: Element | None, name: str) -> Decimal | None:
    found = None if element is None else element.find(_NS + name)
    if found is None or not (found.text or "").strip():
        return None
    try:
        amount = Decimal(found.text.strip())
    except InvalidOperation:
        raise _Malformed(found, f"{found.text.strip()!r} is not an amount") from None
    if not amount.is_finite():
        raise _Malformed(found, f"{found.text.strip()!r} is not an amount")
    return amount


def _header(element: Element, version: str) -> SaftHeader:
    company = _child(element, "Company")
    criteria = _child(element, "SelectionCriteria")
    start = _date(criteria, "SelectionStartDate")
    end = _date(criteria, "SelectionEndDate")
    if start is None:
        year = int(_text(criteria, "PeriodStartYear") or 1900)
        start = date(year, _month(_text(criteria, "PeriodStart")), 1)
    if end is None:
        year = int(_text(criteria, "PeriodEndYear") or start.year)
        month = _month(_text(criteria, "PeriodEnd"))
        end = date(year, month, calendar.monthrange(year, month)[1])
    software = " ".join(
        _text(element, name) for name in ("SoftwareCompanyName", "SoftwareID", "SoftwareVersion")
    )
    return SaftHeader(
        version=version,
        orgnr=_text(company, "RegistrationNumber"),
        company_name=_text(company, "Name"),
        created=_date(element, "AuditFileDateCreated") or start,
        software=software,
        period_start=start,
        period_end=end,
        currency=_text(element, "DefaultCurrencyCode") or "NOK",
    )


def _month(text: str) -> int:
    """A period number as a month: 13 and up (closing periods) count as December."""
    return min(max(int(text or 1), 1), 12)


def _customer(element: Element) -> SaftCustomer:
    addresses = element.findall(_NS + "Address")
    postal = [a for a in addresses if _text(a, "AddressType") == "PostalAddress"]
    chosen = (postal or addresses or [None])[0]
    street = " ".join(filter(None, (_text(chosen, "StreetName"), _text(chosen, "Number"))))
    address = Address(
        street, _text(chosen, "PostalCode"), _text(chosen, "City"), _text(chosen, "Country") or "NO"
    )
    contact = _child(element, "Contact")
    terms = (
        _child(_child(element, "PartyInfo"), "PaymentTerms")
        if _child(element, "PartyInfo") is not None
        else None
    )
    days = _text(terms, "Days")
    # 1.30 keeps the balances in BalanceAccount elements (one per account); 1.10 on the
    # customer itself.
    holders = element.findall(_NS + "BalanceAccount") or [element]
    return SaftCustomer(
        customer_id=_text(element, "CustomerID"),
        name=_text(element, "Name"),
        registration_number=_text(element, "RegistrationNumber"),
        address=address,
        email=_text(contact, "Email"),
        phone=_text(contact, "Telephone") or _text(contact, "MobilePhone"),
        terms_days=int(days) if days else None,
        opening_balance=_balance(holders, "Opening"),
        closing_balance=_balance(holders, "Closing"),
        line=element.sourceline or 0,
    )


def _balance(holders: list[Element], when: str) -> Decimal | None:
    total: Decimal | None = None
    for holder in holders:
        debit = _amount(holder, when + "DebitBalance")
        credit = _amount(holder, when + "CreditBalance")
        if debit is None and credit is None:
            continue
        total = (total or ZERO) + (debit or ZERO) - (credit or ZERO)
    return total


def _lines(transaction: Element) -> Iterator[SaftLine]:
    transaction_id = _text(transaction, "TransactionID")
    day = _date(transaction, "TransactionDate") or date.min
    own_customer = _text(transaction, "CustomerID") or None
    own_supplier = _text(transaction, "SupplierID") or None
    for line in transaction.iterfind(_LINE):
        # One pass over the line's fields: a find per field costs more than the line.
        fields = {child.tag: child for child in line}
        debit = fields.get(_DEBIT)
        credit = fields.get(_CREDIT)
        amount = ZERO
        if debit is not None:
            amount += _amount(debit, "Amount") or ZERO
        if credit is not None:
            amount -= _amount(credit, "Amount") or ZERO
        due = fields.get(_DUE)
        yield SaftLine(
            transaction_id=transaction_id,
            transaction_date=day,
            account=_field(fields, _ACCOUNT_ID),
            amount=amount,
            customer_id=_field(fields, _CUSTOMER_ID) or own_customer,
            supplier_id=_field(fields, _SUPPLIER_ID) or own_supplier,
            reference=_field(fields, _REFERENCE) or None,
            cid=_field(fields, _CID) or None,
            due_date=None if due is None else _date(line, "DueDate"),
            description=_field(fields, _DESCRIPTION),
            line=line.sourceline or 0,
        )


(
    _LINE,
    _DEBIT,
    _CREDIT,
    _DUE,
    _ACCOUNT_ID,
    _CUSTOMER_ID,
    _SUPPLIER_ID,
    _REFERENCE,
    _CID,
    _DESCRIPTION,
) = (
    _NS + name
    for name in (
        "Line",
        "DebitAmount",
        "CreditAmount",
        "DueDate",
        "AccountID",
        "CustomerID",
        "SupplierID",
        "ReferenceNumber",
        "CID",
        "Description",
    )
)


def _field(fields: dict[str, Element], tag: str) -> str:
    found = fields.get(tag)
    return "" if found is None or found.text is None else found.text.strip()
