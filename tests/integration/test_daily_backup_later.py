"""The daily backup never delays a command: it is left to a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from ceo_desk import paths
from ceo_desk.store import backup
from tests.builders import count_rows

LOG_ARGS = ["--customer", "Ann Lee", "--summary", "Parcel lost", "--phone", "+442079460001"]


def entry_point(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `ceo-desk` entry point in a fresh process (the environment carries tmp paths)."""
    return subprocess.run(
        [sys.executable, "-m", "ceo_desk", *argv],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        timeout=300,
    )


def sound_backups(database: Path) -> list[Path]:
    """The finished, verified backups of `database` once one appears (waited for, not timed)."""
    folder = paths.backups_dir(database)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = backup.list_backups(folder) if folder.is_dir() else []
        if found:
            with backup.folder_lock(folder):  # the backup process holds it until it is done
                found = backup.list_backups(folder)
            return [item.path for item in found if not backup.integrity_problems(item.path)]
        time.sleep(0.05)
    return []


def test_a_command_returns_first_and_its_daily_backup_holds_what_it_wrote(tmp_path: Path) -> None:
    database = tmp_path / "log.sqlite3"
    done = entry_point("log", *LOG_ARGS, "--db", str(database))
    assert done.returncode == 0, done.stderr
    [daily] = sound_backups(database)
    assert count_rows(daily, "complaint") == 1  # taken after the command, so it holds its write
    assert done.stderr == ""  # nothing about the backup reached the person


def test_a_command_starts_no_second_backup_the_same_day(tmp_path: Path) -> None:
    database = tmp_path / "log.sqlite3"
    assert entry_point("list", "--db", str(database)).returncode == 0
    first = sound_backups(database)
    assert entry_point("list", "--db", str(database)).returncode == 0
    assert sound_backups(database) == first
