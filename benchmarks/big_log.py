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

# The start of each probe process: a Qt application, a wait that serves its event loop, and a
# watch on a widget's paints (a wait ends when the rows are painted by the view itself).
QT_PRELUDE = r"""
import json, sys, time
from ceo_desk import collector

collector.start()  # as the entry point does: start-up runs with the cycle collector paused
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
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


class Paints(QObject):
    # The paints of a widget, numbered as they start; each one has ended when the application
    # next handles any other event (the paint is one event: the next one begins after it).
    def __init__(self, widget):
        super().__init__()
        self.widget = widget
        self.started = 0
        self.ended = {}
        self._open = None
        app.installEventFilter(self)

    def eventFilter(self, watched, event):
        if self._open is not None:
            self.ended[self._open] = time.perf_counter()
            self._open = None
        if event.type() == QEvent.Type.Paint and watched is self.widget:
            self._open = self.started
            self.started += 1
        return False

    def quiet_for(self, seconds):
        # No paint pending or under way for `seconds`: what a click follows, a moment later.
        last = [self.started, time.perf_counter()]

        def still():
            if self.started != last[0]:
                last[:] = [self.started, time.perf_counter()]
            return time.perf_counter() - last[1] >= seconds

        wait(still)

    def end_of(self, number):
        # When the paint numbered `number` (the first one to start after a given moment) ended.
        wait(lambda: number in self.ended)
        return self.ended[number]
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
def demo_log(
    complaints: int, url: str | None = None, *, reuse: str | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    """A log holding `complaints` demo complaints (SQLite in a temporary directory unless `url`
    names a PostgreSQL database), and the environment to run the app against it. `reuse`: a
    demo log built before by `ceo-desk demo`, used instead of a new one."""
    home = Path(tempfile.mkdtemp(prefix="ceo-desk-bench-"))
    try:
        env = _environment(home)
        if reuse is not None:
            print(f"demo log: {reuse}, built before", file=sys.stderr)
            yield reuse, env
            return
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


# The search table differs by database: SQLite's is an FTS5 table keyed by rowid, PostgreSQL's a
# plain table keyed by complaint_id whose word index is a column it computes itself.
_SEARCH_TABLE = "complaint_search"


def copy_to_postgres(sqlite_log: str, url: str, env: dict[str, str]) -> None:
    """Make the PostgreSQL database at `url` a copy of a demo log built on SQLite.

    Building the demo through the app on PostgreSQL takes many minutes (a round trip per row);
    the copy has the app create the schema (every migration and the office's grants, as for a
    new log), then moves every table's rows with COPY, as a person restoring a dump would.
    Triggers are off during the copy (the rows were made by the app already, so the log's own
    checks have passed once); the accounts the app granted roles to on the new log keep them.
    """
    import sqlite3

    import psycopg

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ceo_desk", "list", "--db", url],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    source = sqlite3.connect(f"file:{sqlite_log}?mode=ro", uri=True)
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as target:
        target.execute("SET session_replication_role = replica")
        target.execute("SET TIME ZONE 'UTC'")
        tables = [
            row[0]
            for row in target.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'alembic_version'"
            )
        ]
        grants = target.execute(
            "SELECT identity, role, granted_by, granted_at FROM role_grant"
        ).fetchall()
        target.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
        for table in tables:
            columns = [
                row[0]
                for row in target.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND table_name = %s AND is_generated = 'NEVER' "
                    "ORDER BY ordinal_position",
                    (table,),
                )
            ]
            if table == _SEARCH_TABLE:
                read = "SELECT rowid, body FROM complaint_search"
            else:
                present = {row[1] for row in source.execute(f"PRAGMA table_info({table})")}
                columns = [c for c in columns if c in present]
                read = f"SELECT {', '.join(columns)} FROM {table}"
            with target.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in source.execute(read):
                    copy.write_row(row)
            if "id" in columns:
                target.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
        for identity, role, granted_by, granted_at in grants:
            target.execute(
                "INSERT INTO role_grant (identity, role, granted_by, granted_at) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (identity, role, granted_by, granted_at),
            )
        target.execute("SET session_replication_role = DEFAULT")
        target.commit()
        target.autocommit = True
        target.execute("ANALYZE")
    source.close()
    print(
        f"copied the demo log to PostgreSQL in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
