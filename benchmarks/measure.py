"""What every benchmark here shares: whole processes through the real `ceo-desk` entry point,
timed against their floor pair by pair, with medians and the spread of the ratios.

Each benchmark script imports this module (run them from the project: `uv run python
benchmarks/startup.py`); nothing here is part of the app or its tests.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

# The venv's console script, as a person runs it (`uv run ceo-desk` ends in the same file).
ENTRY_POINT = str(Path(sys.executable).with_name("ceo-desk"))
PYTHON = sys.executable
PAIRS = 5


def environment(folder: Path, **extra: str) -> dict[str, str]:
    """A process environment whose data and settings live in `folder`, with the bytecode cache
    written (a person's installed copy has it) and Qt drawing offscreen."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("CEO_DESK_DATABASE_URL", None)
    env["CEO_DESK_DATA_DIR"] = str(folder / "data")
    env["CEO_DESK_CONFIG_DIR"] = str(folder / "config")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(extra)
    return env


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mib: float
    stdout: str
    # Processor time of the whole process (user and system) until it exited: on a loaded
    # machine it moves far less than the elapsed time, which waits for a free core.
    cpu_seconds: float = 0.0


def run(command: Sequence[str], env: dict[str, str], *, until: str | None = None) -> Run:
    """Run a whole process; the time is until it exits, or until it prints the line `until`."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stderr is not None
    seen: list[str] = []
    elapsed: float | None = None
    if until is not None:
        for line in process.stdout:
            seen.append(line)
            if line.rstrip("\n") == until:
                elapsed = time.perf_counter() - started
                break
    rest = process.stdout.read()
    errors = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if elapsed is None:
        elapsed = time.perf_counter() - started
    if process.returncode != 0 or (until is not None and until + "\n" not in seen):
        raise SystemExit(
            f"{' '.join(command)} failed ({process.returncode}):\n{''.join(seen)}{rest}{errors}"
        )
    return Run(
        elapsed, usage.ru_maxrss / 1024, "".join(seen) + rest, usage.ru_utime + usage.ru_stime
    )


@dataclass(frozen=True)
class Pairs:
    """Product and floor timed alternately: ratios are taken pair by pair."""

    product: list[float]
    floor: list[float]

    @property
    def product_median(self) -> float:
        return statistics.median(self.product)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor)

    @property
    def ratios(self) -> list[float]:
        return [p / f for p, f in zip(self.product, self.floor, strict=True)]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    def line(self, name: str, unit: str = "s") -> str:
        scale = 1000 if unit == "ms" else 1
        return (
            f"{name}: median {self.product_median * scale:.3f}{unit} against "
            f"{self.floor_median * scale:.3f}{unit}; ratio {self.ratio:.2f} "
            f"(pairs {min(self.ratios):.2f}-{max(self.ratios):.2f})"
        )


def interleave(
    product: Callable[[], float],
    floor: Callable[[], float],
    pairs: int = PAIRS,
    *,
    warm_up: Callable[[], object] | None = None,
) -> Pairs:
    """One warm-up of each (fills the bytecode cache and the disk cache; `warm_up` instead of
    the product when given), then `pairs` pairs."""
    (warm_up or product)()
    floor()
    mine, theirs = [], []
    for _ in range(pairs):
        mine.append(product())
        theirs.append(floor())
    return Pairs(mine, theirs)


def wait_for_daily_backup(folder: Path, log: Path) -> None:
    """Wait until the daily backup a command left running for `log` is finished."""
    os.environ["CEO_DESK_DATA_DIR"] = str(folder / "data")
    from ceo_desk import paths
    from ceo_desk.store import backup

    backups = paths.backups_dir(log)
    deadline = time.monotonic() + 600
    while not (backups.is_dir() and backup.list_backups(backups)):
        if time.monotonic() > deadline:
            raise SystemExit(f"no daily backup of {log} appeared in ten minutes")
        time.sleep(0.05)
    with backup.folder_lock(backups):
        pass


def demo_log(
    folder: Path, complaints: int, *, months: int = 12, seed: int = 1, reuse: Path | None = None
) -> Path:
    """A demo log built once for this run with `ceo-desk demo` (or `reuse`, one built before by
    the same command); returns its path."""
    env = environment(folder)
    if reuse is not None:
        run([ENTRY_POINT, "backup", "--db", str(reuse)], env)  # so none is due meanwhile
        print(f"demo log: {reuse} ({reuse.stat().st_size / 2**20:,.0f} MiB), built before")
        return reuse
    path = folder / f"demo-{complaints}.sqlite3"
    started = time.perf_counter()
    run(
        [ENTRY_POINT, "demo", "--complaints", str(complaints), "--months", str(months),
         "--seed", str(seed), "--db", str(path)],
        env,
    )  # fmt: skip
    # The daily backup of the new log is taken now, so no benchmark meets it running.
    run([ENTRY_POINT, "backup", "--db", str(path)], env)
    size = path.stat().st_size / 2**20
    print(
        f"demo log: {complaints:,} complaints, {size:,.0f} MiB, built in "
        f"{time.perf_counter() - started:.1f}s",
        flush=True,
    )
    return path
