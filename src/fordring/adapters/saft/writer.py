"""Writing a SAF-T Financial 1.30 file, streamed element by element (lxml's xmlfile): the
header, the accounts used, the customers, and every voucher of the period as a Transaction
of one journal. Vouchers come as an iterator, so a large ledger is never held whole."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from fordring.domain.saft import (
    GROUPING_CATEGORY,
    NAMESPACE,
    ExportAccount,
    ExportCustomer,
    ExportHeader,
    ExportVoucher,
)

VERSION = "1.30"
NOT_AVAILABLE = "NA"  # what the file says where fordring keeps nothing (a contact person)
ZERO = Decimal(0)
_NS = "{" + NAMESPACE + "}"


class _Out:
    def __init__(self, xf: Any) -> None:
        self.xf = xf

    @contextmanager
    def tag(self, name: str) -> Iterator[None]:
        with self.xf.element(_NS + name):
            yield

    def leaf(self, name: str, value: object) -> None:
        with self.xf.element(_NS + name):
            self.xf.write(str(value))


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def write_saft(
    target: IO[bytes],
    header: ExportHeader,
    accounts: Sequence[ExportAccount],
    customers: Sequence[ExportCustomer],
    vouchers: Iterable[ExportVoucher],
) -> None:
    with etree.xmlfile(target, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(_NS + "AuditFile", nsmap={None: NAMESPACE}):
            out = _Out(xf)
            _header(out, header)
            with out.tag("MasterFiles"):
                # A list the schema has is never empty: left out when there is nothing.
                if accounts:
                    with out.tag("GeneralLedgerAccounts"):
                        for account in accounts:
                            _account(out, account)
                if customers:
                    with out.tag("Customers"):
                        for customer in customers:
                            _customer(out, customer)
            with out.tag("GeneralLedgerEntries"):
                out.leaf("NumberOfEntries", header.entries)
                out.leaf("TotalDebit", _money(header.total_debit))
                out.leaf("TotalCredit", _money(header.total_credit))
                with out.tag("Journal"):
                    out.leaf("JournalID", "GL")
                    out.leaf("Description", "Hovedbok")
                    out.leaf("Type", "GL")
                    for voucher in vouchers:
                        _transaction(out, voucher)


def _address(out: _Out, street: str, postcode: str, city: str, country: str) -> None:
    with out.tag("Address"):
        if street:
            out.leaf("StreetName", street)
        if city:
            out.leaf("City", city)
        if postcode:
            out.leaf("PostalCode", postcode)
        out.leaf("Country", country or "NO")
        out.leaf("AddressType", "PostalAddress")


def _header(out: _Out, h: ExportHeader) -> None:
    with out.tag("Header"):
        out.leaf("AuditFileVersion", VERSION)
        out.leaf("AuditFileCountry", "NO")
        out.leaf("AuditFileDateCreated", h.created.isoformat())
        out.leaf("SoftwareCompanyName", "fordring")
        out.leaf("SoftwareID", "fordring")
        out.leaf("SoftwareVersion", h.software_version)
        with out.tag("Company"):
            out.leaf("RegistrationNumber", h.orgnr)
            out.leaf("Name", h.name)
            a = h.address
            _address(out, a.street, a.postcode, a.city, a.country)
            with out.tag("Contact"):
                with out.tag("ContactPerson"):
                    out.leaf("FirstName", NOT_AVAILABLE)
                    out.leaf("LastName", NOT_AVAILABLE)
                out.leaf("Telephone", NOT_AVAILABLE)
            if h.vat_registered:
                with out.tag("TaxRegistration"):
                    out.leaf("TaxRegistrationNumber", f"{h.orgnr}MVA")
                    out.leaf("TaxAuthority", "Skatteetaten")
            with out.tag("BankAccount"):
                out.leaf("BankAccountNumber", h.bank_account)
        out.leaf("DefaultCurrencyCode", "NOK")
        with out.tag("SelectionCriteria"):
            out.leaf("SelectionStartDate", h.start.isoformat())
            out.leaf("SelectionEndDate", h.end.isoformat())
        out.leaf("TaxAccountingBasis", "A")


def _balances(out: _Out, opening: Decimal, closing: Decimal) -> None:
    for when, amount in (("Opening", opening), ("Closing", closing)):
        if amount < 0:
            out.leaf(f"{when}CreditBalance", _money(-amount))
        else:
            out.leaf(f"{when}DebitBalance", _money(amount))


def _account(out: _Out, a: ExportAccount) -> None:
    with out.tag("Account"):
        out.leaf("AccountID", a.account)
        out.leaf("AccountDescription", a.description or a.account)
        out.leaf("GroupingCategory", GROUPING_CATEGORY)
        out.leaf("GroupingCode", a.account)
        out.leaf("AccountType", "GL")
        _balances(out, a.opening, a.closing)


def _customer(out: _Out, c: ExportCustomer) -> None:
    with out.tag("Customer"):
        if c.orgnr:
            out.leaf("RegistrationNumber", c.orgnr)
        out.leaf("Name", c.name)
        a = c.address
        if a.street or a.postcode or a.city:
            _address(out, a.street, a.postcode, a.city, a.country)
        if c.email or c.phone:
            with out.tag("Contact"):
                with out.tag("ContactPerson"):
                    out.leaf("FirstName", NOT_AVAILABLE)
                    out.leaf("LastName", NOT_AVAILABLE)
                if c.phone:
                    out.leaf("Telephone", c.phone)
                if c.email:
                    out.leaf("Email", c.email)
        out.leaf("CustomerID", c.number)
        with out.tag("BalanceAccount"):
            out.leaf("AccountID", "1500")
            _balances(out, c.opening, c.closing)


def _transaction(out: _Out, v: ExportVoucher) -> None:
    day = v.date.isoformat()
    with out.tag("Transaction"):
        out.leaf("TransactionID", v.number)
        out.leaf("Period", v.date.month)
        out.leaf("PeriodYear", v.date.year)
        out.leaf("TransactionDate", day)
        out.leaf("VoucherType", v.type_code)
        out.leaf("Description", v.text or f"Bilag {v.number}")
        out.leaf("SystemEntryDate", day)
        out.leaf("GLPostingDate", day)
        for record, line in enumerate(v.lines, start=1):
            with out.tag("Line"):
                out.leaf("RecordID", record)
                out.leaf("AccountID", line.account)
                if line.customer is not None:
                    out.leaf("CustomerID", line.customer)
                out.leaf("Description", line.text or v.text or f"Bilag {v.number}")
                side = "DebitAmount" if line.amount >= 0 else "CreditAmount"
                with out.tag(side):
                    out.leaf("Amount", _money(abs(line.amount)))
                if line.reference is not None:
                    out.leaf("ReferenceNumber", line.reference)
                if line.kid:
                    out.leaf("CID", line.kid)
                if line.due_date is not None:
                    out.leaf("DueDate", line.due_date.isoformat())
