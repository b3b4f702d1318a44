"""Driving crash rounds (a worker killed with SIGKILL at a random moment) and checking the log."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ceo_desk.core import audit
from ceo_desk.core.database import open_database
from ceo_desk.core.services import directory
from tests.helpers_safety.crash_worker import EVENT_FOR

REPO = Path(__file__).resolve().parents[2]


@dataclass
class CrashStats:
    rounds: int = 0
    actions_reported: int = 0
    complaints: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)


class Zygote:
    """The forking helper process, started once with this interpreter."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers_safety.crash_zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )

    def round(self, db_path: Path, fifo: Path, seed: int, kill_after: int, spin: int) -> list[str]:
        """Start a worker, let it report `kill_after` actions, SIGKILL it; return all it said."""
        assert self.process.stdin is not None and self.process.stdout is not None
        if fifo.exists():
            fifo.unlink()
        os.mkfifo(fifo)
        self.process.stdin.write(f"{db_path} {fifo} {seed}\n")
        self.process.stdin.flush()
        pid = int(self.process.stdout.readline())
        lines: list[str] = []
        with fifo.open("r", encoding="utf-8") as reader:
            while len(lines) < kill_after:
                line = reader.readline()
                if not line:
                    break  # the worker died by itself: its last words are in `lines`
                lines.append(line.strip())
            for _ in range(spin):  # a random extra moment inside the next action
                pass
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            lines += [line.strip() for line in reader if line.strip()]
        fifo.unlink()
        return lines

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()


def prepare(db_path: Path) -> None:
    db = open_database(str(db_path))
    try:
        with db.transaction() as uow:
            directory.add_staff_with_unit(
                uow, name="Jo Ortiz", unit_name="Service", unit_kind=None, email=None, phone=None
            )
    finally:
        db.close()


def verify(db_path: Path, reported: list[str]) -> list[str]:
    """Every reported action is in the log with its event; nothing half-written; file sound."""
    problems: list[str] = []
    conn = sqlite3.connect(db_path)
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchall()
        if verdict != [("ok",)]:
            problems.append(f"integrity_check: {verdict[:3]}")
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("foreign_key_check found dangling references")
        ids = dict(conn.execute("SELECT reference, id FROM complaint"))
        events = Counter(
            (row[0], row[1])
            for row in conn.execute(
                "SELECT complaint_id, action FROM event WHERE complaint_id IS NOT NULL"
            )
        )
        wanted: Counter[tuple[int, str]] = Counter()
        for line in reported:
            action, reference = line.split()
            if reference not in ids:
                problems.append(f"reported '{line}' but {reference} is not in the log")
                continue
            wanted[(ids[reference], EVENT_FOR[action])] += 1
        for key, count in wanted.items():
            if events[key] < count:
                problems.append(
                    f"reported {count} x {key[1]} for complaint {key[0]}, log has {events[key]}"
                )
        # No partial write: detail rows and events always come together.
        for table, actions in (
            ("delegation", ("delegated", "redelegated", "callback_not_satisfied", "sent_back")),
            ("report", ("report_filed",)),
            (
                "callback",
                (
                    "callback_satisfied",
                    "callback_not_satisfied",
                    "callback_no_answer",
                    "callback_voicemail",
                ),
            ),
        ):
            rows = Counter(cid for (cid,) in conn.execute(f"SELECT complaint_id FROM {table}"))
            for cid in ids.values():
                expected = sum(events[(cid, a)] for a in actions)
                if rows[cid] != expected:
                    problems.append(f"complaint {cid}: {rows[cid]} {table} rows, {expected} events")
        searchable = conn.execute("SELECT count(*) FROM complaint_search").fetchone()[0]
        if searchable != len(ids):
            problems.append(f"{len(ids)} complaints but {searchable} search rows")
        logged = sum(1 for (cid, action) in events if action == "logged")
        if logged != len(ids):
            problems.append(f"{len(ids)} complaints but {logged} 'logged' events")
    finally:
        conn.close()
    db = open_database(str(db_path))
    try:
        with db.reading() as uow:
            chain = audit.verify_chain(uow)
        if not chain.ok:
            problems.append(f"audit chain broken at {chain.first_broken_event_id}: {chain.problem}")
    finally:
        db.close()
    return problems


def run_rounds(db_path: Path, rounds: int, seed: int, max_actions: int = 12) -> CrashStats:
    """Kill `rounds` workers at random moments, verifying the log after each."""
    rng = random.Random(seed)
    stats = CrashStats()
    fifo = db_path.with_name(db_path.name + ".fifo")
    zygote = Zygote()
    reported: list[str] = []
    try:
        for index in range(rounds):
            said = zygote.round(
                db_path,
                fifo,
                seed * 10_000 + index,
                kill_after=rng.randint(0, max_actions),
                spin=rng.randrange(50_000),
            )
            reported += said
            stats.rounds += 1
            stats.actions_reported += len(said)
            problems = verify(db_path, reported)
            if problems:
                stats.problems += [f"round {index}: {p}" for p in problems]
                break
    finally:
        zygote.close()
    conn = sqlite3.connect(db_path)
    try:
        stats.complaints = conn.execute("SELECT count(*) FROM complaint").fetchone()[0]
        stats.events = conn.execute("SELECT count(*) FROM event").fetchone()[0]
    finally:
        conn.close()
    return stats
