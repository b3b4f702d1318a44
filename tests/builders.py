"""Test data built through the real services: the one place every suite gets its people,
complaints and moments from.

Everything is written with `Database.transaction()`, one transaction per step, as a screen or a
command would. Moments default to the real clock; pass `when=` for a fixed one.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ceo_desk import paths
from ceo_desk.core import queries
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import complaints, directory, people
from ceo_desk.enums import Outcome, Role, UnitKind
from ceo_desk.store import office as office_sql
from ceo_desk.store.db import Actor, Database, UnitOfWork

# Monday 9 March 2026, 10:00 on this computer's clock: a fixed moment for tests about dates.
MONDAY = datetime(2026, 3, 9, 10, 0).astimezone()


def at(days: float = 0, base: datetime = MONDAY) -> datetime:
    """`days` after `base` (MONDAY unless told)."""
    return base + timedelta(days=days)


def days_ago(days: float) -> datetime:
    """The real clock, `days` ago."""
    return datetime.now(UTC) - timedelta(days=days)


def person(db: Database, identity: str, *roles: Role, staff: str | int | None = None) -> Database:
    """`db` as another person acts on it: `identity`, granted `roles` by the log's owner (the
    account running the tests, which holds owner, CEO and assistant on every new log)."""
    with db.transaction() as uow:
        if roles:
            server_login(uow, identity)
        for role in roles:
            people.grant(uow, identity, role, staff=staff if role is Role.DELEGATE else None)
    return db.with_actor(Actor(identity))


def server_login(uow: UnitOfWork, identity: str) -> None:
    """On PostgreSQL a role is granted to a login of the server: make it, if it is missing."""
    if uow.dialect != "postgresql":
        return
    conn = uow.session.connection()
    if not office_sql.login_exists(conn, identity):
        office_sql.create_login(conn, identity, office_sql.generated_password())


def add_staff(
    db: Database,
    name: str = "Jo Ortiz",
    unit: str = "Billing",
    *,
    unit_kind: UnitKind | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> int:
    """A person in the directory, with their unit created on the way if it is new."""
    with db.transaction() as uow:
        staff_id, _ = directory.add_staff_with_unit(
            uow, name=name, unit_name=unit, unit_kind=unit_kind, email=email, phone=phone
        )
    return staff_id


@dataclass(frozen=True)
class Office:
    """A small directory: two departments, three people."""

    db: Database
    ortiz: int
    chen: int
    baker: int


def office(db: Database) -> Office:
    """Fill `db` with the small directory of `Office`."""
    ortiz = add_staff(
        db,
        "Jamie Ortiz",
        "Customer Service",
        unit_kind=UnitKind.DEPARTMENT,
        email="j.ortiz@example.com",
    )
    chen = add_staff(
        db, "Wei Chen", "Billing", unit_kind=UnitKind.DEPARTMENT, email="wei.chen@example.com"
    )
    baker = add_staff(db, "Sam Baker", "Customer Service")
    return Office(db, ortiz, chen, baker)


def log(
    db: Database,
    name: str = "Ann Smith",
    summary: str = "Charged twice",
    phone: str | None = "+442079460001",
    *,
    when: datetime | None = None,
    **call: Any,
) -> str:
    """Log a call at `when` (default: the real clock); `call` holds further `CallInput` fields.

    Returns:
        The new complaint's reference.
    """
    with db.transaction() as uow:
        return complaints.log_call(
            uow,
            complaints.CallInput(customer_name=name, summary=summary, phone=phone, **call),
            now=when,
        ).reference


def delegate(
    db: Database,
    ref: str,
    staff_id: int,
    when: datetime | None = None,
    *,
    due_on: date | None = None,
) -> None:
    """Delegate `ref` to `staff_id` at `when`."""
    with db.transaction() as uow:
        complaints.delegate(uow, ref, staff_id, due_on=due_on, now=when)


def report(
    db: Database,
    ref: str,
    when: datetime | None = None,
    *,
    said: str = "Apologised",
    done: str = "Refunded",
    accommodation: str = "",
    cost: str | None = None,
) -> None:
    """File the delegate's report on `ref` at `when` (an empty cost means none)."""
    with db.transaction() as uow:
        complaints.file_report(
            uow,
            ref,
            complaints.ReportInput(
                said=said, done=done, accommodation=accommodation, cost=cost or None
            ),
            now=when,
        )


def delegate_and_report(
    db: Database,
    ref: str,
    staff_id: int,
    when: datetime | None = None,
    *,
    due_on: date | None = None,
    said: str = "Apologised",
    done: str = "Refunded",
    accommodation: str = "",
    cost: str | None = None,
) -> None:
    """Delegate `ref` and file the delegate's report at `when`: the CEO's callback is then due."""
    delegate(db, ref, staff_id, when, due_on=due_on)
    report(db, ref, when, said=said, done=done, accommodation=accommodation, cost=cost)


def awaiting_callback(
    db: Database,
    staff_id: int,
    name: str = "Ana Lima",
    summary: str = "Invoice charged twice",
    phone: str = "+12025550101",
    *,
    logged_at: datetime | None = None,
    reported_at: datetime | None = None,
    said: str = "Apologised and explained the double charge.",
    done: str = "Refunded the second charge.",
    accommodation: str = "Voucher",
    cost: str | None = "25.00",
    ceo_promised: str = "",
) -> str:
    """A complaint whose report is filed and whose callback is due.

    Args:
        logged_at: when the call was logged (default: the real clock).
        reported_at: when it was delegated and reported (default: three days ago on the real
            clock, long enough for the callback to be due).
    """
    ref = log(db, name, summary, phone, when=logged_at, ceo_promised=ceo_promised)
    reported = reported_at if reported_at is not None else days_ago(3)
    delegate_and_report(
        db,
        ref,
        staff_id,
        reported,
        due_on=SYSTEM_CLOCK.local_day(reported),
        said=said,
        done=done,
        accommodation=accommodation,
        cost=cost,
    )
    return ref


def callback(
    db: Database, ref: str, outcome: Outcome, when: datetime | None = None, **data: Any
) -> complaints.CallbackResult:
    """Record one callback at `when`; `data` holds further `CallbackInput` fields."""
    with db.transaction() as uow:
        return complaints.record_callback(
            uow, ref, complaints.CallbackInput(outcome=outcome, **data), now=when
        )


def unanswered(db: Database, ref: str, times: int) -> None:
    """`times` callbacks nobody answered, on the real clock."""
    for _ in range(times):
        callback(db, ref, Outcome.NO_ANSWER)


def resolve(
    db: Database, ref: str, staff_id: int, *, cost: str = "25.00", now: datetime | None = None
) -> None:
    """Delegate, report and a satisfied callback: the whole loop."""
    delegate_and_report(db, ref, staff_id, now, cost=cost)
    callback(db, ref, Outcome.SATISFIED, now, satisfaction=5)


def stored_detail(db: Database, reference: str) -> queries.ComplaintDetail:
    """The complaint as the database holds it now."""
    with db.reading() as uow:
        return queries.complaint_detail(uow, reference)


def count_rows(path: Path, table: str) -> int:
    """Rows in `table` of the SQLite file at `path`, read without the application."""
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def unclean_shutdown(path: Path) -> Path:
    """Leave the open-marker of a process that has since exited, as a run that did not close
    the log at `path` cleanly does; returns the marker."""
    from ceo_desk.core.safety import on_open

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    marker = on_open.marker_path(path, pid=child.pid)
    paths.ensure_private_dir(marker.parent)
    marker.write_text("{}")
    return marker
