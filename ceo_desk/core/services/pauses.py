"""Pausing a complaint's clock while the office waits for the customer or a third party.

A pause says why; resuming it moves the report and callback due dates on by the business days
the clock stood still after each was set (`transitions.clock_resumed`); closing the complaint
ends it (`end_on_closing`). Both are events on the complaint's timeline.
The final-response deadline and every business-day measure leave the paused time out
(`core.deadlines`, `core.policy.business_days_unpaused`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ceo_desk.core import lifecycle, permissions, policy, provenance, transitions, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import complaints, office
from ceo_desk.errors import LifecycleError, ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import ClockPause, Complaint, Delegation, Event

MAX_REASON_LENGTH = 500


@dataclass(frozen=True)
class PauseView:
    """One pause as the timeline and the commands show it."""

    id: int
    reference: str
    reason: str
    paused_at: datetime
    paused_by: str
    resumed_at: datetime | None
    resumed_by: str | None
    paused_business_days: int = 0  # known once resumed
    report_due_on: date | None = None
    callback_due_on: date | None = None


def running_pause(uow: UnitOfWork, complaint_id: int) -> ClockPause | None:
    """The complaint's pause that has not been resumed, if its clock stands still now."""
    row: ClockPause | None = uow.session.scalar(
        select(ClockPause)
        .where(ClockPause.complaint_id == complaint_id, ClockPause.resumed_at.is_(None))
        .order_by(ClockPause.id.desc())
        .limit(1)
    )
    return row


def _view(complaint: Complaint, row: ClockPause, days: int = 0) -> PauseView:
    return PauseView(
        row.id,
        complaint.reference,
        row.reason,
        row.paused_at,
        row.paused_by,
        row.resumed_at,
        row.resumed_by,
        days,
        complaint.report_due_on,
        complaint.callback_due_on,
    )


def pause(
    uow: UnitOfWork, reference: str, reason: str, *, now: datetime | None = None
) -> PauseView:
    """Stop the complaint's clock, saying what the office waits for."""
    permissions.require(uow, permissions.Action.PAUSE_CLOCK)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = complaints.load(uow, reference)
    lifecycle.require(complaint.reference, complaint.status, lifecycle.Action.PAUSE_CLOCK)
    cleaned = validation.text(
        reason, "reason", required=True, max_length=MAX_REASON_LENGTH, label="The reason"
    )
    if (running := running_pause(uow, complaint.id)) is not None:
        raise ValidationError(
            f"{complaint.reference}'s clock is already paused since "
            f"{SYSTEM_CLOCK.local_day(running.paused_at).isoformat()} ({running.reason}); "
            f"resume it first with `ceo-desk resume {complaint.reference}`.",
            field="reference",
        )
    row = ClockPause(
        complaint_id=complaint.id,
        reason=cleaned,
        paused_at=moment,
        paused_by=provenance.acting_identity(uow),
    )
    uow.session.add(row)
    uow.session.flush()
    before = complaints.snapshot(complaint)
    step = transitions.clock_paused(transitions.LoopState.of(complaint))
    complaints._record(
        uow, complaint, step.action, step.description, before, moment, said={"reason": cleaned}
    )
    complaints._save(uow, complaint)
    return _view(complaint, row)


def resume(uow: UnitOfWork, reference: str, *, now: datetime | None = None) -> PauseView:
    """Start the clock again: each due date moves on by the paused business days after it was
    set."""
    permissions.require(uow, permissions.Action.PAUSE_CLOCK)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = complaints.load(uow, reference)
    if not complaint.status.is_open:
        raise LifecycleError(
            f"{complaint.reference} is {complaint.status.label.lower()}: its clock stopped for "
            "good when it closed, so there is nothing to resume."
        )
    row = running_pause(uow, complaint.id)
    if row is None:
        raise ValidationError(
            f"{complaint.reference}'s clock is not paused; there is nothing to resume.",
            field="reference",
        )
    settings = office.load_settings(uow)
    today = SYSTEM_CLOCK.local_day(moment)
    paused_on = SYSTEM_CLOCK.local_day(row.paused_at)
    days = max(0, policy.business_days_between(paused_on, today, settings))
    report_set, callback_set = due_dates_set_on(uow, complaint.id)
    before = complaints.snapshot(complaint)
    step = transitions.clock_resumed(
        transitions.LoopState.of(complaint),
        days,
        settings,
        report_days=transitions.paused_days_after(paused_on, report_set, today, settings),
        callback_days=transitions.paused_days_after(paused_on, callback_set, today, settings),
    )
    if step.state.report_due_on != complaint.report_due_on and step.state.report_due_on:
        delegation = uow.session.scalar(
            select(Delegation)
            .where(Delegation.complaint_id == complaint.id)
            .order_by(Delegation.id.desc())
            .limit(1)
        )
        if delegation is not None:
            delegation.report_due_on = step.state.report_due_on
    row.resumed_at = moment
    row.resumed_by = provenance.acting_identity(uow)
    step.state.apply_to(complaint)
    complaints._record(uow, complaint, step.action, step.description, before, moment)
    complaints._save(uow, complaint)
    return _view(complaint, row, days)


def due_dates_set_on(uow: UnitOfWork, complaint_id: int) -> tuple[date | None, date | None]:
    """The local days the complaint's report and callback due dates were last set."""
    events = uow.session.execute(
        select(Event.action, Event.at)
        .where(Event.complaint_id == complaint_id, Event.entity == "complaint")
        .order_by(Event.id)
    )
    report_set, callback_set = transitions.due_dates_set_at((kind, at) for kind, at in events)
    return (
        SYSTEM_CLOCK.local_day(report_set) if report_set is not None else None,
        SYSTEM_CLOCK.local_day(callback_set) if callback_set is not None else None,
    )


def report_paused_days(
    uow: UnitOfWork, complaint_id: int, today: date, settings: OfficeSettings
) -> int:
    """The business days the report due date would move by if the running pause were resumed
    `today` (0 while the clock runs): what a report filed while paused is judged against."""
    row = running_pause(uow, complaint_id)
    if row is None:
        return 0
    report_set, _ = due_dates_set_on(uow, complaint_id)
    return transitions.paused_days_after(
        SYSTEM_CLOCK.local_day(row.paused_at), report_set, today, settings
    )


def end_on_closing(
    uow: UnitOfWork, complaint: Complaint, moment: datetime, *, stopped_at: datetime | None = None
) -> None:
    """A complaint that closes ends its running pause in the same transaction, as an event on
    its timeline; a closed complaint's clock is neither running nor paused. `stopped_at` is when
    the clock stopped, if earlier than now (a pause left running by a closing in the past)."""
    row = running_pause(uow, complaint.id)
    if row is None:
        return
    ended = max(row.paused_at, stopped_at or moment)
    days = max(
        0,
        policy.business_days_between(
            SYSTEM_CLOCK.local_day(row.paused_at),
            SYSTEM_CLOCK.local_day(ended),
            office.load_settings(uow),
        ),
    )
    row.resumed_at = ended
    row.resumed_by = provenance.acting_identity(uow)
    before = complaints.snapshot(complaint)
    step = transitions.clock_resumed_on_closing(transitions.LoopState.of(complaint), days)
    complaints._record(uow, complaint, step.action, step.description, before, moment)


def pauses_of(uow: UnitOfWork, reference: str) -> list[PauseView]:
    """Every pause of the complaint, oldest first."""
    complaint = complaints.load(uow, reference, for_update=False)
    rows = uow.session.scalars(
        select(ClockPause).where(ClockPause.complaint_id == complaint.id).order_by(ClockPause.id)
    )
    return [_view(complaint, row) for row in rows]


def restore_ended_by(
    uow: UnitOfWork, complaint: Complaint, closed_at: datetime, moment: datetime
) -> None:
    """The closing at `closed_at` is withdrawn: the pause it ended (`end_on_closing`) runs on,
    with an event on the timeline; the event that ended it stays in the trail."""
    if running_pause(uow, complaint.id) is not None:
        return
    row = uow.session.scalar(
        select(ClockPause)
        .where(ClockPause.complaint_id == complaint.id, ClockPause.resumed_at == closed_at)
        .order_by(ClockPause.id.desc())
        .limit(1)
    )
    if row is None:
        return
    row.resumed_at = None
    row.resumed_by = None
    before = complaints.snapshot(complaint)
    step = transitions.clock_pause_restored(transitions.LoopState.of(complaint))
    complaints._record(
        uow, complaint, step.action, step.description, before, moment, said={"reason": row.reason}
    )
