"""Every reason a debtor can object for has its one text, the same English as the
history line's, and a Norwegian translation in the catalogue."""

from __future__ import annotations

from fordring.domain.collection.objection import REASON_TEXT, ObjectionReason
from fordring.entrypoints.web.i18n import translations
from fordring.entrypoints.web.objection_reasons import REASON_LABELS, reason_label


def test_every_objection_reason_has_a_label_in_english_and_norwegian() -> None:
    nb, en = translations("nb").gettext, translations("en").gettext
    for reason in ObjectionReason:
        assert REASON_LABELS[reason] == REASON_TEXT[reason]
        assert reason_label(reason.value, en) == REASON_TEXT[reason]
        assert reason_label(reason.value, nb) not in ("", REASON_TEXT[reason])


def test_a_code_not_on_the_list_is_shown_as_it_is() -> None:
    assert reason_label("because", translations("nb").gettext) == "because"
