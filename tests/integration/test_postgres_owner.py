"""PostgreSQL: the tables belong to an owner role nobody logs in as, so the people using the app
can add to the audit trail but cannot disable its triggers, truncate it or take it over."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text

from ceo_desk.core.database import open_database
from ceo_desk.core.safety import check
from ceo_desk.core.services import people
from ceo_desk.enums import Role
from ceo_desk.store.db import Database
from ceo_desk.store.office import ASSISTANT_GROUP
from tests.builders import log
from tests.pg_server import PostgresServer

pytestmark = pytest.mark.postgres


@pytest.fixture
def logins(postgres: PostgresServer) -> Iterator[tuple[str, str, str]]:
    """A fresh log and two people allowed to use it: their URLs and the database name."""
    name = "ceo_owner_test"
    postgres.execute_autocommit(f"DROP DATABASE IF EXISTS {name}")
    postgres.execute_autocommit(f"CREATE DATABASE {name}")
    for person in ("alice", "bob"):
        postgres.create_login(person, f"{person}-secret", ASSISTANT_GROUP)
    admin = open_database(postgres.url(name))  # the administrator opens the new log first
    try:
        with admin.transaction() as uow:
            for person in ("alice", "bob"):
                people.grant(uow, person, Role.ASSISTANT)
    finally:
        admin.close()
    urls = []
    for person in ("alice", "bob"):
        urls.append(postgres.url(name, user=person, password=f"{person}-secret"))
    yield urls[0], urls[1], name
    postgres.execute_autocommit(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    for person in ("alice", "bob"):
        postgres.execute_autocommit(f"DROP ROLE IF EXISTS {person}")


def _as(url: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _refused(url: str, sql: str) -> str:
    with _as(url) as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(sql)
    return str(refused.value)


def test_two_people_use_the_log_and_neither_owns_it(logins: tuple[str, str, str]) -> None:
    alice, bob, _ = logins
    db: Database = open_database(alice)
    try:
        reference = log(db)
    finally:
        db.close()
    db = open_database(bob)
    try:
        with db.reading() as uow:
            assert uow.session.scalar(text("SELECT count(*) FROM complaint")) == 1
        assert check.run_check(db).ok, check.run_check(db).as_text()
    finally:
        db.close()
    assert reference
    for who in (alice, bob):
        assert "must be owner" in _refused(who, "ALTER TABLE event DISABLE TRIGGER ALL")
        assert "must be owner" in _refused(who, "DROP TRIGGER event_immutable ON event")
        assert "permission denied" in _refused(who, "TRUNCATE event CASCADE")
        assert "permission denied" in _refused(who, "DELETE FROM event")
        assert "must be owner" in _refused(who, "ALTER TABLE event OWNER TO alice")
