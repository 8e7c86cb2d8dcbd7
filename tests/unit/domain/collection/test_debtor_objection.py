"""The debtor's objection: a reason from the list, the debtor's words, and an attached
file told by its content (a PDF, PNG or JPEG), never by its name."""

from __future__ import annotations

import pytest
from tests.attachments import GIF, HTML, JPEG, PDF, PNG, SVG

from fordring.domain.collection.objection import (
    REASON_TEXT,
    TEXT_LENGTH,
    AttachmentKind,
    ObjectionReason,
    attachment,
    display_name,
    objection,
    sniff,
)
from fordring.domain.errors import InvalidInput

MiB = 1024 * 1024


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, AttachmentKind.PDF), (PNG, AttachmentKind.PNG), (JPEG, AttachmentKind.JPEG)],
)
def test_a_real_pdf_png_or_jpeg_is_told_by_its_content(
    content: bytes, kind: AttachmentKind
) -> None:
    assert sniff(content) is kind
    taken = attachment("kvittering", content, MiB)
    assert taken.kind is kind and taken.content == content


@pytest.mark.parametrize(
    "content",
    [HTML, SVG, GIF, b"%PD", b"\x89PNG\r\n\x1a\n", b" %PDF-1.4 after a space", b"MZ\x90\x00"],
)
def test_anything_else_is_refused_whatever_its_name(content: bytes) -> None:
    assert sniff(content) is None
    with pytest.raises(InvalidInput) as refused:
        attachment("faktura.pdf", content, MiB)
    assert refused.value.problems[0].field == "attachment"
    assert refused.value.problems[0].code == "wrong_type"


def test_an_html_file_named_pdf_is_not_a_pdf() -> None:
    with pytest.raises(InvalidInput, match="not a PDF, PNG or JPEG"):
        attachment("kvittering.pdf", HTML, MiB)


def test_a_file_over_the_limit_or_empty_is_refused() -> None:
    with pytest.raises(InvalidInput) as large:
        attachment("a.pdf", PDF + b" " * 100, len(PDF) + 99)
    assert large.value.problems[0].code == "too_large"
    assert attachment("a.pdf", PDF + b" " * 99, len(PDF) + 99).kind is AttachmentKind.PDF
    with pytest.raises(InvalidInput) as empty:
        attachment("a.pdf", b"", MiB)
    assert empty.value.problems[0].code == "empty"


@pytest.mark.parametrize(
    ("name", "kind", "shown"),
    [
        ("../../etc/passwd", AttachmentKind.PDF, "passwd.pdf"),
        ("C:\\Users\\kari\\kvittering.PDF", AttachmentKind.PDF, "kvittering.PDF"),
        ('bilde"<script>.png', AttachmentKind.PNG, "bilde__script_.png"),
        ("foto.jpeg", AttachmentKind.JPEG, "foto.jpeg"),
        ("foto", AttachmentKind.JPEG, "foto.jpg"),
        ("kvittering.pdf", AttachmentKind.PNG, "kvittering.pdf.png"),
        ("", AttachmentKind.PDF, "vedlegg.pdf"),
        ("..", AttachmentKind.PDF, "vedlegg.pdf"),
        ("Ærlig kvittering.pdf", AttachmentKind.PDF, "Ærlig kvittering.pdf"),
    ],
)
def test_the_shown_name_is_the_last_part_made_safe_with_the_kinds_extension(
    name: str, kind: AttachmentKind, shown: str
) -> None:
    assert display_name(name, kind) == shown


def test_a_long_name_is_cut_and_keeps_its_extension() -> None:
    shown = display_name("a" * 500 + ".pdf", AttachmentKind.PDF)
    assert len(shown) == 120 and shown.endswith(".pdf")


def test_the_reason_is_one_of_the_list_and_other_needs_words() -> None:
    assert set(REASON_TEXT) == set(ObjectionReason)
    said = objection("already_paid", "  Betalt 3. mars.\r\nSe vedlegg.  ")
    assert said.reason is ObjectionReason.ALREADY_PAID
    assert said.text == "Betalt 3. mars.\nSe vedlegg."
    with pytest.raises(InvalidInput) as wrong:
        objection("because", "x" * (TEXT_LENGTH + 1))
    assert [(p.field, p.code) for p in wrong.value.problems] == [
        ("reason", "invalid"),
        ("text", "too_long"),
    ]
    with pytest.raises(InvalidInput) as other:
        objection("other", "   ")
    assert [(p.field, p.code) for p in other.value.problems] == [("text", "required")]
    with pytest.raises(InvalidInput, match="control character"):
        objection("not_me", "a\x00b")


def test_a_tab_is_a_space_and_direction_controls_are_left_out() -> None:
    pasted = objection("other", "Faktura\t12\u202eredro ton\u202c og \u2067x\u2069")
    assert pasted.text == "Faktura 12redro ton og x"
    with pytest.raises(InvalidInput) as only_controls:
        objection("other", "\u202e\u2066 \t")
    assert [(p.field, p.code) for p in only_controls.value.problems] == [("text", "required")]


def test_the_history_line_names_the_reason_the_words_and_the_file() -> None:
    said = objection("wrong_amount", "Avtalt pris var 2000.\nIkke 2500.")
    line = said.history_text("avtale.pdf", addition=False)
    assert line == (
        "the debtor objects: The amount is wrong: Avtalt pris var 2000. Ikke 2500. "
        "(attachment avtale.pdf)"
    )
    assert said.history_text(None, addition=True).startswith("the debtor adds to the objection")
