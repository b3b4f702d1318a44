"""The engine and the unit of work. The engine is built once the database URL is known."""

from __future__ import annotations

import logging
import os
import random
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import ConnectionPoolEntry

from ceo_desk import secrets
from ceo_desk.enums import Role
from ceo_desk.errors import ConflictError, PasswordNeeded, StorageError
from ceo_desk.store import office
from ceo_desk.store.models import RoleGrant

_log = logging.getLogger(__name__)

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_S = 30.0
# On PostgreSQL every writing transaction takes this advisory lock before anything else ("CEODESK"
# in ASCII, fits in bigint). Writers then queue in one order, as SQLite's BEGIN IMMEDIATE makes
# them, instead of deadlocking when one holds the audit chain and waits for the reference
# counter's row while another holds that row and waits for the chain. The audit chain's appends
# are serialised by the same lock.
WRITERS_LOCK_KEY = 0x43454F4445534B
# PostgreSQL's SQLSTATEs for a transaction that lost a race and may simply be run again:
# serialization_failure and deadlock_detected. Everything else is reported at once.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
WRITE_ATTEMPTS = 3
# The pause before attempt n is a random fraction of n times this, so racing writers spread out.
RETRY_PAUSE_S = 0.05
_SAVED_MEANWHILE = (
    "This record was changed by someone else at the same moment. Reload it and make your "
    "change again; nothing was saved."
)


@dataclass(frozen=True)
class Actor:
    """Who is acting: the identity (see `core.identity`) and, when the person chose to act in
    only one of the roles granted to them (`--as`), that role."""

    identity: str
    only_role: Role | None = None

    @property
    def os_user(self) -> str:
        """The identity, under the name of the event column that has always held it."""
        return self.identity


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


def for_reading(engine: Engine) -> Engine:
    """`engine`, its transactions begun DEFERRED on SQLite: they take no writer's lock, so they
    neither wait for nor hold up another process's write."""
    return engine.execution_options(sqlite_begin="DEFERRED")


def build_engine(url: str) -> Engine:
    """Create the engine for `url`; a SQLite file gets owner-only permissions."""
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is None:
            raise StorageError(
                f"'{shown_url(url)}' is an in-memory database: nothing written to it would be "
                "kept. Give the log's file instead, for example --db ~/ceo-desk.sqlite3."
            )
        _prepare_sqlite_file(path)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    _supply_kept_password(engine, url)
    return engine


def _password_key(url: str) -> tuple[str, str] | None:
    """(keyring service, login) for a PostgreSQL URL that names a login but no password."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or parsed.password or not parsed.username:
        return None
    return secrets.database_service(parsed.host or "localhost", parsed.port), parsed.username


def _supply_kept_password(engine: Engine, url: str) -> None:
    """Connect with the password typed this run or kept in the keyring, when the URL has none."""
    key = _password_key(url)
    if key is None:
        return

    @event.listens_for(engine, "do_connect")
    def _on_connect(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        if not cparams.get("password"):
            password = secrets.get_password(*key)
            if password:
                cparams["password"] = password


def password_needed(url: str, exc: BaseException) -> PasswordNeeded | None:
    """The server's request for a password (none given, or the one given refused), if that is
    what `exc` is."""
    message = str(getattr(exc, "orig", exc))
    missing = "no password supplied" in message
    if not missing and "password authentication failed" not in message:
        return None
    parsed = make_url(url)
    login = parsed.username or ""
    service = secrets.database_service(parsed.host or "localhost", parsed.port)
    server = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    if missing:
        text = (
            f"The database server {server} asks for the password of {login}, and this "
            "computer's keyring has none. Run the command in a terminal to type it (it can be "
            "kept in the keyring), or sign in once in the app; nothing was changed."
        )
    else:
        text = (
            f"The database server {server} refused the password for {login}. Type it again; "
            "if it was kept in the keyring, the new one replaces it. Nothing was changed."
        )
    return PasswordNeeded(text, service=service, login=login, refused=not missing)


SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    """True for an SQLite database file (or an empty one SQLite will initialise).

    Opened without blocking, so a named pipe given in place of a file cannot hang the check."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, len(SQLITE_HEADER))
    except OSError:
        return False
    finally:
        os.close(fd)
    return head in (b"", SQLITE_HEADER)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in a person's words (for refusing it)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def _refuse_a_newer_log(path: Path) -> None:
    """Read the schema version read-only before anything may touch the file: a log written by a
    newer CEO Desk (or with a version this one does not know) is left byte for byte as it is
    (no WAL switch, no new permissions)."""
    from ceo_desk.store import schema  # schema builds on this module

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=SQLITE_BUSY_TIMEOUT_S)
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            row = (
                conn.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in names
                else None
            )
        finally:
            conn.close()
    except sqlite3.Error:
        return  # opening reports what is wrong (damage, a lock) in its own words
    if row is not None and str(row[0]) not in schema.known_revisions():
        raise StorageError(
            f"This database {schema.unknown_revision(str(row[0]))} It has been left untouched."
        )


def refuse_unusable_file(path: Path) -> bool:
    """Raise StorageError, changing nothing, unless `path` is a free name or a regular SQLite
    file: a folder, a device, a pipe, a link to nothing or another kind of file is refused with
    the reason. Returns whether the file exists."""
    from ceo_desk import paths

    if path.is_symlink() and not path.exists():
        raise StorageError(
            f"{path} is a link to {os.readlink(path)}, which does not exist. Nothing was "
            "created; give the log's own file with --db."
        )
    if path.is_dir():
        raise StorageError(
            f"{path} is a folder, not a database file. Give a file name, for example "
            f"{path / paths.DATABASE_FILE}."
        )
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StorageError(f"Cannot open {path}: {exc.strerror or exc}.") from exc
    if not stat.S_ISREG(mode):
        raise StorageError(
            f"{path} is {kind_of(mode)}, not a database file. It has been left untouched. "
            "Choose another file with --db."
        )
    if not is_sqlite_file(path):
        raise StorageError(
            f"{path} is not a CEO Desk database (it is not an SQLite file). It has been left "
            "untouched. Choose another file with --db."
        )
    return True


def _prepare_sqlite_file(path: Path) -> None:
    """Create a new log privately; refuse, untouched, anything that is not an SQLite file:
    a folder, a device, a pipe, a link to nothing, another kind of file, a newer log."""
    from ceo_desk import paths

    if refuse_unusable_file(path):
        _refuse_a_newer_log(path)
        if path.stat().st_uid == os.geteuid():
            os.chmod(path, 0o600)
        return
    if not path.parent.exists():
        if paths.data_dir() not in (path.parent, *path.parent.parents):
            raise StorageError(
                f"The folder {path.parent} does not exist. Create it first or choose another "
                "place for the log; nothing was created."
            )
        paths.ensure_private_dir(path.parent)
    try:
        # O_EXCL: never through a link, never over a file that appeared meanwhile.
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return _prepare_sqlite_file(path)
    os.close(fd)


_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*):[^@\s]*@")


def shown_url(url: str) -> str:
    """The URL as a message may show it: a password given in it is never repeated back."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can parse: mask by shape instead
        return without_passwords(url)


def without_passwords(text: str) -> str:
    """Any text (a driver's message quoting the URL, say) with the passwords of URLs masked."""
    return _PASSWORD_IN_URL.sub(r"\1:***@", text)


def describe_failure(url: str, exc: BaseException) -> str:
    """A sentence for a failure reported by the database driver: what happened, what to do."""
    said = without_passwords(str(getattr(exc, "orig", exc)))
    refusal = office.explain_refusal(said)
    if refusal is not None:
        return f"{refusal} Nothing was saved."
    text = said.lower()
    first_line = text.splitlines()[0] if text else type(exc).__name__
    where = sqlite_path(url) or shown_url(url)
    if "full" in text or "disk i/o" in text or "too large" in text or "no space" in text:
        return (
            f"The disk holding {where} is full, or the file is not allowed to grow. Nothing was "
            "saved. Free some space (or move the log with --db) and try again."
        )
    if "deadlock" in text or "could not serialize" in text:
        # PostgreSQL's words for two transactions that each waited for the other ("... blocked
        # by process ..."): not another program holding the file.
        return (
            "Someone else was saving at the same moment and this change could not be finished; "
            "nothing was saved. Try again."
        )
    if "locked" in text or "busy" in text:
        return (
            f"The database {where} is locked by another program. Close other copies of CEO Desk "
            "(or wait for the backup to finish) and try again; nothing was saved."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (
            f"The database {where} is damaged. It has not been changed. Restore the newest backup "
            "(File, Restore from a backup; or `ceo-desk restore`)."
        )
    if "permission denied" in text and not is_sqlite(url):
        return (
            f"The database server ({where}) refused this: {first_line}. The database user in "
            "the URL is not allowed to do it; ask whoever runs the server to grant it. Nothing "
            "was saved."
        )
    if "unable to open" in text or "no such file" in text or "permission" in text:
        return (
            f"The database {where} cannot be opened: the folder is missing or not writable. "
            "Check the path given with --db or CEO_DESK_DATABASE_URL."
        )
    if "readonly" in text or "read-only" in text:
        return f"The database {where} is read-only here; nothing was saved. Check its permissions."
    if "connection" in text or "could not" in text or "password" in text or "server" in text:
        return (
            f"Cannot connect to the database server ({where}): {first_line}. Check that the "
            "server is running and the URL, user and password are right; nothing was saved."
        )
    return f"The database {where} reported a problem: {first_line}. Nothing was saved."


def _lost_a_race(exc: StorageError) -> bool:
    """True for a StorageError caused by PostgreSQL's deadlock or serialization failure."""
    cause = exc.__cause__
    orig = getattr(cause, "orig", None) if isinstance(cause, DBAPIError) else None
    return getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES


class UnitOfWork:
    """One transaction; rolls back unless its owner commits, so a refusal changes nothing.

    Only `Database.transaction()` commits. Services work inside the unit of work they are given
    and call `flush()` where a refusal must happen inside them.
    """

    def __init__(
        self,
        engine: Engine,
        actor: Actor,
        *,
        read_only: bool = False,
        after_commit: Sequence[Callable[[UnitOfWork], None]] = (),
    ) -> None:
        self.engine = engine
        self._after_commit = after_commit
        self.actor = actor
        self.read_only = read_only
        self._grants: tuple[frozenset[Role], int | None] | None = None
        # The role this unit of work acts in, chosen by `core.permissions.require`.
        self.acting_role: Role | None = None
        bind = for_reading(engine) if read_only else engine
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

    @property
    def identity(self) -> str:
        """Who is acting: the operating-system account, or the PostgreSQL login."""
        return self.actor.identity

    @property
    def roles(self) -> frozenset[Role]:
        """The roles granted to the identity (only the one chosen with `--as`, if any), read
        once per unit of work from the grants table."""
        return self._load_grants()[0]

    @property
    def staff_id(self) -> int | None:
        """For a delegate, the staff member whose work they see and file; else None."""
        return self._load_grants()[1]

    def _load_grants(self) -> tuple[frozenset[Role], int | None]:
        if self._grants is None:
            rows = self.session.execute(
                select(RoleGrant.role, RoleGrant.staff_id).where(
                    RoleGrant.identity == self.identity
                )
            ).all()
            roles = frozenset(Role(role) for role, _ in rows)
            if self.actor.only_role is not None:
                roles &= {self.actor.only_role}
            staff = next((s for r, s in rows if r == Role.DELEGATE and r in roles), None)
            self._grants = (roles, staff)
        return self._grants

    def forget_grants(self) -> None:
        """Read the grants again on next use (after this unit of work changed them)."""
        self._grants = None

    @property
    def sqlite_path(self) -> Path | None:
        """The log's file on SQLite (which an output must never overwrite), else None."""
        return sqlite_path(self.engine.url.render_as_string(hide_password=False))

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
        if isinstance(exc, StaleDataError):
            # A row saved by someone else since it was read: refused by its version counter,
            # wherever the write was sent (an explicit flush, an autoflush or the commit).
            raise ConflictError(_SAVED_MEANWHILE) from exc
        if isinstance(exc, OperationalError | InterfaceError) or (
            isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError)
        ):
            # The driver's words become a sentence a person can act on; the transaction is
            # already rolled back, so the refused action changed nothing.
            raise StorageError(describe_failure(str(self.engine.url), exc)) from exc

    def take_writers_lock(self) -> None:
        """Queue behind other writers (PostgreSQL; SQLite's writers queue on BEGIN IMMEDIATE).
        Held until the transaction ends; taking it again in the same transaction is harmless."""
        if self.dialect == "postgresql":
            self.session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITERS_LOCK_KEY}
            )

    def flush(self, *, conflict: str = _SAVED_MEANWHILE) -> None:
        """Write the pending changes now, inside the service that made them, so a row another
        person saved in between is refused there as a ConflictError saying `conflict`."""
        try:
            self.session.flush()
        except StaleDataError:
            raise ConflictError(conflict) from None

    def _commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self.session.commit()
        for hook in self._after_commit:
            # The commit has happened: a hook that fails must not tell the person it did not.
            try:
                hook(self)
            except Exception:
                _log.exception("A step after a commit failed; the commit itself stands")


class Database:
    """An opened, migrated database: hands out units of work for one actor."""

    def __init__(self, url: str, engine: Engine, actor: Actor) -> None:
        self.url = url
        self.engine = engine
        self.actor = actor
        # Run once by close(), e.g. to record a clean shutdown; shared by with_actor() copies.
        self.close_hooks: list[Callable[[Database], None]] = []
        # Run after every commit, e.g. to anchor the audit chain outside the log.
        self.after_commit: list[Callable[[UnitOfWork], None]] = []

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """The one way to change the log: everything done in the block commits together when it
        ends normally, and nothing does if it raises. Services never commit themselves."""
        with UnitOfWork(self.engine, self.actor, after_commit=self.after_commit) as uow:
            uow.take_writers_lock()
            yield uow
            uow._commit()

    def write(self, work: Callable[[UnitOfWork], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
        """Run `work` in a fresh `transaction()` and return what it returns.

        A `with` block cannot run itself again, so this is the entry point for a whole command:
        on PostgreSQL a transaction that fails on a deadlock or a serialization failure has
        changed nothing and is run again from the start, after a short random pause, up to
        `attempts` times in all. Any other failure (and the last retryable one) is raised as
        it is; the last names how many attempts were made.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.transaction() as uow:
                    return work(uow)
            except StorageError as exc:
                if not _lost_a_race(exc):
                    raise
                if attempt == attempts:
                    raise StorageError(f"{exc.message} (It was tried {attempts} times.)") from exc
                _log.info("Attempt %d of %d lost a race with another writer", attempt, attempts)
                time.sleep(random.uniform(0, RETRY_PAUSE_S * attempt))
        raise ValueError(f"attempts must be at least 1, not {attempts}")

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        """A read-only unit of work: it takes no write lock and cannot commit."""
        with UnitOfWork(self.engine, self.actor, read_only=True) as uow:
            yield uow

    def with_actor(self, actor: Actor) -> Database:
        twin = Database(self.url, self.engine, actor)
        twin.close_hooks = self.close_hooks
        twin.after_commit = self.after_commit
        return twin

    @property
    def sqlite_path(self) -> Path | None:
        return sqlite_path(self.url)

    def close(self) -> None:
        hooks, self.close_hooks[:] = list(self.close_hooks), []
        for hook in hooks:
            hook(self)
        self.engine.dispose()
