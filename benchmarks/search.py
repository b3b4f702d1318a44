"""Search as a person types it: each keystroke in All complaints until the new rows are painted.

Builds a demo log (default 100,000 complaints) once with `ceo-desk demo` on SQLite (with
--postgres, it is then copied with COPY into a PostgreSQL database on a server this script
starts: building it through the app there takes many minutes), then runs pairs of fresh
offscreen processes, interleaved:

* the product: the real All complaints view over the log at 1366x768, with words typed into its
  search box one key at a time (QTest key clicks, the real worker threads and repaint); each
  keystroke is timed from the key press until the view's own paint of the rows for the text
  typed so far has ended;
  the next key follows after a short pause, as from a quick typist, whether or not the count
  of the previous text has finished;
* its floor: the raw text-index query for the same texts (FTS5 on SQLite, the pg_trgm query on
  PostgreSQL), the first page of matches, straight through the database driver.

The last line is machine-readable (PostgreSQL figures prefixed pg_ when measured):
    keystroke_p50_ms=… keystroke_p95_ms=… raw_fts_p95_ms=…

Usage: uv run python benchmarks/search.py [--complaints 100000] [--pairs 5] [--log DEMO.sqlite3]
       [--postgres | --postgres-only]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from big_log import QT_PRELUDE, ROOT, copy_to_postgres, demo_log, median, percentile, run_probe

# Words of the demo's names and texts, whole and from inside a word.
WORDS = ("refund", "engineer", "nowak", "quinn", "delivery", "ilmaz", "onkwo", "boiler")
PAUSE_MS = 120  # between keystrokes, as a quick typist

PRODUCT = (
    QT_PRELUDE
    + r"""
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ceo_desk.core.database import open_database
from ceo_desk.ui.views.all_complaints import AllComplaintsView


db = open_database(sys.argv[1])
words, pause = sys.argv[2].split(","), float(sys.argv[3]) / 1000
view = AllComplaintsView(db)
view.resize(1366, 768)
view.show()
model, table, box = view.model, view.table, view.search_edit
paints = Paints(table.viewport())
# Each answer's text, and the number the view's next paint will have: the one showing its rows.
shown = []
model.first_rows_shown.connect(lambda _n: shown.append((model.filter.text, paints.started)))
wait(lambda: model.complete and not model.busy)
collector.settle()  # as the app does once its first screen is painted
paints.quiet_for(0.05)
box.setFocus()
keystrokes = []
for word in words:
    for n, letter in enumerate(word):
        typed = word[: n + 1]
        seen = len(shown)
        start = time.perf_counter()
        QTest.keyClick(box, letter)
        wait(lambda: any(text == typed for text, _ in shown[seen:]))
        paint = next(number for text, number in shown[seen:] if text == typed)
        keystrokes.append((paints.end_of(paint) - start) * 1000)
        idle_until = start + pause
        wait(lambda: time.perf_counter() >= idle_until)
    box.clear()
    wait(lambda: model.filter.text == "" and model.complete and not model.busy)
    paints.quiet_for(0.05)
print(json.dumps({"keystrokes": keystrokes}))
"""
)

FLOOR = r"""
import json, sys, time
from ceo_desk.core import search

url, words = sys.argv[1], sys.argv[2].split(",")
texts = [w[: n + 1] for w in words for n in range(len(w)) if n + 1 >= search.SUBSTRING_LETTERS]
timings = []
if url.startswith("postgresql"):
    import psycopg

    conn = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
    sql = "SELECT complaint_id FROM complaint_search WHERE body LIKE %s LIMIT 200"
    for text in texts:
        start = time.perf_counter()
        conn.execute(sql, (f"%{text}%",)).fetchall()
        timings.append((time.perf_counter() - start) * 1000)
else:
    import sqlite3

    conn = sqlite3.connect(f"file:{url}?mode=ro", uri=True)
    sql = "SELECT rowid FROM complaint_search WHERE complaint_search MATCH ? LIMIT 200"
    for text in texts:
        start = time.perf_counter()
        conn.execute(sql, (f'"{text}"',)).fetchall()
        timings.append((time.perf_counter() - start) * 1000)
print(json.dumps({"raw": timings}))
"""


@contextmanager
def postgres_url() -> Iterator[str]:
    sys.path.insert(0, str(ROOT))
    from tests.pg_server import PostgresServer  # the server the test suite starts, reused

    server = PostgresServer()
    server.start()
    try:
        server.execute_autocommit("CREATE DATABASE ceo_desk_bench")
        yield server.url("ceo_desk_bench")
    finally:
        server.stop()


def measure(log: str, env: dict[str, str], pairs: int) -> tuple[list[float], list[float]]:
    words = ",".join(WORDS)
    run_probe(PRODUCT, [log, words, str(PAUSE_MS)], env)  # warm-up
    keystrokes: list[float] = []
    raw: list[float] = []
    for pair in range(pairs):
        got = run_probe(PRODUCT, [log, words, str(PAUSE_MS)], env)["keystrokes"]
        floor = run_probe(FLOOR, [log, words], env)["raw"]
        keystrokes += got
        raw += floor
        print(
            f"pair {pair + 1}: keystroke p50 {percentile(got, 0.5):.0f} ms, "
            f"p95 {percentile(got, 0.95):.0f} ms; raw index query p95 "
            f"{percentile(floor, 0.95):.1f} ms",
            file=sys.stderr,
        )
    return keystrokes, raw


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--log", help="a demo log built before with `ceo-desk demo`, reused")
    parser.add_argument("--postgres", action="store_true", help="measure on PostgreSQL too")
    parser.add_argument("--postgres-only", action="store_true", help="measure on PostgreSQL alone")
    args = parser.parse_args()
    figures = []
    with demo_log(args.complaints, reuse=args.log) as (log, env):
        if not args.postgres_only:
            keys, raw = measure(log, env, args.pairs)
            figures.append(
                f"keystroke_p50_ms={median(keys):.0f} "
                f"keystroke_p95_ms={percentile(keys, 0.95):.0f} "
                f"raw_fts_p95_ms={percentile(raw, 0.95):.1f}"
            )
        if args.postgres or args.postgres_only:
            with postgres_url() as url:
                copy_to_postgres(log, url, env)  # the same demo log, moved with COPY
                keys, raw = measure(url, env, args.pairs)
            figures.append(
                f"pg_keystroke_p50_ms={median(keys):.0f} "
                f"pg_keystroke_p95_ms={percentile(keys, 0.95):.0f} "
                f"pg_raw_p95_ms={percentile(raw, 0.95):.1f}"
            )
    print(" ".join(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
