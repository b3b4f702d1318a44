"""How dates, times and due dates read on screen (short, unambiguous, local time)."""

from __future__ import annotations

from datetime import date

# A day and a moment read the same on screen and on paper: one home, in the presenter.
from ceo_desk.core.presenting import day as day
from ceo_desk.core.presenting import moment as moment


def long_day(value: date | None) -> str:
    """'Tuesday 3 March'."""
    if value is None:
        return ""
    return f"{value.strftime('%A')} {value.day} {value.strftime('%B')}"


def due(due_on: date | None, today: date) -> str:
    """'Today', 'Tomorrow', '2 days overdue', 'In 3 days'."""
    if due_on is None:
        return ""
    delta = (due_on - today).days
    if delta == 0:
        return "Today"
    if delta == 1:
        return "Tomorrow"
    if delta < 0:
        late = -delta
        return f"{late} day{'s' if late != 1 else ''} overdue"
    return f"In {delta} days"


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (plural_noun or noun + 's')}"
