"""The app undoes PySide6's import hook, so no module's source is read (and kept) only to be
searched for the word "PySide6"."""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
from pathlib import Path

from ceo_desk.ui.app import FIRST_SCREEN_ENV, FIRST_SCREEN_LINE

# The real entry point until its first screen is painted, then which source files the line
# cache had been made to hold and whether Python's own import was in place.
PROBE = """
import builtins, json, linecache, sys
from ceo_desk.cli import main
sys.argv = ["ceo-desk", *sys.argv[1:]]
code = main()
plain = builtins.__import__ is getattr(builtins, "__orig_import__", builtins.__import__)
print(json.dumps({"code": code, "read": list(linecache.cache), "plain": plain}), file=sys.stderr)
"""


def test_importing_the_app_puts_the_plain_import_back() -> None:
    import ceo_desk.ui  # noqa: F401  (already imported by the test run; this is what it did)

    assert builtins.__import__ is getattr(builtins, "__orig_import__", builtins.__import__)


def test_the_first_screen_reads_no_module_source(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(tmp_path / "log.sqlite3")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, FIRST_SCREEN_ENV: "1"},
        timeout=300,
    )
    assert FIRST_SCREEN_LINE in done.stdout.splitlines(), done.stderr
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    assert report["plain"]
    read = [path for path in report["read"] if not path.startswith("<")]  # generated code
    ours = [path for path in read if f"{os.sep}ceo_desk{os.sep}" in path]
    theirs = [path for path in read if f"{os.sep}sqlalchemy{os.sep}" in path]
    assert not ours
    assert not theirs
