"""How long `ceo-desk import` takes for a large spreadsheet, against SQLite's own CSV import.

Builds a CSV of N complaints (names, phones, emails, categories, statuses, multi-line details),
then times, pair by pair, the whole `ceo-desk import FILE --create-categories` process into a
fresh log (its search rows and audit events included) and the floor: SQLite's `.import` of the
same file into one plain table, run by the `sqlite3` command-line shell (installed with the
system's package manager, e.g. `apt-get install sqlite3`), or, where that shell is missing,
Python's sqlite3 module inserting the rows csv.reader gives (`executemany`). The output says which.
The `ceo-desk` process runs with its bytecode cache filled (one warm-up run first).

Usage: uv run python benchmarks/import_speed.py [--rows 100000] [--pairs 5]
Last line: rows=… import_s=… rows_per_s=… sqlite_import_s=… ratio=…
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = ("Ann", "Bob", "Cleo", "Dan", "Eve", "Fay", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena")
LAST = ("Lee", "Ray", "Fox", "Ortiz", "Nowak", "Smith", "Tanaka", "Müller", "Silva", "Khan")
ISSUES = ("Late parcel", "Wrong invoice", "Rude driver", "Broken on arrival", "No refund yet")
CATEGORIES = ("Billing", "Delivery", "Service", "Web shop", "Returns")
STATUSES = ("Open", "Closed", "Pending", "Solved", "Closed with explanation")
CHANNELS = ("Phone", "Web", "Email", "Postal mail", "Referral", "Fax")


def build_file(path: Path, rows: int) -> None:
    rng = random.Random(1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write("Complaints export\r\n")
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Ticket",
                "Date received",
                "Customer",
                "Phone",
                "Email",
                "Issue",
                "Narrative",
                "Product",
                "Status",
                "Submitted via",
            ]
        )
        for n in range(rows):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n % 5000}"
            day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d} {n % 24:02d}:{n % 60:02d}"
            writer.writerow(
                [
                    f"T-{n:06d}",
                    day,
                    name,
                    f"+1 202 555 {n % 10000:04d}" if n % 3 else "",
                    f"person{n % 20000}@example.com" if n % 2 else "",
                    rng.choice(ISSUES),
                    'They called twice.\nSecond line, with "quotes".' if n % 4 == 0 else "",
                    rng.choice(CATEGORIES),
                    rng.choice(STATUSES),
                    rng.choice(CHANNELS),
                ]
            )


def time_import(source: Path, folder: Path, run: int) -> float:
    log = folder / f"log{run}.sqlite3"
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [
        sys.executable,
        "-m",
        "ceo_desk",
        "import",
        str(source),
        "--db",
        str(log),
        "--create-categories",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the import failed:\n{done.stderr[-2000:]}")
    log.unlink()
    for extra in folder.glob(f"log{run}.sqlite3*"):
        extra.unlink()
    return elapsed


def _data_lines(source: Path, folder: Path) -> Path:
    """The file without the line above its header, as `.import` reads from the first line."""
    trimmed = folder / "trimmed.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        handle.readline()
        trimmed.write_text(handle.read(), encoding="utf-8", newline="")
    return trimmed


def time_floor(trimmed: Path, folder: Path, shell: str | None, run: int) -> float:
    target = folder / f"floor{run}.sqlite3"
    started = time.perf_counter()
    if shell:
        subprocess.run(
            [shell, str(target)],
            input=f".mode csv\n.import '{trimmed}' complaints\n",
            text=True,
            check=True,
        )
    else:
        conn = sqlite3.connect(target)
        with trimmed.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            columns = ", ".join(f'"c{i}" TEXT' for i in range(len(header)))
            conn.execute(f"CREATE TABLE complaints ({columns})")
            marks = ", ".join("?" for _ in header)
            with conn:
                conn.executemany(f"INSERT INTO complaints VALUES ({marks})", reader)
        conn.close()
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    shell = shutil.which("sqlite3")
    floor_name = "the sqlite3 shell's .import" if shell else "python sqlite3 executemany"
    # The command's daily backup runs in a process of its own after it, and may still be writing
    # in the data folder when the last pair ends.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        os.environ["CEO_DESK_DATA_DIR"] = str(folder / "data")
        os.environ["CEO_DESK_CONFIG_DIR"] = str(folder / "config")
        source = folder / "complaints.csv"
        build_file(source, args.rows)
        trimmed = _data_lines(source, folder)
        print(
            f"file: {args.rows:,} rows, {source.stat().st_size / 1024 / 1024:.1f} MB; "
            f"floor: {floor_name}"
        )
        time_import(source, folder, 0)  # warm-up: fills the bytecode cache
        imports, floors = [], []
        for run in range(1, args.pairs + 1):
            imports.append(time_import(source, folder, run))
            floors.append(time_floor(trimmed, folder, shell, run))
            print(f"pair {run}: import_s={imports[-1]:.2f} sqlite_import_s={floors[-1]:.3f}")
    ratios = [i / f for i, f in zip(imports, floors, strict=True)]
    import_s, floor_s = statistics.median(imports), statistics.median(floors)
    print(
        f"median import_s={import_s:.2f} sqlite_import_s={floor_s:.3f} "
        f"ratio min-max {min(ratios):.1f}-{max(ratios):.1f} (floor: {floor_name})"
    )
    print(
        f"rows={args.rows} import_s={import_s:.2f} rows_per_s={args.rows / import_s:.0f} "
        f"sqlite_import_s={floor_s:.3f} ratio={import_s / floor_s:.1f}"
    )


if __name__ == "__main__":
    main()
