"""Business hours: the time a logged complaint has to be delegated in."""

from __future__ import annotations

from datetime import datetime, timedelta

from ceo_desk.core import policy
from ceo_desk.settings import OfficeSettings

SETTINGS = OfficeSettings(holidays=())
FRIDAY = datetime(2026, 3, 13, 16, 0)


def test_hours_left_on_friday_carry_over_the_weekend() -> None:
    assert policy.add_business_hours(FRIDAY, 2, SETTINGS) == datetime(2026, 3, 16, 10, 0)


def test_a_call_logged_at_night_counts_from_the_next_opening() -> None:
    evening = datetime(2026, 3, 10, 21, 30)
    assert policy.add_business_hours(evening, 1, SETTINGS) == datetime(2026, 3, 11, 10, 0)


def test_overdue_by_the_cutoff_agrees_with_overdue_by_the_due_time() -> None:
    start = datetime(2026, 3, 12, 6, 0)
    received_times = [start + timedelta(minutes=47 * n) for n in range(120)]
    now_times = [start + timedelta(minutes=61 * n) for n in range(130)]
    for hours in (1, 4, 9):
        for now in now_times:
            cutoff = policy.subtract_business_hours(now, hours, SETTINGS)
            for received in received_times:
                if received > now:
                    continue
                due = policy.add_business_hours(received, hours, SETTINGS)
                assert (now > due) == (received < cutoff), (hours, received, now)
