"""Opening the complaint log for one actor: engine, migrations, first-run defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import DatabaseError, OperationalError

from ceo_desk import paths
from ceo_desk.core import changes, identity
from ceo_desk.core.safety import anchor
from ceo_desk.core.services import office, people
from ceo_desk.enums import Role
from ceo_desk.errors import PermissionDenied, StorageError
from ceo_desk.store import schema
from ceo_desk.store.db import (
    Actor,
    Database,
    UnitOfWork,
    build_engine,
    describe_failure,
    shown_url,
    sqlite_path,
    without_passwords,
)
from ceo_desk.store.models import RoleGrant

# The screens know the log through these names only: ui imports core, never the store.
__all__ = [
    "Actor",
    "Database",
    "OpenedLog",
    "UnitOfWork",
    "open_database",
    "open_log",
    "sqlite_path",
]


def open_database(db_option: str | None = None, *, as_role: Role | None = None) -> Database:
    """Open (creating on first run) the database chosen by --db, the environment or the default,
    for the identity running this (see `core.identity`). `as_role` narrows the person to one of
    the roles granted to them (`--as`); one they do not hold is refused."""
    url = paths.resolve_database_url(db_option)
    try:
        engine = build_engine(url)
    except StorageError:
        raise
    except (OSError, ValueError) as exc:
        raise StorageError(
            f"Cannot open the database {shown_url(url)}: {without_passwords(str(exc))}. "
            f"Check the path given with --db or {paths.DATABASE_URL_ENV}."
        ) from exc
    except Exception as exc:  # SQLAlchemy raises its own types for a malformed URL or driver
        raise StorageError(
            f"'{shown_url(url)}' is not a database CEO Desk can open "
            f"({without_passwords(str(exc))}). Use a file path or a URL such as"
            " sqlite:///path/to/log.sqlite3 or postgresql+psycopg://user@host/db."
        ) from exc
    changes.install()  # every commit announces what it changed
    try:
        schema.migrate(engine, url)
        database = Database(url, engine, Actor(identity.of_engine(engine), as_role))
        anchor.install(database)
        with database.reading() as uow:
            # Every log but a new one has both: opening it then takes no writer's lock, so it
            # opens at once even while another process writes (a long import, say).
            settled = people.has_grants(uow) and office.has_categories(uow)
        if not settled:
            with database.transaction() as uow:
                people.ensure_first_owner(uow)
                office.ensure_defaults(uow)
        if as_role is not None:
            _check_chosen_role(database, as_role)
    except (StorageError, PermissionDenied):
        engine.dispose()
        raise
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        raise StorageError(describe_failure(url, exc)) from exc
    return database


def _check_chosen_role(database: Database, role: Role) -> None:
    """Refuse `--as ROLE` unless the role is granted to the person."""
    who = database.actor.identity
    if not role.grantable:
        raise PermissionDenied(
            "Nobody acts as 'system': it is kept for what CEO Desk does by itself (such as "
            f"reminders). Leave out --as to act with the roles granted to {who}."
        )
    with database.reading() as uow:
        if role in uow.roles:
            return
        held = ", ".join(
            sorted(uow.session.scalars(select(RoleGrant.role).where(RoleGrant.identity == who)))
        )
    raise PermissionDenied(
        f"{who} does not hold the {role.label} role, so cannot act as it"
        + (f" (granted: {held})" if held else " (no role is granted to them)")
        + ". An owner can grant it: ceo-desk users grant "
        + f"{who} --role {role.value}."
    )


@dataclass(frozen=True)
class OpenedLog:
    """A log opened for daily use, with what the person should be told about it."""

    db: Database
    warnings: list[str]
    roles: frozenset[Role] | None = None  # the person's, once the opener has read them


def open_log(
    db_option: str | None = None,
    *,
    as_role: Role | None = None,
    daily_backup: bool = True,
    before_check: Callable[[str], None] | None = None,
) -> OpenedLog:
    """Open the log as the app and the command line do: check it after an unclean shutdown
    (a damaged file is moved aside, never deleted: DatabaseMovedAside), then take the daily
    backup (unless the caller takes it later, as the app does once its window is filled) and
    apply the retention rule. A clean close is recorded when the log is closed. `before_check`
    is told why the opening waits when that check runs (see `on_open.prepare_open`)."""
    from ceo_desk.core.safety import cleanup, on_open

    url = paths.resolve_database_url(db_option)
    check = on_open.prepare_open(url, before_check=before_check)
    database = open_database(db_option, as_role=as_role)
    warnings = list(check.warnings) + cleanup.finish_pending(database)
    warnings += on_open.after_open(database, daily_backup=daily_backup)
    database.close_hooks.append(on_open.on_close)
    return OpenedLog(database, warnings)
