"""Nets OCR giro files (DOMAIN § 9): a streaming reader of the fixed 80-character records
into a `BankFile` that checks the structure and the end records' counts and totals.
netsgiro reads the same files (the tests use it as the oracle) but too slowly for big ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from fordring.domain.bank_files import BankFile, BankFormat, BankTransaction
from fordring.domain.errors import InvalidInput
from fordring.domain.input_rules import check_amount, is_plain_text, text_problems
from fordring.domain.money import MAX_AMOUNT

TRANSMISSION_START = "NY000010"  # format code, service code 00, transmission type, record 10
RECORD_LENGTH = 80
TRANSACTION_TYPES = frozenset(str(code) for code in range(10, 22))
REVERSALS = frozenset({"18", "20"})  # reversal with KID, reversal with text
# Amount item 1's sign (position 32): "0", or "-" for a credit note with KID that the payer
# deducted (the OCR giro system manual, field 11). The amount (field 12) is unsigned and
# the end records add it unsigned, as they add reversals.
CREDIT_NOTE = "-"
NO_ACCOUNT = "00000000000"
MAX_ORE = int(MAX_AMOUNT * 100)  # the input rules' largest amount, in øre
TEXT_LENGTH = 40  # an amount item 3's free text, positions 16-55
ITEM_STARTS = frozenset(f"NY09{code}" for code in TRANSACTION_TYPES)
TEXT_STARTS = frozenset({"NY0920", "NY0921"})  # the types with an amount item 3 (free text)
# The fields of amount items 1 and 2 in one call each: start (format code, service code,
# transaction type), transaction number, then those named in the loop.
ITEM_1 = itemgetter(
    slice(6), slice(8, 15), slice(15, 21), slice(8, 31), 31, slice(32, 49), slice(49, 74)
)
ITEM_2 = itemgetter(
    slice(6), slice(8, 15), slice(8, 25), slice(41, 58), slice(25, 34), slice(47, 58)
)
FIXED_STARTS = {"10": "NY000010", "20": "NY090020", "88": "NY090088", "89": "NY000089"}
RECORD_NAMES = {
    "10": "transmission start",
    "20": "assignment start",
    "30": "amount item 1",
    "31": "amount item 2",
    "32": "amount item 3",
    "88": "assignment end",
    "89": "transmission end",
}


def _manual_positions(fields: str) -> tuple[tuple[str, int, int], ...]:
    """`"amount 33-49, ..."` → `(("amount", 32, 49), ...)`: the manual's positions as slices."""
    result = []
    for field in fields.split(", "):
        name, _, positions = field.rpartition(" ")
        first, _, last = positions.partition("-")
        result.append((name, int(first) - 1, int(last)))
    return tuple(result)


# The numeric fields of each record, at the positions the Nets manual gives (from 1), so
# that a message names the bad one; the loop checks the same ranges in one or two calls.
NUMERIC_FIELDS = {
    kind: _manual_positions(fields)
    for kind, fields in {
        "10": "data sender 9-16, transmission number 17-23, data recipient 24-31",
        "20": "agreement id 9-17, assignment number 18-24, account 25-35",
        "30": "transaction number 9-15, nets date 16-21, centre id 22-23, day code 24-25, "
        "partial settlement number 26-26, partial settlement serial number 27-31, amount 33-49",
        "31": "transaction number 9-15, form number 16-25, bank date 42-47, debit account 48-58",
        "32": "transaction number 9-15",
        "88": "number of transactions 9-16, number of records 17-24, total amount 25-41, "
        "nets date 42-47, earliest date 48-53, latest date 54-59",
        "89": "number of transactions 9-16, number of records 17-24, total amount 25-41, "
        "nets date 42-47",
    }.items()
}


def read_ocr(path: Path) -> BankFile:
    """Read an OCR giro file; InvalidInput names the line and field of the first fault."""
    # newline="\n" splits on LF only: a CR before it is stripped per record, and a stray CR
    # or NEL (0x85 in ISO-8859-1) in free text cannot cut a record in two.
    with path.open(encoding="iso-8859-1", newline="\n") as lines:
        return parse_ocr(lines)


def transmission_id(first_record: str) -> str:
    """The file id, `data sender-transmission number`, from the transmission start record."""
    record = first_record.rstrip("\r\n")
    if not record.startswith(TRANSMISSION_START):
        raise _refuse("record type", "an OCR giro file starts with NY000010 (record 10)", 1)
    if len(record) != RECORD_LENGTH:
        raise _refuse("record", f"has {len(record)} characters; a record has 80", 1)
    _check_fixed(record, "10", 1)
    return f"{record[8:16]}-{record[16:23]}"


def parse_ocr(lines: Iterable[str]) -> BankFile:
    """Parse the records (lines with or without their line ends) of one transmission."""
    numbered = enumerate(lines, 1)
    first = next(numbered, None)
    if first is None:
        raise InvalidInput.one("file", "is empty")
    file_id = transmission_id(first[1])
    transactions: list[BankTransaction] = []
    append = transactions.append
    dates: dict[str, date] = {}
    account = ""  # the open assignment's account; "" between assignments
    assignment_line = assignment_first = assignment_total = total = 0  # totals in øre
    pending = ""  # the start ("NY09" + type) of an amount item 1 waiting for its item 2
    held = ""  # the same, of a whole transaction that waits for a possible item 3
    item1_line = amount = 0  # the fields of that transaction ...
    kid, booked, payer, archive_ref = "", date.min, "", ""
    negative = False  # its sign is "-": a credit note, money out
    number = ""  # ... and its number; transaction numbers ascend within an assignment
    created: date | None = None
    line = 1
    # Speed: the hot branches test a record in one condition and leave it to _refused_* to
    # find out what is wrong; a transaction is built at the record after its item 2, once,
    # with the free text if that record is its item 3.
    for line, raw in numbered:
        record = raw.rstrip("\r\n")
        if len(record) != RECORD_LENGTH:
            raise _refuse("record", f"has {len(record)} characters; a record has 80", line)
        kind = record[6:8]
        if held:  # the transaction is whole: with the free text of an item 3, if this is one
            text = ""
            if kind == "32":
                if held not in TEXT_STARTS or record[:6] != held or record[8:15] != number:
                    reason = "amount item 3 not after the amount item 2 of a type 20 or 21"
                    raise _refuse("record type", reason, line)
                text = record[15:55].strip()
                if text and not is_plain_text(text, TEXT_LENGTH):
                    raise InvalidInput(
                        text_problems(text, "amount item 3: text", 40, f"line {line}")
                    )
            transaction_type = held[4:]
            append(  # positional: keywords make this call twice as slow
                BankTransaction(
                    f"line {item1_line}",  # where
                    account,
                    Decimal(amount).scaleb(-2),
                    booked,
                    kid or None,
                    text,
                    "",  # payer name: OCR has none
                    "" if payer == NO_ACCOUNT else payer,
                    archive_ref,
                    transaction_type,
                    None,  # value date: OCR has none
                    negative or transaction_type in REVERSALS,
                    negative,
                )
            )
            held = ""
            if kind == "32":
                continue
        if kind == "30":
            start, number_1, nets, digits, sign, amount_text, kid_field = ITEM_1(record)
            if (
                pending
                or not account
                or start not in ITEM_STARTS
                or not (digits.isdecimal() and amount_text.isdecimal())
                or sign not in "-0"
                or number_1 <= number
            ):
                raise _refused_item1(record, line, item1_line if pending else 0, account, number)
            amount = int(amount_text)
            kid = kid_field.lstrip(" ")  # right-aligned
            negative = sign == CREDIT_NOTE
            if negative and start[4:] in REVERSALS:
                reason = "'-' (a credit note) on a reversal (type 18 or 20) says money out twice"
                raise _refuse("amount item 1: sign", reason, line)
            if not amount or amount >= MAX_ORE or (kid and not kid.isdecimal()):
                raise _refused_item1(record, line, 0, account, number)
            booked = dates.get(nets) or _date(nets, dates, "amount item 1: nets date", line)
            pending, item1_line, number = start, line, number_1
        elif kind == "31":
            start, number_2, digits, digits_2, reference, payer = ITEM_2(record)
            if (
                start != pending
                or number_2 != number
                or not (digits.isdecimal() and digits_2.isdecimal())
            ):
                raise _refused_item2(record, line, pending, item1_line, number)
            archive_ref = reference if reference.isdecimal() else _blank(reference, line)
            bank_date = record[41:47]  # not booked, but a file with a 32nd is malformed
            if bank_date not in dates and bank_date != "000000":
                _date(bank_date, dates, "amount item 2: bank date", line)
            assignment_total += amount
            held, pending = start, ""
        elif kind == "32":
            raise _refuse("record type", "amount item 3 not after its amount item 2", line)
        elif kind == "20":
            if account:
                raise _refuse(
                    "record type",
                    f"assignment start inside the assignment of line {assignment_line}, "
                    "which has no assignment end (88)",
                    line,
                )
            _check_fixed(record, kind, line)
            account, assignment_line, number = record[24:35], line, ""
            assignment_first, assignment_total = len(transactions), 0
        elif kind == "88":
            if not account:
                raise _refuse("record type", "assignment end without an assignment start", line)
            if pending:
                raise _missing_item2(item1_line, line)
            _check_fixed(record, kind, line)
            count = len(transactions) - assignment_first
            _check_end(record, kind, count, line - assignment_line + 1, assignment_total, line)
            for at, name in ((41, "nets date"), (47, "earliest date"), (53, "latest date")):
                _date_or_none(record[at : at + 6], dates, f"assignment end: {name}", line)
            total += assignment_total
            account = ""
        elif kind == "89":
            if account:
                raise _refuse(
                    "record type",
                    f"transmission end before the assignment end (88) of line {assignment_line}",
                    line,
                )
            _check_fixed(record, kind, line)
            _check_end(record, kind, len(transactions), line, total, line)
            created = _date_or_none(record[41:47], dates, "transmission end: nets date", line)
            break
        else:
            name = RECORD_NAMES.get(kind, "unknown")
            raise _refuse("record type", f"{kind!r} ({name}) is not expected here", line)
    else:
        raise _refuse("transmission end", "the file ends without one (record 89)", line + 1)
    for line, raw in numbered:  # the rest, after the transmission end
        if raw.strip():
            raise _refuse("record", "follows the transmission end (record 89)", line)
    return BankFile(BankFormat.OCR, file_id, created, tuple(transactions))


def _refused_item1(
    record: str, line: int, pending_line: int, account: str, number: str
) -> InvalidInput:
    """What is wrong with an amount item 1 (record 30) that the fast check refused."""
    if pending_line:
        return _missing_item2(pending_line, line)
    if not account:
        return _refuse("record type", "amount item 1 outside an assignment", line)
    if record[:4] != "NY09" or record[4:6] not in TRANSACTION_TYPES:
        return _bad_prefix(record, "30", line)
    if not (record[8:31].isdecimal() and record[32:49].isdecimal()):
        return _bad_digits(record, "30", line)
    if record[31] not in "-0":
        return _refuse("amount item 1: sign", f"{record[31]!r} is not - or 0", line)
    if record[8:15] <= number:
        reason = f"{record[8:15]} does not follow {number} (numbers ascend)"
        return _refuse("amount item 1: transaction number", reason, line)
    if not int(record[32:49]):
        return _refuse("amount item 1: amount", "is zero", line)
    try:
        check_amount(
            Decimal(int(record[32:49])).scaleb(-2), "amount item 1: amount", f"line {line}"
        )
    except InvalidInput as error:
        return error
    return _refuse("amount item 1: KID", f"{record[49:74].strip()!r} is not digits", line)


def _refused_item2(
    record: str, line: int, pending: str, item1_line: int, number: str
) -> InvalidInput:
    """What is wrong with an amount item 2 (record 31) that the fast check refused."""
    if not pending:
        return _refuse("record type", "amount item 2 without an amount item 1 before it", line)
    if record[:4] != "NY09":
        return _bad_prefix(record, "31", line)
    if record[:6] != pending:
        field, value, expected = "transaction type", record[4:6], pending[4:]
    elif record[8:15] != number:
        field, value, expected = "transaction number", record[8:15], number
    else:
        return _bad_digits(record, "31", line)
    reason = f"{value!r} differs from {expected!r} of its amount item 1 (line {item1_line})"
    return _refuse(f"amount item 2: {field}", reason, line)


def _bad_text(text: str, line: int) -> InvalidInput:
    """An amount item 3 whose free text has a control character (ISO-8859-1 has them)."""
    return InvalidInput(text_problems(text, "amount item 3: text", TEXT_LENGTH, f"line {line}"))


def _blank(reference: str, line: int) -> str:
    if reference.strip():
        reason = f"{reference!r} is neither digits nor blank"
        raise _refuse("amount item 2: archive reference", reason, line)
    return ""


def _refuse(field: str, reason: str, line: int) -> InvalidInput:
    return InvalidInput.one(field, reason, f"line {line}")


def _check_fixed(record: str, kind: str, line: int) -> None:
    """The start and numbers of a record that has no transaction type: 10, 20, 88, 89."""
    if record[:8] != FIXED_STARTS[kind]:
        raise _bad_prefix(record, kind, line)
    if not record[8 : NUMERIC_FIELDS[kind][-1][2]].isdecimal():
        raise _bad_digits(record, kind, line)


def _bad_digits(record: str, kind: str, line: int) -> InvalidInput:
    for name, start, end in NUMERIC_FIELDS[kind]:
        value = record[start:end]
        if not value.isdecimal():
            reason = f"{value!r} (positions {start + 1}-{end}) is not a number"
            return _refuse(f"{RECORD_NAMES[kind]}: {name}", reason, line)
    return _refuse(RECORD_NAMES[kind], "is malformed", line)  # pragma: no cover


def _bad_prefix(record: str, kind: str, line: int) -> InvalidInput:
    """Which of format code, service code and transmission/assignment/transaction type."""
    service = "00" if kind in ("10", "89") else "09"
    if record[:2] != "NY":
        return _refuse("format code", f"{record[:2]!r} is not NY", line)
    if record[2:4] == "21":
        return _refuse("service code", "21 is AvtaleGiro; only OCR giro (09) is read", line)
    if record[2:4] != service:
        reason = f"{record[2:4]!r} where {RECORD_NAMES[kind]} has {service}"
        return _refuse("service code", reason, line)
    if kind in ("30", "31", "32"):
        return _refuse("transaction type", f"{record[4:6]!r} is not an OCR type 10-21", line)
    return _refuse("assignment type", f"{record[4:6]!r} is not 00", line)


def _missing_item2(item1_line: int, line: int) -> InvalidInput:
    reason = f"the transaction of line {item1_line} has no amount item 2 (record 31)"
    return _refuse("record type", reason, line)


def _check_end(
    record: str, kind: str, transactions: int, records: int, total: int, line: int
) -> None:
    """Counts and total of an 88 or 89 record; reversals count positive (Nets adds them)."""
    for name, start, end, actual in (
        ("number of transactions", 8, 16, transactions),
        ("number of records", 16, 24, records),
        ("total amount", 24, 41, total),
    ):
        stated = int(record[start:end])
        if stated != actual:
            if name == "total amount":
                said, found = Decimal(stated).scaleb(-2), Decimal(actual).scaleb(-2)
                reason = f"says {said} but the transactions add up to {found}"
            else:
                reason = f"says {stated} but there are {actual}"
            raise _refuse(f"{RECORD_NAMES[kind]}: {name}", reason, line)


# YY below the pivot is 20YY, from it 19YY: POSIX's window for %y (strptime), which
# netsgiro uses too; so 1992 is not 2092, and dates up to 2068 read as they are.
CENTURY_PIVOT = 69


def _date(text: str, cache: dict[str, date], field: str, line: int) -> date:
    """DDMMYY, the two-digit year in a fixed window: 00-68 are 2000-2068, 69-99 are
    1969-1999. A date far from the business day is refused later, naming the record."""
    try:
        year = int(text[4:6])
        century = 2000 if year < CENTURY_PIVOT else 1900
        value = date(century + year, int(text[2:4]), int(text[:2]))
    except ValueError:
        raise _refuse(field, f"{text!r} is not a date (DDMMYY)", line) from None
    cache[text] = value
    return value


def _date_or_none(text: str, cache: dict[str, date], field: str, line: int) -> date | None:
    if text == "000000":
        return None
    return cache.get(text) or _date(text, cache, field, line)
