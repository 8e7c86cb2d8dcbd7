"""A number in a page's path (a case, an objection, a letter's position), read one way for
every page: a positive whole number of at most 18 digits, else NotFound (as for one the
company does not have), never a 422 or a 500 from the database's integer."""

from __future__ import annotations

from fordring.domain.errors import NotFound


def path_number(value: str, what: str) -> int:
    """`value` as a positive whole number; NotFound(`what`) when it is not one."""
    if not value.isascii() or not value.isdigit() or len(value) > 18 or int(value) < 1:
        raise NotFound(what, value)
    return int(value)
