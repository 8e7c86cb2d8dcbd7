"""Writes the fuzz corpus (issue 14): malformed and hostile Nets OCR giro files, camt.054
notifications, customer and invoice CSV files and command-line arguments, each with the
outcome fordring must give, into tests/fuzz/corpus/ (a file per input and manifest.json).

    .venv/bin/python -m tests.fuzz.make_corpus

The script is the source: it is deterministic (fixed dates, a seeded generator), and
tests/fuzz/test_corpus.py checks that the committed corpus is what it writes. Every case
runs against the company tests/fuzz/test_corpus.py prepares: Test AS, consumer 10000
Kari Nordmann and her invoice 1 (2500.00, KID 0000000018, due 2026-03-02) in collection
case 1 (tests/builders.py cli_case_of_one_invoice); the business
date is 2026-03-02.
"""

# ruff: noqa: E501, RUF005 - the tables of hostile inputs read best one input a line

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fordring.adapters.bank.camt054_writer import Version, write_camt054
from fordring.domain.bank_files import BankTransaction
from tests.builders import ACCOUNT, OTHER_ORGNR
from tests.scenarios.bankfiles import Paid, ocr_text

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = "manifest.json"
KID = "0000000018"  # invoice 1's
DAY = "2026-03-02"
SEED = 14
BIG = "99999999999999999999"  # 20 digits: beyond 64 bits
MAX = "9223372036854775807"  # the largest 64-bit integer


@dataclass
class Case:
    """One input and what must come of it: `refused` naming `field` (exit 2, nothing
    written), or `accepted` (exit 0, the ledger still checks)."""

    id: str
    about: str
    args: list[str]
    expect: str
    field: str = ""
    file: str = ""
    date: str = DAY
    secret: str = ""  # a text of the file the output must not show
    setup: list[list[str]] = dataclasses.field(default_factory=list)  # commands run first
    code: int = 0  # the exit code of a refusal when not 2: 1 for a state that forbids it
    data: bytes = dataclasses.field(default=b"", repr=False)


class Corpus:
    def __init__(self) -> None:
        self.cases: list[Case] = []
        self.random = random.Random(SEED)

    def add(self, family: str, about: str, args: list[str], field: str = "", **more: Any) -> None:
        number = sum(1 for c in self.cases if c.id.startswith(family + "-")) + 1
        expect = "refused" if field else "accepted"
        self.cases.append(Case(f"{family}-{number:03d}", about, args, expect, field, **more))

    def file(
        self, family: str, ext: str, about: str, data: bytes, field: str = "", **more: Any
    ) -> None:
        command = {
            "ocr": ["payments", "import"],
            "camt": ["payments", "import"],
            "customers": ["customer", "import"],
            "invoices": ["invoice", "import"],
            "rates": ["law", "--rates", "{file}", "rates"],
        }[family]
        number = sum(1 for c in self.cases if c.id.startswith(family + "-")) + 1
        name = f"{family}/{family}-{number:03d}.{ext}"
        args = command if "{file}" in command else [*command, "{file}"]
        self.add(family, about, args, field, file=name, data=data, **more)


# Nets OCR giro -------------------------------------------------------------------------


def _ocr(payments: list[Paid] | None = None) -> list[str]:
    paid = payments or [Paid("2500.00", KID, DAY), Paid("100.00", "0000000026", DAY)]
    return ocr_text(paid).splitlines()


def _put(lines: list[str], line: int, at: int, value: str) -> list[str]:
    """LINES with LINE's (0-based) characters from AT replaced by VALUE."""
    changed = list(lines)
    record = changed[line]
    changed[line] = record[:at] + value + record[at + len(value) :]
    return changed


def _ocr_bytes(lines: list[str], end: str = "\n") -> bytes:
    return (end.join(lines) + end).encode("iso-8859-1")


def ocr_cases(c: Corpus) -> None:
    def add(about: str, lines: list[str], field: str = "", end: str = "\n") -> None:
        c.file("ocr", "txt", about, _ocr_bytes(lines, end), field)

    good = _ocr()
    add("two payments as netsgiro writes them", good)
    add("CRLF line ends", good, end="\r\n")
    add("one payment of the smallest amount", _ocr([Paid("0.01", KID, DAY)]))
    add("an unknown KID", _ocr([Paid("99.00", "0000000026", DAY)]))
    add("a reversal (type 18)", _ocr([Paid("50.00", KID, DAY, reversal=True)]))
    add("a credit note the payer deducted (sign -)", _ocr([Paid("100.00", KID, DAY, sign="-")]))
    add("the largest amount", _ocr([Paid("9999999999999.99", "0000000026", DAY)]))
    add("no payer account", _ocr([Paid("10.00", KID, DAY, payer_account="00000000000")]))
    c.file("ocr", "txt", "no line end after the last record", "\n".join(good).encode("ascii"))
    c.file("ocr", "txt", "blank lines after the end", _ocr_bytes(good) + b"\n\n")
    # record types and structure
    for kind in ("00", "11", "40", "99", "3x"):
        add(f"record type {kind} in place of amount item 1", _put(good, 2, 6, kind), "record type")
    add("format code XY", _put(good, 2, 0, "XY"), "format code")
    add("service code 21 (AvtaleGiro)", _put(good, 2, 2, "21"), "service code")
    add("service code 07", _put(good, 1, 2, "07"), "service code")
    add("transaction type 22", _put(good, 2, 4, "22"), "transaction type")
    add("transaction type 09", _put(good, 2, 4, "09"), "transaction type")
    add("amount item 2's type differs from item 1's", _put(good, 3, 4, "11"), "transaction type")
    add("amount item 2's number differs", _put(good, 3, 8, "0000009"), "transaction number")
    add("amount item 2 missing", good[:3] + good[4:], "record type")
    add("amount item 1 missing", good[:2] + good[3:], "record type")
    add("two amount items 1", good[:3] + good[2:], "record type")
    add("transaction numbers not ascending", _put(good, 4, 8, "0000001"), "transaction number")
    add(
        "amount item 3 after a type 10",
        good[:4] + [good[3][:6] + "32" + good[3][8:15] + " " * 65] + good[4:],
        "record type",
    )
    add("assignment start missing", good[:1] + good[2:], "record type")
    add("assignment end missing", good[:6] + good[7:], "transmission end")
    add("transmission end missing", good[:7], "transmission end")
    add("transmission start missing", good[1:], "file")
    add("a second assignment start inside the first", good[:2] + good[1:], "record type")
    add("a record after the transmission end", [*good, good[2]], "record")
    add("transmission start only", good[:1], "transmission end")
    add("assignment type 01", _put(good, 1, 4, "01"), "assignment type")
    # lengths
    add(
        "a record of 79 characters",
        _put(good, 2, 0, good[2][:79])[:2] + [good[2][:79]] + good[3:],
        "record",
    )
    add("a record of 81 characters", good[:2] + [good[2] + "0"] + good[3:], "record")
    add("an empty line inside", good[:3] + [""] + good[3:], "record")
    add("a line of 100,000 characters", good[:2] + ["NY091030" + "0" * 99992] + good[3:], "record")
    add("truncated in the middle of a record", good[:3] + [good[3][:40]], "record")
    add("tabs for spaces in the KID field", _put(good, 2, 49, "\t" * 15), "KID")
    # amounts and signs
    add("a letter in the amount", _put(good, 2, 40, "A"), "amount")
    add("a space in the amount", _put(good, 2, 40, " "), "amount")
    add("a minus inside the amount", _put(good, 2, 40, "-"), "amount")
    add("amount zero", _put(good, 2, 32, "0" * 17), "amount")
    add("sign +", _put(good, 2, 31, "+"), "sign")
    add("sign 1", _put(good, 2, 31, "1"), "sign")
    add("sign blank", _put(good, 2, 31, " "), "sign")
    add(
        "sign - on a reversal",
        _put(_ocr([Paid("50.00", KID, DAY, reversal=True)]), 2, 31, "-"),
        "sign",
    )
    add("amount of 17 nines (beyond the largest)", _put(good, 2, 32, "9" * 17), "amount")
    add("a fraction ½ in the amount", _put(good, 2, 40, "\u00bd"), "amount")
    add("superscript digit in the amount", _put(good, 2, 40, "\u00b2"), "amount")
    add("letters in the KID", _put(good, 2, 64, "ABCDEFGHIJ"), "KID")
    # totals and counts
    add("assignment total one øre off", _put(good, 6, 24, "00000000000260001"), "total amount")
    add("transmission total one øre off", _put(good, 7, 24, "00000000000260001"), "total amount")
    add(
        "assignment count of transactions wrong",
        _put(good, 6, 8, "00000003"),
        "number of transactions",
    )
    add("transmission count of records wrong", _put(good, 7, 16, "00000009"), "number of records")
    add("a letter in the assignment end's total", _put(good, 6, 30, "X"), "total amount")
    add("a letter in the transmission number", _put(good, 0, 17, "X"), "transmission number")
    add("a letter in the account", _put(good, 1, 26, "X"), "account")
    # dates
    add("nets date 310226 (no 31 February)", _put(good, 2, 15, "310226"), "nets date")
    add("nets date 001326", _put(good, 2, 15, "001326"), "nets date")
    add("nets date 000000", _put(good, 2, 15, "000000"), "nets date")
    add("nets date with a letter", _put(good, 2, 15, "02O326"), "nets date")
    add("bank date 320326", _put(good, 3, 41, "320326"), "bank date")
    add("assignment end's earliest date 999999", _put(good, 6, 47, "999999"), "earliest date")
    add("transmission end's nets date 300226", _put(good, 7, 41, "300226"), "nets date")
    # whole files
    c.file("ocr", "txt", "empty", b"", "file")
    c.file(
        "ocr",
        "txt",
        "binary garbage after the start record",
        good[0].encode() + bytes(c.random.randrange(256) for _ in range(400)),
        "record",
    )
    c.file(
        "ocr", "bin", "binary garbage", bytes(c.random.randrange(256) for _ in range(512)), "file"
    )
    c.file("ocr", "txt", "NUL bytes in a record", _ocr_bytes(_put(good, 2, 60, "\x00\x00")), "KID")
    c.file(
        "ocr",
        "txt",
        "UTF-8 text in a record (å as two bytes)",
        _ocr_bytes(good[:2])
        + good[2][:75].encode()
        + "å".encode()
        + good[2][76:].encode()
        + b"\n"
        + _ocr_bytes(good[3:]),
        "record",
    )
    c.file("ocr", "txt", "a UTF-8 byte-order mark", b"\xef\xbb\xbf" + _ocr_bytes(good), "file")
    c.file("ocr", "txt", "only line ends", b"\n\n\n", "file")


# camt.054 --------------------------------------------------------------------------------

CREATED = datetime.fromisoformat("2026-03-02T06:00:00")


def _camt(
    version: Version = "001.08", payments: list[Paid] | None = None, message: str = "CAMT-1"
) -> bytes:
    paid = payments or [Paid("2500.00", KID, DAY, payer_name="Kari Nordmann")]
    transactions = [
        BankTransaction(
            f"Ntry {n}",
            ACCOUNT,
            Decimal(p.amount),
            datetime.fromisoformat(p.day).date(),
            p.kid,
            "",
            p.payer_name,
            p.payer_account,
            f"ARK{n:06d}",
            reversal=p.reversal,
        )
        for n, p in enumerate(paid, 1)
    ]
    return write_camt054(
        transactions, message_id=message, created=CREATED, version=version, account=ACCOUNT
    )


def camt_cases(c: Corpus) -> None:
    def add(about: str, data: bytes, field: str = "", **more: Any) -> None:
        c.file("camt", "xml", about, data, field, **more)

    for version in ("001.02", "001.08"):
        v: Version = version
        good = _camt(v)

        def sub(old: str, new: str, text: bytes = good) -> bytes:
            assert old.encode() in text, old
            return text.replace(old.encode(), new.encode(), 1)

        def drop(element: str, text: bytes = good) -> bytes:
            start = text.index(f"<{element}".encode())
            end = text.index(f"</{element}>".encode(), start) + len(f"</{element}>")
            return text[:start] + text[end:]

        add(f"{version}: one payment", good)
        add(
            f"{version}: an unknown KID and a reversal",
            _camt(v, [Paid("10.00", "0000000026", DAY), Paid("5.00", KID, DAY, reversal=True)]),
        )
        add(
            f"{version}: a UTF-8 byte-order mark and CRLF",
            b"\xef\xbb\xbf" + good.replace(b"\n", b"\r\n"),
        )
        add(
            f"{version}: amount without decimals",
            sub(">2500.00<", ">2500<").replace(b">2500.00<", b">2500<"),
        )
        add(f"{version}: a payer name with a tab", sub("Kari Nordmann", "Kari\tNordmann"))
        add(f"{version}: a payer name of 140 characters", sub("Kari Nordmann", "K" * 140))
        for bad in (
            "1e3",
            "NaN",
            "Infinity",
            "-2500.00",
            "0.00",
            "2500.001",
            "12345678901234567890.00",
            "2 500,00",
            "\u0661\u0660.00",
            "",
            "+2500.00",
            "0x10",
        ):
            add(f"{version}: Ntry amount {bad!r}", sub(">2500.00<", f">{bad}<"), "Amt")
        add(f"{version}: currency EUR", sub('Ccy="NOK">2500.00', 'Ccy="EUR">2500.00'), "currency")
        add(f"{version}: currency XXX", sub('Ccy="NOK">2500.00', 'Ccy="XXX">2500.00'), "currency")
        add(f"{version}: no currency", sub(' Ccy="NOK">2500.00', ">2500.00"), "currency")
        for bad, fld in (
            ("20260302", "BookgDt"),
            ("2026-02-30", "BookgDt"),
            ("2026-W10-1", "BookgDt"),
            ("", "BookgDt"),
            ("9999-12-31", "date"),
            ("0001-01-01", "date"),
            ("2099-03-02", "date"),
        ):
            add(
                f"{version}: booking date {bad!r}",
                sub("<BookgDt><Dt>2026-03-02", f"<BookgDt><Dt>{bad}"),
                fld,
            )
        add(
            f"{version}: value date 9999-12-31",
            sub("<ValDt><Dt>2026-03-02", "<ValDt><Dt>9999-12-31"),
            "date",
        )
        add(
            f"{version}: creation time not a time",
            sub("<CreDtTm>2026-03-02T06:00:00", "<CreDtTm>yesterday"),
            "CreDtTm",
        )
        add(f"{version}: CdtDbtInd XXXX", sub("<CdtDbtInd>CRDT", "<CdtDbtInd>XXXX"), "CdtDbtInd")
        add(
            f"{version}: a reference with letters and markup is held unmatched",
            sub(f"<Ref>{KID}<", "<Ref>RF&lt;x&gt;<"),
        )
        add(f"{version}: a KID of 40 digits", sub(f"<Ref>{KID}<", f"<Ref>{'1' * 40}<"), "kid")
        add(f"{version}: MsgId missing", drop("MsgId"), "MsgId")
        add(f"{version}: GrpHdr missing", drop("GrpHdr"), "GrpHdr")
        add(f"{version}: Ntfctn missing", drop("Ntfctn"), "Ntfctn")
        add(
            f"{version}: Amt missing",
            sub('<Amt Ccy="NOK">2500.00</Amt><CdtDbtInd>', "<CdtDbtInd>"),
            "Amt",
        )
        add(f"{version}: BookgDt missing", drop("BookgDt"), "BookgDt")
        add(f"{version}: Acct missing", drop("Acct"), "Acct")
        add(
            f"{version}: an account that is not the company's",
            sub(f"<Id>{ACCOUNT}</Id>", "<Id>12345678903</Id>"),
            "account",
        )
        add(
            f"{version}: MsgId of 100 characters",
            sub("<MsgId>CAMT-1<", f"<MsgId>{'M' * 100}<"),
            "MsgId",
        )
        add(
            f"{version}: MsgId with a NUL character reference",
            sub("<MsgId>CAMT-1<", "<MsgId>CAMT&#1;1<"),
            "XML",
        )
        add(f"{version}: truncated", good[: len(good) // 2], "XML")
        add(f"{version}: a closing tag missing", sub("</Ntfctn>", ""), "XML")
        add(
            f"{version}: another namespace (pain.001)",
            sub("camt.054.001.", "pain.001.001."),
            "file",
        )
        # entities: an internal bomb, an external file, an external DTD; refused unread
        laughs = (
            '<?xml version="1.0"?>\n<!DOCTYPE Document [\n<!ENTITY a "aaaaaaaaaa">\n'
            + "".join(
                f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8)
            )
            + "]>\n"
        )
        body = good.split(b"?>", 1)[1]
        add(
            f"{version}: billion laughs in the payer name",
            laughs.encode() + body.replace(b"Kari Nordmann", b"&i;"),
            "XML",
        )
        xxe = '<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        add(
            f"{version}: external entity file:///etc/passwd, never read",
            xxe.encode() + body.replace(b"CAMT-1</MsgId>", b"&x;</MsgId>", 1),
            "MsgId",
            secret="root:",
        )
        dtd = '<?xml version="1.0"?>\n<!DOCTYPE Document SYSTEM "http://127.0.0.1:9/evil.dtd">'
        add(f"{version}: external DTD over the network", dtd.encode() + body, "")
    c.file("camt", "xml", "not XML at all but starts with <", b"<<<<>>>>", "XML")
    c.file(
        "camt",
        "xml",
        "an XML document of another kind",
        b'<?xml version="1.0"?><html><body>root:x:0:0:SECRET-SHADOW</body></html>',
        "file",
        secret="SECRET-SHADOW",
    )
    c.file(
        "camt",
        "xml",
        "UTF-16 encoded",
        _camt().decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"),
        "file",
    )
    c.file(
        "camt",
        "xml",
        "deeply nested elements",
        _camt().replace(
            b"<Nm>Kari Nordmann</Nm>", b"<Nm>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</Nm>"
        ),
        "XML",
    )


# CSV ------------------------------------------------------------------------------------

CUSTOMER_HEADER = "name;kind;orgnr;email;address;postcode;city"
INVOICE_HEADER = (
    "number;customer;issue_date;due_date;description;quantity;unit_price;vat;currency;kid"
)
GOOD_CUSTOMER = "Bakeri AS;business;988077917;post@bakeri.no;Torget 1;0150;Oslo"
GOOD_INVOICE = "7;10000;2026-03-01;2026-03-15;Leie;1;100;25;NOK;"


def csv_cases(c: Corpus) -> None:
    def customers(
        about: str, rows: list[str], field: str = "", header: str = CUSTOMER_HEADER, **more: Any
    ) -> None:
        c.file(
            "customers", "csv", about, ("\n".join([header, *rows]) + "\n").encode(), field, **more
        )

    def invoices(
        about: str, rows: list[str], field: str = "", header: str = INVOICE_HEADER
    ) -> None:
        c.file("invoices", "csv", about, ("\n".join([header, *rows]) + "\n").encode(), field)

    customers(
        "two customers", [GOOD_CUSTOMER, "Per Privat;consumer;;per@example.no;Vei 2;5003;Bergen"]
    )
    c.file(
        "customers",
        "csv",
        "a byte-order mark and CRLF",
        ("\ufeff" + CUSTOMER_HEADER + "\r\n" + GOOD_CUSTOMER + "\r\n").encode(),
    )
    customers(
        "comma separated",
        [GOOD_CUSTOMER.replace(";", ",")],
        header=CUSTOMER_HEADER.replace(";", ","),
    )
    customers("a name of 200 characters", ["N" * 200 + ";consumer;;;;;"])
    customers("a name beginning with = is stored as text", ['=HYPERLINK("http://x");consumer;;;;;'])
    customers("a name of 201 characters", ["N" * 201 + ";consumer;;;;;"], "name")
    customers("a NUL in a name", ["Kari\x00;consumer;;;;;"], "name")
    customers("an escape in a city", ["Kari;consumer;;;;;\x1b[2J"], "city")
    customers("a line break inside a quoted name", ['"Kari\nNordmann";consumer;;;;;'], "name")
    customers("an orgnr with a bad check digit", ["Bakeri AS;business;988077918;;;;"], "orgnr")
    customers("an orgnr of 8 digits", ["Bakeri AS;business;98807791;;;;"], "orgnr")
    customers("a business without orgnr", ["Bakeri AS;business;;;;;"], "orgnr")
    customers("kind 'robot'", ["Bakeri AS;robot;;;;;"], "kind")
    customers("an e-mail without @", ["Kari;consumer;;kari.example.no;;;"], "email")
    customers("a postcode of letters", ["Kari;consumer;;;Vei 1;ABCD;Oslo"], "postcode")
    customers("an address of 201 characters", ["Kari;consumer;;;" + "G" * 201 + ";;"], "address")
    customers(
        "an unknown column",
        [GOOD_CUSTOMER + ";x"],
        "nmae",
        header="nmae;kind;orgnr;email;address;postcode;city;x",
    )
    customers("a header only", [])
    customers("no name column", ["business;988077917"], "name", header="kind;orgnr")
    customers("a row with too many cells", [GOOD_CUSTOMER + ";extra;more"], "line 2")
    customers("a row with too few cells", ["Kari;consumer"], "line 2")
    customers("an empty name", [";consumer;;;;;"], "name")
    customers(
        "a number beyond 64 bits",
        [f"Kari;consumer;;;;;{BIG}"],
        "number",
        header=CUSTOMER_HEADER.replace("city", "number"),
    )
    c.file(
        "customers", "csv", "number 1_000 and 1e3", b"name;number\nKari;1_000\nOla;1e3\n", "number"
    )
    c.file(
        "customers",
        "csv",
        "two rows with one number",
        b"name;number\nKari;20000\nOla;20000\n",
        "number",
    )
    c.file("customers", "csv", "a number already taken", b"name;number\nKari;10000\n", "number")
    c.file(
        "customers",
        "csv",
        "a birth date 1980-02-30",
        b"name;birth_date\nKari;1980-02-30\n",
        "birth_date",
    )
    c.file(
        "customers",
        "csv",
        "a birth date in the future",
        b"name;birth_date\nKari;2090-01-01\n",
        "birth_date",
    )
    c.file("customers", "csv", "country NOR", b"name;country\nKari;NOR\n", "country")
    c.file("customers", "csv", "language xx", b"name;language\nKari;xx\n", "language")
    c.file("customers", "csv", "exempt maybe", b"name;exempt\nKari;maybe\n", "exempt")
    c.file(
        "customers", "csv", "a Peppol id with a bad scheme", b"name;peppol\nKari;99:1\n", "peppol"
    )
    c.file(
        "customers",
        "csv",
        "Latin-1 letters, not UTF-8: read as Windows-1252, as Excel writes it (issue 15)",
        "name;city\nKåre;Tromsø\n".encode("latin-1"),
    )
    c.file(
        "customers",
        "csv",
        "neither UTF-8 nor Windows-1252 (0x81 is no character in either)",
        b"name;city\nK\x81re;Oslo\n",
        "UTF-8",
    )
    c.file(
        "customers", "csv", "UTF-16 with its BOM", "name;city\nKari;Oslo\n".encode("utf-16"), "file"
    )
    c.file("customers", "csv", "a NUL byte in the header", b"na\x00me;city\nKari;Oslo\n", "column")
    c.file(
        "customers",
        "csv",
        "a password file",
        b"root:x:0:0:SECRET-ROOT:/root:/bin/bash\ndaemon:x:1:1::/:/usr/sbin/nologin\n",
        "file",
        secret="SECRET-ROOT",
    )
    c.file(
        "customers",
        "csv",
        "a PDF",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj SECRET-PDF\n",
        "file",
        secret="SECRET-PDF",
    )
    c.file("customers", "csv", "empty", b"", "file")
    c.file(
        "customers",
        "csv",
        "binary garbage",
        bytes(c.random.randrange(256) for _ in range(300)),
        "file",
    )
    c.file("customers", "csv", "an unclosed quote", b'name;city\n"Kari;Oslo\n', "line")
    # invoices
    invoices("one invoice of two lines", [GOOD_INVOICE, "7;;;;Strom;1;50;25;;"])
    invoices("a discount line and a comma decimal", [GOOD_INVOICE, "7;;;;Rabatt;1;-10,50;25;;"])
    invoices(
        "in EUR with a rate",
        ["10000;Kurs;1;100;0;EUR;11.5"],
        header="customer;description;quantity;unit_price;vat;currency;exchange_rate",
    )
    invoices(
        "a line text of 500 characters", ["8;10000;2026-03-01;;" + "L" * 500 + ";1;100;25;NOK;"]
    )
    invoices(
        "a description beginning with @ and +",
        [
            "8;10000;2026-03-01;;@SUM(A1);1;100;25;NOK;",
            "9;10000;2026-03-01;;+47 kurs;1;100;25;NOK;",
        ],
    )
    invoices("a valid KID of its own", ["8;10000;2026-03-01;;Leie;1;100;25;NOK;1234567890128"])
    for cell, value, fld in (
        ("quantity", "1e3", "quantity"), ("quantity", "NaN", "quantity"), ("quantity", "0", "quantity"),
        ("quantity", "1.0000001", "quantity"), ("quantity", "\uff11", "quantity"),
        ("unit_price", "Infinity", "unit_price"), ("unit_price", "1e400", "unit_price"), ("unit_price", "1_000", "unit_price"),
        ("unit_price", "99999999999999999999", "amount"), ("unit_price", "=1+2", "unit_price"),
        ("vat", "24", "vat"), ("vat", "25.5", "vat"), ("vat", "-25", "vat"), ("vat", "x", "vat"), ("vat", "2.5e1", "vat"), ("vat", "\u0662\u0665", "vat"), ("vat", "25%%", "vat"),
        ("currency", "XXX", "currency"), ("currency", "XAU", "currency"), ("currency", "NOKK", "currency"),
        ("issue_date", "20260301", "issue_date"), ("issue_date", "2026-W10-1", "issue_date"), ("issue_date", "1999-12-31", "issue_date"),
        ("issue_date", "2026-02-29", "issue_date"), ("due_date", "9999-12-31", "due_date"), ("due_date", "2026-13-01", "due_date"),
        ("customer", "99999", "customer"), ("customer", "99999999999999999999", "customer"), ("customer", "-1", "customer"),
        ("number", "99999999999999999999", "number"), ("number", "1", "number"), ("number", "abc", "number"),
        ("description", "", "description"), ("description", "L" * 501, "description"), ("description", "Le\x00ie", "description"),
        ("description", "Le\x7fie", "description"), ("kid", "0000000018", "kid"), ("kid", "1234567891", "kid"), ("kid", "12AB", "kid"),
    ):  # fmt: skip
        row = dict(
            zip(
                INVOICE_HEADER.split(";"),
                ["8", "10000", "2026-03-01", "", "Leie", "1", "100", "25", "NOK", ""],
                strict=True,
            )
        )
        row[cell] = value
        invoices(
            f"{cell} {value[:30]!r}",
            [GOOD_INVOICE, ";".join(row.values())],
            fld if fld != "description" else "line",
        )
    invoices(
        "two rows of one file with one KID",
        [
            "8;10000;2026-03-01;;A;1;100;25;NOK;1234567890123",
            "9;10000;2026-03-01;;B;1;100;25;NOK;1234567890123",
        ],
        "kid",
    )
    invoices(
        "one invoice's rows disagree on the customer",
        [GOOD_INVOICE, "7;10001;;;B;1;100;25;;"],
        "customer",
    )
    invoices("numbered and unnumbered rows mixed", [GOOD_INVOICE, ";10000;;;B;1;100;25;;"])
    invoices(
        "an unnumbered row takes the number a later row gives",
        [";10000;;;A;1;100;25;;", "2;10000;;;B;1;100;25;;"],
        "number",
    )
    invoices(
        "a misspelt column",
        ["8;10000;;;Leie;1;100;25;NOK;"],
        "descripton",
        header=INVOICE_HEADER.replace("description", "descripton"),
    )
    invoices(
        "due date before issue date", ["8;10000;2026-03-01;2026-02-01;Leie;1;100;25;NOK;"], "due"
    )
    invoices(
        "a total beyond the largest amount",
        ["8;10000;2026-03-01;;Leie;999999999;99999999999;25;NOK;"],
        "amount",
    )
    # refused in the second batch of 5,000, after the first is written: nothing stays
    big = ["number;customer;description;quantity;unit_price;vat;kid"]
    big += [f"{n};10000;A;1;1;0;{'0000099994' if n == 5101 else ''}" for n in range(100, 5102)]
    c.file("invoices", "csv", "5,002 invoices, the last with the KID made for invoice 9999", ("\n".join(big) + "\n").encode(), "kid")  # fmt: skip
    c.file(
        "invoices",
        "csv",
        "a header and NUL bytes only",
        (INVOICE_HEADER + "\n").encode() + b"\x00" * 64,
        "line",
    )
    c.file(
        "invoices",
        "csv",
        "a shadow file",
        b"root:$6$SECRET-HASH$abc:19000:0:99999:7:::\n",
        "file",
        secret="SECRET-HASH",
    )


# command-line arguments ---------------------------------------------------------------------

LINE = "Konsulent;1;1000;25"
CREATE = ["invoice", "create", "--customer", "10000"]
PAY = ["payments", "register", "--invoice", "1"]
ADD = ["customer", "add", "--consumer", "--name", "Kari"]
SET = ["collection", "agreement", "set"]


def cli_cases(c: Corpus) -> None:
    def add(about: str, args: list[str], field: str = "", **more: Any) -> None:
        c.add("cli", about, args, field, **more)

    add("an invoice", [*CREATE, "--line", LINE])
    add("an invoice with due date and terms 0", [*CREATE, "--line", LINE, "--terms", "0"])
    add(
        "an invoice in EUR",
        [*CREATE, "--line", LINE, "--currency", "eur", "--exchange-rate", "11,50"],
    )
    add("an invoice with a valid KID", [*CREATE, "--line", LINE, "--kid", "1234567890128"])
    add("a payment of 1 234,50", [*PAY, "--amount", "1 234,50"])
    add(
        "a customer with a 200-character name",
        ["customer", "add", "--consumer", "--name", "N" * 200],
    )
    add(
        "a customer named in Sámi and Greek",
        ["customer", "add", "--consumer", "--name", "Máhtte Ŋáđđi Ωμέγα"],
    )
    add("a setting within bounds", [*SET, "notice_days=30"])
    add("an empty due date is no due date", [*CREATE, "--line", LINE, "--due", ""])
    add("vouchers since 2000-01-01", ["ledger", "vouchers", "--since", "2000-01-01"])
    add("business date 2100-12-31", ["invoice", "list"], date="2100-12-31")
    for value in (
        "1e3",
        "1_000",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "1e400",
        "\u0661\u0660\u0660",
        "\uff11\uff10\uff10",
        "12345678901234567890",
        "0x10",
        "1.001",
        "-100",
        "0",
        "",
        " ",
        "1,000.50",
        "٣",
        "1/2",
        "100 NOK",
    ):
        add(f"payment amount {value!r}", [*PAY, "--amount", value], "amount")
    for value in ("1e3", "NaN", "1_0", "\u0662", "0", "1000000000", "1.0000001"):
        add(f"line quantity {value!r}", [*CREATE, "--line", f"x;{value};100;25"], "quantity")
    for value, fld in (
        ("Infinity", "unit_price"),
        ("1e400", "unit_price"),
        ("1_000", "unit_price"),
        ("100000000000", "amount"),
    ):
        add(f"line unit price {value!r}", [*CREATE, "--line", f"x;1;{value};25"], fld)
    for value in ("24", "25%%", "2.5e1", "\u0662\u0665", "x", ""):
        add(f"line VAT {value!r}", [*CREATE, "--line", f"x;1;100;{value}"], "vat")
    add("a line of three fields", [*CREATE, "--line", "x;1;100"], "line")
    add("a line of five fields", [*CREATE, "--line", "x;1;100;25;9"], "line")
    for value in (
        "20260320",
        "2026-W12-1",
        "2026-061",
        "9999-12-31",
        "0001-01-01",
        "1999-12-31",
        "2101-01-01",
        "2026-02-29",
        "2026-03-20T10:00",
        "２０２６-03-20",
        "-2026-03-20",
    ):
        add(f"due date {value!r}", [*CREATE, "--line", LINE, "--due", value], "due")
    for value in (
        "20260302",
        "2026-W10-1",
        "9999-12-31",
        "0001-01-01",
        "1999-12-31",
        "2101-01-01",
        "2026-13-01",
        "yesterday",
    ):
        add(f"business date {value!r}", [*CREATE, "--line", LINE], "date", date=value)
    for value in ("9999-12-31", "20260310", "2101-01-01"):
        add(f"run to {value!r}", ["run", "--dry-run", "--to", value], "to")
    add("payment date 1999-12-31", [*PAY, "--amount", "100", "--date", "1999-12-31"], "date")
    add(
        "recurring start year 1",
        [
            "recurring",
            "add",
            "--customer",
            "10000",
            "--text",
            "Leie",
            "--line",
            LINE,
            "--interval",
            "monthly",
            "--start",
            "0001-01-01",
        ],
        "start",
    )
    add("vouchers since 2026-061", ["ledger", "vouchers", "--since", "2026-061"], "since")
    add(
        "interest to a week date",
        ["law", "interest", "--principal", "100", "--due", "2026-01-01", "--to", "2026-W10-1"],
        "to",
    )
    add(
        "interest principal 1e3",
        ["law", "interest", "--principal", "1e3", "--due", "2026-01-01", "--to", "2026-03-01"],
        "principal",
    )
    for value in ("XXX", "XTS", "XAU", "NOKK", "no", "€", "E\x00R"):
        add(
            f"currency {value!r}",
            [*CREATE, "--line", LINE, "--currency", value, "--exchange-rate", "10"],
            "currency",
        )
    for value in ("1e3", "0", "-1", "NaN", "1000000"):
        add(
            f"exchange rate {value!r}",
            [*CREATE, "--line", LINE, "--currency", "EUR", "--exchange-rate", value],
            "exchange_rate",
        )
    for args, fld in (
        (["invoice", "show", BIG], "number"), (["invoice", "show", "9223372036854775808"], "number"),
        (["invoice", "show", "-1"], "-1"), (["invoice", "show", "1_0"], "number"), (["invoice", "show", "\u0661"], "number"),
        (["invoice", "create", "--customer", BIG, "--line", LINE], "customer"),
        (["payments", "register", "--amount", "100", "--invoice", "9223372036854775808"], "invoice"),
        (["collection", "case", BIG], "number"), (["ledger", "reverse", BIG], "number"), (["ledger", "reverse", "1e3"], "number"),
        ([*ADD, "--number", BIG], "number"), ([*ADD, "--number", "1_000"], "number"),
        ([*CREATE, "--line", LINE, "--terms", BIG], "terms"), ([*CREATE, "--line", LINE, "--terms", "3651"], "terms"),
        ([*CREATE, "--line", LINE, "--terms", "-1"], "terms"),
        (["ledger", "vouchers", "--limit", BIG], "limit"), (["invoice", "credit", BIG], "number"),
        (["company", "add", "--orgnr", OTHER_ORGNR, "--name", "B", "--account", ACCOUNT, "--first-invoice-number", BIG], "first-invoice-number"),
        (["company", "add", "--orgnr", OTHER_ORGNR, "--name", "B", "--account", ACCOUNT, "--kid-length", "99"], "kid_length"),
    ):  # fmt: skip
        add(f"{' '.join(args[:2])}: {fld} out of range", args, fld)
    for args, fld in (
        (["customer", "add", "--consumer", "--name", "Kari\x00Nordmann"], "name"),
        (["customer", "add", "--consumer", "--name", "K" * 201], "name"),
        (["customer", "add", "--consumer", "--name", ""], "name"),
        (["customer", "add", "--consumer", "--name", "Kari\u202eNordmann\ud800"], "name"),
        ([*ADD, "--address", "\x1b[31mGate 1"], "address"), ([*ADD, "--city", "C" * 101], "city"),
        ([*ADD, "--postcode", "12345678901"], "postcode"), ([*ADD, "--phone", "9" * 31], "phone"),
        ([*ADD, "--email", "a" * 200 + "@example.no"], "email"), ([*ADD, "--email", "kari@@example.no"], "email"),
        ([*ADD, "--peppol", "9915:" + "x" * 51], "peppol"), ([*ADD, "--peppol", "0192:123456789"], "peppol"),
        ([*ADD, "--birth-date", "1980-02-30"], "birth"), ([*ADD, "--country", "Norway"], "country"),
        (["customer", "change", "10000", "--name", "N" * 201], "name"), (["customer", "change", "10000", "--email", "x\n@y.no"], "email"),
        ([*CREATE, "--line", "Kons\x00ulent;1;1000;25"], "line"), ([*CREATE, "--line", "L" * 501 + ";1;1000;25"], "line"),
        (["recurring", "add", "--customer", "10000", "--text", "T" * 201, "--line", LINE, "--interval", "monthly", "--start", "2026-04-01"], "text"),
        (["invoice", "write-off", "1", "--reason", "R" * 201], "reason"),
        (["collection", "message", "1", "Hei\x07"], "text"),
        (["company", "add", "--orgnr", OTHER_ORGNR, "--name", "B\x00", "--account", ACCOUNT], "name"),
        (["collector", "add", "--orgnr", OTHER_ORGNR, "--name", "C" * 201, "--account", ACCOUNT], "name"),
        (["peppol", "lookup", "9915:te\x01st"], "participant"),
    ):  # fmt: skip
        add(f"{' '.join(args[:2])}: {fld} text", args, fld)
    for args, fld in (
        (["customer", "add", "--name", "Bakeri AS", "--orgnr", "988077918"], "orgnr"),
        (["customer", "add", "--name", "Bakeri AS", "--orgnr", "98807791"], "orgnr"),
        (["customer", "add", "--name", "Bakeri AS", "--orgnr", "98807791X"], "orgnr"),
        (["company", "add", "--orgnr", "988077918", "--name", "B", "--account", ACCOUNT], "orgnr"),
        (["company", "add", "--orgnr", OTHER_ORGNR, "--name", "B", "--account", "86011117948"], "account"),
        (["company", "add", "--orgnr", OTHER_ORGNR, "--name", "B", "--account", "8601111794"], "account"),
        ([*CREATE, "--line", LINE, "--kid", "1234567891"], "kid"), ([*CREATE, "--line", LINE, "--kid", "12AB"], "kid"),
        ([*CREATE, "--line", LINE, "--kid", KID], "kid"), ([*CREATE, "--line", LINE, "--kid", "1" * 30], "kid"),
        ([*PAY[:2], "--amount", "100", "--kid", "1234567891"], "kid"),
        ([*SET, "client_account=15032080118"], "client_account"),
    ):  # fmt: skip
        add(f"{' '.join(args[:2])}: bad {fld} check digit", args, fld)
    for setting, fld in (
        ("fee_account=1500", "fee_account"), ("interest_account=1920", "interest_account"), ("fee_account=9999", "fee_account"),
        ("notice_days=100000000", "notice_days"), ("notice_days=-1", "notice_days"), ("reminder_days=1e3", "reminder_days"),
        ("minimum_amount=NaN", "minimum_amount"), ("minimum_amount=-5", "minimum_amount"), ("running_days=" + BIG, "running_days"),
        ("consolidated=maybe", "consolidated"), ("pay_to=nobody", "pay_to"), ("no_such_setting=1", "no_such_setting"),
        ("notice_days", "notice_days"), ("collector_name=" + "C" * 201, "collector_name"), ("collector_name=C\x00", "collector_name"),
    ):  # fmt: skip
        add(f"setting {setting[:40]!r}", [*SET, setting], fld)
    add("customer import of a folder", ["customer", "import", "tests"], "file")
    # --outbox must be a folder: a file is refused before the invoice is booked
    for args in (
        [*CREATE, "--line", LINE, "--send", "--outbox"],
        ["run", "--to", "2026-03-20", "--outbox"],
        ["deliveries", "send", "--outbox"],
        ["invoice", "send", "1", "--outbox"],
    ):
        number = sum(1 for case in c.cases if case.id.startswith("cli-")) + 1
        about = f"{' '.join(args[:2])}: an outbox that is a file"
        add(about, [*args, "{file}"], "outbox", file=f"cli/cli-{number:03d}.txt", data=b"a file\n")
    # number series that end at the largest 64-bit integer: the next number is refused
    other = ["--company", OTHER_ORGNR]
    at_the_end = ["company", "add", "--orgnr", OTHER_ORGNR, "--name", "B", "--account", ACCOUNT, "--kid-length", "24", "--first-invoice-number", MAX, "--first-customer-number", MAX]  # fmt: skip
    kari = [*other, "customer", "add", "--consumer", "--name", "Kari", "--number", "10000"]
    add("the customer series is used up", [*other, "customer", "add", "--consumer", "--name", "Ola"], "number", setup=[at_the_end])  # fmt: skip
    add("a customer numbered below a used-up series", kari, setup=[at_the_end])
    add("the invoice series is used up", [*other, *CREATE, "--line", LINE], "number", setup=[at_the_end, kari])  # fmt: skip
    add("the customer series is used up by an import", [*other, "customer", "import", "{file}"], "number", setup=[at_the_end], file="cli/cli-customers.csv", data=b"name\nOla\n")  # fmt: skip
    add("an invoice numbered 2^63 - 1 by an import", [*other, "invoice", "import", "{file}"], setup=[at_the_end, kari], file="cli/cli-invoice-max.csv", data=f"number;customer;description;quantity;unit_price;vat\n{MAX};10000;A;1;100;25\n".encode())  # fmt: skip
    # flows: what is refused the second time, and the longest texts the rules allow
    add(
        "a write-off with a reason of 200 characters",
        ["invoice", "write-off", "1", "--amount", "100", "--reason", "R" * 200],
    )
    add(
        "a write-off of more than is open",
        ["invoice", "write-off", "1", "--amount", "2500.01"],
        "amount",
    )
    add("a second write-off of everything", ["invoice", "write-off", "1"], "invoice", setup=[["invoice", "write-off", "1"]], code=1)  # fmt: skip
    add("a voucher reversed", ["ledger", "reverse", "1"])
    add("a voucher reversed twice", ["ledger", "reverse", "1"], "voucher", setup=[["ledger", "reverse", "1"]], code=1)  # fmt: skip
    add("a credit note beyond the invoice", ["invoice", "credit", "1", "--line", "x;1;3000;25"], "credit")  # fmt: skip
    add("a credit note with a NUL", ["invoice", "credit", "1", "--line", "x\x00;1;30;25"], "line")
    add("a case message of 500 characters", ["--date", "2026-03-06", "collection", "message", "1", "M" * 500])  # fmt: skip
    add("a case message of 501 characters", ["--date", "2026-03-06", "collection", "message", "1", "M" * 501], "text")  # fmt: skip
    add("a pause with a reason of 500 characters", ["--date", "2026-03-06", "collection", "pause", "1", "--reason", "P" * 500])  # fmt: skip
    add("an objection with an escape", ["--date", "2026-03-06", "collection", "object", "1", "--reason", "\x1b]0;x\x07"], "reason")  # fmt: skip
    add("limitation interrupted on 9999-12-31", ["--date", "2026-03-06", "collection", "limitation-interrupted", "1", "9999-12-31"], "date")  # fmt: skip
    add("a case that does not exist", ["collection", "pause", "2"], "case")
    add("an outbox inside a file", [*CREATE, "--line", LINE, "--send", "--outbox", "{file}/letters"], "outbox", file="cli/cli-outbox-file.txt", data=b"a file\n")  # fmt: skip
    # more commands: recurring agreements, collectors, payments, the law
    rec = ["recurring", "add", "--customer", "10000", "--text", "Leie", "--line", LINE, "--start", "2026-04-01"]  # fmt: skip
    add("a monthly agreement", [*rec, "--interval", "monthly"])
    for options, field in (
        (["--interval", "0m"], "interval"), (["--interval", "1000m"], "interval"), (["--interval", "-1m"], "interval"),
        (["--interval", "monthly\x00"], "interval"), (["--interval", "\u0661m"], "interval"), (["--interval", "weekly"], "interval"),
        (["--interval", "monthly", "--issue-day", "0"], "issue_day"), (["--interval", "monthly", "--issue-day", "32"], "issue_day"),
        (["--interval", "monthly", "--issue-day", BIG], "issue-day"), (["--interval", "monthly", "--advance", BIG], "advance"),
        (["--interval", "monthly", "--advance", "1000"], "advance"), (["--interval", "monthly", "--end", "2026-03-01"], "end"),
        (["--interval", "monthly", "--end", "9999-12-31"], "end"), (["--interval", "monthly", "--terms", "3651"], "terms"),
    ):  # fmt: skip
        add(f"recurring add {' '.join(options)[:40]!r}", [*rec, *options], field)
    col = ["collector", "add", "--orgnr", OTHER_ORGNR, "--name", "Inkasso AS", "--account", "15032080119"]  # fmt: skip
    add("a collector", col)
    for options, field in (
        (["--orgnr", "988077918"], "orgnr"), (["--account", "15032080118"], "account"), (["--licence", "L" * 101], "licence"),
        (["--email", "x@"], "email"), (["--postcode", "\x00"], "postcode"), (["--phone", "+47\n"], "phone"),
    ):  # fmt: skip
        add(f"collector add {options[0]} {options[1][:20]!r}", [*col, *options], field)
    for args, field in (
        (["payments", "refund", BIG], "number"), (["payments", "refund", "0"], "number"), (["payments", "refund", "1"], "payment"),
        (["payments", "keep", "1", "--customer", BIG], "customer"), (["payments", "show", "1e3"], "number"),
        (["payments", "list", "--limit", "-1"], "limit"), (["settlement", "show", BIG], "number"),
        (["law", "interest", "--principal", "NaN", "--due", "2026-01-01", "--to", "2026-03-01"], "principal"),
        (["law", "interest", "--principal", "100", "--due", "2026-03-01", "--to", "2026-01-01"], "to"),
        (["law", "fees", "--principal", "1e3", "--due", "2026-01-01", "--sent", "2026-03-01"], "principal"),
        (["law", "fees", "--principal", "1000", "--due", "2026-01-01", "--sent", "2026-03-01", "--previous-fees", BIG], "previous-fees"),
        (["law", "fees", "--principal", "1000", "--due", "2026-01-01", "--sent", "2026-03-01", "--fees-charged", "Infinity"], "fees_charged"),
        (["law", "fees", "--principal", "1000", "--due", "0001-01-01", "--sent", "2026-03-01"], "due"),
        (["law", "--rates", "/nonexistent/rates.toml", "rates"], "rates"),
        (["--company", "1e3", "invoice", "list"], "company"), (["--company", "92360901\x00", "invoice", "list"], "company"),
        (["collection", "legal", "1", "-o", "tests"], "output"),
    ):  # fmt: skip
        add(f"{' '.join(args[:2])}: {field}", args, field)
    add(
        "an outbox with a NUL",
        [*CREATE, "--line", LINE, "--send", "--outbox", "out\x00box"],
        "outbox",
    )


# law rates files (TOML) -------------------------------------------------------------------

RATE = 'half_year = "2026 H2"\nvalue = {value}\nsource = "{source}"\n'


def rates_cases(c: Corpus) -> None:
    def add(about: str, text: str | bytes, field: str = "", **more: Any) -> None:
        data = text if isinstance(text, bytes) else text.encode()
        c.file("rates", "toml", about, data, field, **more)

    def rate(value: str, source: str = "Finansdepartementet") -> str:
        return "[[forsinkelsesrente]]\n" + RATE.format(value=value, source=source)

    add("a late-interest rate for 2026 H2", rate("12.00"))
    add("a rate as a string", rate('"12.25"'))
    for value, field in (("150", "value"), ("-1", "value"), ('"1e3"', "value"), ('"NaN"', "value"), ("nan", "value"), ("inf", "value"), ('"\u0661\u0662"', "value"), ("1e400", "value"), ('"twelve"', "value"), ("12.123456789", "")):  # fmt: skip
        add(f"late-interest rate {value}", rate(value), field)
    add("no source", '[[forsinkelsesrente]]\nhalf_year = "2026 H2"\nvalue = 12\n', "source")
    add("a source with a NUL", rate("12", "Fin\\u0000ans"), "source")
    add("a source of 5,000 characters", rate("12", "S" * 5000), "source")
    add(
        "a fraction in Arabic-Indic digits",
        '[[reminder_fee_fraction]]\nvalid_from = 2026-01-01\nvalue = "\u0661/\u0662\u0660"\nsource = "x"\n',
        "value",
    )
    add("a note with an escape", rate("12") + 'note = "\\u001b[2J"\n', "note")
    add("half year 2026 H3", rate("12").replace("2026 H2", "2026 H3"), "half_year")
    add("half year 9999 H2", rate("12").replace("2026 H2", "9999 H2"), "half_year")
    add(
        "valid_from 9999-12-31",
        '[[inkassosats]]\nvalid_from = 9999-12-31\nvalue = 750\nsource = "x"\n',
        "valid_from",
    )
    add(
        "valid_from a string",
        '[[inkassosats]]\nvalid_from = "20260101"\nvalue = 750\nsource = "x"\n',
        "valid_from",
    )
    add("an unknown table", '[[rente]]\nvalue = 1\nsource = "x"\n', "rente")
    add("an unknown key", rate("12") + "colour = 1\n", "colour")
    add("a table that is not an array", "[forsinkelsesrente]\nvalue = 1\n", "forsinkelsesrente")
    add("not TOML", "[[forsinkelsesrente\nvalue = = 1\n", "rates")
    add(
        "a password file",
        b"root:x:0:0:SECRET-RATES:/root:/bin/bash\n",
        "rates",
        secret="SECRET-RATES",
    )
    add("binary garbage", bytes(c.random.randrange(256) for _ in range(200)), "rates")
    add("a salaer scale with a NaN band", '[[salaer_scale]]\nvalid_from = 2026-01-01\nsource = "x"\nbands = [{up_to = "nan", light = 1, heavy = 2}, {light = 3, heavy = 4}]\n', "bands")  # fmt: skip


FAMILIES: tuple[Callable[[Corpus], None], ...] = (
    ocr_cases,
    camt_cases,
    csv_cases,
    rates_cases,
    cli_cases,
)


def build() -> dict[str, bytes]:
    """Every file of the corpus by its path under CORPUS, the manifest included."""
    corpus = Corpus()
    for family in FAMILIES:
        family(corpus)
    files = {case.file: case.data for case in corpus.cases if case.file}
    manifest = [
        {k: v for k, v in vars(case).items() if k != "data" and (v or k in ("args", "field"))}
        for case in corpus.cases
    ]
    files[MANIFEST] = (json.dumps(manifest, indent=1, ensure_ascii=True) + "\n").encode()
    return files


def main() -> None:
    files = build()
    for old in CORPUS.rglob("*"):
        if old.is_file() and old.relative_to(CORPUS).as_posix() not in files:
            old.unlink()
    for name, data in files.items():
        path = CORPUS / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"{len(json.loads(files[MANIFEST]))} cases in {CORPUS}")


if __name__ == "__main__":
    main()
