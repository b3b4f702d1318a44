"""The retention rule: closed complaints older than N years are anonymised (run on open)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import exists, select

from ceo_desk.core.safety import erase
from ceo_desk.core.services import office
from ceo_desk.enums import Status
from ceo_desk.store.db import Database
from ceo_desk.store.models import Complaint, Customer, Event, EventChange

_OPEN = [s.value for s in Status if s.is_open]


@dataclass(frozen=True)
class RetentionResult:
    customers_erased: int = 0
    complaints_anonymised: int = 0


def cutoff_for(years: int, now: datetime) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def apply(db: Database, *, now: datetime | None = None) -> RetentionResult:
    """Erase customers whose every complaint closed before the cut-off; scrub other old ones."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with db.reading() as uow:
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
    erased = 0
    erased_complaints = 0
    for customer_id in customer_ids:
        with db.transaction() as uow:
            result = erase.erase_customer(uow, customer_id, reason="retention rule", now=moment)
            erased += 1
            erased_complaints += result.complaints
    with db.reading() as uow:
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
        with db.uow() as uow:
            complaint = uow.session.get(Complaint, complaint_id)
            assert complaint is not None
            customer = uow.session.get(Customer, complaint.customer_id)
            assert customer is not None
            pattern = erase.identifying_patterns(
                customer.name, customer.phone, customer.email, (customer.account_ref,)
            )
            erase.scrub_complaint(uow, complaint, pattern, moment)
            uow.commit()
    if erased or old_ids:
        erase.purge_traces(db)
    return RetentionResult(erased, erased_complaints + len(old_ids))
