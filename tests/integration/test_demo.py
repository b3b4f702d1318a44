"""The demo history follows the loop's own rules: the same events, wording and due dates."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from ceo_desk.core import demo, history
from ceo_desk.enums import Status
from ceo_desk.store.db import Database
from ceo_desk.store.models import Complaint, Event


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
