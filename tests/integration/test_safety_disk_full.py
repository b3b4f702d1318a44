"""Disk full: logging stops with a clear message, no partial record, and the log reopens clean.

A child process limits its file size with RLIMIT_FSIZE (a small filesystem would need root)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ceo_desk.core import audit
from ceo_desk.core.database import open_database
from ceo_desk.store import backup

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")


def _fill(db_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "tests.helpers_safety.disk_full_child", str(db_path), "200000"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    db_path = tmp_path / "log.sqlite3"
    open_database(str(db_path)).close()
    return db_path, _fill(db_path)


def test_a_full_disk_gives_a_clear_error_and_no_partial_record(
    filled: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    db_path, result = filled
    logged = result.stdout.split()
    assert result.returncode == 2
    assert len(logged) >= 1  # it wrote until the limit, then stopped
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("ceo-desk: ") and str(db_path) in result.stderr

    assert backup.integrity_problems(db_path) == []
    conn = sqlite3.connect(db_path)
    try:
        references = [r for (r,) in conn.execute("SELECT reference FROM complaint ORDER BY id")]
        customers = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
        logged_events = conn.execute(
            "SELECT count(*) FROM event WHERE action = 'logged'"
        ).fetchone()[0]
        search_rows = conn.execute("SELECT count(*) FROM complaint_search").fetchone()[0]
    finally:
        conn.close()
    # Exactly what was reported as logged: the failed complaint left no customer, event or row.
    assert references == logged
    assert customers == len(logged) == logged_events == search_rows

    db = open_database(str(db_path))
    try:
        with db.reading() as uow:
            assert audit.verify_chain(uow).ok
    finally:
        db.close()


def test_a_full_disk_is_named_as_such(
    filled: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, result = filled
    assert "is full" in result.stderr and "Nothing was saved" in result.stderr
    assert "cannot be opened" not in result.stderr
