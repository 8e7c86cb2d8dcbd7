"""The only place fordring reads the clock: today's date in Norway."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def today_in_oslo() -> date:
    return datetime.now(OSLO).date()


def now_in_oslo() -> datetime:
    return datetime.now(OSLO)
