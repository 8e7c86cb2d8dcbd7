"""KID (kundeidentifikasjon): the payment reference on Norwegian giro payments.

2-25 digits kept as a string, last digit a check digit by MOD10 (Luhn) or MOD11, where
MOD11 remainder 1 gives the check character `-`. Source: Nets "OCR giro - System manual"
§ 5 (DOMAIN.md § 8). Examples: MOD10 `12345678` → `123456782`; MOD11 `12345678` → `123456785`,
`1009` → `1009-`.
"""

from __future__ import annotations

from enum import StrEnum

from fordring.domain.errors import InvalidInput

MIN_LENGTH = 2
MAX_LENGTH = 25


class KidAlgorithm(StrEnum):
    MOD10 = "mod10"
    MOD11 = "mod11"


_DOUBLED = {str(d): (2 * d) // 10 + (2 * d) % 10 for d in range(10)}  # digit sum of 2 × d


def mod10_check_digit(digits: str) -> str:
    """Luhn: weights 2,1,2,1,… from the right, digit sums of the products."""
    doubled = sum(map(_DOUBLED.__getitem__, digits[::-2]))
    total = doubled + sum(map(int, digits[-2::-2]))
    return str((10 - total % 10) % 10)


def mod11_check_digit(digits: str) -> str:
    """MOD11: weights 2..7 repeating from the right; remainder 0 → `0`, 1 → `-`."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        total += (ord(char) - 48) * (2 + position % 6)
    remainder = total % 11
    if remainder == 0:
        return "0"
    if remainder == 1:
        return "-"
    return str(11 - remainder)


_CHECK = {KidAlgorithm.MOD10: mod10_check_digit, KidAlgorithm.MOD11: mod11_check_digit}


def generate(number: int | str, algorithm: KidAlgorithm, length: int) -> str:
    """A KID of exactly `length` characters: `number` zero-padded, then the check digit."""
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise InvalidInput.one("kid_length", f"must be {MIN_LENGTH}-{MAX_LENGTH}, not {length}")
    body = str(number)
    if not (body.isascii() and body.isdigit()):
        raise InvalidInput.one("kid", f"can only be made from digits, not {body!r}")
    if len(body) > length - 1:
        raise InvalidInput.one(
            "kid", f"{body} needs {len(body) + 1} characters, more than the KID length {length}"
        )
    body = body.zfill(length - 1)
    return body + _CHECK[algorithm](body)


def problem(kid: str, algorithm: KidAlgorithm | None = None) -> str | None:
    """Why `kid` is not a valid KID (under `algorithm`, or either when None), or None."""
    if not MIN_LENGTH <= len(kid) <= MAX_LENGTH:
        return f"must be {MIN_LENGTH}-{MAX_LENGTH} characters, not {len(kid)}"
    body, check = kid[:-1], kid[-1]
    if not (kid.isascii() and body.isdigit()) or not (check.isdigit() or check == "-"):
        return "only digits, with `-` allowed as the last (MOD11) check character"
    algorithms = [algorithm] if algorithm else list(KidAlgorithm)
    if any(_CHECK[a](body) == check for a in algorithms):
        return None
    names = " or ".join(a.value.upper() for a in algorithms)
    return f"check digit {check} is wrong under {names}"


def is_valid(kid: str, algorithm: KidAlgorithm | None = None) -> bool:
    return problem(kid, algorithm) is None


def validate(kid: str, algorithm: KidAlgorithm | None = None, field: str = "kid") -> str:
    """Return the KID stripped of spaces, or raise InvalidInput naming `field`."""
    cleaned = kid.replace(" ", "").strip()
    reason = problem(cleaned, algorithm)
    if reason:
        raise InvalidInput.one(field, f"{kid!r} is not a valid KID: {reason}", code="not_a_kid")
    return cleaned


class Kid(str):
    """A KID that was checked (spaces removed, 2-25 characters, a right MOD10 or MOD11
    check digit): what a typed command carries, so the service need not read text.
    `Kid(text)` refuses a bad one as `parse_kid` does, naming the field `kid`."""

    __slots__ = ()

    def __new__(cls, text: str) -> Kid:
        return super().__new__(cls, validate(text))


def parse_kid(text: str, field: str = "kid") -> Kid:
    """A KID as typed at an edge (an option, a form field), or InvalidInput naming `field`."""
    return str.__new__(Kid, validate(text, field=field))  # checked once, not again in __new__
