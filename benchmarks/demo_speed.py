"""How long the demo generator takes for a large log, against a bare insert of as many rows.

Usage: uv run python benchmarks/demo_speed.py [--complaints 100000]
Last line: demo_s=… bare_insert_s=… ratio=… complaints_per_s=…
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from pathlib import Path


def bare_insert_seconds(rows: int, folder: Path) -> float:
    """The floor: one plain table, the same number of rows, one transaction."""
    conn = sqlite3.connect(folder / "bare.sqlite3")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER)")
    started = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO t VALUES (?, ?, ?, ?)",
            ((i, f"summary {i}", f"customer {i}", i % 7) for i in range(rows)),
        )
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["CEO_DESK_DATA_DIR"] = str(folder / "data")
        os.environ["CEO_DESK_CONFIG_DIR"] = str(folder / "config")
        from ceo_desk.core import demo
        from ceo_desk.core.database import open_database

        db = open_database(str(folder / "demo.sqlite3"))
        started = time.perf_counter()
        with db.transaction() as uow:
            demo.generate(uow, complaints=args.complaints, months=24, seed=1)
        demo_s = time.perf_counter() - started
        db.close()
        bare_s = bare_insert_seconds(args.complaints, folder)
    print(f"complaints={args.complaints:,}")
    print(
        f"demo_s={demo_s:.2f} bare_insert_s={bare_s:.3f} ratio={demo_s / bare_s:.1f} "
        f"complaints_per_s={args.complaints / demo_s:,.0f}"
    )


if __name__ == "__main__":
    main()
