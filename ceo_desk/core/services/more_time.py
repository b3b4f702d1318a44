"""A delegate's request for more time to report, and the assistant's answer to it.

The delegate asks with a reason and the date they propose; the assistant accepts (the report due
date moves to it, recorded in the trail) or declines with a reason. One request waits at a time
for each hand-off; an answered one stays, so both sides see what was asked and what was said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ceo_desk.core import audit, lifecycle, permissions, provenance, transitions, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.lifecycle import Action
from ceo_desk.core.report_form import current_delegation
from ceo_desk.core.services import complaints
from ceo_desk.enums import MoreTimeDecision, Status
from ceo_desk.errors import NotFoundError, ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, MoreTimeRequest


@dataclass(frozen=True)
class MoreTimeView:
    """One request as both sides see it."""

    id: int
    reference: str
    summary: str
    staff_id: int
    staff_name: str
    requested_by: str
    requested_at: datetime
    reason: str
    due_on_before: date
    proposed_due_on: date
    decision: MoreTimeDecision | None
    decided_by: str | None
    decided_at: datetime | None
    decline_reason: str | None

    @property
    def waiting(self) -> bool:
        return self.decision is None

    @property
    def answer(self) -> str:
        """The answer in words, for the delegate ("" while it waits)."""
        if self.decision is MoreTimeDecision.ACCEPTED:
            return f"Accepted: report now due {self.proposed_due_on.isoformat()}"
        if self.decision is MoreTimeDecision.DECLINED:
            return f"Declined: {self.decline_reason}"
        return ""


def _view(row: MoreTimeRequest) -> MoreTimeView:
    return MoreTimeView(
        row.id,
        row.complaint.reference,
        row.complaint.summary,
        row.staff_id,
        row.staff.name,
        row.requested_by,
        row.requested_at,
        row.reason,
        row.due_on_before,
        row.proposed_due_on,
        row.decision,
        row.decided_by,
        row.decided_at,
        row.decline_reason,
    )


def _waiting(uow: UnitOfWork, complaint: Complaint) -> MoreTimeRequest | None:
    row: MoreTimeRequest | None = uow.session.scalar(
        select(MoreTimeRequest)
        .where(MoreTimeRequest.complaint_id == complaint.id, MoreTimeRequest.decision.is_(None))
        .order_by(MoreTimeRequest.id.desc())
        .limit(1)
    )
    return row


def _event(
    uow: UnitOfWork,
    complaint: Complaint,
    action: str,
    description: str,
    moment: datetime,
    said: dict[str, str],
) -> None:
    audit.record(
        uow,
        action,
        entity="complaint",
        entity_id=complaint.id,
        complaint_id=complaint.id,
        description=description,
        before={},
        after=said,
        now=moment,
    )


def request_more_time(
    uow: UnitOfWork,
    reference: str,
    until: date | str | None,
    reason: str,
    *,
    now: datetime | None = None,
) -> MoreTimeView:
    """The delegate asks for the report to be due on `until` instead, saying why."""
    moment = SYSTEM_CLOCK.moment(now)
    complaint = complaints.load(uow, reference)
    permissions.require(
        uow, permissions.Action.REQUEST_MORE_TIME, assigned_to=complaint.current_delegate_id
    )
    lifecycle.require(complaint.reference, complaint.status, Action.FILE_REPORT)
    cleaned = validation.text(reason, "reason", required=True, label="The reason")
    proposed = validation.day(until, "until")
    if proposed is None:
        raise ValidationError("Give the date you propose with --until YYYY-MM-DD.", field="until")
    delegation = current_delegation(uow, complaint.id)
    assert delegation is not None, "a delegated complaint always has a delegation"
    acting = provenance.acting_staff_id(uow)
    if acting is not None and acting != delegation.staff_id:
        raise ValidationError(
            f"{complaint.reference} is with {delegation.staff.name}; only they can ask for more "
            "time on it.",
            field="reference",
        )
    due = complaint.report_due_on or delegation.report_due_on
    if proposed <= due:
        raise ValidationError(
            f"The report on {complaint.reference} is already due {due.isoformat()}; propose a "
            "later date.",
            field="until",
        )
    if (waiting := _waiting(uow, complaint)) is not None:
        raise ValidationError(
            f"More time on {complaint.reference} was already asked for on "
            f"{SYSTEM_CLOCK.local_day(waiting.requested_at).isoformat()} (until "
            f"{waiting.proposed_due_on.isoformat()}) and waits for an answer.",
            field="reference",
        )
    row = MoreTimeRequest(
        complaint_id=complaint.id,
        delegation_id=delegation.id,
        staff_id=delegation.staff_id,
        requested_by=provenance.acting_identity(uow),
        requested_at=moment,
        reason=cleaned,
        due_on_before=due,
        proposed_due_on=proposed,
    )
    uow.session.add(row)
    uow.session.flush()
    _event(
        uow,
        complaint,
        "more_time_requested",
        f"{delegation.staff.name} asked for more time: until {proposed.isoformat()}",
        moment,
        {"reason": cleaned},
    )
    complaints._save(uow, complaint)
    return _view(row)


def _answerable(uow: UnitOfWork, reference: str) -> tuple[Complaint, MoreTimeRequest]:
    complaint = complaints.load(uow, reference)
    row = _waiting(uow, complaint)
    if row is None:
        raise NotFoundError(
            f"No request for more time on {complaint.reference} is waiting for an answer.",
            field="reference",
        )
    return complaint, row


def accept_more_time(
    uow: UnitOfWork, reference: str, *, now: datetime | None = None
) -> MoreTimeView:
    """Give the delegate the time asked for: the report is now due on the proposed date."""
    permissions.require(uow, permissions.Action.DECIDE_MORE_TIME)
    moment = SYSTEM_CLOCK.moment(now)
    complaint, row = _answerable(uow, reference)
    delegation = current_delegation(uow, complaint.id)
    if (
        complaint.status is not Status.DELEGATED
        or delegation is None
        or (delegation.id != row.delegation_id)
    ):
        raise ValidationError(
            f"{complaint.reference} has moved on since the request (it is "
            f"{complaint.status.label.lower()}); decline it instead.",
            field="reference",
        )
    before = complaints.snapshot(complaint)
    row.decision = MoreTimeDecision.ACCEPTED
    row.decided_by = provenance.acting_identity(uow)
    row.decided_at = moment
    delegation.report_due_on = row.proposed_due_on
    step = transitions.more_time_given(
        transitions.LoopState.of(complaint), row.staff.name, row.proposed_due_on
    )
    complaints._take(uow, complaint, step, before, moment)
    complaints._save(uow, complaint)
    return _view(row)


def decline_more_time(
    uow: UnitOfWork, reference: str, reason: str, *, now: datetime | None = None
) -> MoreTimeView:
    """Refuse the request, saying why; the report stays due when it was."""
    permissions.require(uow, permissions.Action.DECIDE_MORE_TIME)
    moment = SYSTEM_CLOCK.moment(now)
    complaint, row = _answerable(uow, reference)
    cleaned = validation.text(reason, "reason", required=True, label="The reason")
    row.decision = MoreTimeDecision.DECLINED
    row.decided_by = provenance.acting_identity(uow)
    row.decided_at = moment
    row.decline_reason = cleaned
    _event(
        uow,
        complaint,
        "more_time_declined",
        f"More time declined for {row.staff.name}: report still due {row.due_on_before}",
        moment,
        {"reason": cleaned},
    )
    complaints._save(uow, complaint)
    return _view(row)


def waiting_requests(uow: UnitOfWork) -> list[MoreTimeView]:
    """Every request waiting for the assistant's answer, oldest first."""
    rows = uow.session.scalars(
        select(MoreTimeRequest)
        .where(MoreTimeRequest.decision.is_(None))
        .order_by(MoreTimeRequest.requested_at, MoreTimeRequest.id)
    )
    return [_view(r) for r in rows]


def requests_of(uow: UnitOfWork, staff_id: int) -> list[MoreTimeView]:
    """One delegate's requests, newest first, answered or not."""
    rows = uow.session.scalars(
        select(MoreTimeRequest)
        .where(MoreTimeRequest.staff_id == staff_id)
        .order_by(MoreTimeRequest.requested_at.desc(), MoreTimeRequest.id.desc())
    )
    return [_view(r) for r in rows]


__all__ = [
    "MoreTimeView",
    "accept_more_time",
    "decline_more_time",
    "request_more_time",
    "requests_of",
    "waiting_requests",
]
