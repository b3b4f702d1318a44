"""Shared by the list benchmarks: a large demo log built with `ceo-desk demo`, and small helpers.

The log is built once per run in a temporary directory, through the real entry point, and
removed afterwards; every measured process opens that same log.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# The start of each probe process: a Qt application and a wait that serves its event loop.
QT_PRELUDE = r"""
import json, sys, time
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])


def wait(condition, timeout_s=120.0):
    # Serve the event loop (worker results arrive as events) until the condition holds.
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(1)
    deadline = time.perf_counter() + timeout_s

    def check():
        if condition() or time.perf_counter() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    if not condition():
        loop.exec()
    timer.stop()
    if not condition():
        raise SystemExit("timed out")
"""

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the bytecode cache is filled, as for a person
    env["QT_QPA_PLATFORM"] = "offscreen"
    # Nothing of the person's own profile is read or written.
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_DATA_HOME"] = str(home / "data")
    env["XDG_CACHE_HOME"] = str(home / "cache")
    env["XDG_STATE_HOME"] = str(home / "state")
    env["CEO_DESK_DATA_DIR"] = str(home / "data")
    env["CEO_DESK_CONFIG_DIR"] = str(home / "config")
    return env


@contextmanager
def demo_log(complaints: int, url: str | None = None) -> Iterator[tuple[str, dict[str, str]]]:
    """A log holding `complaints` demo complaints (SQLite in a temporary directory unless `url`
    names a PostgreSQL database), and the environment to run the app against it."""
    home = Path(tempfile.mkdtemp(prefix="ceo-desk-bench-"))
    try:
        env = _environment(home)
        target = url or str(home / "log.sqlite3")
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ceo_desk",
                "demo",
                "--db",
                target,
                "--complaints",
                str(complaints),
            ],
            check=True,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        print(
            f"built a {complaints:,}-complaint demo log in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        yield target, env
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run_probe(code: str, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run `code` in a fresh process; its last output line is a JSON object of timings."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
