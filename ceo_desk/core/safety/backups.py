"""Backups taken now, daily and before a restore (kept by the thinning rule in `keeping`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine

from ceo_desk import paths
from ceo_desk.core import audit, identity, permissions
from ceo_desk.core.safety import anchor, erase, output

# Thinning and the daily backup need only the file: they live in `keeping`, light enough for the
# process the command line leaves behind to take the daily backup.
from ceo_desk.core.safety.keeping import backup_file_if_due, backup_into
from ceo_desk.errors import StorageError, ValidationError
from ceo_desk.store import backup, rebuild, schema
from ceo_desk.store.db import Actor, Database, UnitOfWork, refuse_unusable_file

# Backup file names, for the screens (which reach the store only through core).
backup_file_name = backup.backup_file_name
parse_backup_name = backup.parse_backup_name

# Tables that only a CEO Desk database has together.
_OWN_TABLES = frozenset({"complaint", "event", "event_change", "customer", "alembic_version"})


def _require_file(db: Database) -> Path:
    path = db.sqlite_path
    if path is None:
        raise StorageError(
            "This log is on a PostgreSQL server; back it up with the server's own tools "
            "(pg_dump). CEO Desk backs up local SQLite files only."
        )
    return path


def backup_now(
    db: Database,
    target: Path | None = None,
    *,
    label: str = "",
    now: datetime | None = None,
    force: bool = False,
) -> Path:
    """A verified copy of the open database: to `target` (by the output rules: an existing
    backup there is replaced only with `force`), or into the backups folder (thinned)."""
    with db.reading() as uow:
        permissions.require(uow, permissions.Action.BACKUP)
    source = _require_file(db)
    if target is not None:
        chosen = output.check_target(target, output.Kind.SQLITE, force=force, log=source)
        return backup.copy_verified(source, chosen)
    folder = paths.ensure_private_dir(paths.backups_dir(source))
    with backup.folder_lock(folder):
        return backup_into(folder, source, label, now)


def backup_if_due(db: Database, now: datetime | None = None) -> Path | None:
    """Take the daily backup of a SQLite log when it is due (see `keeping.backup_file_if_due`)."""
    source = db.sqlite_path
    if source is None:
        return None
    return backup_file_if_due(source, now)


def newest_verified_backup(database: Path) -> Path | None:
    """The newest backup of `database` that passes integrity_check, or None."""
    for item in backup.list_backups(paths.backups_dir(database)):
        if not backup.integrity_problems(item.path):
            return item.path
    return None


# ---------------------------------------------------------------- restore


@dataclass(frozen=True)
class OfferedBackup:
    """A backup as Restore lists it: when it was taken and what it holds."""

    path: Path
    taken_at: datetime
    label: str  # "" for a daily or manual backup; "before-restore" and the like
    holding: backup.Holding | None  # None: the file cannot be read


def offered_backups(database: Path) -> list[OfferedBackup]:
    """This log's backups, newest first, each with its complaints and newest complaint."""
    return [
        OfferedBackup(item.path, item.taken_at, item.label, backup.holding(item.path))
        for item in backup.list_backups(paths.backups_dir(database))
    ]


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    database: Path
    previous_copy: Path | None  # the verified backup of what was there before
    moved_aside: Path | None  # a damaged previous database, kept under another name
    revision: str


def _known_revisions() -> set[str]:
    # Imported here: opening an up-to-date log should not pay for loading Alembic.
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(schema.MIGRATIONS_DIR))
    return {rev.revision for rev in script.walk_revisions()}


def validate_backup_file(candidate: Path) -> str:
    """Refuse a file that is damaged, not a CEO Desk database, or from a newer version.

    Returns its schema revision.
    """
    if candidate.is_dir():
        raise ValidationError(
            f"{candidate} is a folder; choose the backup file in it.", field="file"
        )
    if not candidate.is_file():
        raise ValidationError(f"There is no file {candidate}.", field="file")
    problems = backup.integrity_problems(candidate, quick=True)
    if problems:
        raise StorageError(
            f"{candidate} is damaged or not a database ({problems[0]}); nothing was restored."
        )
    try:
        revision, tables = backup.read_meta(candidate)
    except Exception as exc:  # sqlite3 refuses files that are not databases in many ways
        raise StorageError(f"{candidate} cannot be read as a database ({exc}).") from exc
    if not _OWN_TABLES.issubset(tables) or revision is None:
        raise StorageError(f"{candidate} is not a CEO Desk database; nothing was restored.")
    if revision not in _known_revisions():
        raise StorageError(f"{candidate} {schema.unknown_revision(revision)} Nothing was restored.")
    return revision


def _verify_chain(staged: Path, candidate: Path) -> None:
    engine = create_engine(paths.sqlite_url(staged))
    try:
        with UnitOfWork(engine, Actor(identity.os_account()), read_only=True) as uow:
            verdict = audit.verify_chain(uow)
    finally:
        engine.dispose()
    if not verdict.ok:
        raise StorageError(
            f"The audit trail in {candidate} is broken at event {verdict.first_broken_event_id} "
            f"({verdict.problem}): it is not a trustworthy backup. Nothing was restored; choose "
            "another backup."
        )


def _rebuild(candidate: Path, staged: Path, revision: str) -> None:
    """The candidate's data in a fresh log at `staged`, verified; raises StorageError."""
    rebuild.build_fresh(staged, revision)
    rebuild.copy_rows(candidate, staged)
    if revision != schema.head_revision():
        rebuild.upgrade_to_head(staged)
    problems = backup.integrity_problems(staged)
    if problems:
        raise StorageError(
            f"The log rebuilt from {candidate} failed its integrity check ({problems[0]}). "
            "Nothing was restored."
        )
    _verify_chain(staged, candidate)


def restore(database: Path, candidate: Path, *, now: datetime | None = None) -> RestoreResult:
    """Put a backup's data in place of `database`, after a verified backup of what is there now.

    The backup is rebuilt, never adopted: a fresh log made by this version's migrations receives
    its rows (data only: no trigger, view or extra table of the file survives), and the counts,
    references, integrity and audit chain are verified before anything replaces the current log.
    A damaged current database is moved aside instead of backed up. The copy goes through
    SQLite's backup API into the live file, so a WAL beside it can never be replayed onto it.
    """
    database = Path(os.path.abspath(database.expanduser()))
    # The place being restored to is a log or a free name: never a device, a pipe, a link to
    # nothing or someone's other file, which would otherwise be moved aside as "damaged".
    refuse_unusable_file(database)
    database = database.resolve()
    candidate = candidate.expanduser().resolve()
    if candidate == database:
        raise ValidationError("That file is the database itself; choose a backup.", field="file")
    revision = validate_backup_file(candidate)
    folder = paths.ensure_private_dir(paths.backups_dir(database))
    with backup.folder_lock(folder):
        backup.remove_unfinished(folder)
        result = _restore_locked(database, candidate, revision, folder, now)
    # Outside the lock: erasing again reaches into the backups folder under the same lock.
    erase.reapply_erasures(database, result.previous_copy)
    return result


def _restore_locked(
    database: Path, candidate: Path, revision: str, folder: Path, now: datetime | None
) -> RestoreResult:
    previous_copy: Path | None = None
    moved_aside: Path | None = None
    staged = folder / f".restoring-{os.getpid()}.sqlite3"
    for leftover in (staged, *backup.side_files(staged)):
        leftover.unlink(missing_ok=True)
    try:
        _rebuild(candidate, staged, revision)
        if database.exists():
            if backup.integrity_problems(database):
                moved_aside = backup.move_aside(database, "damaged", now)
            else:
                previous_copy = backup.copy_verified(
                    database, folder / backup.backup_file_name(now, "before-restore")
                )
        if database.exists():
            backup.copy_into(staged, database)
        else:
            database.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, database)
            backup.checkpoint(database)
            backup.make_private(database)
    finally:
        for leftover in (staged, *backup.side_files(staged)):
            leftover.unlink(missing_ok=True)
    problems = backup.integrity_problems(database)
    if problems:
        raise StorageError(
            f"The restored database failed its integrity check ({problems[0]}). The previous "
            f"database is kept at {previous_copy or moved_aside}."
        )
    anchor.record_restored(database)
    return RestoreResult(candidate, database, previous_copy, moved_aside, revision)


def require_may_restore(db: Database) -> None:
    """Restoring replaces everyone's work since the backup: only an owner of the open log may.

    `restore` itself takes paths, because after damage at start-up no log can be read to ask;
    then the account owning the file (0600) is the only one who can reach it anyway.
    """
    with db.reading() as uow:
        permissions.require(uow, permissions.Action.RESTORE)
