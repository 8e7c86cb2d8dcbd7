"""The debtor's objection (innsigelse, SPEC C10, issue 19): the reasons a debtor picks
from, the free text beside it, and what an attached file is, told by its content (never by
its name or the browser's word): a PDF, a PNG or a JPEG, or nothing we take."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import without_direction_controls

TEXT_LENGTH = 2000  # characters of the debtor's own words
NAME_LENGTH = 120  # characters of an attachment's name as shown (the rest is cut)
EVENT_TEXT_LENGTH = 300  # characters of the debtor's words in the history's text line


class ObjectionReason(StrEnum):
    """Why the debtor objects. Stable codes (stored, in webhooks): never rename, only add."""

    NOT_ORDERED = "not_ordered"
    ALREADY_PAID = "already_paid"
    WRONG_AMOUNT = "wrong_amount"
    DEFECTIVE = "defective"  # the goods or the service were defective or not delivered
    NOT_ME = "not_me"  # the debtor is not the one who owes it
    OTHER = "other"


# The English label of each reason (the history's text; the pages translate their own).
REASON_TEXT = {
    ObjectionReason.NOT_ORDERED: "I did not order this",
    ObjectionReason.ALREADY_PAID: "I have already paid",
    ObjectionReason.WRONG_AMOUNT: "The amount is wrong",
    ObjectionReason.DEFECTIVE: "The goods or service were defective or not delivered",
    ObjectionReason.NOT_ME: "The claim is not against me",
    ObjectionReason.OTHER: "Another reason",
}


class AttachmentKind(StrEnum):
    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"

    @property
    def media_type(self) -> str:
        return {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}[self.value]


_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"


def sniff(content: bytes) -> AttachmentKind | None:
    """What the bytes are: a PDF (it starts with `%PDF-`, as ISO 32000 § 7.5.2 requires of
    the header), a PNG (its 8-byte signature and an IHDR chunk first) or a JPEG (SOI and
    the first marker); None for anything else, whatever its name."""
    if content.startswith(b"%PDF-") and len(content) > 8:
        return AttachmentKind.PDF
    if content.startswith(_PNG) and content[12:16] == b"IHDR":
        return AttachmentKind.PNG
    if content.startswith(_JPEG) and len(content) > 4:
        return AttachmentKind.JPEG
    return None


_UNSAFE = re.compile(r"[^\w .()+,-]")


def display_name(name: str, kind: AttachmentKind) -> str:
    """The client's file name made safe to show (never used as a path): its last part,
    letters, digits and a few signs only, at most NAME_LENGTH characters, ending in the
    kind's extension when it does not already."""
    last = re.split(r"[\\/]", name)[-1]
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", last)).strip(" ._") or "vedlegg"
    extensions = {"pdf": (".pdf",), "png": (".png",), "jpeg": (".jpg", ".jpeg")}[kind.value]
    if not cleaned.lower().endswith(extensions):
        cleaned += extensions[0]
    if len(cleaned) > NAME_LENGTH:
        cleaned = cleaned[: NAME_LENGTH - len(extensions[0])] + extensions[0]
    return cleaned


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the debtor attached: what it is, its shown name and its bytes."""

    kind: AttachmentKind
    name: str
    content: bytes


def attachment(name: str, content: bytes, max_bytes: int) -> Attachment:
    """The file as an Attachment, or InvalidInput (field `attachment`): empty, larger than
    `max_bytes`, or not a PDF, PNG or JPEG by its content."""
    if not content:
        raise InvalidInput.one("attachment", "the file is empty", code="empty")
    if len(content) > max_bytes:
        reason = f"{len(content)} bytes; at most {max_bytes}"
        raise InvalidInput.one("attachment", reason, code="too_large")
    kind = sniff(content)
    if kind is None:
        reason = "not a PDF, PNG or JPEG file (told by its content, not its name)"
        raise InvalidInput.one("attachment", reason, code="wrong_type")
    return Attachment(kind, display_name(name, kind), content)


_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # all but newline


@dataclass(frozen=True, slots=True)
class Objection:
    """What the debtor says: a reason from the list and the debtor's own words (line
    breaks kept)."""

    reason: ObjectionReason
    text: str

    def history_text(self, attachment_name: str | None, addition: bool) -> str:
        words = " ".join(self.text.split())
        if len(words) > EVENT_TEXT_LENGTH:
            words = words[: EVENT_TEXT_LENGTH - 1] + "…"
        head = "the debtor adds to the objection" if addition else "the debtor objects"
        line = f"{head}: {REASON_TEXT[self.reason]}" + (f": {words}" if words else "")
        return line + (f" (attachment {attachment_name})" if attachment_name else "")


def objection(reason: str, text: str) -> Objection:
    """The objection as typed, or InvalidInput naming every wrong field: `reason` not one
    of the list, `text` too long or with a control character (a tab is taken as a space,
    Unicode's direction controls are left out); `text` is needed when the
    reason is "other" (else the creditor cannot know what is disputed)."""
    problems: list[Problem] = []
    # Kinder than a refusal: a tab (pasted from elsewhere) is a space, and the invisible
    # direction controls are left out, so the creditor reads the words as they were typed.
    typed = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    cleaned = without_direction_controls(typed).strip()
    try:
        chosen: ObjectionReason | None = ObjectionReason(reason)
    except ValueError:
        chosen = None
        problems.append(Problem("reason", f"choose a reason from the list, not {reason!r}"))
    if _CONTROL.search(cleaned):
        problems.append(Problem("text", "contains a control character", code="control_character"))
    if len(cleaned) > TEXT_LENGTH:
        reason_ = f"{len(cleaned)} characters; at most {TEXT_LENGTH}"
        problems.append(Problem("text", reason_, code="too_long"))
    if chosen is ObjectionReason.OTHER and not cleaned:
        problems.append(Problem("text", "say what is wrong with the claim", code="required"))
    if problems or chosen is None:
        raise InvalidInput(problems)
    return Objection(chosen, cleaned)
