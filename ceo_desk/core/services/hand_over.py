"""Deactivating a person who still holds open complaints: each is handed over to someone else in
the same transaction as the deactivation, or knowingly left with them; never silently orphaned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import complaints, directory
from ceo_desk.enums import Status
from ceo_desk.errors import NotFoundError, ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Customer, Delegation, Staff


@dataclass(frozen=True)
class OpenAssignment:
    """A complaint whose report this person still owes."""

    reference: str
    summary: str
    customer_name: str
    report_due_on: date | None
    version: int


@dataclass(frozen=True)
class Deactivated:
    staff_id: int
    staff_name: str
    handed_over: tuple[str, ...]  # references now with `to_name`
    to_name: str | None
    kept: tuple[str, ...]  # references left with the deactivated person


def open_assignments(uow: UnitOfWork, staff_id: int) -> list[OpenAssignment]:
    """The complaints delegated to `staff_id` whose report is still awaited, due soonest first."""
    query = (
        select(
            Complaint.reference,
            Complaint.summary,
            Customer.name,
            Complaint.report_due_on,
            Complaint.version,
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(Complaint.current_delegate_id == staff_id, Complaint.status == Status.DELEGATED)
        .order_by(Complaint.report_due_on, Complaint.id)
    )
    return [OpenAssignment(*row) for row in uow.session.execute(query)]


def listed(assignments: list[OpenAssignment], at_most: int = 5) -> str:
    """'C-2026-0001, C-2026-0002 and 3 more'."""
    shown = ", ".join(a.reference for a in assignments[:at_most])
    more = len(assignments) - at_most
    return f"{shown} and {more} more" if more > 0 else shown


def deactivate(
    uow: UnitOfWork,
    staff_id: int,
    *,
    hand_over_to: int | None = None,
    keep_open: bool = False,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Deactivated:
    """Deactivate a person; their open complaints go to `hand_over_to` (same report due date,
    or the policy's when that has passed), or stay with them when `keep_open` says so.

    With open complaints and neither choice made, nothing changes and the refusal names them.
    """
    staff = uow.session.get(Staff, staff_id)
    if staff is None:
        raise NotFoundError(f"There is no staff member with id {staff_id}.")
    name = staff.name
    assignments = open_assignments(uow, staff_id)
    if assignments and hand_over_to is None and not keep_open:
        raise ValidationError(
            f"{name} still has {len(assignments)} open "
            f"complaint{'s' if len(assignments) != 1 else ''} ({listed(assignments)}). Choose "
            f"who takes them over, or keep them with {name}; nothing was changed.",
            field="hand_over_to",
        )
    if hand_over_to == staff_id:
        raise ValidationError(
            f"{name} is the person being deactivated; choose someone else to take over.",
            field="hand_over_to",
        )
    handed: list[str] = []
    to_name = None
    if hand_over_to is not None and assignments:
        to_name = directory.require_active_staff(uow, hand_over_to).name
        moment = SYSTEM_CLOCK.moment(now)
        today = SYSTEM_CLOCK.local_day(moment)
        for item in assignments:
            due = item.report_due_on if item.report_due_on and item.report_due_on >= today else None
            complaints.delegate(
                uow,
                item.reference,
                hand_over_to,
                due_on=due,
                instructions=_handed_over_instructions(uow, item.reference, name),
                expected_version=item.version,
                now=moment,
            )
            handed.append(item.reference)
    directory.set_staff_active(uow, staff_id, False, expected_version=expected_version)
    kept = () if handed else tuple(a.reference for a in assignments)
    return Deactivated(staff_id, name, tuple(handed), to_name, kept)


def _handed_over_instructions(uow: UnitOfWork, reference: str, previous: str) -> str:
    """The note on the new delegation: whose it was, and what they had been asked to do."""
    earlier = uow.session.scalar(
        select(Delegation.instructions)
        .join(Complaint, Complaint.id == Delegation.complaint_id)
        .where(Complaint.reference == reference)
        .order_by(Delegation.id.desc())
        .limit(1)
    )
    note = f"Handed over from {previous}, who is no longer available."
    return f"{note}\n{earlier}" if earlier else note
