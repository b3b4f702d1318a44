"""The app loads the database layer before PySide6, so PySide's import hook does not read it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ceo_desk.ui.app import FIRST_SCREEN_ENV, FIRST_SCREEN_LINE

# The real entry point until its first screen is painted, then what it had loaded, in order,
# and which source files the line cache had been made to hold.
PROBE = """
import json, linecache, sys
from ceo_desk.cli import main
sys.argv = ["ceo-desk", *sys.argv[1:]]
code = main()
print(json.dumps({"code": code, "modules": list(sys.modules), "read": list(linecache.cache)}),
      file=sys.stderr)
"""


def test_the_first_screen_comes_with_sqlalchemy_loaded_before_qt(tmp_path: Path) -> None:
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
    modules: list[str] = report["modules"]
    assert modules.index("sqlalchemy.orm") < modules.index("PySide6.QtCore")
    assert modules.index("ceo_desk.store.models") < modules.index("PySide6.QtCore")
    read = report["read"]
    orm = f"{os.sep}sqlalchemy{os.sep}orm{os.sep}"
    assert not [path for path in read if orm in path]
    assert not [path for path in read if path.endswith(os.path.join("sqlite", "base.py"))]
