"""Reminders and escalation: which scheduled message is due today, decided from business days.

`due_reminders` is the rule, a pure function of the open hand-offs, the day and the office's
settings. Each reminder has a dedupe key (the shared vocabulary of the outbox), so deciding the
same day twice, or on two computers at once, still queues each reminder once:

- report due tomorrow: on the last business day before the report is due, not on the day of the
  hand-off itself (the delegation notice has just said when it is due);
- report overdue: on every business day after the due day, one a day;
- escalation: once, to the head of the delegate's unit, when the report is `escalate_after_days`
  business days overdue (never for a unit without a head, or headed by the delegate);
- final-response deadline near: once per complaint, to its delegate, from the day the final
  response's early warning begins.

Nothing goes on a day the office is closed: a run on a Saturday waits for Monday, and a computer
that was off for days catches up with what is due on the day it runs, not with every missed day.
The reminders run (`run_reminders` in `core/reminders_run.py`) queues what is due and sends it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ceo_desk.core.policy import add_business_days, business_days_between, is_business_day
from ceo_desk.enums import MessageKind
from ceo_desk.settings import OfficeSettings


@dataclass(frozen=True)
class Handoff:
    """A complaint waiting for its delegate's report, as the reminders see it."""

    delegation_id: int
    complaint_id: int
    reference: str
    delegated_on: date  # the local day of the hand-off
    report_due_on: date
    delegate_staff_id: int
    head_staff_id: int | None = None  # of the delegate's unit


@dataclass(frozen=True)
class Reminder:
    """One message due today. `to_head`: it goes to the unit's head (the delegate in copy)."""

    kind: MessageKind
    dedupe_key: str
    complaint_id: int
    reference: str
    delegation_id: int | None = None
    to_head: bool = False


def due_tomorrow_key(delegation_id: int) -> str:
    return f"due-tomorrow:{delegation_id}"


def overdue_key(delegation_id: int, day: date) -> str:
    return f"overdue:{delegation_id}:{day.isoformat()}"


def escalation_key(delegation_id: int) -> str:
    return f"escalation:{delegation_id}"


def deadline_near_key(complaint_id: int) -> str:
    return f"deadline-near:{complaint_id}"


def business_days_overdue(due: date, today: date, settings: OfficeSettings) -> int:
    """Business days a report due on `due` is overdue on `today` (0 until it is past due): the
    one count both the escalation threshold and the escalation email use."""
    return max(0, business_days_between(due, today, settings))


def for_handoff(handoff: Handoff, today: date, settings: OfficeSettings) -> list[Reminder]:
    """The reminders about one hand-off that are due on `today`."""
    if not is_business_day(today, settings):
        return []
    due = handoff.report_due_on
    found: list[Reminder] = []

    def remind(kind: MessageKind, key: str, *, to_head: bool = False) -> None:
        found.append(
            Reminder(
                kind, key, handoff.complaint_id, handoff.reference, handoff.delegation_id, to_head
            )
        )

    if today < due <= add_business_days(today, 1, settings) and handoff.delegated_on < today:
        remind(MessageKind.REPORT_DUE_TOMORROW, due_tomorrow_key(handoff.delegation_id))
    if today > due:
        remind(MessageKind.REPORT_OVERDUE, overdue_key(handoff.delegation_id, today))
        head = handoff.head_staff_id
        if (
            head is not None
            and head != handoff.delegate_staff_id
            and business_days_overdue(due, today, settings) >= settings.escalate_after_days
        ):
            remind(MessageKind.ESCALATION, escalation_key(handoff.delegation_id), to_head=True)
    return found


@dataclass(frozen=True)
class DeadlineWatch:
    """A delegated complaint and where its final-response deadline stands today."""

    complaint_id: int
    reference: str
    state: str  # "ok", "warning", "overdue" or "met" (core/deadlines.py FinalResponse.state)


def for_deadline(watch: DeadlineWatch, today: date, settings: OfficeSettings) -> list[Reminder]:
    """The final-response deadline is near: once, while its early warning lasts (a deadline
    already passed is shown in every list; a message saying it is near would be wrong)."""
    if watch.state != "warning" or not is_business_day(today, settings):
        return []
    return [
        Reminder(
            MessageKind.FINAL_DEADLINE_NEAR,
            deadline_near_key(watch.complaint_id),
            watch.complaint_id,
            watch.reference,
        )
    ]


def due_reminders(
    handoffs: Iterable[Handoff],
    today: date,
    settings: OfficeSettings,
    *,
    deadlines: Iterable[DeadlineWatch] = (),
) -> list[Reminder]:
    """Every reminder due on `today`, in the order of the complaints' references."""
    found = [r for h in handoffs for r in for_handoff(h, today, settings)]
    found += [r for w in deadlines for r in for_deadline(w, today, settings)]
    order: Mapping[MessageKind, int] = {kind: n for n, kind in enumerate(MessageKind)}
    return sorted(found, key=lambda r: (r.reference, order[r.kind]))
