"""Today's promises and follow-up calls are read from the rows still waiting, never by walking
the complaints.

Each statement Today's readers send is asked how SQLite would run it (EXPLAIN QUERY PLAN) on a
real log: the promises and follow-ups must come through their index of the rows still waiting,
and complaints only by their id. SQLite plans without statistics, so the plan is the same on a
small log as on a large one, where walking every resolved complaint took a fifth of a second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import follow_ups, office, promises
from ceo_desk.enums import Outcome
from ceo_desk.store.db import Database, UnitOfWork
from tests.builders import add_staff, awaiting_callback, callback
from tests.sent_statements import sent_statements

# Once the follow-up call is due (four weeks after the resolution below).
DAY = SYSTEM_CLOCK.today() + timedelta(weeks=5)

# Each reader, and the index its waiting rows must come through.
READERS: dict[str, tuple[Callable[[UnitOfWork], object], str]] = {
    "promises nearly due": (
        lambda uow: promises.nearly_due(uow, today=DAY),
        "ix_promise_waiting",
    ),
    "follow-up calls due": (
        lambda uow: follow_ups.due(uow, today=DAY),
        "ix_follow_up_waiting",
    ),
}


def _plan(uow: UnitOfWork, statement: str, parameters: Any) -> list[str]:
    raw = uow.session.connection().connection.driver_connection
    assert raw is not None
    return [str(row[3]) for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]


@pytest.fixture
def followed_up(sqlite_db: Database) -> Database:
    """A log with a promise and a follow-up call waiting, so every read is sent."""
    with sqlite_db.transaction() as uow:
        office.save_settings(uow, replace(office.load_settings(uow), follow_up_weeks=4))
    ref = awaiting_callback(sqlite_db, add_staff(sqlite_db), ceo_promised="A refund")
    callback(sqlite_db, ref, Outcome.SATISFIED, satisfaction=5)
    return sqlite_db


@pytest.mark.parametrize("reader", READERS)
def test_the_waiting_rows_are_read_through_their_index(followed_up: Database, reader: str) -> None:
    read, index = READERS[reader]
    with followed_up.reading() as uow, sent_statements(followed_up) as sent:
        read(uow)
        steps = [step for statement, values in sent for step in _plan(uow, statement, values)]
    assert any(f"USING INDEX {index} " in step for step in steps), steps
    complaints = [step for step in steps if step.split()[1:2] == ["complaint"]]
    assert complaints, steps
    assert all("USING INTEGER PRIMARY KEY" in step for step in complaints), steps
