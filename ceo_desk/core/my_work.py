"""A delegate's own work: the complaints waiting for their report, and what came back.

Only complaints currently delegated to the staff member are read, so the page shows a delegate
nothing of anyone else's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ceo_desk.core import deadlines, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.report_form import current_delegation
from ceo_desk.core.services import more_time
from ceo_desk.enums import Severity, Status
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Staff


@dataclass(frozen=True)
class SentBack:
    """A report of this delegate's that the CEO returned, with the CEO's comment."""

    filed_at: datetime
    sent_back_at: datetime
    comment: str
    said: str


@dataclass(frozen=True)
class Assignment:
    """One open complaint waiting for this delegate's report."""

    reference: str
    summary: str
    details: str
    customer_wants: str
    severity: Severity
    received_at: datetime
    customer_name: str
    customer_phone: str
    customer_email: str
    ceo_promised: str
    instructions: str
    delegated_at: datetime
    report_due_on: date
    sent_back: list[SentBack] = field(default_factory=list)
    more_time: list[more_time.MoreTimeView] = field(default_factory=list)
    final_response: deadlines.FinalResponse | None = None

    def days_left(self, today: date) -> int:
        return (self.report_due_on - today).days


@dataclass(frozen=True)
class MyWork:
    staff_id: int
    staff_name: str
    assignments: list[Assignment]


def my_work(uow: UnitOfWork, staff_id: int) -> MyWork:
    """The complaints waiting for `staff_id`'s report, soonest due first."""
    staff = uow.session.get(Staff, staff_id)
    name = staff.name if staff else ""
    requests: dict[str, list[more_time.MoreTimeView]] = {}
    for request in more_time.requests_of(uow, staff_id):
        requests.setdefault(request.reference, []).append(request)
    rows = uow.session.scalars(
        select(Complaint)
        .where(Complaint.current_delegate_id == staff_id, Complaint.status == Status.DELEGATED)
        .options(selectinload(Complaint.customer), selectinload(Complaint.reports))
        .order_by(Complaint.report_due_on, Complaint.id)
    )
    assignments = []
    complaints = list(rows)
    finals = deadlines.final_responses(uow, [c.id for c in complaints], today=SYSTEM_CLOCK.today())
    for c in complaints:
        delegation = current_delegation(uow, c.id)
        assert delegation is not None, "a delegated complaint always has a delegation"
        assignments.append(
            Assignment(
                reference=c.reference,
                summary=c.summary,
                details=c.details,
                customer_wants=c.customer_wants,
                severity=c.severity,
                received_at=c.received_at,
                customer_name=c.customer.name,
                customer_phone=validation.phone_for_display(c.customer.phone),
                customer_email=c.customer.email or "",
                ceo_promised=c.ceo_promised,
                instructions=delegation.instructions,
                delegated_at=delegation.delegated_at,
                report_due_on=c.report_due_on or delegation.report_due_on,
                sent_back=[
                    SentBack(r.filed_at, r.sent_back_at, r.sent_back_comment or "", r.said)
                    for r in c.reports
                    if r.sent_back_at is not None
                ],
                more_time=requests.get(c.reference, []),
                final_response=finals.get(c.id),
            )
        )
    return MyWork(staff_id, name, assignments)
