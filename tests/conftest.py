"""Shared fixtures. Qt runs offscreen and every path points into tmp_path: no test touches the
real data directory. Database fixtures run on SQLite and on a PostgreSQL server started here."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CEO_DESK_DATABASE_URL", None)

from ceo_desk import secrets
from ceo_desk.core.database import open_database
from ceo_desk.store.db import Database
from tests.memory_keyring import MemoryKeyring
from tests.pg_server import PostgresServer, find_bin
from tests.smtp_server import SmtpServer

_db_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEO_DESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CEO_DESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("CEO_DESK_DATABASE_URL", raising=False)
    # Phone numbers typed without a country code are read as US ones, whatever this computer's
    # locale: the default phone region follows the locale (see settings.locale_region).
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LC_TELEPHONE", "en_US.UTF-8")


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty in-memory keyring, and no password typed by an earlier one."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    secrets.forget_typed()
    try:
        yield backend
    finally:
        secrets.forget_typed()
        keyring.set_keyring(previous)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1, on a free port, running until the test ends."""
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    if not find_bin("initdb"):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; .ci/run must install it")
        pytest.skip("PostgreSQL server binaries are not installed on this machine")
    server = PostgresServer()
    server.start()
    try:
        server.execute_autocommit("CREATE DATABASE ceo_template")
        template = open_database(server.url("ceo_template"))
        template.close()
        yield server
    finally:
        server.stop()


def _fresh_postgres_url(server: PostgresServer) -> str:
    name = f"ceo_test_{os.getpid()}_{next(_db_counter)}"
    server.execute_autocommit(f"CREATE DATABASE {name} TEMPLATE ceo_template")
    return server.url(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for a new, empty log on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'log.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return _fresh_postgres_url(server)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """An opened log (assistant role) on each backend."""
    database = open_database(database_url)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """An opened SQLite log, for tests that only concern the local file."""
    database = open_database(str(tmp_path / "log.sqlite3"))
    try:
        yield database
    finally:
        database.close()
