"""What happens around opening and closing the log: unclean-shutdown check, daily backup,
retention, location warning, private file modes.

The lead calls these from the one place that opens the database:

    check = prepare_open(url)            # before the engine is built
    db = open_database(...)
    warnings = check.warnings + after_open(db)
    ...
    on_close(db)                         # on a clean exit
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ceo_desk import paths
from ceo_desk.core.safety import location, retention
from ceo_desk.errors import CeoDeskError, StorageError
from ceo_desk.store import backup
from ceo_desk.store.db import Database, sqlite_path

# Told before the check that follows an unclean shutdown, which reads the whole file first.
CHECKING_AFTER_UNCLEAN_SHUTDOWN = (
    "CEO Desk was not closed properly last time, so the whole log is checked before it opens. "
    "On a large log this takes a few seconds."
)


class DatabaseMovedAside(StorageError):
    """The database was found damaged after an unclean shutdown and renamed, never deleted."""

    def __init__(self, message: str, *, moved_to: Path, offered_backup: Path | None) -> None:
        super().__init__(message)
        self.moved_to = moved_to
        self.offered_backup = offered_backup


@dataclass
class OpenCheck:
    unclean_shutdown: bool = False
    integrity_checked: bool = False
    moved_aside: Path | None = None
    offered_backup: Path | None = None
    warnings: list[str] = field(default_factory=list)


def _markers_dir() -> Path:
    return paths.data_dir() / "open"


def _marker_prefix(db_path: Path) -> str:
    return hashlib.sha256(str(db_path.resolve()).encode("utf-8")).hexdigest()[:16]


def marker_path(db_path: Path, pid: int | None = None) -> Path:
    return _markers_dir() / f"{_marker_prefix(db_path)}.{pid or os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_markers(db_path: Path) -> list[Path]:
    """Markers left by processes that had this database open and did not close it cleanly."""
    folder = _markers_dir()
    if not folder.is_dir():
        return []
    prefix = _marker_prefix(db_path) + "."
    stale = []
    for marker in folder.iterdir():
        if not marker.name.startswith(prefix):
            continue
        pid_text = marker.name[len(prefix) :]
        if not pid_text.isdigit() or not _alive(int(pid_text)) or int(pid_text) == os.getpid():
            stale.append(marker)
    return stale


def prepare_open(
    url: str, *, now: datetime | None = None, before_check: Callable[[str], None] | None = None
) -> OpenCheck:
    """Before opening: after an unclean shutdown run integrity_check; move a damaged file aside.
    `before_check` is given CHECKING_AFTER_UNCLEAN_SHUTDOWN first, to tell the person why the
    opening waits.

    Only a check that reports damage moves the file: a log another program holds locked is
    left where it is (LogLocked, "close it and try again").

    Raises DatabaseMovedAside (a StorageError) naming where the file went and the newest
    verified backup, which the app offers to restore.
    """
    result = OpenCheck()
    path = sqlite_path(url)
    if path is None:
        return result
    warning = location.shared_location_warning(path)
    if warning:
        result.warnings.append(warning)
    stale = stale_markers(path)
    if not path.exists():
        for marker in stale:
            marker.unlink(missing_ok=True)
        return result
    if stale:
        result.unclean_shutdown = True
        result.integrity_checked = True
        if before_check is not None:
            before_check(CHECKING_AFTER_UNCLEAN_SHUTDOWN)
        # A locked log raises LogLocked here and the markers stay, so the next open checks again.
        problems = backup.integrity_problems(path, recover=True)
        for marker in stale:
            marker.unlink(missing_ok=True)
        if problems:
            moved = backup.move_aside(path, "damaged", now)
            from ceo_desk.core.safety import backups  # its restore machinery: only here

            offered = backups.newest_verified_backup(path)
            result.moved_aside = moved
            result.offered_backup = offered
            offer = (
                f" The newest sound backup is {offered}; restore it (File, Restore from a "
                f"backup; or `ceo-desk restore {offered}`)."
                if offered
                else " There is no sound backup to restore."
            )
            raise DatabaseMovedAside(
                f"CEO Desk was not closed properly last time and the database is damaged "
                f"({problems[0]}). It was moved to {moved} (nothing was deleted).{offer}",
                moved_to=moved,
                offered_backup=offered,
            )
        result.warnings.append(
            "CEO Desk was not closed properly last time; the database was checked and is sound."
        )
    return result


def _write_marker(marker: Path, database: Path) -> None:
    """The open-marker names the log (a path that may hold a name): owner-only."""
    content = json.dumps({"database": str(database), "opened_at": datetime.now(UTC).isoformat()})
    fd = os.open(marker, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
    os.chmod(marker, 0o600)


def after_open(
    db: Database, *, now: datetime | None = None, daily_backup: bool = True
) -> list[str]:
    """After opening: mark the database open, keep files private, take the daily backup,
    apply the retention setting. Returns warnings to show; never raises for these chores."""
    warnings: list[str] = []
    path = db.sqlite_path
    if path is not None:
        marker = marker_path(path)
        try:
            paths.ensure_private_dir(marker.parent)
            _write_marker(marker, path)
        except OSError as exc:
            warnings.append(f"Could not write the open-marker {marker}: {exc}.")
        with contextlib.suppress(OSError):
            backup.make_private(path)
        if daily_backup:
            warnings += take_daily_backup(db, now=now)
    try:
        retention.apply(db, now=now)
    except CeoDeskError as exc:
        warnings.append(f"The retention rule was not applied: {exc}")
    return warnings


def take_daily_backup(db: Database, *, now: datetime | None = None) -> list[str]:
    """The daily backup, when due; returns a warning instead of raising if it cannot be taken."""
    from ceo_desk.core.safety import backups  # after the first screen: the app's start needs it not

    try:
        backups.backup_if_due(db, now)
    except CeoDeskError as exc:
        return [f"The daily backup was not taken: {exc}"]
    return []


def on_close(db: Database) -> None:
    """A clean close: remove this process's open-marker."""
    path = db.sqlite_path
    if path is not None:
        marker_path(path).unlink(missing_ok=True)
