"""How long `ceo-desk demo` takes to fill a new log with 100,000 complaints (goal: 30 s).

A whole process through the real entry point, into a new file each time, interleaved with its
floor: a process that writes as many rows into one plain table in one transaction.

Usage: uv run python benchmarks/demo_speed.py [--complaints 100000] [--pairs 3]
Last line: demo_s=… bare_insert_s=… ratio=… complaints_per_s=…
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

import measure

BARE_INSERT = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER)")
with conn:
    conn.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?)",
        ((i, f"summary {i}", f"customer {i}", i % 7) for i in range(int(sys.argv[2]))),
    )
conn.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ceo-desk-bench-") as tmp:
        folder = Path(tmp)
        env = measure.environment(folder)
        fresh = itertools.count()
        count = str(args.complaints)

        def demo() -> float:
            path = folder / f"demo-{next(fresh)}.sqlite3"
            command = [measure.ENTRY_POINT, "demo", "--complaints", count, "--db", str(path)]
            seconds = measure.run(command, env).seconds
            measure.wait_for_daily_backup(folder, path)  # so it slows no other run
            path.unlink()
            return seconds

        def warm_up() -> None:
            path = folder / "warm-up.sqlite3"
            measure.run(
                [measure.ENTRY_POINT, "demo", "--complaints", "500", "--db", str(path)], env
            )
            measure.wait_for_daily_backup(folder, path)

        def bare() -> float:
            path = folder / f"bare-{next(fresh)}.sqlite3"
            seconds = measure.run(
                [measure.PYTHON, "-c", BARE_INSERT, str(path), count], env
            ).seconds
            path.unlink()
            return seconds

        pairs = measure.interleave(demo, bare, args.pairs, warm_up=warm_up)
        print(pairs.line(f"ceo-desk demo --complaints {args.complaints:,}"), flush=True)
        print(
            f"demo_s={pairs.product_median:.2f} bare_insert_s={pairs.floor_median:.3f} "
            f"ratio={pairs.ratio:.1f} "
            f"complaints_per_s={args.complaints / pairs.product_median:,.0f}"
        )


if __name__ == "__main__":
    main()
