"""CSV files as Excel writes them in Norway (issue 15 point 3): Windows-1252 with æøå, `;`,
CRLF, decimal commas with a no-break space between thousands and dates as DD.MM.YYYY; UTF-8
with a BOM; `,` files with quoted decimal commas. A file that is neither UTF-8 nor
Windows-1252 is refused with the hint to save it as CSV UTF-8, and every message names a
line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fordring.adapters.csv_imports import CustomerCsv, InvoiceCsv
from fordring.adapters.csv_source import CsvFile
from fordring.domain.errors import InvalidInput
from fordring.domain.invoices import line
from fordring.services.customers import NewCustomer
from fordring.services.imports import Refused
from fordring.services.invoice_import import ImportedInvoice

INVOICES = [
    "number;customer;issue_date;due_date;description;quantity;unit_price;vat",
    "5001;10000;10.01.2026;24.01.2026;Husleie for kontor i Ålesund;1;12\xa0345,50;0",
    "5001;;;;Strøm og vær-avgift;7,5;1 234,50;25",
]


def excel(tmp_path: Path, rows: list[str], name: str = "excel.csv") -> Path:
    """`rows` saved as Excel's "CSV (semicolon delimited)" does on a Norwegian Windows."""
    path = tmp_path / name
    path.write_bytes("\r\n".join(rows).encode("cp1252") + b"\r\n")
    return path


def test_an_excel_invoice_file_in_windows_1252_reads_as_its_utf8_twin(tmp_path: Path) -> None:
    path = excel(tmp_path, INVOICES)
    assert b"Str\xf8m" in path.read_bytes()  # really Windows-1252, not UTF-8
    (invoice,) = InvoiceCsv(path).records()
    assert invoice == ImportedInvoice(
        "line 2",
        10000,
        (
            line("Husleie for kontor i Ålesund", Decimal(1), Decimal("12345.50"), Decimal(0)),
            line("Strøm og vær-avgift", Decimal("7.5"), Decimal("1234.50"), Decimal(25)),
        ),
        number=5001,
        issue_date=date(2026, 1, 10),
        due_date=date(2026, 1, 24),
    )
    assert CsvFile(path).encoding == "cp1252"
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes(b"\xef\xbb\xbf" + "\n".join(INVOICES).encode())
    assert CsvFile(utf8).encoding == "utf-8"
    # The same text saved in the other encoding is the same file: imported once.
    assert CsvFile(utf8).sha256 == CsvFile(path).sha256
    assert list(InvoiceCsv(utf8).records()) == [invoice]


def test_an_excel_customer_file_keeps_its_norwegian_letters(tmp_path: Path) -> None:
    path = excel(
        tmp_path,
        [
            "Navn;Kind;Orgnr;Address;Postcode;City;Birth_date",
            "Bjørnstad Rør AS;business;988077917;Økernveien 1;0580;Oslo;",
            "Åse Ærø;consumer;;Strandgata 2;5003;Bergen;17.5.1980",
        ],
    )
    with pytest.raises(InvalidInput) as refused:  # "Navn" is not a column: named with line
        list(CustomerCsv(path).records())
    assert str(refused.value.problems[0]).startswith("line 1 (header): navn")
    path.write_bytes(path.read_bytes().replace(b"Navn", b"Name"))
    business, consumer = CustomerCsv(path).records()
    assert isinstance(business, NewCustomer) and isinstance(consumer, NewCustomer)
    assert (business.details.name, business.details.address.street) == (
        "Bjørnstad Rør AS",
        "Økernveien 1",
    )
    assert consumer.details.name == "Åse Ærø"
    assert consumer.details.birth_date == date(1980, 5, 17)


def test_a_comma_file_quotes_its_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "comma.csv"
    path.write_bytes(
        b'customer,description,quantity,unit_price,vat\r\n10000,Kurs,"1,5","1 234,50",25\r\n'
    )
    (invoice,) = InvoiceCsv(path).records()
    assert isinstance(invoice, ImportedInvoice)
    assert invoice.lines == (line("Kurs", Decimal("1.5"), Decimal("1234.50"), Decimal(25)),)


@pytest.mark.parametrize(
    ("content", "line_no"),
    [
        # UTF-8 and Windows-1252 in one file (a UTF-8 file edited by an old program)
        ("name\r\nBjørn\r\n".encode() + "Åse\r\n".encode("cp1252"), 3),
        # UTF-16, as Excel's "Unicode text" writes it
        ("name\r\nKari\r\n".encode("utf-16"), 1),
        # a byte Windows-1252 has no character for
        (b"name\nKari\nOla \x81\n", 3),
    ],
)
def test_a_file_of_no_known_encoding_is_refused_saying_save_as_csv_utf8(
    tmp_path: Path, content: bytes, line_no: int
) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as refused:
        CustomerCsv(path)
    (problem,) = refused.value.problems
    assert problem.where == f"line {line_no}"
    assert problem.code == "unknown_encoding"
    assert "save it as CSV UTF-8" in problem.reason


def test_every_message_names_its_line(tmp_path: Path) -> None:
    path = excel(
        tmp_path,
        [
            "customer;description;quantity;unit_price;vat",
            "10000;Kurs;1;100;25",
            "10000;Kurs;1;100",
        ],
    )
    with pytest.raises(InvalidInput) as short:
        list(InvoiceCsv(path).records())
    assert str(short.value) == "line 3: file: 4 fields where the header has 5"
    path.write_bytes(b'customer;description;quantity;unit_price;vat\n10000;"Kurs\x00;1;1;25\n')
    with pytest.raises(InvalidInput) as broken:
        list(InvoiceCsv(path).records())
    assert all(p.where.startswith("line ") for p in broken.value.problems)
    path.write_bytes(b"customer;description;quantity;unit_price;vat\n10000;Kurs;1;1e3;25\n")
    refused = [r for r in InvoiceCsv(path).records() if isinstance(r, Refused)]
    assert [p.where for r in refused for p in r.problems] == ["line 2"]


def test_each_row_read_is_told_with_the_rows_in_all(tmp_path: Path) -> None:
    told: list[tuple[int, int | None]] = []
    path = excel(tmp_path, [*INVOICES, "", "5002;10001;;;Kurs;1;1;0"])  # a blank line too
    file = InvoiceCsv(path, lambda done, total: told.append((done, total)))
    list(file.records())
    assert told == [(1, 3), (2, 3), (3, 3)]
