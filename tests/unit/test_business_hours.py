"""Business hours: the time a logged complaint has to be delegated in."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from ceo_desk.core import policy
from ceo_desk.settings import OfficeSettings

SETTINGS = OfficeSettings(holidays=())
FRIDAY = datetime(2026, 3, 13, 16, 0)


def test_hours_left_on_friday_carry_over_the_weekend() -> None:
    assert policy.add_business_hours(FRIDAY, 2, SETTINGS) == datetime(2026, 3, 16, 10, 0)


def test_a_call_logged_at_night_counts_from_the_next_opening() -> None:
    evening = datetime(2026, 3, 10, 21, 30)
    assert policy.add_business_hours(evening, 1, SETTINGS) == datetime(2026, 3, 11, 10, 0)


def test_the_offices_own_hours_are_counted() -> None:
    early = OfficeSettings(
        holidays=(), business_day_start=time(7, 30), business_day_end=time(15, 0)
    )
    assert policy.add_business_hours(FRIDAY, 2, early) == datetime(2026, 3, 16, 9, 30)
    evening = datetime(2026, 3, 10, 21, 30)
    assert policy.add_business_hours(evening, 1, early) == datetime(2026, 3, 11, 8, 30)
    assert policy.subtract_business_hours(datetime(2026, 3, 16, 8, 0), 1, early) == datetime(
        2026, 3, 13, 14, 30
    )


@pytest.mark.parametrize(
    "settings",
    [SETTINGS, OfficeSettings(business_day_start=time(7, 30), business_day_end=time(19, 15))],
    ids=["09-17", "0730-1915"],
)
def test_overdue_by_the_cutoff_agrees_with_overdue_by_the_due_time(
    settings: OfficeSettings,
) -> None:
    start = datetime(2026, 3, 12, 6, 0)
    received_times = [start + timedelta(minutes=47 * n) for n in range(120)]
    now_times = [start + timedelta(minutes=61 * n) for n in range(130)]
    for hours in (1, 4, 9):
        for now in now_times:
            cutoff = policy.subtract_business_hours(now, hours, settings)
            for received in received_times:
                if received > now:
                    continue
                due = policy.add_business_hours(received, hours, settings)
                assert (now > due) == (received < cutoff), (hours, received, now)
