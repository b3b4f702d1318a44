"""Verified online copies of a SQLite database (the backup API, then integrity_check)."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ceo_desk.errors import StorageError

# How long a check waits for another program to let go of the log before saying so.
LOCK_WAIT_S = 30.0


class LogLocked(StorageError):
    """Another program holds the log: it cannot be checked now, which says nothing of damage."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Another program has the log {path} open: close it and try again. Nothing was changed."
        )
        self.path = path


def is_lock_error(exc: BaseException) -> bool:
    """SQLite's words for "someone else holds the file", as opposed to damage."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def integrity_problems(path: Path, *, quick: bool = False, recover: bool = False) -> list[str]:
    """Run integrity_check (or quick_check); an empty list means the file is sound.

    Read-only by default, so checking never changes the file. With `recover`, the connection may
    write, so a WAL left behind by a crash is rolled into the file before the check. A file that
    another program holds locked raises LogLocked: only the check itself can report damage.
    """
    pragma = "quick_check" if quick else "integrity_check"
    target = str(path) if recover else f"file:{path}?mode=ro"
    try:
        conn = sqlite3.connect(target, uri=not recover, timeout=LOCK_WAIT_S)
        try:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if is_lock_error(exc):
            raise LogLocked(path) from exc
        return [str(exc)]
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages


def backup_file_name(now: datetime | None = None, label: str = "") -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    suffix = f"-{label}" if label else ""
    return f"ceo-desk-{stamp}{suffix}.sqlite3"


def copy_verified(source: Path, target: Path) -> Path:
    """Copy a live database with the backup API and prove the copy sound before keeping it."""
    # The folder is the caller's to prepare (ours are private; a person's own choice is left as
    # it is): never create or re-permission a folder someone typed.
    if not target.parent.is_dir():
        raise StorageError(
            f"The folder {target.parent} does not exist. Choose an existing folder; nothing was "
            "written."
        )
    # A name of its own per copy: two copies to one place never share a half-written file.
    partial = target.with_name(f"{target.name}.{os.getpid()}-{os.urandom(4).hex()}{PARTIAL}")
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            # A backup file stands alone: no WAL beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
            src.close()
        problems = integrity_problems(partial)
        if problems:
            raise StorageError(
                f"The backup copy of {source} failed its integrity check ({problems[0]}); "
                "nothing was changed. Check the log (File, Check the log; or `ceo-desk check`)."
            )
        os.replace(partial, target)
        os.chmod(target, 0o600)
        return target
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(
            f"Could not write a backup to {target}: {exc}. Free some disk space or choose "
            "another folder; nothing was changed."
        ) from exc
    finally:
        partial.unlink(missing_ok=True)


PARTIAL = ".partial"
LOCK_FILE = ".lock"
# Files a copy in the backups folder leaves only while it runs, named with the copying process's
# id (a crash may leave them behind; the oldest form carries no id).
_UNFINISHED = re.compile(
    r"^(?:ceo-desk-.*\.sqlite3(?:\.(?P<pid>\d+)-[0-9a-f]+)?\.partial"
    r"|\.restoring-(?P<restoring>\d+)\.sqlite3.*)(?:-journal|-wal|-shm)?$"
)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the backups folder's lock: one backup, thinning or restore at a time, across
    processes. The operating system releases it when the holder exits, so a crash never leaves
    a stale lock behind."""
    fd = os.open(folder / LOCK_FILE, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        if sys.platform == "win32":
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for ten seconds, then raises
                    break
                except OSError:
                    continue
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if sys.platform == "win32":
                import msvcrt

                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def remove_unfinished(folder: Path) -> list[Path]:
    """Delete half-made copies left in `folder` by a backup or restore that crashed (their
    process is gone); a copy still being made by a running process is left alone."""
    removed = []
    for entry in folder.iterdir():
        match = _UNFINISHED.match(entry.name)
        if match is None:
            continue
        pid = match.group("pid") or match.group("restoring")
        if pid is not None and _process_alive(int(pid)):
            continue
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            entry.unlink()
            removed.append(entry)
    return removed


# ---------------------------------------------------------------- listing, restoring, moving aside

_NAME_STAMP = re.compile(r"^ceo-desk-(\d{8}T\d{6}\d{6}Z)(?:-([\w.-]+))?\.sqlite3$")
# Backups taken before a restore or a migration hold what the log was before it changed course:
# thinning leaves them alone until a person deletes them.
KEPT_LABEL_PREFIX = "before-"
SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    size: int
    label: str = ""

    @property
    def kept_apart(self) -> bool:
        """Taken before a restore or a migration: never thinned."""
        return self.label.startswith(KEPT_LABEL_PREFIX)


def parse_backup_name(name: str) -> datetime | None:
    """When a backup was taken, from its file name; None for files that are not backups."""
    match = _NAME_STAMP.match(name)
    if match is None:
        return None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)


def list_backups(directory: Path) -> list[BackupFile]:
    """The backups in `directory`, newest first."""
    if not directory.is_dir():
        return []
    found = []
    for entry in directory.iterdir():
        match = _NAME_STAMP.match(entry.name)
        if match is None:
            continue
        taken = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        try:
            info = entry.stat()
        except FileNotFoundError:  # deleted meanwhile, by a person or another program
            continue
        if stat.S_ISREG(info.st_mode):
            found.append(BackupFile(entry, taken, info.st_size, match.group(2) or ""))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def side_files(path: Path) -> list[Path]:
    """The WAL, shared-memory and journal files SQLite keeps beside a database."""
    return [path.with_name(path.name + suffix) for suffix in SIDE_FILES]


def make_private(path: Path) -> None:
    """Owner-only permissions on a database and the files SQLite keeps beside it."""
    for candidate in (path, *side_files(path)):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(candidate, 0o600)


def move_aside(path: Path, reason: str = "damaged", now: datetime | None = None) -> Path:
    """Rename a database (and its WAL files) out of the way; nothing is ever deleted."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{counter}")
    try:
        os.replace(path, target)
        for side, suffix in zip(side_files(path), SIDE_FILES, strict=True):
            if side.exists():
                os.replace(side, target.with_name(target.name + suffix))
    except OSError as exc:
        raise StorageError(f"Could not move {path} aside: {exc}. Nothing was deleted.") from exc
    return target


def read_meta(path: Path) -> tuple[str | None, set[str]]:
    """The schema revision and the table names of a SQLite file, read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {
            str(row[0])
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else None
        return revision, tables
    finally:
        conn.close()


def chain_head(path: Path) -> tuple[int, str] | None:
    """The newest audit event of a backup (id and hash), read-only; None when it has none or
    cannot be read (an unreadable file is no copy of anything)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=LOCK_WAIT_S)
        try:
            row = conn.execute("SELECT id, hash FROM event ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return (int(row[0]), str(row[1])) if row else None


@dataclass(frozen=True)
class Holding:
    """What a backup holds, for choosing one to restore."""

    complaints: int
    newest_reference: str | None
    newest_received_at: datetime | None


def holding(path: Path) -> Holding | None:
    """How many complaints a backup holds and its newest, read-only; None when unreadable."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=LOCK_WAIT_S)
        try:
            count = conn.execute("SELECT count(*) FROM complaint").fetchone()[0]
            newest = conn.execute(
                "SELECT reference, received_at FROM complaint "
                "ORDER BY received_at DESC, id DESC LIMIT 1"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    if newest is None:
        return Holding(int(count), None, None)
    received = newest[1]
    moment = received if isinstance(received, datetime) else datetime.fromisoformat(str(received))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return Holding(int(count), str(newest[0]), moment)


def holds_event(path: Path, event: tuple[int, str]) -> bool:
    """Whether the backup at `path` holds this very audit event (same id, same hash)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=LOCK_WAIT_S)
        try:
            row = conn.execute("SELECT hash FROM event WHERE id = ?", (event[0],)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return row is not None and str(row[0]) == event[1]


def checkpoint(path: Path) -> None:
    """Fold the WAL into the main file and truncate it to nothing."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def copy_into(source: Path, target: Path) -> None:
    """Replace the content of the database `target` with `source` through SQLite itself.

    The backup API writes through the target's own pager, so a WAL beside the target is used
    and rewritten correctly; swapping files underneath SQLite could replay a stale WAL onto them.
    """
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = WAL")
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as exc:
        raise StorageError(
            f"Could not write {source} into {target}: {exc}. The previous database is kept in "
            "the backups folder."
        ) from exc
    make_private(target)
