"""Row helpers the daily run's parts share: a case row's status, the condition for a numbered
case, and history payloads as stored."""

from __future__ import annotations

import json
from typing import Any

from fordring.adapters.db.tables import collection_case
from fordring.domain.collection.case import CaseStatus, CloseReason
from fordring.domain.collection.history import Payload
from fordring.domain.collection.states import CaseState


def case_status(row: Any) -> CaseStatus:
    """A collection_case row's status."""
    return CaseStatus(
        CaseState(row.state),
        CaseState(row.resume_state) if row.resume_state else None,
        row.paused_on,
        CloseReason(row.closed_reason) if row.closed_reason else None,
        row.letter_asked_on,
    )


def case_with_number(company_id: int, number: int) -> Any:
    """The condition for the company's case with this number."""
    return (collection_case.c.company_id == company_id) & (collection_case.c.number == number)


# One encoder for every row: json.dumps with options builds a new one per call (2x slower).
_PAYLOAD = json.JSONEncoder(separators=(",", ":"), sort_keys=True).encode


def payload_json(payload: Payload) -> str:
    """A history payload as stored: compact JSON with sorted keys ("{}" when empty)."""
    return _PAYLOAD(payload) if payload else "{}"
