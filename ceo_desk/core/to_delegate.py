"""Complaints logged and not yet delegated: when each is due to be delegated, and which are late.

A logged complaint is to be delegated within a number of business hours, set by severity
(`intake_due_hours`; business hours in `core.policy`). The time is worked out from when it was
received, never stored, so a change of the setting applies at once. The reverse sum gives, for
each severity, the moment before which a complaint received is already overdue; that keeps the
overdue test a comparison on the indexed `status, received_at`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from ceo_desk.core import deadlines, policy, visibility
from ceo_desk.core.clock import SYSTEM_CLOCK, Clock
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import Severity, Status
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Customer


def _wall_clock(moment: datetime, clock: Clock) -> datetime:
    return clock.local(moment).replace(tzinfo=None)


def _from_wall_clock(local: datetime, clock: Clock) -> datetime:
    if clock.zone is None:
        return local.astimezone().astimezone(UTC)
    return local.replace(tzinfo=clock.zone).astimezone(UTC)


def intake_due_at(
    received_at: datetime, severity: Severity, settings: OfficeSettings, clock: Clock = SYSTEM_CLOCK
) -> datetime:
    """When a complaint received at `received_at` is due to be delegated (UTC)."""
    hours = settings.intake_due_hours[severity]
    due = policy.add_business_hours(_wall_clock(received_at, clock), hours, settings)
    return _from_wall_clock(due, clock)


def overdue_cutoffs(
    settings: OfficeSettings, now: datetime, clock: Clock = SYSTEM_CLOCK
) -> dict[Severity, datetime]:
    """For each severity, the moment before which a complaint received is overdue at `now`."""
    local_now = _wall_clock(now, clock)
    return {
        severity: _from_wall_clock(
            policy.subtract_business_hours(local_now, hours, settings), clock
        )
        for severity, hours in settings.intake_due_hours.items()
    }


def overdue_clause(cutoffs: dict[Severity, datetime], status: Any = Complaint.status) -> Any:
    """Logged, not delegated, and past the intake time of its severity."""
    return and_(
        status == Status.NEW,
        or_(
            *(
                and_(Complaint.severity == severity, Complaint.received_at < cutoff)
                for severity, cutoff in cutoffs.items()
            )
        ),
    )


def moment_for(today: date | None, clock: Clock = SYSTEM_CLOCK) -> datetime:
    """The moment to judge lateness at for a list of `today`: now, or for another day its
    start (what was already late when that day began)."""
    if today is None or today == clock.today():
        return clock.now()
    return clock.day_start(today)


def cutoffs_at(uow: UnitOfWork, today: date | None) -> dict[Severity, datetime]:
    return overdue_cutoffs(load_settings(uow), moment_for(today))


@dataclass(frozen=True)
class ToDelegate:
    """One row of the To delegate list."""

    id: int
    reference: str
    received_at: datetime
    customer_name: str
    summary: str
    severity: Severity
    due_at: datetime  # to be delegated by (UTC)
    version: int
    final_response: deadlines.FinalResponse | None = None

    def is_overdue(self, now: datetime) -> bool:
        return now > self.due_at


@dataclass(frozen=True)
class Waiting:
    """How many wait to be delegated, and how many of them are late."""

    count: int
    overdue: int


def to_delegate(uow: UnitOfWork) -> list[ToDelegate]:
    """Every complaint logged and not yet delegated, the one due soonest first."""
    settings = load_settings(uow)
    query = (
        select(
            Complaint.id,
            Complaint.reference,
            Complaint.received_at,
            Customer.name,
            Complaint.summary,
            Complaint.severity,
            Complaint.version,
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(Complaint.status == Status.NEW, *visibility.visible_complaints(uow))
    )
    found = uow.session.execute(query).all()
    finals = deadlines.final_responses(
        uow,
        [row.id for row in found],
        today=SYSTEM_CLOCK.today(),
        settings=settings,
        read={row.id: (row.received_at, None) for row in found},
    )
    rows = [
        ToDelegate(
            row.id,
            row.reference,
            row.received_at,
            row.name,
            row.summary,
            row.severity,
            intake_due_at(row.received_at, row.severity, settings),
            row.version,
            finals.get(row.id),
        )
        for row in found
    ]
    return sorted(rows, key=lambda r: (r.due_at, r.received_at, r.id))


def waiting(uow: UnitOfWork, *, now: datetime | None = None) -> Waiting:
    """The status bar's and the sidebar's figures, from two indexed counts."""
    cutoffs = overdue_cutoffs(load_settings(uow), now or SYSTEM_CLOCK.now())
    row = uow.session.execute(
        select(func.count(), func.sum(_case_overdue(cutoffs))).where(
            Complaint.status == Status.NEW, *visibility.visible_complaints(uow)
        )
    ).one()
    return Waiting(int(row[0] or 0), int(row[1] or 0))


def _case_overdue(cutoffs: dict[Severity, datetime]) -> Any:
    return case((overdue_clause(cutoffs), 1), else_=0)
