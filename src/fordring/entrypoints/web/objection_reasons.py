"""The reasons a debtor objects for, as people read them: the one mapping of each reason
to its text, marked for the catalogues (nb/en), which the portal's case page, the
debtor's pages and the receipt PDF all translate (the history line keeps the domain's
English REASON_TEXT; a test holds the two the same)."""

from __future__ import annotations

from collections.abc import Callable

from fordring.domain.collection.objection import ObjectionReason


def _(text: str) -> str:
    """Marks a text for the catalogues (pybabel extract); it is translated where shown."""
    return text


REASON_LABELS: dict[ObjectionReason, str] = {
    ObjectionReason.NOT_ORDERED: _("I did not order this"),
    ObjectionReason.ALREADY_PAID: _("I have already paid"),
    ObjectionReason.WRONG_AMOUNT: _("The amount is wrong"),
    ObjectionReason.DEFECTIVE: _("The goods or service were defective or not delivered"),
    ObjectionReason.NOT_ME: _("The claim is not against me"),
    ObjectionReason.OTHER: _("Another reason"),
}


def reason_text(code: str) -> str:
    """The reason's text to translate (its catalogue id); a code not on the list as it is."""
    try:
        return REASON_LABELS[ObjectionReason(code)]
    except ValueError:
        return code


def reason_label(code: str, gettext: Callable[[str], str]) -> str:
    """The reason as the reader reads it, in `gettext`'s language."""
    return gettext(reason_text(code))
