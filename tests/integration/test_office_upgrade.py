"""An office the previous version set up upgrades in place: every row is kept, its people keep
working as assistants, and from then on the database enforces the roles."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import create_engine

from ceo_desk import cli
from ceo_desk.core.database import open_database
from ceo_desk.store import office, schema
from tests import previous_office
from tests.office_logins import plain_url
from tests.pg_server import PostgresServer

pytestmark = pytest.mark.postgres

_numbers = itertools.count(1)


@pytest.fixture
def previous(postgres: PostgresServer) -> Iterator[tuple[str, str]]:
    """The previous version's office, and the URL of lee, one of its people."""
    name = f"ceo_previous_{next(_numbers)}"
    postgres.execute_autocommit(f"CREATE DATABASE {name}")
    previous_office.build(postgres.url(name))
    postgres.create_login("lee", "lee-secret", office.USER_ROLE)
    yield name, postgres.url(name, user="lee", password="lee-secret")
    postgres.execute_autocommit(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _one(url: str, sql: str) -> object:
    with psycopg.connect(plain_url(url)) as conn:
        row = conn.execute(sql).fetchone()
        conn.rollback()
    return row[0] if row else None


def _refusal(url: str, sql: str) -> str:
    with psycopg.connect(plain_url(url)) as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(sql)
    return str(refused.value)


def test_opening_the_previous_office_upgrades_it_in_place(
    postgres: PostgresServer, previous: tuple[str, str]
) -> None:
    name, lee = previous
    admin = postgres.url(name)
    before = {t: _one(admin, f"SELECT count(*) FROM {t}") for t in ("customer", "complaint")}
    # Before: lee, like everyone, was granted every table whole (even deleting complaints).
    deleting = (
        "WITH gone AS (DELETE FROM complaint WHERE false RETURNING 1) SELECT count(*) FROM gone"
    )
    assert _one(lee, deleting) == 0
    open_database(admin).close()

    assert _one(admin, "SELECT version_num FROM alembic_version") == schema.head_revision()
    for table in ("customer", "complaint"):
        assert _one(admin, f"SELECT count(*) FROM {table}") == before[table] == 1
    # Opening may add events of its own; the earlier one is still there as it was.
    assert _one(admin, "SELECT os_user FROM event WHERE hash = 'h1'") == "lee"
    assert _one(admin, "SELECT tableowner FROM pg_tables WHERE tablename = 'complaint'") == (
        office.OWNER_ROLE
    )
    # lee keeps working, now as an assistant: reads the log, but resolves nothing.
    assert _one(lee, "SELECT reference FROM complaint") == "C-2026-0001"
    assert "only the CEO resolves" in _refusal(lee, "UPDATE complaint SET status = 'resolved'")
    assert "permission denied" in _refusal(lee, "DELETE FROM complaint")
    assert "permission denied" in _refusal(lee, "TRUNCATE event CASCADE")


def test_securing_again_changes_nothing_more(
    postgres: PostgresServer, previous: tuple[str, str]
) -> None:
    name, lee = previous
    admin = postgres.url(name)
    open_database(admin).close()
    engine = create_engine(admin)
    try:
        counts = []
        for _ in range(2):
            with engine.begin() as conn:
                assert office.secure(conn)
            counts.append(
                (
                    _one(admin, "SELECT count(*) FROM role_grant"),
                    _one(admin, "SELECT count(*) FROM pg_policies"),
                )
            )
    finally:
        engine.dispose()
    assert counts[0] == counts[1]
    assert _one(lee, "SELECT count(*) FROM complaint") == 1


def test_office_init_upgrades_the_previous_office_and_records_its_people(
    postgres: PostgresServer, previous: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    name, lee = previous
    admin = postgres.url(name)
    postgres.create_login("dana", "dana-secret")
    assert cli.main(["office", "init", admin, "--owner", "dana"]) == 0, capsys.readouterr().err
    assert "brought up to date, keeping every row" in capsys.readouterr().out
    assert _one(admin, "SELECT count(*) FROM complaint") == 1
    assert _one(admin, "SELECT role FROM role_grant WHERE identity = 'lee'") == "assistant"
    assert _one(lee, "SELECT reference FROM complaint") == "C-2026-0001"
    status = cli.main(["--db", lee, "callback", "C-2026-0001", "--outcome", "satisfied"])
    assert status == 2
    assert "CEO" in capsys.readouterr().err
