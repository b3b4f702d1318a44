from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core import policy, transitions
from ceo_desk.enums import Severity
from ceo_desk.settings import OfficeSettings

FRIDAY = date(2026, 3, 13)


def test_business_days_skip_the_weekend() -> None:
    settings = OfficeSettings()
    assert policy.add_business_days(FRIDAY, 1, settings) == date(2026, 3, 16)
    assert policy.add_business_days(FRIDAY, 5, settings) == date(2026, 3, 20)


def test_holidays_are_skipped() -> None:
    settings = OfficeSettings(holidays=(date(2026, 3, 16),))
    assert policy.add_business_days(FRIDAY, 1, settings) == date(2026, 3, 17)


def test_zero_days_rolls_a_weekend_forward() -> None:
    assert policy.add_business_days(date(2026, 3, 14), 0, OfficeSettings()) == date(2026, 3, 16)


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (Severity.CRITICAL, date(2026, 3, 16)),
        (Severity.HIGH, date(2026, 3, 17)),
        (Severity.NORMAL, date(2026, 3, 20)),
        (Severity.LOW, date(2026, 3, 27)),
    ],
)
def test_report_due_by_severity(severity: Severity, expected: date) -> None:
    assert transitions.report_due(FRIDAY, severity, OfficeSettings()) == expected


def test_callback_is_next_business_day() -> None:
    assert transitions.callback_due(FRIDAY, OfficeSettings()) == date(2026, 3, 16)


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    count=st.integers(min_value=1, max_value=60),
)
def test_counting_back_gives_the_same_number(start: date, count: int) -> None:
    settings = OfficeSettings(holidays=(date(2026, 12, 25), date(2026, 1, 1)))
    due = policy.add_business_days(start, count, settings)
    assert policy.is_business_day(due, settings)
    assert policy.business_days_between(start, due, settings) == count
    assert policy.business_days_between(due, start, settings) == -count


def test_later_today_is_two_hours_on_on_the_quarter_hour_within_the_business_day() -> None:
    office = OfficeSettings()  # 09:00 to 17:00
    assert policy.later_today(datetime(2026, 3, 9, 10, 7), office) == time(12, 15)
    assert policy.later_today(datetime(2026, 3, 9, 14, 45), office) == time(16, 45)
    assert policy.later_today(datetime(2026, 3, 9, 16, 45), office) is None
    assert policy.later_today(datetime(2026, 3, 9, 23, 0), office) is None
    assert policy.later_today(datetime(2026, 3, 9, 6, 0), office) == time(9, 0)
    assert policy.later_today(datetime(2026, 3, 14, 10, 0), office) is None  # a Saturday


def test_later_today_follows_the_offices_own_hours() -> None:
    late_office = OfficeSettings(business_day_start=time(11, 0), business_day_end=time(20, 0))
    assert policy.later_today(datetime(2026, 3, 9, 16, 45), late_office) == time(18, 45)
    assert policy.later_today(datetime(2026, 3, 9, 7, 30), late_office) == time(11, 0)
