"""Which open item a payment is for (SPEC P2): by the case's KID, by the invoice's KID,
by invoice numbers in the payer's free text; otherwise it waits for a person.

The rules are tried in that order and the first that finds something wins. A KID that is
not a valid KID, or that nothing has, falls through to the free text. Suggestions for the
unmatched (by amount and payer name) are a separate, slower question (`suggestions`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache


class MatchedBy(StrEnum):
    CASE_KID = "case_kid"
    INVOICE_KID = "invoice_kid"
    TEXT = "text"  # invoice numbers in the free text
    MANUAL = "manual"
    REVERSAL = "reversal"  # a bank's reversal that took back an earlier payment
    NONE = ""


@dataclass(frozen=True, slots=True)
class Match:
    by: MatchedBy
    case_id: int | None = None  # the case as a whole (a case KID)
    invoice_ids: tuple[int, ...] = ()  # these invoices (an invoice KID, numbers in the text)

    @property
    def found(self) -> bool:
        return self.by is not MatchedBy.NONE


NO_MATCH = Match(MatchedBy.NONE)
_NUMBER = re.compile(r"\d{1,18}")


def numbers_in(text: str) -> tuple[int, ...]:
    """Whole numbers in free text, in order, without repeats ("Faktura 10023, 10024")."""
    return tuple(dict.fromkeys(int(n) for n in _NUMBER.findall(text)))


def match_payment(
    kid: str | None,
    text: str,
    case_by_kid: Mapping[str, int],
    invoice_by_kid: Mapping[str, int],
    open_invoice_by_number: Mapping[int, int],
) -> Match:
    """The first rule that finds something: case KID, invoice KID, invoice numbers."""
    if kid:
        case_id = case_by_kid.get(kid)
        if case_id is not None:
            return Match(MatchedBy.CASE_KID, case_id=case_id)
        invoice_id = invoice_by_kid.get(kid)
        if invoice_id is not None:
            return Match(MatchedBy.INVOICE_KID, invoice_ids=(invoice_id,))
    found = tuple(
        open_invoice_by_number[n] for n in numbers_in(text) if n in open_invoice_by_number
    )
    if found:
        return Match(MatchedBy.TEXT, invoice_ids=found)
    return NO_MATCH


@dataclass(frozen=True, slots=True)
class Candidate:
    """An open item a person might match an unmatched payment to."""

    label: str  # "invoice 10023" / "case 17"
    customer_name: str
    owed: Decimal


@dataclass(frozen=True, slots=True)
class Suggestion:
    candidate: Candidate
    score: int
    why: str


@lru_cache(maxsize=4096)  # a page's candidates are compared with each of its payments
def name_words(name: str) -> frozenset[str]:
    """The words of a name that tell it apart (not its company form: AS, ASA ...)."""
    return frozenset(w for w in re.findall(r"\w+", name.lower()) if len(w) > 1 and w not in _FORMS)


_FORMS = {"as", "asa", "ans", "da", "enk", "sa", "ba", "nuf"}


def suggestions(
    amount: Decimal, payer_name: str, candidates: Sequence[Candidate], limit: int = 3
) -> list[Suggestion]:
    """The best candidates for a payment: the exact amount counts most, then the payer's
    name sharing words with the customer's; nothing that matches neither."""
    payer = name_words(payer_name)
    found = []
    for c in candidates:
        reasons, score = [], 0
        if c.owed == amount:
            score += 2
            reasons.append("same amount")
        shared = payer & name_words(c.customer_name)
        if shared:
            score += 1
            reasons.append("payer name " + " ".join(sorted(shared)))
        if score:
            found.append(Suggestion(c, score, ", ".join(reasons)))
    found.sort(key=lambda s: (-s.score, s.candidate.label))
    return found[:limit]
