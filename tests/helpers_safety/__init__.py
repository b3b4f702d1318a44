"""Shared builders for the data-safety tests, and child-process scripts for crash tests."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ceo_desk.core.services import complaints, directory
from ceo_desk.enums import Outcome
from ceo_desk.store.db import Database

BASE_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def add_staff(db: Database, name: str = "Jo Ortiz", unit: str = "Billing") -> int:
    with db.uow() as uow:
        staff_id, _ = directory.add_staff_with_unit(
            uow, name=name, unit_name=unit, unit_kind=None, email=None, phone=None
        )
    return staff_id


def log(
    db: Database,
    *,
    name: str = "Ann Example",
    phone: str | None = "+442079460000",
    email: str | None = None,
    summary: str = "Charged twice",
    details: str = "",
    received_at: datetime | None = None,
) -> str:
    with db.uow() as uow:
        return complaints.log_call(
            uow,
            complaints.CallInput(
                customer_name=name,
                summary=summary,
                phone=phone,
                email=email,
                details=details,
                received_at=received_at,
            ),
        ).reference


def resolve(
    db: Database, ref: str, staff_id: int, *, cost: str = "25.00", now: datetime | None = None
) -> None:
    """Delegate, report and a satisfied callback: the whole loop."""
    with db.uow() as uow:
        complaints.delegate(uow, ref, staff_id, now=now)
    with db.uow() as uow:
        complaints.file_report(
            uow, ref, complaints.ReportInput(said="Apologised", done="Refunded", cost=cost), now=now
        )
    with db.uow() as uow:
        complaints.record_callback(
            uow,
            ref,
            complaints.CallbackInput(outcome=Outcome.SATISFIED, satisfaction=5),
            now=now,
        )


def count_rows(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)
