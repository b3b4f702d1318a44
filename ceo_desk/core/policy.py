"""Business days, skipping weekends and the office's holidays; months.

The due dates built on business days (report, callback, next attempt) are lifecycle rules: see
`core.transitions`.

Periods are calendar months on this computer's clock, as due dates are: a month runs from local
midnight on its first day to local midnight on the first day of the next month.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from ceo_desk.core.clock import SYSTEM_CLOCK, Clock
from ceo_desk.errors import ValidationError
from ceo_desk.settings import OfficeSettings

# An outcome recorded by mistake can be withdrawn for this long after it was recorded.
OUTCOME_UNDO_MINUTES = 5

# "Try again later today": this long after an unanswered call, on the quarter hour, and only
# within the office's business day (`business_day_start` to `business_day_end`).
LATER_TODAY_AFTER = timedelta(hours=2)


def later_today(local_now: datetime, settings: OfficeSettings) -> time | None:
    """When an unanswered call is tried again later the same day, or None when today is no
    business day or it is too late in it (then the next business day is the only offer)."""
    if not is_business_day(local_now.date(), settings):
        return None
    later = local_now + LATER_TODAY_AFTER
    later = later.replace(second=0, microsecond=0)
    later += timedelta(minutes=(-later.minute) % 15)
    if later.date() != local_now.date() or later.time() > settings.business_day_end:
        return None
    return max(later.time(), settings.business_day_start)


# Business hours: the office's working day (`business_day_start` to `business_day_end`, office
# settings) on business days only. A logged complaint is to be delegated within a number of them
# (a setting by severity, `intake_due_hours`).


def add_business_hours(start: datetime, hours: int, settings: OfficeSettings) -> datetime:
    """The wall-clock moment `hours` business hours after `start` (a local, naive time); a
    start outside business hours counts from the next opening."""
    remaining = timedelta(hours=hours)
    moment = start
    while True:
        day = moment.date()
        if is_business_day(day, settings):
            opens = datetime.combine(day, settings.business_day_start)
            closes = datetime.combine(day, settings.business_day_end)
            moment = max(moment, opens)
            if moment < closes:
                if remaining <= closes - moment:
                    return moment + remaining
                remaining -= closes - moment
        moment = datetime.combine(day + timedelta(days=1), time.min)


def subtract_business_hours(end: datetime, hours: int, settings: OfficeSettings) -> datetime:
    """The wall-clock moment `hours` business hours before `end` (local, naive): whatever was
    received before it is more than `hours` business hours old at `end`."""
    remaining = timedelta(hours=hours)
    moment = end
    while True:
        day = moment.date()
        if is_business_day(day, settings):
            opens = datetime.combine(day, settings.business_day_start)
            closes = datetime.combine(day, settings.business_day_end)
            moment = min(moment, closes)
            if moment > opens:
                if remaining <= moment - opens:
                    return moment - remaining
                remaining -= moment - opens
        moment = datetime.combine(day - timedelta(days=1), time.max)


def can_withdraw_outcome(recorded_at: datetime, now: datetime) -> bool:
    """Whether an outcome recorded at `recorded_at` can still be withdrawn at `now`."""
    return now - recorded_at <= timedelta(minutes=OUTCOME_UNDO_MINUTES)


K = TypeVar("K")
V = TypeVar("V")


def is_business_day(day: date, settings: OfficeSettings) -> bool:
    return day.weekday() not in settings.weekend_days and day not in settings.holidays


def add_business_days(start: date, count: int, settings: OfficeSettings) -> date:
    """The date `count` business days after `start`; a count of 0 rolls to a business day."""
    day = start
    if count <= 0:
        while not is_business_day(day, settings):
            day += timedelta(days=1)
        return day
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_business_day(day, settings):
            remaining -= 1
    return day


def business_days_between(start: date, end: date, settings: OfficeSettings) -> int:
    """Business days from `start` to `end` (0 on the same day; negative when `end` is earlier)."""
    if end < start:
        return -business_days_between(end, start, settings)
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day, settings):
            days += 1
    return days


# ---------------------------------------------------------------- the paused clock

# A stretch the complaint's clock stood still: from the local day it was paused to the local day
# it was resumed (today while it is still paused). The day it was paused counts as worked; each
# later day up to and including the day it was resumed does not.
PauseSpan = tuple[date, date]


def paused_calendar_days(pauses: Iterable[PauseSpan]) -> int:
    """Calendar days the clock stood still: what a deadline in weeks is moved by."""
    return sum(max(0, (end - start).days) for start, end in pauses)


def paused_business_days(
    start: date, end: date, pauses: Iterable[PauseSpan], settings: OfficeSettings
) -> int:
    """Business days after `start` up to and including `end` on which the clock stood still."""
    days = 0
    for paused_on, resumed_on in pauses:
        low, high = max(start, paused_on), min(end, resumed_on)
        if high > low:
            days += business_days_between(low, high, settings)
    return days


def business_days_unpaused(
    start: date, end: date, pauses: Iterable[PauseSpan], settings: OfficeSettings
) -> int:
    """`business_days_between`, leaving out the days the clock stood still: every business-day
    measure of a complaint (days to report, to the callback, the regulator's buckets)."""
    spans = tuple(pauses)
    if end < start:
        return -business_days_unpaused(end, start, spans, settings)
    return business_days_between(start, end, settings) - paused_business_days(
        start, end, spans, settings
    )


# ---------------------------------------------------------------- months

_MONTH_PATTERN = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH_PATTERN.match(text or "")
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
            raise ValidationError(
                f"Month '{text}' is not a month; write it as YYYY-MM, for example 2026-03.",
                field="month",
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def start(self, clock: Clock = SYSTEM_CLOCK) -> datetime:
        """Midnight at the start of the month's first day on `clock`, in UTC."""
        return clock.day_start(self.first_day)

    def end(self, clock: Clock = SYSTEM_CLOCK) -> datetime:
        """Midnight at the start of the next month's first day on `clock`, in UTC."""
        return clock.day_start(self.next().first_day)

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return self.first_day.strftime("%B %Y")

    def __str__(self) -> str:
        return self.iso


def last_complete_month(today: date) -> Month:
    return Month.containing(today).previous()


@dataclass(frozen=True)
class Period:
    """A month as far as it has happened: `end` is the month's end, or now for the current month."""

    month: Month
    start: datetime
    end: datetime
    complete: bool
    clock: Clock = field(default=SYSTEM_CLOCK, compare=False, repr=False)

    @classmethod
    def of(cls, month: Month, now: datetime, clock: Clock = SYSTEM_CLOCK) -> Period:
        start, end = month.start(clock), month.end(clock)
        if start > now:
            raise ValidationError(
                f"{month.label} has not begun yet; choose "
                f"{Month.containing(clock.local_day(now))} or an earlier month.",
                field="month",
            )
        complete = end <= now
        return cls(month, start, end if complete else now, complete, clock)

    @property
    def end_day(self) -> date:
        """The day overdue is judged on: the first day of the next month, or today."""
        return self.month.next().first_day if self.complete else self.clock.local_day(self.end)


# ---------------------------------------------------------------- business days, cached


def _remembered(cache: dict[K, V], key: K, compute: Callable[[], V]) -> V:
    """`cache[key]`, computed once."""
    found = cache.get(key)
    if found is None:
        found = compute()
        cache[key] = found
    return found


class BusinessDays:
    """Business-day arithmetic under one office's settings, cached: reports ask the same pairs
    often."""

    def __init__(self, settings: OfficeSettings) -> None:
        self.settings = settings
        self._between: dict[tuple[date, date], int] = {}
        self._added: dict[tuple[date, int], date] = {}

    def between(self, start: date, end: date) -> int:
        return _remembered(
            self._between, (start, end), lambda: business_days_between(start, end, self.settings)
        )

    def add(self, start: date, count: int) -> date:
        return _remembered(
            self._added, (start, count), lambda: add_business_days(start, count, self.settings)
        )

    def between_unpaused(self, start: date, end: date, pauses: Iterable[PauseSpan]) -> int:
        """`between`, leaving out the days the clock stood still (`business_days_unpaused`)."""
        spans = tuple(pauses)
        if not spans:
            return self.between(start, end)
        if end < start:
            return -self.between_unpaused(end, start, spans)
        return self.between(start, end) - paused_business_days(start, end, spans, self.settings)

    def add_business_days(self, start: date, count: int, settings: OfficeSettings) -> date:
        """`add` in the shape of `add_business_days`, for the lifecycle's due-date rules."""
        assert settings is self.settings
        return self.add(start, count)
