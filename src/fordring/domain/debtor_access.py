"""The debtor's way in (issue 19, docs/debtor_page.md): the access code and PIN a letter
prints, how they are written, normalised and stored (hashes only), and the rules for
wrong tries (a code locks after some, an address is slowed after more) and for how long a
debtor's session and a letter's PIN last. Pure: the random values come from the caller.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

# Crockford's base32 without I, L, O and U: nothing a person misreads on paper. A typed
# I or L is read as 1 and O as 0 (`normal_code`), so the letters a code never has cannot
# make a typed code wrong.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits: never guessed, even before the PIN and the limits
PIN_LENGTH = 8  # digits: 10^8 PINs; stored keyed (HMAC-SHA256 under the pepper, decision 0015)
PIN_KEY_LEAST = 32  # bytes (characters) a PIN key has at least
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


@dataclass(frozen=True, slots=True)
class AccessRules:
    """The installation's limits (settings, docs/debtor_page.md), with their defaults."""

    max_failures: int = 5  # wrong PINs in a row lock the code ...
    lockout: timedelta = timedelta(minutes=30)  # ... this long
    print_within: timedelta = timedelta(days=30)  # a letter's PIN kept to print at most
    code_dead_at: int = 15  # wrong PINs in all a code's life: the code never works again
    case_dead_at: int = 30  # wrong PINs over all a case's live codes: all of them dead
    # wrong tries from one address are counted over this window; they refuse no right PIN
    # (behind a proxy many debtors share one address: the code's own limits guard it)
    address_window: timedelta = timedelta(hours=1)
    # a code works while its case is open; once a newer letter gave the case a new code,
    # the older one works this much longer (the debtor may still hold the older letter)
    superseded_valid: timedelta = timedelta(days=90)
    idle: timedelta = timedelta(minutes=20)  # a session unused this long ends ...
    longest: timedelta = timedelta(hours=2)  # ... and any session after this long


DEFAULT_RULES = AccessRules()


def spaced_code(code: str) -> str:
    """The code as a letter prints it: groups of four (`ABCD-EFGH-JKMN`)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def masked_code(code: str) -> str:
    """The code as a letter printed again shows it, and as the letter's content keeps it:
    only its last four characters (`••••-••••-JKMN`), enough to tell letters apart."""
    plain = code.replace("-", "")
    return "\u2022" * 4 + "-" + "\u2022" * 4 + "-" + plain[-4:]


def hidden_code() -> str:
    """An invoice's code printed again once it is forgotten: an invoice keeps no part of
    its code (it has no stored content, as a letter has)."""
    return "-".join(["\u2022" * 4] * 3)


def normal_code(typed: str) -> str:
    """A typed code as it was issued: without spaces and dashes, in capitals, I and L as
    1, O as 0 (a code never has them). Anything else is kept: it then matches nothing."""
    kept = "".join(ch for ch in typed if ch not in " -\t\u00a0")
    return kept.upper().translate(_READ_AS)[:40]


def is_code(text: str) -> bool:
    """Whether `text` (normalised) could be a code at all (a `?c=` link's value)."""
    return len(text) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in text)


def code_hash(code: str) -> str:
    """What is stored of a code and looked up by: its SHA-256 (hex). The code has 60
    random bits, so no salt or key is needed to keep it from being found from the hash."""
    return hashlib.sha256(b"fordring debtor code\0" + code.encode()).hexdigest()


def pin_hash(key: bytes, salt: str, pin: str) -> str:
    """What is stored of a PIN: HMAC-SHA256 under the installation's PIN key (the pepper,
    kept outside the database) of the row's random salt and the PIN (hex: the column's 64
    characters). Microseconds: the daily run issues one for each of tens of thousands of
    letters. Without the key a copy of the database tells nothing of a PIN; with the key
    too, a PIN falls to at most 10^8 HMACs (decision 0015). Checked by `pin_matches`."""
    message = b"fordring debtor pin\0" + salt.encode() + b"\0" + pin.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def pin_matches(key: bytes, salt: str, stored: str, typed: str) -> bool:
    """Whether `typed` is the PIN stored as `stored` under `key` (constant time: the
    comparison does not stop at the first difference). Only digits are a PIN; spaces are
    forgiven."""
    cleaned = typed.replace(" ", "")[:20]
    return hmac.compare_digest(pin_hash(key, salt, cleaned).encode(), stored.encode())


def masked_pin() -> str:
    """The PIN as a letter printed again shows it: never the PIN itself."""
    return "\u2022" * PIN_LENGTH


def address_key(address: str) -> str:
    """What a client address is counted by: an IPv4 address itself, an IPv6 address by its
    /64 (one home or phone has a whole /64 to choose from); anything else as it is."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return (
        str(parsed.ipv4_mapped or parsed)
        if isinstance(parsed, ipaddress.IPv6Address)
        else str(parsed)
    )


def after_failure(failures: int, now: datetime, rules: AccessRules) -> tuple[int, datetime | None]:
    """A code's wrong tries in a row after one more, and until when it is locked (None:
    not locked). At `max_failures` the count starts again with the lock."""
    failures += 1
    if failures >= rules.max_failures:
        return 0, now + rules.lockout
    return failures, None


def superseded_long_ago(superseded_at: datetime | None, now: datetime, rules: AccessRules) -> bool:
    """Whether a code replaced by a newer one at `superseded_at` no longer works."""
    return superseded_at is not None and now >= superseded_at + rules.superseded_valid


def session_ends_at(started: datetime, seen: datetime, rules: AccessRules) -> datetime:
    """When a session started at `started` and last used at `seen` ends."""
    return min(seen + rules.idle, started + rules.longest)
