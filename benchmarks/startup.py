"""How long `ceo-desk` takes from launch to its first useful screen, against a bare window.

The useful screen is the window painted with the opening page's rows and the status-bar counts:
the app is started through the real entry point with CEO_DESK_EXIT_AFTER_FIRST_SCREEN set, so it
prints a line right after that paint and quits. The floor is a process that shows a bare
QMainWindow and prints the same line after its first paint. Both run offscreen, interleaved pair
by pair, for the CEO and the assistant, on a 100,000-complaint demo log (built once per run) and
on an empty log. The app reads the roles as it opens the log: the CEO's case opens on Today, the
assistant's on All complaints (no page is chosen in these runs, so none is remembered).

A second floor is timed against the bare window in the same run: that window with SQLAlchemy's
ORM imported first, the least any launch that reads its rows through the ORM can take.

Usage: uv run python benchmarks/startup.py [--complaints 100000] [--pairs 5] [--log DEMO.sqlite3]
Last line: useful_screen_s=… bare_qt_s=… ratio=… cpu_ratio=…  (the slowest case's medians and
ratio; cpu_ratio: the largest ratio of processor time, to each process's exit;
orm_window_ratio: the second floor against the bare window)
"""

from __future__ import annotations

import argparse
import os
import pwd
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import measure

from ceo_desk.ui.app import FIRST_SCREEN_ENV, FIRST_SCREEN_LINE

BARE_WINDOW = f"""
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1280, 800)

def painted():
    window.repaint()
    print({FIRST_SCREEN_LINE!r}, flush=True)
    window.close()

window.show()
QTimer.singleShot(0, painted)
app.exec()
"""

# The least a launch that reads its first screen through the ORM can cost: the bare window,
# with SQLAlchemy's ORM imported first (it imports nothing of the app).
ORM_WINDOW = "import sqlalchemy.orm\n" + BARE_WINDOW


def acting_as(logs: Iterable[Path], role: str, env: dict[str, str]) -> None:
    """Leave this account the CEO role on each log, or take it away so the assistant's opens.

    A new log gives its creator owner, CEO and assistant, so the assistant's case is that
    account without the CEO role.
    """
    me = pwd.getpwuid(os.getuid()).pw_name
    verb = "grant" if role == "ceo" else "revoke"
    for log in logs:
        command = [measure.ENTRY_POINT, "users", verb, me, "--role", "ceo", "--db", str(log)]
        # Granting a role already held is refused with exit 2 and changes nothing: fine here.
        subprocess.run(command, env=env, capture_output=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=measure.PAIRS)
    parser.add_argument("--log", type=Path, help="a demo log built before, instead of a new one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ceo-desk-bench-") as tmp:
        folder = Path(tmp)
        big = measure.demo_log(folder, args.complaints, reuse=args.log)
        logs = {
            f"{args.complaints // 1000}k log": big,
            "empty log": folder / "empty.sqlite3",
        }
        env = measure.environment(folder, **{FIRST_SCREEN_ENV: "1"})
        measure.run([measure.ENTRY_POINT, "backup", "--db", str(logs["empty log"])], env)

        # Each run's processor time (the whole process, to its exit just after the paint), by
        # its elapsed time: on a loaded machine it moves far less than the elapsed time.
        processor: dict[float, float] = {}

        def timed(command: list[str]) -> float:
            done = measure.run(command, env, until=FIRST_SCREEN_LINE)
            processor[done.seconds] = done.cpu_seconds
            return done.seconds

        def floor() -> float:
            return timed([measure.PYTHON, "-c", BARE_WINDOW])

        results = []
        cpu_results = []
        for role in ("ceo", "assistant"):
            acting_as(logs.values(), role, env)
            for name, log in logs.items():
                command = [measure.ENTRY_POINT, "--db", str(log)]

                def app(command: list[str] = command) -> float:
                    return timed(command)

                pairs = measure.interleave(app, floor, args.pairs)
                print(pairs.line(f"{role}, {name}"), flush=True)
                cpu = measure.Pairs(
                    [processor[s] for s in pairs.product], [processor[s] for s in pairs.floor]
                )
                print(f"  processor time: {cpu.line(f'{role}, {name}')}", flush=True)
                results.append(pairs)
                cpu_results.append(cpu)
        orm = measure.interleave(
            lambda: timed([measure.PYTHON, "-c", ORM_WINDOW]), floor, args.pairs
        )
        print(orm.line("bare window with the ORM imported"), flush=True)
        worst = max(results, key=lambda p: p.ratio)
        worst_cpu = max(cpu_results, key=lambda p: p.ratio)
        print(
            f"useful_screen_s={worst.product_median:.3f} bare_qt_s={worst.floor_median:.3f} "
            f"ratio={worst.ratio:.2f} cpu_ratio={worst_cpu.ratio:.2f} "
            f"orm_window_ratio={orm.ratio:.2f}"
        )


if __name__ == "__main__":
    main()
