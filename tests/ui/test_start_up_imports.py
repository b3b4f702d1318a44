"""What the first screen loads: the app undoes PySide6's import hook, so no module's source is
read (and kept) only to be searched for the word "PySide6"; and a SQLite log's first screen
loads neither the PostgreSQL dialect nor the PDF library."""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from ceo_desk.core.database import open_database
from ceo_desk.ui.app import FIRST_SCREEN_ENV, FIRST_SCREEN_LINE

# The real entry point until its first screen is painted, then which source files the line
# cache had been made to hold, whether Python's own import was in place and what was loaded.
PROBE = """
import builtins, json, linecache, sys
from ceo_desk.cli import main
sys.argv = ["ceo-desk", *sys.argv[1:]]
code = main()
plain = builtins.__import__ is getattr(builtins, "__orig_import__", builtins.__import__)
report = {"code": code, "read": list(linecache.cache), "plain": plain, "modules": list(sys.modules)}
print(json.dumps(report), file=sys.stderr)
"""


def test_importing_the_app_puts_the_plain_import_back() -> None:
    import ceo_desk.ui  # noqa: F401  (already imported by the test run; this is what it did)

    assert builtins.__import__ is getattr(builtins, "__orig_import__", builtins.__import__)


@pytest.fixture(scope="module")
def first_screen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The probe's report of one launch on a SQLite log, to its first screen: a log made
    before, as on every launch but the first (a new log's migrations load what they need)."""
    log = tmp_path_factory.mktemp("first-screen") / "log.sqlite3"
    open_database(str(log)).close()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(log)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, FIRST_SCREEN_ENV: "1"},
        timeout=300,
    )
    assert FIRST_SCREEN_LINE in done.stdout.splitlines(), done.stderr
    report: dict[str, Any] = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    return report


def test_the_first_screen_reads_no_module_source(first_screen: dict[str, Any]) -> None:
    assert first_screen["plain"]
    read = [path for path in first_screen["read"] if not path.startswith("<")]  # generated code
    ours = [path for path in read if f"{os.sep}ceo_desk{os.sep}" in path]
    theirs = [path for path in read if f"{os.sep}sqlalchemy{os.sep}" in path]
    assert not ours
    assert not theirs


def test_a_sqlite_logs_first_screen_loads_no_other_dialect_nor_the_pdf_library(
    first_screen: dict[str, Any],
) -> None:
    # A dialect's own options on a model (postgresql_where=, say) load that dialect's modules.
    unwanted = ("sqlalchemy.dialects.postgresql", "psycopg", "reportlab")
    loaded = [m for m in first_screen["modules"] if m.startswith(unwanted)]
    assert loaded == []
