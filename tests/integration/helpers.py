"""Small builders shared by the integration tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from ceo_desk.core.services import complaints, directory
from ceo_desk.enums import Outcome
from ceo_desk.store.db import Database

# A Friday morning on this computer's clock.
MONDAY = datetime(2026, 3, 9, 10, 0).astimezone()


def at(days: float = 0, base: datetime = MONDAY) -> datetime:
    return base + timedelta(days=days)


def add_staff(db: Database, name: str = "Jo Ortiz", unit: str = "Billing") -> int:
    with db.uow() as uow:
        staff_id, _ = directory.add_staff_with_unit(
            uow, name=name, unit_name=unit, unit_kind=None, email=None, phone=None
        )
    return staff_id


def log(
    db: Database,
    *,
    phone: str | None = "+442079460001",
    name: str = "Ann Smith",
    summary: str = "Charged twice",
    when: datetime | None = MONDAY,
    **extra: object,
) -> str:
    """Log a call at `when` (None: the real clock)."""
    with db.uow() as uow:
        return complaints.log_call(
            uow,
            complaints.CallInput(customer_name=name, summary=summary, phone=phone, **extra),  # type: ignore[arg-type]
            now=when,
        ).reference


def delegate_and_report(
    db: Database, ref: str, staff_id: int, when: datetime | None, cost: str | None = None
) -> None:
    """Delegate `ref` and file the delegate's report: the CEO's callback is then due."""
    with db.uow() as uow:
        complaints.delegate(uow, ref, staff_id, now=when)
    with db.uow() as uow:
        complaints.file_report(
            uow,
            ref,
            complaints.ReportInput(said="Apologised", done="Refunded", cost=cost),
            now=when,
        )


def to_awaiting_callback(db: Database, staff_id: int, when: datetime = MONDAY) -> str:
    ref = log(db, when=when)
    delegate_and_report(db, ref, staff_id, when)
    return ref


def callback(
    db: Database, ref: str, outcome: Outcome, when: datetime | None = MONDAY, **extra: object
) -> complaints.CallbackResult:
    with db.uow() as uow:
        return complaints.record_callback(
            uow,
            ref,
            complaints.CallbackInput(outcome=outcome, **extra),
            now=when,  # type: ignore[arg-type]
        )
