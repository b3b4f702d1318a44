"""A list query replaced by a newer one is stopped where it is, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from ceo_desk.core.interrupt import Interrupted, Interruptible
from ceo_desk.store.db import Database

# A read that runs far longer than any test waits, unless it is stopped.
_ENDLESS = {
    "sqlite": (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    ),
    "postgresql": "SELECT pg_sleep(600)",
}


def test_a_running_read_is_interrupted(db: Database) -> None:
    read = Interruptible()
    started = threading.Event()
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            with db.reading() as uow, read.running(uow):
                started.set()
                uow.session.execute(text(_ENDLESS[uow.dialect])).scalar()
            outcome.append(None)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert started.wait(30)
    while worker.is_alive():
        read.cancel()  # again until the statement itself is under way and stops
        worker.join(0.05)
    assert len(outcome) == 1 and isinstance(outcome[0], Interrupted)

    with db.reading() as uow:  # the connection is fine for the next person's work
        assert uow.session.execute(text("SELECT 1")).scalar() == 1


def test_a_read_cancelled_before_it_starts_never_runs(db: Database) -> None:
    read = Interruptible()
    read.cancel()
    with pytest.raises(Interrupted), db.reading() as uow, read.running(uow):
        pytest.fail("the read ran")
