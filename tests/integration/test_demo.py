"""The demo history follows the loop's own rules: the same events, wording and due dates."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text

from ceo_desk.core import demo, history, search
from ceo_desk.core.safety.check import run_check
from ceo_desk.core.services import promises
from ceo_desk.enums import PromiseOutcome, Status
from ceo_desk.store.db import Database
from ceo_desk.store.models import Complaint, Customer, Event, Promise


def test_the_demo_words_its_events_as_the_services_do(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as uow:
        demo.generate(uow, complaints=400, months=6, seed=3)
    with sqlite_db.reading() as uow:
        events = uow.session.execute(select(Event.action, Event.description)).all()
    not_satisfied = [d for a, d in events if a == "callback_not_satisfied"]
    assert not_satisfied, "the seed gives some unhappy customers"
    assert all(
        d.startswith("Callback: not satisfied; reopened and delegated to ") for d in not_satisfied
    )
    unreachable = [d for a, d in events if a == "unreachable"]
    assert unreachable and all(
        d.startswith("Marked unreachable after ") and d.endswith(" unanswered attempts")
        for d in unreachable
    )


def test_the_demo_due_dates_are_those_history_replays_to(sqlite_db: Database) -> None:
    """The stored due dates agree with the monthly report's reconstruction from history."""
    with sqlite_db.transaction() as uow:
        demo.generate(uow, complaints=400, months=6, seed=5)
    now = datetime.now(UTC)
    with sqlite_db.reading() as uow:
        replayed = {s.complaint_id: s for s in history.open_states_at(uow, now)}
        stored = uow.session.execute(
            select(
                Complaint.id, Complaint.status, Complaint.report_due_on, Complaint.callback_due_on
            ).where(Complaint.closed_at.is_(None))
        ).all()
    assert {Status(status) for _, status, _, _ in stored} >= {
        Status.NEW,
        Status.DELEGATED,
        Status.AWAITING_CALLBACK,
    }
    for complaint_id, status, report_due, callback_due in stored:
        state = replayed[complaint_id]
        assert state.status == Status(status)
        if state.status is Status.DELEGATED:
            assert state.due_on == report_due
        if state.status is Status.AWAITING_CALLBACK:
            assert state.due_on == callback_due


def test_the_demo_carries_promises_kept_broken_and_open_around_today(sqlite_db: Database) -> None:
    today = date(2026, 11, 20)
    with sqlite_db.transaction() as uow:
        demo.generate(uow, complaints=1200, months=3, seed=8, today=today)
    with sqlite_db.reading() as uow:
        rows = uow.session.execute(
            select(Promise.outcome, Complaint.status).join(
                Complaint, Complaint.id == Promise.complaint_id
            )
        ).all()
        actions = Counter(
            uow.session.scalars(select(Event.action).where(Event.entity == "promise")).all()
        )
        due_on_today = promises.nearly_due(uow, today=today)
        assert run_check(sqlite_db).ok
    outcomes = Counter(outcome for outcome, _ in rows)
    assert outcomes[PromiseOutcome.KEPT] > outcomes[PromiseOutcome.BROKEN] > 0
    assert outcomes[None] > 0
    # Each promise made and each tick is an event, worded as the service words it.
    assert actions == {
        promises.PROMISE_MADE: len(rows),
        promises.settled_action(PromiseOutcome.KEPT): outcomes[PromiseOutcome.KEPT],
        promises.settled_action(PromiseOutcome.BROKEN): outcomes[PromiseOutcome.BROKEN],
    }
    # A closed complaint leaves no promise hanging: its promises were ticked at the last call.
    closed = [o for o, status in rows if status in (Status.RESOLVED, Status.UNREACHABLE)]
    assert closed and None not in closed
    # Today has promises to show: some overdue, some still to come.
    assert due_on_today
    assert min(d.due_on for d in due_on_today) < today
    assert any(today <= d.due_on <= today + timedelta(days=7) for d in due_on_today)


def test_the_demo_has_a_few_flagged_complaints_and_vulnerable_customers(
    sqlite_db: Database,
) -> None:
    with sqlite_db.transaction() as uow:
        demo.generate(uow, complaints=2000, months=6, seed=10)
    with sqlite_db.reading() as uow:
        session = uow.session

        def count(query: Any) -> int:
            return int(session.scalar(query) or 0)

        complaints = count(select(func.count()).select_from(Complaint))
        flagged = count(
            select(func.count()).where(
                Complaint.flag_mp
                | Complaint.flag_journalist
                | Complaint.flag_regulator
                | Complaint.flag_social_media
            )
        )
        customers = count(select(func.count()).select_from(Customer))
        vulnerable = count(select(func.count()).where(Customer.vulnerable))
        each = {
            name: count(select(func.count()).where(getattr(Complaint, name)))
            for name in ("flag_mp", "flag_journalist", "flag_regulator", "flag_social_media")
        }
    assert complaints and customers
    assert 0.01 < flagged / complaints < 0.1
    assert all(count > 0 for count in each.values()), each
    assert 0.01 < vulnerable / customers < 0.1


def test_the_demo_writes_the_search_rows_the_app_would(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as uow:
        demo.generate(uow, complaints=120, months=3, seed=10)
    with sqlite_db.reading() as uow:
        stored: dict[int, str] = {
            rowid: body
            for rowid, body in uow.session.execute(text("SELECT rowid, body FROM complaint_search"))
        }
        for complaint in uow.session.scalars(select(Complaint)):
            assert stored[complaint.id] == search.search_body(complaint), complaint.reference
        customer = uow.session.scalars(select(Customer).order_by(Customer.id)).first()
        assert customer is not None and customer.account_ref
        held = uow.session.scalar(select(func.count()).where(Complaint.customer_id == customer.id))
        found = search.count_matches(uow, customer.account_ref.removeprefix("AC-"))
    assert held and found >= held, "a customer's account reference finds their complaints"


def test_the_demo_leaves_the_log_set_as_any_log(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as uow:
        connection = uow.session.connection()
        cache_before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        demo.generate(uow, complaints=200, months=3, seed=11)
        cache_after = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        buffer = connection.exec_driver_sql(
            "SELECT v FROM complaint_search_config WHERE k = 'hashsize'"
        ).scalar()
    with sqlite_db.reading() as uow:
        connection = uow.session.connection()
        journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    assert cache_after == cache_before
    assert buffer in (None, 1024 * 1024)  # FTS5's own default
    assert (journal, synchronous) == ("wal", 2)  # FULL


def _journal(database: Database) -> str:
    with database.reading() as uow:
        return str(uow.session.connection().exec_driver_sql("PRAGMA journal_mode").scalar())


def test_a_new_log_is_filled_through_the_rollback_journal_then_left_in_wal(
    sqlite_db: Database,
) -> None:
    with demo.written_once(sqlite_db):
        during = _journal(sqlite_db)
        with sqlite_db.transaction() as uow:
            demo.generate(uow, complaints=50, months=2, seed=12)
    assert (during, _journal(sqlite_db)) == ("delete", "wal")
    assert run_check(sqlite_db).ok


def test_the_journal_stays_wal_when_another_connection_has_the_log_open(
    sqlite_db: Database,
) -> None:
    path = sqlite_db.sqlite_path
    assert path is not None
    other = sqlite3.connect(path)
    try:
        other.execute("BEGIN")
        other.execute("SELECT count(*) FROM complaint").fetchone()  # holds a read lock
        with demo.written_once(sqlite_db):
            during = _journal(sqlite_db)
            with sqlite_db.transaction() as uow:
                demo.generate(uow, complaints=50, months=2, seed=12)
        other.rollback()
    finally:
        other.close()
    assert (during, _journal(sqlite_db)) == ("wal", "wal")
    with sqlite_db.reading() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Complaint)) == 50
