"""When the schedule's business day falls: procrastinate's cron is UTC and Oslo's offset
is +1 in winter, +2 in summer, so the day is registered at both UTC times (`utc_crons`)
and a tick whose Oslo time is not the set one (the other season's) starts no day
(`business_date_of`): right across DST changes. Pure: no queue, no database."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fordring.domain.calendar import is_banking_day
from fordring.domain.errors import InvalidInput

OSLO = ZoneInfo("Europe/Oslo")


OFF = "off"  # no business day on the schedule: it is queued by hand or from cron


def parse_day_at(text: str, field: str = "day-at") -> time | None:
    """`HH:MM` on a 24-hour clock, or `off` (None), else InvalidInput naming `field`."""
    if text.strip().lower() == OFF:
        return None
    found = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])", text.strip())
    if found is None:
        raise InvalidInput.one(
            field, f"{text!r} is not a time of day HH:MM (e.g. 07:30) nor {OFF!r}"
        )
    return time(int(found[1]), int(found[2]))


def utc_crons(at: time, zone: ZoneInfo = OSLO) -> list[str]:
    """The UTC cron lines (minute hour) at which `at` in `zone` falls in some season: one
    per UTC offset the zone has (Oslo: winter and summer time)."""
    offsets = sorted(
        {datetime(2026, month, 15, 12, tzinfo=zone).utcoffset() or timedelta(0) for month in (1, 7)}
    )
    crons = []
    for offset in offsets:
        local = datetime.combine(date(2026, 1, 1), at)
        utc = local - offset
        crons.append(f"{utc.minute} {utc.hour} * * *")
    return crons


def business_date_of(timestamp: int, at: time, zone: ZoneInfo = OSLO) -> date | None:
    """The day a tick at `timestamp` (UTC seconds) starts: its date in `zone` when its
    time there is `at` and the date is a banking day; None for the other season's tick,
    a weekend or a holiday."""
    local = datetime.fromtimestamp(timestamp, UTC).astimezone(zone)
    if (local.hour, local.minute) != (at.hour, at.minute):
        return None
    day = local.date()
    return day if is_banking_day(day) else None
