"""The demo made in a second process while the first writes it is the same log, row for row, and
a maker that fails leaves nothing written.

Each case runs in a fresh interpreter, as the command line does: a process with no other thread,
the only kind that may fork the maker (the test run itself has threads of its own).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

# Every table the demo fills, read in order. The log's own first events (made when the file was
# created) carry the time of each run, and every hash of the chain follows from them, so events
# are compared without their hashes (the check of the whole log proves the chain).
TABLES = {
    "customer": "SELECT * FROM customer ORDER BY id",
    "complaint": "SELECT * FROM complaint ORDER BY id",
    "delegation": "SELECT * FROM delegation ORDER BY id",
    "report": "SELECT * FROM report ORDER BY id",
    "callback": "SELECT * FROM callback ORDER BY id",
    "promise": "SELECT * FROM promise ORDER BY id",
    "event": "SELECT id, at, os_user, role, complaint_id, entity, entity_id, action, description,"
    " change_digest FROM event WHERE complaint_id IS NOT NULL ORDER BY id",
    "event_change": "SELECT * FROM event_change WHERE event_id IN"
    " (SELECT id FROM event WHERE complaint_id IS NOT NULL) ORDER BY event_id",
    "complaint_search": "SELECT rowid, body FROM complaint_search ORDER BY rowid",
    "reference_counter": "SELECT * FROM reference_counter ORDER BY year",
}

GENERATE = """
import json, sys
from datetime import date
from ceo_desk.core import demo, made_alongside
from ceo_desk.core.database import open_database

from ceo_desk.core.safety.check import run_check

path, alongside = sys.argv[1], sys.argv[2] == "alongside"
db = open_database(path)
with demo.written_once(db), db.transaction() as uow:
    # A day in the past: the history then ends at a fixed moment, not at the clock's.
    demo.generate(uow, complaints=1200, seed=7, today=date(2026, 3, 10), alongside=alongside)
checked = run_check(db).ok
db.close()
print(json.dumps({"possible": made_alongside.possible(), "checked": checked}))
"""

FAILING_MAKER = """
import json, sys
from ceo_desk.core import made_alongside

def make():
    yield [1, 2, 3]
    raise ValueError("no more rows")

got, kept = [], []
try:
    for batch in made_alongside.made_alongside(make, hand_back=lambda: 0, receive=kept.append):
        got.append(batch)
except RuntimeError as exc:
    print(json.dumps({"got": got, "kept": kept, "error": str(exc)}))
"""


def _run(script: str, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def _digests(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        digests = {}
        for table, sql in TABLES.items():
            rows = conn.execute(sql).fetchall()
            assert table == "reference_counter" or rows, f"the demo filled {table}"
            digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return digests
    finally:
        conn.close()


def test_the_demo_made_alongside_is_the_same_log(tmp_path: Path) -> None:
    here, alongside = tmp_path / "here.sqlite3", tmp_path / "alongside.sqlite3"
    assert _run(GENERATE, str(here), "here") == {"possible": True, "checked": True}
    assert _run(GENERATE, str(alongside), "alongside") == {"possible": True, "checked": True}
    assert _digests(alongside) == _digests(here)


def test_a_maker_that_fails_is_reported_to_the_writer() -> None:
    found = _run(FAILING_MAKER)
    assert found == {
        "got": [[1, 2, 3]],
        "kept": [],
        "error": "The process making the rows failed: ValueError: no more rows",
    }
