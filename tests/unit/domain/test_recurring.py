"""Recurring agreements: validation, periods, issue days, due periods, period texts."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordring.domain.errors import InvalidInput
from fordring.domain.invoices import line
from fordring.domain.language import Language
from fordring.domain.recurring import (
    Interval,
    Period,
    RecurringAgreement,
    Status,
    add_months,
    parse_interval,
    period_text,
)

RENT = (line("Husleie", Decimal(1), Decimal(12000), Decimal(0)),)


def agreement(**changes: object) -> RecurringAgreement:
    fields: dict[str, object] = {
        "text": "Husleie",
        "lines": RENT,
        "interval": Interval(1),
        "issue_day": 1,
        "start": date(2026, 3, 1),
    }
    fields.update(changes)
    return RecurringAgreement(**fields)  # type: ignore[arg-type]


def periods(a: RecurringAgreement, limit: int = 400) -> list[Period]:
    """Every period of `a` from its first (at most `limit`)."""
    found: list[Period] = []
    period = a.first_period()
    while period is not None and len(found) < limit:
        found.append(period)
        period = a.following(period)
    return found


@pytest.mark.parametrize(
    ("text", "months", "name"),
    [
        ("monthly", 1, "monthly"),
        ("Quarterly", 3, "quarterly"),
        ("yearly", 12, "yearly"),
        ("2m", 2, "2m"),
        ("6m", 6, "6m"),
        ("3m", 3, "quarterly"),
        ("12 m", 12, "yearly"),
    ],
)
def test_intervals_are_named_or_every_n_months(text: str, months: int, name: str) -> None:
    interval = parse_interval(text)
    assert interval.months == months
    assert interval.name == name
    assert parse_interval(interval.name) == interval


@pytest.mark.parametrize("text", ["weekly", "0m", "25m", "m", "-1m", ""])
def test_an_unknown_interval_names_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_interval(text)
    assert [p.field for p in error.value.problems] == ["interval"]


def test_every_problem_with_an_agreement_is_named_at_once() -> None:
    with pytest.raises(InvalidInput) as error:
        agreement(
            text=" ",
            lines=(),
            issue_day=29,
            advance_months=13,
            terms_days=366,
            start=date(2026, 3, 2),
            end=date(2026, 3, 1),
        )
    fields = [p.field for p in error.value.problems]
    assert fields == ["text", "line", "issue_day", "advance", "terms", "start", "end"]


@pytest.mark.parametrize("day", [1, 15, 28, 31])
def test_issue_days_1_to_28_and_31_are_allowed(day: int) -> None:
    assert agreement(issue_day=day).issue_day == day


def test_the_agreement_totals_its_lines_with_vat_per_rate() -> None:
    a = agreement(lines=(*RENT, line("Parkering", Decimal(1), Decimal(500), Decimal(25))))
    assert (a.net, a.total) == (Decimal("12500.00"), Decimal("12625.00"))


def test_monthly_periods_are_calendar_months_issued_on_the_issue_day() -> None:
    a = agreement(issue_day=15, end=date(2026, 5, 31))
    assert periods(a) == [
        Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 15)),
        Period(date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 15)),
        Period(date(2026, 5, 1), date(2026, 5, 31), date(2026, 5, 15)),
    ]


def test_rent_in_advance_is_issued_the_month_before_but_never_before_the_start() -> None:
    a = agreement(advance_months=1, issue_day=20, end=date(2026, 5, 31))
    assert [p.issue_on for p in periods(a)] == [
        date(2026, 3, 1),  # February 20 is before the agreement starts
        date(2026, 3, 20),  # April's rent
        date(2026, 4, 20),  # May's rent
    ]


@pytest.mark.parametrize(
    ("month", "last"),
    [
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        (date(2100, 2, 1), date(2100, 2, 28)),  # a century, not a leap year
        (date(2000, 2, 1), date(2000, 2, 29)),  # every 400 years, a leap year
        (date(2026, 4, 1), date(2026, 4, 30)),
        (date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_issue_day_31_is_the_last_day_of_each_month(month: date, last: date) -> None:
    a = agreement(issue_day=31, start=month)
    first = a.first_period()
    assert first is not None
    assert first.issue_on == last
    assert first.end == last  # a monthly period ends on the month's last day too


def test_a_february_period_in_a_leap_year_has_29_days() -> None:
    first = agreement(start=date(2028, 2, 1)).first_period()
    assert first is not None
    assert (first.end - first.start).days + 1 == 29


def test_quarterly_and_yearly_periods_cover_whole_months() -> None:
    quarter = agreement(interval=Interval(3), start=date(2026, 1, 1)).first_period()
    year = agreement(interval=Interval(12), start=date(2026, 7, 1)).first_period()
    assert quarter == Period(date(2026, 1, 1), date(2026, 3, 31), date(2026, 1, 1))
    assert year == Period(date(2026, 7, 1), date(2027, 6, 30), date(2026, 7, 1))


def test_a_period_that_starts_on_or_before_the_end_is_issued_whole() -> None:
    a = agreement(interval=Interval(3), end=date(2026, 6, 15))
    assert [(p.start, p.end) for p in periods(a)] == [
        (date(2026, 3, 1), date(2026, 5, 31)),
        (date(2026, 6, 1), date(2026, 8, 31)),  # starts before the end: whole
    ]
    assert [p.start for p in periods(agreement(end=date(2026, 3, 1)))] == [date(2026, 3, 1)]


def test_stopping_ends_the_periods_like_an_earlier_end() -> None:
    a = agreement(end=date(2026, 12, 31)).stopped(date(2026, 4, 10))
    assert a.last_day == date(2026, 4, 10)
    assert [p.start for p in periods(a)] == [date(2026, 3, 1), date(2026, 4, 1)]
    assert agreement(end=date(2026, 3, 31)).stopped(date(2026, 9, 1)).last_day == date(2026, 3, 31)
    assert agreement().stopped(date(2026, 2, 28)).first_period() is None


def test_due_periods_are_those_whose_issue_day_has_come() -> None:
    a = agreement(issue_day=10)
    assert a.due(date(2026, 3, 1), date(2026, 3, 9)) == []
    assert [p.start for p in a.due(date(2026, 3, 1), date(2026, 3, 10))] == [date(2026, 3, 1)]
    assert [p.start for p in a.due(date(2026, 3, 1), date(2026, 6, 9))] == [
        date(2026, 3, 1),
        date(2026, 4, 1),
        date(2026, 5, 1),
    ]
    assert a.due(None, date(2030, 1, 1)) == []  # ended: nothing more


def test_status_is_active_until_the_last_period_is_issued_or_it_is_stopped() -> None:
    a = agreement()
    assert a.status(date(2026, 4, 1)) is Status.ACTIVE
    assert a.status(None) is Status.ENDED
    assert a.stopped(date(2026, 5, 1)).status(date(2026, 5, 1)) is Status.STOPPED


@pytest.mark.parametrize(
    ("start", "months", "nb", "en"),
    [
        (date(2026, 3, 1), 1, "mars 2026", "March 2026"),
        (date(2026, 12, 1), 1, "desember 2026", "December 2026"),
        (date(2026, 1, 1), 3, "1. kvartal 2026", "Q1 2026"),
        (date(2026, 10, 1), 3, "4. kvartal 2026", "Q4 2026"),
        (date(2026, 3, 1), 3, "mars–mai 2026", "March–May 2026"),
        (date(2026, 11, 1), 3, "november 2026–januar 2027", "November 2026–January 2027"),
        (date(2026, 1, 1), 12, "2026", "2026"),
        (date(2026, 3, 1), 12, "mars 2026–februar 2027", "March 2026–February 2027"),
        (date(2026, 1, 1), 2, "januar–februar 2026", "January–February 2026"),
        (date(2026, 7, 1), 6, "juli–desember 2026", "July–December 2026"),
    ],
)
def test_the_period_in_words(start: date, months: int, nb: str, en: str) -> None:
    assert period_text(start, months, Language.NB) == nb
    assert period_text(start, months, Language.EN) == en


def test_the_invoice_text_is_the_agreement_text_and_the_period() -> None:
    a = agreement()
    first = a.first_period()
    assert first is not None
    assert a.invoice_text(first, Language.NB) == "Husleie mars 2026"
    assert a.invoice_text(first, Language.EN) == "Husleie March 2026"


def test_add_months_crosses_years_both_ways() -> None:
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 1, 1), -13) == date(2024, 12, 1)


months = st.integers(min_value=0, max_value=12 * 30).map(lambda n: add_months(date(2000, 1, 1), n))


@st.composite
def valid_agreements(draw: st.DrawFn) -> RecurringAgreement:
    start = draw(months)
    end = draw(st.none() | st.integers(min_value=0, max_value=2000))
    return agreement(
        interval=Interval(draw(st.integers(min_value=1, max_value=24))),
        issue_day=draw(st.sampled_from([*range(1, 29), 31])),
        advance_months=draw(st.integers(min_value=0, max_value=12)),
        start=start,
        end=start + timedelta(days=end) if end is not None else None,
    )


@given(valid_agreements())
def test_periods_are_contiguous_whole_months_that_never_overlap(a: RecurringAgreement) -> None:
    found = periods(a, limit=60)
    assert found[0].start == a.start
    for period in found:
        assert period.start.day == 1
        assert (period.end + timedelta(days=1)).day == 1
        assert period.months == a.interval.months
        assert a.start <= period.issue_on <= period.end
        assert a.last_day is None or period.start <= a.last_day
    for before, after in itertools.pairwise(found):
        assert after.start == before.end + timedelta(days=1)
        assert after.issue_on >= before.issue_on
    if a.last_day is not None and len(found) < 60:
        assert found[-1].end >= a.last_day  # the last period covers the end


@given(
    valid_agreements(),
    st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=40),
)
def test_each_period_is_due_once_however_the_days_are_run(
    a: RecurringAgreement, gaps: list[int]
) -> None:
    """Run the agreement on days with any gaps (0: the same day again), moving the next
    period on as the service does: every period up to the last day is issued once, in
    order, each on or after its issue day; the same as one run on the last day."""
    day = a.start - timedelta(days=40)
    next_period: date | None = a.start
    issued: list[tuple[Period, date]] = []
    for gap in gaps:
        day += timedelta(days=gap)
        due = a.due(next_period, day)
        issued.extend((p, day) for p in due)
        if due:
            following = a.following(due[-1])
            next_period = following.start if following else None
    starts = [p.start for p, _ in issued]
    assert len(starts) == len(set(starts))
    assert [p for p, _ in issued] == a.due(a.start, day)
    assert all(p.issue_on <= on for p, on in issued)
    remaining = a.due(next_period, day)
    assert remaining == []


def test_an_interval_of_other_digits_than_ascii_is_refused() -> None:
    with pytest.raises(InvalidInput):
        parse_interval("\u0662m")
