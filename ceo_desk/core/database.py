"""Opening the complaint log for one actor: engine, migrations, first-run defaults."""

from __future__ import annotations

from sqlalchemy.exc import DatabaseError, OperationalError

from ceo_desk import paths
from ceo_desk.core.services import office
from ceo_desk.enums import Role
from ceo_desk.errors import StorageError
from ceo_desk.store import schema
from ceo_desk.store.db import Actor, Database, build_engine


def open_database(db_option: str | None = None, *, role: Role = Role.ASSISTANT) -> Database:
    """Open (creating on first run) the database chosen by --db, the environment or the default."""
    url = paths.resolve_database_url(db_option)
    try:
        engine = build_engine(url)
    except (OSError, ValueError) as exc:
        raise StorageError(
            f"Cannot open the database {url}: {exc}. Check the path given with --db or "
            f"{paths.DATABASE_URL_ENV}."
        ) from exc
    except Exception as exc:  # SQLAlchemy raises its own types for a malformed URL or driver
        raise StorageError(
            f"'{url}' is not a database CEO Desk can open ({exc}). Use a file path or a URL "
            "such as sqlite:///path/to/log.sqlite3 or postgresql+psycopg://user@host/db."
        ) from exc
    try:
        schema.migrate(engine, url)
        database = Database(url, engine, Actor.current(role))
        with database.uow() as uow:
            office.ensure_defaults(uow)
    except StorageError:
        engine.dispose()
        raise
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        raise StorageError(schema.describe_open_failure(url, exc)) from exc
    return database
