"""The clock: local days and midnights in a zone with daylight saving; a clock that stands still."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core.clock import SYSTEM_CLOCK, Clock, FixedClock
from ceo_desk.core.policy import Month, Period

AUCKLAND = ZoneInfo("Pacific/Auckland")
NEW_YORK = ZoneInfo("America/New_York")


def test_a_fixed_clock_stands_still_and_keeps_its_zone() -> None:
    moment = datetime(2026, 3, 31, 12, 30, tzinfo=UTC)  # already 1 April in Auckland
    auckland = FixedClock(moment, AUCKLAND)
    assert auckland.now() == moment and auckland.now() == auckland.now()
    assert auckland.today() == date(2026, 4, 1)
    assert FixedClock(moment, NEW_YORK).today() == date(2026, 3, 31)
    assert auckland.moment(None) == moment
    assert auckland.moment(datetime(2026, 1, 1, tzinfo=AUCKLAND)) == datetime(
        2025, 12, 31, 11, tzinfo=UTC
    )


@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)),
    st.sampled_from([AUCKLAND, NEW_YORK, ZoneInfo("Australia/Lord_Howe")]),
)
def test_local_day_agrees_with_the_zone(moment: datetime, zone: ZoneInfo) -> None:
    clock = Clock(zone)
    aware = moment.replace(tzinfo=UTC)
    assert clock.local_day(aware) == aware.astimezone(zone).date()
    later = aware + timedelta(minutes=59)
    assert clock.local_day(later) == later.astimezone(zone).date()


def test_the_day_the_clocks_go_back_has_25_hours() -> None:
    clock = Clock(AUCKLAND)  # daylight saving ended at 03:00 on Sunday 5 April 2026
    start, end = clock.day_start(date(2026, 4, 5)), clock.day_start(date(2026, 4, 6))
    assert end - start == timedelta(hours=25)
    assert clock.local_day(start) == date(2026, 4, 5)
    assert clock.local_day(end - timedelta(microseconds=1)) == date(2026, 4, 5)
    forward = clock.day_start(date(2026, 9, 28)) - clock.day_start(date(2026, 9, 27))
    assert forward == timedelta(hours=23)


def test_a_month_runs_between_local_midnights_of_the_clock() -> None:
    clock = FixedClock(datetime(2026, 5, 1, tzinfo=UTC), AUCKLAND)
    april = Period.of(Month(2026, 4), clock.now(), clock)
    assert april.start == datetime(2026, 3, 31, 11, tzinfo=UTC)  # 00:00 NZDT
    assert april.end == datetime(2026, 4, 30, 12, tzinfo=UTC)  # 00:00 NZST
    assert april.complete and april.end_day == date(2026, 5, 1)


def test_the_system_clock_reads_this_computers_zone() -> None:
    moment = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    assert SYSTEM_CLOCK.local_day(moment) == moment.astimezone().date()
    day = date(2026, 10, 25)
    assert SYSTEM_CLOCK.day_start(day) == datetime(2026, 10, 25).astimezone().astimezone(UTC)
