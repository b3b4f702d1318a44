"""The retention rule: closed complaints older than N years are anonymised (run on open)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import exists, select

from ceo_desk.core.services import office
from ceo_desk.enums import Status
from ceo_desk.store.db import Database, UnitOfWork
from ceo_desk.store.models import Complaint, Customer, Event, EventChange

_OPEN = [s for s in Status if s.is_open]


@dataclass(frozen=True)
class RetentionResult:
    customers_erased: int = 0
    complaints_anonymised: int = 0


def cutoff_for(years: int, now: datetime) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def erase_expired(uow: UnitOfWork, *, now: datetime | None = None) -> RetentionResult:
    """Erase customers whose every complaint closed before the cut-off; scrub other old ones.

    Works inside the caller's transaction; the old bytes stay in the file until
    `erase.purge_traces` runs after the commit, which `apply` does."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    years = office.load_settings(uow).retention_years
    if not years:
        return RetentionResult()
    cutoff = cutoff_for(years, moment)
    recent = (
        select(Complaint.id)
        .where(
            Complaint.customer_id == Customer.id,
            (Complaint.status.in_(_OPEN))
            | (Complaint.closed_at.is_(None))
            | (Complaint.closed_at >= cutoff),
        )
        .exists()
    )
    any_complaint = select(Complaint.id).where(Complaint.customer_id == Customer.id).exists()
    customer_ids = list(
        uow.session.scalars(
            select(Customer.id).where(Customer.erased_at.is_(None), any_complaint, ~recent)
        )
    )
    erased_complaints = 0
    for customer_id in customer_ids:
        # Erasing loads much of the core: only a log with something to erase pays for it.
        from ceo_desk.core.safety import erase

        result = erase.erase_customer(uow, customer_id, reason="retention rule", now=moment)
        erased_complaints += result.complaints
    unredacted = exists(
        select(EventChange.event_id)
        .join(Event, Event.id == EventChange.event_id)
        .where(Event.complaint_id == Complaint.id, EventChange.redacted_at.is_(None))
    )
    old_ids = list(
        uow.session.scalars(
            select(Complaint.id).where(
                Complaint.status.not_in(_OPEN),
                Complaint.closed_at < cutoff,
                unredacted,
            )
        )
    )
    for complaint_id in old_ids:
        from ceo_desk.core.safety import erase

        complaint = uow.session.get(Complaint, complaint_id)
        assert complaint is not None
        customer = uow.session.get(Customer, complaint.customer_id)
        assert customer is not None
        pattern = erase.identifying_patterns(
            customer.name, customer.phone, customer.email, (customer.account_ref,)
        )
        erase.scrub_complaint(uow, complaint, pattern, moment)
    return RetentionResult(len(customer_ids), erased_complaints + len(old_ids))


def apply(db: Database, *, now: datetime | None = None) -> RetentionResult:
    """Apply the retention rule in one transaction, then purge the old values from the file.

    Takes the Database rather than a unit of work because the purge must run after the commit.
    With no retention rule set, it only reads (no writer's lock is taken at every opening)."""
    with db.reading() as uow:
        if not office.load_settings(uow).retention_years:
            return RetentionResult()
    with db.transaction() as uow:
        result = erase_expired(uow, now=now)
    if result != RetentionResult():
        from ceo_desk.core.safety import erase

        erase.purge_traces(db)
    return result
