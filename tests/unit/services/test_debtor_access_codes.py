"""A letter's new code and PIN (services/debtor_access.letter_access): drawn from the
whole alphabet and every digit, printed in full once, stored only as hashes, the PIN's
under the key it was given."""

from __future__ import annotations

from collections import Counter
from datetime import date

from fordring.domain.debtor_access import (
    CODE_ALPHABET,
    PIN_LENGTH,
    code_hash,
    is_code,
    pin_matches,
)
from fordring.services.debtor_access import letter_access

KEY = b"a test key of at least thirty-two characters"
OTHER_KEY = b"another key of at least thirty-two characters"


def test_a_letters_code_and_pin_are_stored_as_hashes_the_pin_under_the_key() -> None:
    stored, printed = letter_access(7, 11, date(2026, 12, 6), KEY)
    code, pin = stored.code_to_print, stored.pin_to_print
    assert code is not None and pin is not None and printed.pin == pin
    assert is_code(code) and len(pin) == PIN_LENGTH and pin.isdigit()
    assert stored.code_hash == code_hash(code) and pin not in stored.pin_hash
    assert pin_matches(KEY, stored.pin_salt, stored.pin_hash, pin)
    assert not pin_matches(OTHER_KEY, stored.pin_salt, stored.pin_hash, pin)
    assert printed.code.endswith(code[-4:]) and code[:8] not in printed.code


def test_codes_and_pins_use_every_character_and_digit_in_every_place() -> None:
    """One draw of random bits a code (not a character at a time): every place of the code
    still takes every character of the alphabet, and every place of the PIN every digit."""
    drawn = [letter_access(1, n, date(2026, 12, 6), KEY)[0] for n in range(3000)]
    codes = [d.code_to_print or "" for d in drawn]
    pins = [d.pin_to_print or "" for d in drawn]
    for place in range(12):
        assert set(Counter(c[place] for c in codes)) == set(CODE_ALPHABET)
    for place in range(PIN_LENGTH):
        assert set(Counter(p[place] for p in pins)) == set("0123456789")
    assert len(set(codes)) == len(codes) and len({d.pin_salt for d in drawn}) == len(drawn)
