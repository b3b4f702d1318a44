"""Opening a database: create or migrate it (after a verified backup), refuse a newer one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from ceo_desk import paths
from ceo_desk.errors import StorageError
from ceo_desk.store import backup
from ceo_desk.store.db import describe_failure, for_reading, password_needed, sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"


def _alembic_config() -> Config:
    # Alembic is imported only to migrate: an up-to-date log opens without it, a tenth of a
    # second sooner.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def known_revisions() -> list[str]:
    """Revision ids, oldest first. Each migration file is named `<revision>_<slug>.py` and the
    chain is linear; a test holds both to Alembic's own reading of the scripts."""
    return sorted(path.name.split("_", 1)[0] for path in VERSIONS_DIR.glob("[0-9]*_*.py"))


def head_revision() -> str:
    return known_revisions()[-1]


def unknown_revision(revision: str) -> str:
    """Why a schema revision this version does not know cannot be opened, and what to do."""
    number = revision.split("_", 1)[0]
    if number.isdigit() and int(number) > int(head_revision()):
        return (
            f"was written by a newer version of CEO Desk (schema {revision}). Install that "
            "version to open it."
        )
    return (
        f"has a schema ({revision!r}) that no version of CEO Desk writes: it was made or changed "
        "by another program. Restore a backup, or choose another file with --db."
    )


def current_revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(value) if value is not None else None


def migrate(engine: Engine, url: str) -> None:
    """Bring the schema to this version's head; back up an existing SQLite file first."""
    try:
        with for_reading(engine).connect() as conn:
            revision = current_revision(conn)
            has_tables = bool(inspect(conn).get_table_names())
            conn.rollback()
    except (OperationalError, DatabaseError) as exc:
        raise password_needed(url, exc) or StorageError(describe_failure(url, exc)) from exc

    if revision is not None and revision not in known_revisions():
        raise StorageError(
            f"This database {unknown_revision(revision)} It has been left untouched."
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
            paths.ensure_private_dir(paths.backups_dir(db_file))
            / backup.backup_file_name(label=f"before-{head_revision()}"),
        )
    from alembic import command

    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    secure_office(engine, url)


def secure_office(engine: Engine, url: str) -> None:
    """PostgreSQL: hand new tables to the office's owner role and grant each group what it
    needs (see `store.office`); a login not allowed to create roles leaves them as they are."""
    if engine.dialect.name != "postgresql":
        return
    from ceo_desk.store import office

    try:
        with engine.begin() as conn:
            office.secure(conn)
    except (OperationalError, DatabaseError) as exc:
        raise StorageError(describe_failure(url, exc)) from exc
