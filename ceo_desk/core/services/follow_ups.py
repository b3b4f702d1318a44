""" "Did it stick?": some weeks after a complaint is resolved (the office's setting; off by
default) Today asks the CEO to ring and check the fix held. "It stuck" records it; "It came back"
reopens the complaint through the reopen service, so it goes back to its last delegate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ceo_desk.core import audit, permissions, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import FollowUpOutcome, Status
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Customer, FollowUp


def schedule(uow: UnitOfWork, complaint: Complaint) -> FollowUp | None:
    """Book the follow-up call for a complaint just resolved, when the office has switched them
    on. Called by the service that resolves it, in the same transaction."""
    weeks = load_settings(uow).follow_up_weeks
    if weeks is None or complaint.closed_at is None:
        return None
    row = FollowUp(
        complaint_id=complaint.id,
        closed_at=complaint.closed_at,
        due_on=SYSTEM_CLOCK.local_day(complaint.closed_at) + timedelta(weeks=weeks),
    )
    uow.session.add(row)
    return row


@dataclass(frozen=True)
class FollowUpDue:
    """One follow-up call Today offers."""

    id: int
    reference: str
    customer_name: str
    customer_phone: str | None
    summary: str
    closed_at: datetime
    due_on: date
    version: int


def due(uow: UnitOfWork, *, today: date) -> list[FollowUpDue]:
    """Follow-up calls due today or earlier, the longest waiting first.

    The calls still waiting are read first, through their own index, and then only their
    complaints: asked in one join, the database walked every resolved complaint to find them."""
    waiting = uow.session.scalars(
        select(FollowUp)
        .where(FollowUp.outcome.is_(None), FollowUp.due_on <= today)
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    if not waiting:
        return []
    resolved = {
        c.id: (c, customer)
        for c, customer in uow.session.execute(
            select(Complaint, Customer)
            .join(Customer, Customer.id == Complaint.customer_id)
            .where(
                Complaint.id.in_({f.complaint_id for f in waiting}),
                Complaint.status == Status.RESOLVED,
            )
        )
    }
    calls = []
    for f in waiting:
        found = resolved.get(f.complaint_id)
        # A follow-up of an earlier closing (the complaint was reopened since) is not asked.
        if found is None or found[0].closed_at != f.closed_at:
            continue
        c, customer = found
        calls.append(
            FollowUpDue(
                f.id,
                c.reference,
                customer.name,
                customer.phone,
                c.summary,
                f.closed_at,
                f.due_on,
                c.version,
            )
        )
    return calls


@dataclass(frozen=True)
class FollowUpResult:
    reference: str
    outcome: FollowUpOutcome
    status: Status
    delegated_to: str | None = None
    report_due_on: date | None = None


def record(
    uow: UnitOfWork,
    reference: str,
    outcome: FollowUpOutcome,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> FollowUpResult:
    """Record the follow-up call's answer. "It came back" needs what came back, and reopens."""
    from ceo_desk.core.services import complaints

    permissions.require(uow, Allow.RECORD_FOLLOW_UP)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = complaints.load(uow, reference)
    kind = FollowUpOutcome(outcome)
    row = uow.session.scalar(
        select(FollowUp)
        .where(
            FollowUp.complaint_id == complaint.id,
            FollowUp.outcome.is_(None),
            FollowUp.closed_at == complaint.closed_at,
        )
        .order_by(FollowUp.id.desc())
        .limit(1)
    )
    if row is None or complaint.status is not Status.RESOLVED:
        raise ValidationError(
            f"{complaint.reference} has no follow-up call waiting: it is "
            f"{complaint.status.label.lower()}"
            + (", and its follow-up was recorded already." if row is None else "."),
            field="reference",
        )
    said = validation.text(reason, "reason", label="What came back")
    if kind is FollowUpOutcome.CAME_BACK and not said:
        raise ValidationError(
            "Say what came back (the customer's words will do): the delegate it goes back to "
            "needs to know.",
            field="reason",
        )
    row.outcome = kind
    row.settled_at = moment
    row.settled_by = f"{uow.identity} ({permissions.acting_role(uow).label})"[:120]
    audit.record(
        uow,
        f"follow_up_{kind.value}",
        entity="follow_up",
        entity_id=row.id,
        complaint_id=complaint.id,
        description=f"Follow-up call: {kind.label.lower()}",
        after={"outcome": kind.value, **({"reason": said} if said else {})},
        now=moment,
    )
    if kind is FollowUpOutcome.STUCK:
        return FollowUpResult(complaint.reference, kind, complaint.status)
    reopened = complaints.reopen(uow, complaint.reference, f"It came back: {said}", now=moment)
    return FollowUpResult(
        complaint.reference, kind, reopened.status, reopened.staff_name, reopened.report_due_on
    )
