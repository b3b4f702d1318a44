"""The log's own column types read back what was stored: moments as aware UTC, vocabularies as
their members, and a text outside the vocabulary refused (SQLite in memory: no file)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, Table, create_engine, insert, select
from sqlalchemy.exc import StatementError

from ceo_desk.enums import Severity
from ceo_desk.store.models import EnumText, UtcDateTime

_TABLE = Table(
    "sample",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime()),
    Column("severity", EnumText(Severity, 16)),
)


@pytest.fixture
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        _TABLE.create(connection)
        yield connection
    engine.dispose()


def test_a_moment_comes_back_as_the_same_moment_in_utc(conn: Connection) -> None:
    wellington = timezone(timedelta(hours=13))
    moment = datetime(2026, 3, 1, 22, 30, 15, 250_000, tzinfo=wellington)
    conn.execute(insert(_TABLE).values(id=1, at=moment, severity=Severity.HIGH))
    at, severity = conn.execute(select(_TABLE.c.at, _TABLE.c.severity)).one()
    assert at == moment
    assert at.tzinfo is UTC
    assert at.hour == 9
    assert severity is Severity.HIGH


def test_text_another_program_stored_reads_as_utc_and_as_the_member(conn: Connection) -> None:
    conn.exec_driver_sql(
        "INSERT INTO sample (id, at, severity) VALUES (1, '2026-03-01 09:30:00', 'critical'),"
        " (2, NULL, NULL)"
    )
    rows = conn.execute(select(_TABLE.c.at, _TABLE.c.severity).order_by(_TABLE.c.id)).all()
    assert rows == [(datetime(2026, 3, 1, 9, 30, tzinfo=UTC), Severity.CRITICAL), (None, None)]
    assert rows[0][0].tzinfo is UTC


def test_a_text_outside_the_vocabulary_is_refused_on_reading(conn: Connection) -> None:
    conn.exec_driver_sql("INSERT INTO sample (id, severity) VALUES (1, 'enormous')")
    with pytest.raises(ValueError, match="enormous"):
        conn.execute(select(_TABLE.c.severity)).all()


def test_a_naive_moment_is_refused_before_it_is_stored(conn: Connection) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        conn.execute(insert(_TABLE).values(id=1, at=datetime(2026, 3, 1, 9, 30)))
    assert conn.execute(select(_TABLE.c.id)).all() == []
