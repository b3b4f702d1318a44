"""Verified online copies of a SQLite database (the backup API, then integrity_check)."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from ceo_desk.errors import StorageError


def integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """Run integrity_check (or quick_check) read-only; an empty list means the file is sound."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages


def backup_file_name(now: datetime | None = None, label: str = "") -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    suffix = f"-{label}" if label else ""
    return f"ceo-desk-{stamp}{suffix}.sqlite3"


def copy_verified(source: Path, target: Path) -> Path:
    """Copy a live database with the backup API and prove the copy sound before keeping it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(target.parent, 0o700)
    partial = target.with_name(target.name + ".partial")
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
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
                "nothing was changed. Run `ceo-desk check` on the database."
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
        if partial.exists():
            partial.unlink()
