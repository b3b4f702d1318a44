"""Pausing a complaint's clock while the office waits for the customer or a third party.

A pause says why; resuming it moves the report and callback due dates on by the business days
the clock stood still (`transitions.clock_resumed`). Both are events on the complaint's timeline.
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
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import ClockPause, Complaint, Delegation

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
    """Start the clock again: the due dates move on by the business days it stood still."""
    permissions.require(uow, permissions.Action.PAUSE_CLOCK)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = complaints.load(uow, reference)
    row = running_pause(uow, complaint.id)
    if row is None:
        raise ValidationError(
            f"{complaint.reference}'s clock is not paused; there is nothing to resume.",
            field="reference",
        )
    settings = office.load_settings(uow)
    today = SYSTEM_CLOCK.local_day(moment)
    days = max(
        0, policy.business_days_between(SYSTEM_CLOCK.local_day(row.paused_at), today, settings)
    )
    before = complaints.snapshot(complaint)
    step = transitions.clock_resumed(transitions.LoopState.of(complaint), days, settings)
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


def pauses_of(uow: UnitOfWork, reference: str) -> list[PauseView]:
    """Every pause of the complaint, oldest first."""
    complaint = complaints.load(uow, reference, for_update=False)
    rows = uow.session.scalars(
        select(ClockPause).where(ClockPause.complaint_id == complaint.id).order_by(ClockPause.id)
    )
    return [_view(complaint, row) for row in rows]
