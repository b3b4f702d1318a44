"""`Database.write` runs a whole command's transaction again when PostgreSQL says it lost a race
(a serialization failure or a deadlock), a bounded number of times, and never retries anything
else; several processes running `ceo-desk log` and `delegate` at once all succeed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from ceo_desk.core.database import open_database
from ceo_desk.errors import StorageError, ValidationError
from ceo_desk.store.db import Database, UnitOfWork
from ceo_desk.store.models import Customer
from tests.builders import add_staff, log
from tests.helpers_safety.together import assert_whole_log, references_written
from tests.pg_server import PostgresServer


@pytest.fixture
def pg_db(postgres: PostgresServer) -> Database:
    from tests.conftest import _fresh_postgres_url

    return open_database(_fresh_postgres_url(postgres))


def _repeatable_read(db: Database) -> Database:
    """The same log with transactions that fail, rather than wait, when a row they read was
    changed by another transaction meanwhile: a serialization failure made on purpose."""
    return Database(
        db.url, db.engine.execution_options(isolation_level="REPEATABLE READ"), db.actor
    )


def _customer_id(db: Database) -> int:
    log(db, name="Ann Lee", phone=None, email="ann.lee@example.com")
    with db.reading() as uow:
        found = uow.session.scalar(select(Customer.id))
    assert found is not None
    return int(found)


def _renames(db: Database, customer_id: int, *, raced: int) -> tuple[list[int], object]:
    """A writer renaming the customer while, on its first `raced` attempts, another connection
    renames the same customer in between its snapshot and its update."""
    attempts: list[int] = []

    def rename(uow: UnitOfWork) -> str:
        attempts.append(len(attempts) + 1)
        if len(attempts) <= raced:
            with db.engine.begin() as other:
                other.execute(
                    text("UPDATE customer SET name = 'Someone Else' WHERE id = :id"),
                    {"id": customer_id},
                )
        uow.session.execute(
            text("UPDATE customer SET name = 'Ann Lee-Park' WHERE id = :id"), {"id": customer_id}
        )
        return "renamed"

    racing = _repeatable_read(db)
    try:
        outcome: object = racing.write(rename)
    except StorageError as exc:
        outcome = exc
    return attempts, outcome


def _stored_name(db: Database, customer_id: int) -> str | None:
    with db.reading() as uow:
        return uow.session.scalar(select(Customer.name).where(Customer.id == customer_id))


@pytest.mark.postgres
def test_a_serialization_failure_is_run_again_and_succeeds(pg_db: Database) -> None:
    try:
        customer_id = _customer_id(pg_db)
        attempts, outcome = _renames(pg_db, customer_id, raced=1)
        assert outcome == "renamed"
        assert attempts == [1, 2]
        assert _stored_name(pg_db, customer_id) == "Ann Lee-Park"
    finally:
        pg_db.close()


@pytest.mark.postgres
def test_retrying_stops_after_the_last_attempt_and_says_so(pg_db: Database) -> None:
    try:
        customer_id = _customer_id(pg_db)
        attempts, outcome = _renames(pg_db, customer_id, raced=99)
        assert attempts == [1, 2, 3]
        assert isinstance(outcome, StorageError)
        assert "nothing was saved" in outcome.message
        assert "tried 3 times" in outcome.message
        assert _stored_name(pg_db, customer_id) == "Someone Else"
    finally:
        pg_db.close()


@pytest.mark.postgres
def test_a_failure_that_is_not_a_lost_race_is_not_retried(pg_db: Database) -> None:
    attempts: list[int] = []

    def divide_by_zero(uow: UnitOfWork) -> None:
        attempts.append(1)
        rename_first(uow)
        uow.session.execute(text("SELECT 1 / 0"))

    def refused(uow: UnitOfWork) -> None:
        attempts.append(1)
        rename_first(uow)
        raise ValidationError("Give the customer's name.")

    def rename_first(uow: UnitOfWork) -> None:
        uow.session.execute(text("UPDATE customer SET name = 'Changed' WHERE id = :id"), {"id": 1})

    try:
        customer_id = _customer_id(pg_db)
        with pytest.raises(StorageError, match="division by zero") as failure:
            pg_db.write(divide_by_zero)
        assert "tried" not in failure.value.message
        assert attempts == [1]
        with pytest.raises(ValidationError, match="customer's name"):
            pg_db.write(refused)
        assert attempts == [1, 1]
        assert _stored_name(pg_db, customer_id) == "Ann Lee"
    finally:
        pg_db.close()


def test_on_sqlite_a_write_runs_once_and_commits(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'log.sqlite3'}")
    try:
        customer_id = _customer_id(db)
        calls: list[int] = []

        def rename(uow: UnitOfWork) -> int:
            calls.append(1)
            uow.session.execute(
                text("UPDATE customer SET name = 'Ann Lee-Park' WHERE id = :id"),
                {"id": customer_id},
            )
            return len(calls)

        assert db.write(rename) == 1
        assert _stored_name(db, customer_id) == "Ann Lee-Park"
    finally:
        db.close()


CALLER = "tests.helpers_safety.cli_caller"
WRITERS = 4
CALLS = 15


@pytest.mark.postgres
@pytest.mark.slow
def test_concurrent_log_and_delegate_commands_all_succeed(pg_db: Database) -> None:
    try:
        log(pg_db, name="Repeat Caller", phone=None, email="repeat.caller@example.com")
        add_staff(pg_db, "Wei Chen", "Billing")
        delegated = references_written(CALLER, pg_db.url, WRITERS, CALLS)
        assert len(delegated) == WRITERS * CALLS == len(set(delegated))
        assert_whole_log(pg_db, WRITERS * CALLS + 1)
    finally:
        pg_db.close()
