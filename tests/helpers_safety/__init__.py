"""Shared builders for the data-safety tests, and child-process scripts for crash tests."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ceo_desk.enums import Outcome
from ceo_desk.store.db import Database
from tests.integration import helpers
from tests.integration.helpers import add_staff as add_staff

BASE_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


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
    """Log a call on the real clock (retention and export look at how old things are)."""
    return helpers.log(
        db,
        name=name,
        phone=phone,
        summary=summary,
        when=None,
        email=email,
        details=details,
        received_at=received_at,
    )


def resolve(
    db: Database, ref: str, staff_id: int, *, cost: str = "25.00", now: datetime | None = None
) -> None:
    """Delegate, report and a satisfied callback: the whole loop."""
    helpers.delegate_and_report(db, ref, staff_id, now, cost=cost)
    helpers.callback(db, ref, Outcome.SATISFIED, when=now, satisfaction=5)


def count_rows(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)
