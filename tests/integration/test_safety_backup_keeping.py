"""Backups taken before a restore or a migration are never thinned; backups never race."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ceo_desk import paths
from ceo_desk.core import queries
from ceo_desk.core.database import open_database
from ceo_desk.core.safety import backups, keeping
from ceo_desk.store import backup
from ceo_desk.store.backup import BackupFile
from ceo_desk.store.db import Database
from tests.builders import log


def _references(db: Database) -> list[str]:
    with db.reading() as uow:
        rows = queries.list_complaints(uow, queries.ComplaintFilter(), limit=1000)
    return sorted(r.reference for r in rows)


def _fake(taken: datetime, label: str = "") -> BackupFile:
    return BackupFile(Path(backup.backup_file_name(taken, label)), taken, 1, label)


def test_thinning_never_drops_a_backup_taken_before_a_restore_or_a_migration() -> None:
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    items = [_fake(now - timedelta(hours=12 * i)) for i in range(600)]
    apart = [
        _fake(now - timedelta(days=200, minutes=1), "before-restore"),
        _fake(now - timedelta(minutes=1), "before-restore"),
        _fake(now - timedelta(days=400), "before-0002"),
    ]
    keep, drop = keeping.thinning_plan(items + apart)
    assert all(item in keep for item in apart)
    assert not any(item.kept_apart for item in drop)
    # The others are thinned as before: the newest of each day, week and month.
    assert len([k for k in keep if not k.kept_apart]) <= 7 + 4 + 12


def test_the_copy_before_a_restore_survives_the_days_next_backup(sqlite_db: Database) -> None:
    path = sqlite_db.sqlite_path
    assert path is not None
    early_ref = log(sqlite_db, summary="Before the early backup")
    early = backups.backup_now(sqlite_db)
    later_ref = log(sqlite_db, summary="Logged after the early backup")
    result = backups.restore(path, early)
    assert result.previous_copy is not None
    backups.backup_now(sqlite_db)  # the day's backup, same day as the copy before the restore
    backups.backup_now(sqlite_db)
    assert result.previous_copy.exists()
    kept = [b.path for b in backup.list_backups(paths.backups_dir(path))]
    assert result.previous_copy in kept
    saved = open_database(str(result.previous_copy))
    try:
        assert _references(saved) == sorted([early_ref, later_ref])
    finally:
        saved.close()


def _finished_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.slow
def test_twenty_concurrent_backups_all_succeed_and_leave_no_half_copies(tmp_path: Path) -> None:
    log_path = tmp_path / "log.sqlite3"
    db = open_database(str(log_path))
    for i in range(20):
        log(db, summary=f"Problem {i}")
    db.close()
    folder = paths.ensure_private_dir(paths.backups_dir(log_path))
    # Forty days of older backups, so every run thins while the others list and copy.
    now = datetime.now(UTC)
    for day in range(1, 41):
        (folder / backup.backup_file_name(now - timedelta(days=day))).write_bytes(b"old")
    # What a crashed backup leaves: a full copy under a temporary name.
    dead = _finished_pid()
    orphans = [
        folder / f"{backup.backup_file_name(now)}.{dead}-0badc0de.partial",
        folder / f"{backup.backup_file_name(now)}.partial",
        folder / f".restoring-{dead}.sqlite3",
    ]
    for orphan in orphans:
        orphan.write_bytes(log_path.read_bytes())

    env = {**os.environ, "CEO_DESK_DATA_DIR": str(paths.data_dir())}
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "ceo_desk", "backup", "--db", str(log_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(20)
    ]
    outputs = [child.communicate() for child in children]
    results = [
        (child.returncode, out, err) for child, (out, err) in zip(children, outputs, strict=True)
    ]
    failures = [(code, err) for code, _out, err in results if code != 0 or err.strip()]
    assert failures == []
    assert all("integrity verified" in out for _code, out, _err in results)
    assert not [o for o in orphans if o.exists()]
    assert not list(folder.glob("*.partial"))
    left = backup.list_backups(folder)
    assert len(left) <= 7 + 4 + 12 + 1
    assert all(item.size > 3 for item in left[:1])


def test_thinning_keeps_the_only_copy_of_a_history_and_drops_covered_ones(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.sqlite3"
    db = open_database(str(path))
    old = log(db, name="Only In The Old Log")
    covered = backups.backup_now(db)  # the same history as the next backup: may go
    log(db, name="Also In The Old Log")
    only_copy = backups.backup_now(db)
    db.close()
    # The log is replaced by a fresh one (as after a damaged file was moved aside).
    backup.move_aside(path, "damaged")
    fresh = open_database(str(path))
    new = log(fresh, name="In The New Log")
    backups.backup_now(fresh)  # the same day: the policy keeps only the newest
    fresh.close()
    folder = paths.backups_dir(path)
    left = [b.path for b in backup.list_backups(folder)]
    assert only_copy in left
    assert covered not in left
    saved = open_database(str(only_copy))
    try:
        assert old in _references(saved)
    finally:
        saved.close()
    assert new
