"""The engine and the unit of work. The engine is built once the database URL is known."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from ceo_desk.enums import Role

SQLITE_BUSY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Actor:
    """Who is acting: the operating-system user and the role chosen on this computer."""

    os_user: str
    role: Role

    @classmethod
    def current(cls, role: Role) -> Actor:
        try:
            user = getpass.getuser()
        except (OSError, KeyError):
            user = "unknown"
        return cls(os_user=user, role=role)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for PostgreSQL and in-memory databases."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" event decide how transactions start (IMMEDIATE for writers).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the lock up front, so two writers queue on busy_timeout instead of
        # failing with "database is locked" when a deferred read later upgrades to a write.
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def build_engine(url: str) -> Engine:
    """Create the engine for `url`; a SQLite file gets owner-only permissions."""
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None:
            _prepare_sqlite_file(path)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _prepare_sqlite_file(path: Path) -> None:
    from ceo_desk.paths import ensure_private_dir

    if not path.parent.exists():
        ensure_private_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    os.chmod(path, 0o600)


class UnitOfWork:
    """One transaction; rolls back unless `commit()` is called, so a refusal changes nothing."""

    def __init__(self, engine: Engine, actor: Actor, *, read_only: bool = False) -> None:
        self.engine = engine
        self.actor = actor
        self.read_only = read_only
        bind = engine.execution_options(sqlite_begin="DEFERRED") if read_only else engine
        self._factory = sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self.session.commit()


class Database:
    """An opened, migrated database: hands out units of work for one actor."""

    def __init__(self, url: str, engine: Engine, actor: Actor) -> None:
        self.url = url
        self.engine = engine
        self.actor = actor

    def uow(self, *, read_only: bool = False) -> UnitOfWork:
        return UnitOfWork(self.engine, self.actor, read_only=read_only)

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        with self.uow(read_only=True) as uow:
            yield uow

    def with_actor(self, actor: Actor) -> Database:
        return Database(self.url, self.engine, actor)

    @property
    def sqlite_path(self) -> Path | None:
        return sqlite_path(self.url)

    def close(self) -> None:
        self.engine.dispose()
