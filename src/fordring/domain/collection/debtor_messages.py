"""The messages between a case's debtor and the creditor (issue 19 point 6): what a
message may be. They are case history events of kinds of their own (history.DEBTOR_THREAD)."""

from __future__ import annotations

from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import text_problems

# A message to or from the debtor, in characters (the history's text column holds 1000).
MESSAGE_LENGTH = 1000


def check_message(text: str) -> str:
    """A message as stored: line breaks kept (as \\n), no other control character, not
    empty, at most MESSAGE_LENGTH characters. It is shown as text, never as HTML."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    problems = [p for line in lines for p in text_problems(line, "message", MESSAGE_LENGTH)]
    joined = "\n".join(line.rstrip() for line in lines).strip()
    if len(joined) > MESSAGE_LENGTH:
        reason = f"{len(joined)} characters; at most {MESSAGE_LENGTH}"
        problems.append(Problem("message", reason, code="too_long"))
    if not joined:
        problems.append(Problem("message", "the message is empty", code="required"))
    if problems:
        raise InvalidInput(list({(p.field, p.code): p for p in problems}.values()))
    return joined
