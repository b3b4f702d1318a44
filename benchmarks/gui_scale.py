"""How the desktop app behaves on a large log: start-up time and search-as-you-type latency.

Builds (once, cached under benchmarks/.cache/) a demo log with `ceo-desk demo`, then measures in
one run:

* start-up of the app, in a fresh offscreen process, the way `ceo-desk` starts: the main window
  on screen and answering (sections, menus, Quit) while the log opens on a worker thread
  (`startup_s`), and then the log shown (opening page and status-bar counters loaded,
  `log_shown_s`); against the start-up of a bare QMainWindow in the same kind of process;
* search latency: the first page of `queries.list_complaints` with a text filter, for each prefix
  a person types ("b", "bo", "boi", ...), over several words.

The last line is machine-readable:
    startup_s=… bare_qt_s=… startup_ratio=… search_p50_ms=… search_p95_ms=…

Usage: uv run python benchmarks/gui_scale.py [--complaints 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"

# Words that occur in demo summaries and names, typed one letter at a time.
SEARCH_WORDS = ("boiler", "refund", "invoice", "delivery", "engineer", "müller", "garcía")

APP_PROBE = r"""
import sys, time
from PySide6.QtCore import QTimer
from ceo_desk.enums import Role
from ceo_desk.ui.app import Shell, application, open_for_work
from ceo_desk.ui.background import run_in_background

app = application()
role = Role(sys.argv[2])
shell = Shell(role)
window = shell.window

def interactive():
    print(f"ready_at={time.time():.6f}", flush=True)

def log_shown():
    print(f"log_shown_at={time.time():.6f}", flush=True)
    QTimer.singleShot(0, window.close)

window.ready.connect(log_shown)
window.show()
QTimer.singleShot(0, interactive)  # the first turn of the event loop with the window up
run_in_background(lambda: open_for_work(sys.argv[1], role), shell.attach, print)
QTimer.singleShot(120_000, app.quit)
app.exec()
from ceo_desk.ui import background
background.wait_for_workers()
if shell.db is not None:
    shell.db.close()
"""

BARE_PROBE = r"""
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel

app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1280, 800)

def ready():
    print(f"ready_at={time.time():.6f}", flush=True)
    window.close()

window.show()
QTimer.singleShot(0, ready)
app.exec()
"""


def build_database(complaints: int) -> Path:
    """The cached demo log for `complaints`, built with the command line when missing."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{complaints}.sqlite3"
    if path.exists():
        return path
    partial = path.with_suffix(".building")
    for leftover in CACHE.glob(f"{partial.name}*"):
        leftover.unlink()
    print(f"building a {complaints:,}-complaint demo log (cached in {path}) …", flush=True)
    began = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ceo_desk",
            "demo",
            "--complaints",
            str(complaints),
            "--db",
            str(partial),
        ],
        check=True,
        env=_env(),
    )
    for suffix in ("-wal", "-shm"):
        sidecar = Path(f"{partial}{suffix}")
        if sidecar.exists() and sidecar.stat().st_size:
            raise SystemExit(f"the demo build left {sidecar}; it did not close cleanly")
        sidecar.unlink(missing_ok=True)
    partial.rename(path)
    print(f"built in {time.perf_counter() - began:.1f} s", flush=True)
    return path


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    scratch = Path(tempfile.mkdtemp(prefix="ceo-desk-bench-"))
    env["CEO_DESK_DATA_DIR"] = str(scratch / "data")
    env["CEO_DESK_CONFIG_DIR"] = str(scratch / "config")
    env.pop("CEO_DESK_DATABASE_URL", None)
    return env


def _probe(script: str, *args: str, mark: str = "ready_at") -> float:
    """Wall-clock seconds from launching the process to its `mark` (shutdown, which a person
    does not wait for, is not counted)."""
    began = time.time()
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
        check=False,
    )
    marks = [line for line in result.stdout.splitlines() if line.startswith(f"{mark}=")]
    if result.returncode != 0 or not marks:
        raise SystemExit(f"probe failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    # The interpreter's own start-up counts: it is part of what a person waits for.
    return float(marks[0].split("=", 1)[1]) - began


def measure_startup(database: Path, runs: int) -> tuple[float, float, float]:
    """Medians of: the app's window answering, the app's log shown, a bare QMainWindow."""
    app_times, shown_times, bare_times = [], [], []
    for _ in range(runs):
        bare_times.append(_probe(BARE_PROBE))
        app_times.append(_probe(APP_PROBE, str(database), "ceo"))
        shown_times.append(_probe(APP_PROBE, str(database), "ceo", mark="log_shown_at"))
    return (
        statistics.median(app_times),
        statistics.median(shown_times),
        statistics.median(bare_times),
    )


def measure_search(database: Path) -> list[float]:
    """Milliseconds per first page, for every prefix of every search word."""
    os.environ.update({k: v for k, v in _env().items() if k.startswith("CEO_DESK")})
    from ceo_desk.core import queries
    from ceo_desk.core.database import open_database
    from ceo_desk.enums import Role

    db = open_database(str(database), role=Role.ASSISTANT)
    timings: list[float] = []
    try:
        with db.reading() as uow:  # warm the page cache once, as a running app would be
            queries.list_complaints(uow, queries.ComplaintFilter(text="a"), limit=100)
        for word in SEARCH_WORDS:
            for length in range(1, len(word) + 1):
                flt = queries.ComplaintFilter(text=word[:length])
                began = time.perf_counter()
                with db.reading() as uow:
                    queries.list_complaints(uow, flt, limit=100)
                    queries.count_complaints(uow, flt)
                timings.append((time.perf_counter() - began) * 1000)
    finally:
        db.close()
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="start-up runs (median is kept)")
    args = parser.parse_args()
    database = build_database(args.complaints)
    size_mb = database.stat().st_size / 1e6
    print(f"log: {database.name}, {size_mb:.0f} MB", flush=True)
    startup, shown, bare = measure_startup(database, args.runs)
    print(
        f"start-up to an interactive main window: {startup:.2f} s; log shown: {shown:.2f} s "
        f"(bare QMainWindow {bare:.2f} s)"
    )
    print(f"log_shown_s={shown:.3f} log_shown_ratio={shown / bare:.2f}")
    timings = measure_search(database)
    p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
    print(
        f"search, first page + count, {len(timings)} typed prefixes: p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms, worst {max(timings):.1f} ms"
    )
    print(
        f"startup_s={startup:.3f} bare_qt_s={bare:.3f} startup_ratio={startup / bare:.2f} "
        f"search_p50_ms={p50:.1f} search_p95_ms={p95:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
