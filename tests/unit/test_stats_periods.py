"""Months, periods, resolution buckets and local days: the calendar rules behind the figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core import policy, stats
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.errors import ValidationError
from ceo_desk.settings import OfficeSettings


@pytest.mark.parametrize("text", ["2026-3", " 2026-03 "])
def test_month_parses_as_people_type_it(text: str) -> None:
    assert policy.Month.parse(text) == policy.Month(2026, 3)


@pytest.mark.parametrize("text", ["", "March", "2026-13", "2026-00", "26-03", "2026/03"])
def test_bad_months_are_refused_with_the_format(text: str) -> None:
    with pytest.raises(ValidationError, match="YYYY-MM"):
        policy.Month.parse(text)


def test_month_arithmetic_crosses_years() -> None:
    january = policy.Month(2026, 1)
    assert january.previous() == policy.Month(2025, 12)
    assert january.shifted(-11) == policy.Month(2025, 2)
    assert policy.Month(2025, 12).next() == january
    assert policy.Month(2024, 2).last_day == date(2024, 2, 29)
    assert january.label == "January 2026" and january.iso == "2026-01"
    assert policy.last_complete_month(date(2026, 1, 1)) == policy.Month(2025, 12)


def test_period_of_the_current_month_runs_to_now() -> None:
    now = datetime(2026, 3, 15, 12, tzinfo=UTC)
    period = policy.Period.of(policy.Month(2026, 3), now)
    assert not period.complete and period.end == now
    done = policy.Period.of(policy.Month(2026, 2), now)
    assert done.complete and done.end_day == date(2026, 3, 1)
    with pytest.raises(ValidationError, match="has not begun"):
        policy.Period.of(policy.Month(2026, 4), now)


@pytest.mark.parametrize(
    ("received", "resolved", "bucket"),
    [
        (date(2026, 3, 6), date(2026, 3, 11), stats.WITHIN_3_BUSINESS_DAYS),  # Fri to Wed: 3
        (date(2026, 3, 6), date(2026, 3, 12), stats.WITHIN_4_WEEKS),
        (date(2026, 3, 1), date(2026, 3, 29), stats.WITHIN_4_WEEKS),  # 28 days
        (date(2026, 3, 1), date(2026, 3, 30), stats.FOUR_TO_8_WEEKS),
        (date(2026, 3, 1), date(2026, 4, 26), stats.FOUR_TO_8_WEEKS),  # 56 days
        (date(2026, 3, 1), date(2026, 4, 27), stats.OVER_8_WEEKS),
    ],
)
def test_resolution_buckets_at_their_edges(received: date, resolved: date, bucket: str) -> None:
    assert stats.bucket_for(received, resolved, OfficeSettings()) == bucket


def test_holidays_count_against_the_three_business_days() -> None:
    settings = OfficeSettings(holidays=(date(2026, 3, 9),))
    assert stats.bucket_for(date(2026, 3, 6), date(2026, 3, 11), settings) == (
        stats.WITHIN_3_BUSINESS_DAYS
    )
    assert stats.bucket_for(date(2026, 3, 6), date(2026, 3, 12), settings) == (
        stats.WITHIN_3_BUSINESS_DAYS
    )


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)))
def test_local_day_agrees_with_the_clock(moment: datetime) -> None:
    aware = moment.replace(tzinfo=UTC)
    assert SYSTEM_CLOCK.local_day(aware) == aware.astimezone().date()
    later = aware + timedelta(minutes=59)
    assert SYSTEM_CLOCK.local_day(later) == later.astimezone().date()


def test_median_and_share_of_nothing_are_none() -> None:
    assert stats.median([]) is None and stats.share(3, 0) is None
    assert stats.median([1, 2, 3, 10]) == 2.5
