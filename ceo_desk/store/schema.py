"""Opening a database: create or migrate it (after a verified backup), refuse a newer one."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from ceo_desk import paths
from ceo_desk.errors import StorageError
from ceo_desk.store import backup
from ceo_desk.store.db import sqlite_path

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def migrate(engine: Engine, url: str) -> None:
    """Bring the schema to this version's head; back up an existing SQLite file first."""
    try:
        with engine.connect() as conn:
            revision = current_revision(conn)
            has_tables = bool(inspect(conn).get_table_names())
            conn.rollback()
    except (OperationalError, DatabaseError) as exc:
        raise StorageError(describe_open_failure(url, exc)) from exc

    if revision is not None and revision not in _known_revisions():
        raise StorageError(
            f"This database was written by a newer version of CEO Desk (schema {revision}). "
            "It has been left untouched. Install the newer version to open it."
        )
    if revision == head_revision():
        return
    if has_tables and revision is None:
        raise StorageError(
            "This file is not a CEO Desk database (it has tables but no CEO Desk schema). "
            "It has been left untouched. Choose another file with --db."
        )
    db_file = sqlite_path(url)
    if revision is not None and db_file is not None:
        backup.copy_verified(
            db_file,
            paths.backups_dir() / backup.backup_file_name(label=f"before-{head_revision()}"),
        )
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def describe_open_failure(url: str, exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc)).lower()
    where = sqlite_path(url) or url
    if "locked" in text or "busy" in text:
        return (
            f"The database {where} is locked by another program. Close other copies of CEO Desk "
            "(or wait for the backup to finish) and try again."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (
            f"The database {where} is damaged. It has not been changed. Run `ceo-desk check` and "
            "restore the newest backup with `ceo-desk restore`."
        )
    if "unable to open" in text or "no such file" in text or "permission" in text:
        return (
            f"The database {where} cannot be opened: the folder is missing or not writable. "
            "Check the path given with --db or CEO_DESK_DATABASE_URL."
        )
    if "connection" in text or "could not" in text or "password" in text:
        return (
            f"Cannot connect to the database server ({where}): {text.splitlines()[0]}. Check that "
            "the server is running and the URL, user and password are right."
        )
    return f"The database {where} cannot be opened: {text.splitlines()[0] if text else exc}."
