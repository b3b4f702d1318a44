"""A real `ceo-desk` process starts with the garbage collector paused and works with it on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Runs the entry point as the console script does (no argv: the process's own command line) and
# reports, just before the exit, whether collection was on and how much start-up froze.
PROBE = """
import gc, json, sys
from ceo_desk import collector
from ceo_desk.cli import main

seen = {}
def before_exit(real=collector.before_exit):
    seen.update(enabled=gc.isenabled(), frozen=gc.get_freeze_count())
    real()
collector.before_exit = before_exit
in_process = sys.argv[1] == "in-process"
sys.argv = ["ceo-desk", *sys.argv[2:]]
code = main(sys.argv[1:]) if in_process else main()
print(json.dumps({"code": code, **seen}), file=sys.stderr)
"""


def _probe(how: str, *argv: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, how, *argv], capture_output=True, text=True, check=False
    )
    report: dict[str, object] = json.loads(done.stderr.strip().splitlines()[-1])
    return report


def test_a_command_runs_with_collection_on_and_start_up_frozen(tmp_path: Path) -> None:
    report = _probe("process", "list", "--db", str(tmp_path / "log.sqlite3"))
    assert report["code"] == 0
    assert report["enabled"] is True  # the command's own garbage is collected as usual
    frozen = report["frozen"]
    assert isinstance(frozen, int) and frozen > 50_000  # the database layer, out of its sight


def test_called_in_process_the_collector_is_left_alone(tmp_path: Path) -> None:
    report = _probe("in-process", "list", "--db", str(tmp_path / "log.sqlite3"))
    assert report == {"code": 0, "enabled": True, "frozen": 0}
