"""One fee per letter (inkassoforskriften § 1-2): a reminder, notice or own-collection demand
naming several claims carries one fee; each claim's § 1-3 history decides whether it may
carry part of it, and the fee is spread over those claims in øre for the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.law.explanation import Explanation, Line
from fordring.domain.law.fees import SOURCES, FeeDecision, FeeHistory, LawLetterKind, letter_fee
from fordring.domain.law.tables import RateBook
from fordring.domain.money import ORE

ONE_FEE_SOURCE = "inkassoforskriften § 1-2 (a fee per written letter), § 1-3 (per claim)"


@dataclass(frozen=True, slots=True)
class ClaimOnLetter:
    """One claim a letter names: its due date, what is open of it and its own fee history."""

    invoice_id: int
    due: date
    open_principal: Decimal
    history: FeeHistory


def letter_fees(
    kind: LawLetterKind, claims: Sequence[ClaimOnLetter], *, sent: date, book: RateBook
) -> tuple[tuple[int, FeeDecision], ...]:
    """The fee of one letter, as (invoice id, decision) per claim: the claims whose own
    history allows a fee carry a share of ONE fee, the lowest any of them may carry, spread
    pro rata to open principal in øre; the others carry nothing and say why. A letter about
    one claim is that claim's own decision."""
    decided = [
        (c, letter_fee(kind, due=c.due, sent=sent, book=book, history=c.history)) for c in claims
    ]
    if len(decided) <= 1:
        return tuple((c.invoice_id, d) for c, d in decided)
    carrying = [(c, d) for c, d in decided if d.allowed and c.open_principal > 0]
    if not carrying:
        return tuple((c.invoice_id, _not_open(d) if d.allowed else d) for c, d in decided)
    on_letter = sum(1 for c in claims if c.open_principal > 0)
    lowest_claim, lowest = min(carrying, key=lambda x: x[1].amount)
    fee = lowest.amount
    weights = [c.open_principal for c, _ in carrying]
    parts = dict(zip((c.invoice_id for c, _ in carrying), spread_ore(fee, weights), strict=True))
    why = (
        f"one {kind} fee of {fee:.2f} for the letter on {on_letter} invoices "
        f"(a fee per letter, not per invoice); shared by the {len(carrying)} invoices "
        "that may carry a fee, pro rata to open principal"
    )
    if any(d.amount != fee for _, d in carrying):
        why += f"; the lowest of their fees (invoice due {lowest_claim.due}), kinder to the debtor"
    result: list[tuple[int, FeeDecision]] = []
    for c, d in decided:
        part = parts.get(c.invoice_id)
        if part is None:  # refused by its own history, or allowed but not open
            result.append((c.invoice_id, _not_open(d) if d.allowed else d))
        elif on_letter == 1:  # the letter is about this invoice alone: its own decision
            result.append((c.invoice_id, d))
        else:
            result.append((c.invoice_id, _share(d, part, lowest, why)))
    return tuple(result)


def _not_open(allowed: FeeDecision) -> FeeDecision:
    """An invoice with nothing open is not on the letter and carries no part of its fee."""
    refusal = "nothing of this invoice is open; it carries no part of the fee"
    return FeeDecision(
        allowed.kind, False, Decimal("0.00"), refusal, _refused(allowed.kind, refusal)
    )


def _share(own: FeeDecision, part: Decimal, lowest: FeeDecision, why: str) -> FeeDecision:
    """An invoice's share of the letter's one fee, explained."""
    fee = lowest.amount
    lines = (
        Line(f"the letter's one fee: {lowest.explanation.lines[0].text}", fee),
        Line("less the shares of the other invoices on the letter", part - fee),
    )
    explanation = Explanation(
        f"{own.kind} fee, this invoice's share",
        ONE_FEE_SOURCE,
        lines,
        part,
        confirmed=lowest.explanation.confirmed,
        notes=(own.reason, why),
    )
    reason = f"{own.reason}; {why}: {part:.2f} on this invoice"
    return FeeDecision(own.kind, True, part, reason, explanation)


def _refused(kind: LawLetterKind, reason: str) -> Explanation:
    return Explanation(f"{kind} fee", SOURCES[kind], (), Decimal("0.00"), notes=(reason,))


def spread_ore(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`total` split over positive `weights` pro rata, in whole øre that sum exactly to it
    (largest remainder, ties to the earlier); each part at least 1 øre when there are
    enough øre, so every share is visible in the ledger."""
    if not weights or any(w <= 0 for w in weights):
        raise ValueError("weights must be positive")
    ore = int(total * 100)
    whole = sum(weights, Decimal(0))
    exact = [ore * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: ore - sum(parts)]:
        parts[i] += 1
    if ore >= len(parts):
        for i, part in enumerate(parts):
            if part == 0:
                largest = max(range(len(parts)), key=lambda k: (parts[k], -k))
                parts[largest] -= 1
                parts[i] = 1
    return [(Decimal(p) / 100).quantize(ORE) for p in parts]
