"""The due-date policy: business days, skipping weekends and the office's holidays."""

from __future__ import annotations

from datetime import date, timedelta

from ceo_desk.enums import Severity
from ceo_desk.settings import OfficeSettings


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


def report_due_on(delegated_on: date, severity: Severity, settings: OfficeSettings) -> date:
    return add_business_days(delegated_on, settings.report_due_days[severity], settings)


def callback_due_on(reported_on: date, settings: OfficeSettings) -> date:
    return add_business_days(reported_on, settings.callback_due_days, settings)
