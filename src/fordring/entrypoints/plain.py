"""Plain data for JSON, as the CLI's `--json` and the API write it: amounts as strings
with two decimals, dates ISO 8601, enums by value."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from fordring.domain.money import format_amount


def jsonable(value: Any) -> Any:
    """Decimals become strings with two decimals (money), dates ISO strings."""
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
