"""The port of the debtor's reports of payments and messages waiting (issue 19)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from fordring.domain.collection.payment_reports import PaymentReport, ReportStatus


@dataclass(frozen=True, slots=True)
class OpenReport:
    """A report still holding or lapsed, as the run and the payments end it."""

    id: int
    case_id: int
    status: ReportStatus
    reported_on: date
    hold_until: date | None


class DebtorContactRepository(Protocol):
    def first_invoice_on(self, case_id: int) -> date | None: ...
    def add_payment_report(self, case_id: int, report: PaymentReport, actor: str) -> bool:
        """Store it unless the case has the same (day paid, amount); whether added."""
        ...

    def paid_since(self, case_id: int, day: date) -> Decimal:
        """What payments booked to the case with a bank day on or after `day` paid."""
        ...

    def payment_reports(self, number: int) -> list[PaymentReport]: ...
    def hold_steps(self, case_id: int, until: date) -> None: ...
    def release_steps(self, case_ids: Sequence[int]) -> None: ...
    def open_reports(self, case_ids: Sequence[int], *, lock: bool = False) -> list[OpenReport]:
        """The reports of these cases holding or lapsed; `lock`: the cases' rows first."""
        ...

    def holds_ending(self, day: date) -> list[OpenReport]:
        """The reports holding whose hold ends on or before `day`."""
        ...

    def end_reports(self, report_ids: Sequence[int], status: ReportStatus, day: date) -> None: ...
    def lapsed_report_count(self) -> int: ...
    def set_debtor_waiting(self, case_id: int, since: date | None) -> None: ...
    def waiting_message_count(self) -> int: ...
