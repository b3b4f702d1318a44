"""Crash soak: kill a worker with SIGKILL at random moments a few hundred times and check that
every action it reported survived, nothing is half-written and the file stays sound. Then kill
`erase-customer` and `restore` the same way: after the next open, every erasure that committed
has left no byte of the customer's details in the log or its backups, and `check` passes.

    uv run python -m benchmarks.crash_soak --rounds 300 --erase-rounds 60 --seed 7
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-actions", type=int, default=12, help="kill after 0..N actions")
    parser.add_argument("--erase-rounds", type=int, default=40, help="kills of erase and restore")
    args = parser.parse_args(argv)

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    with tempfile.TemporaryDirectory(prefix="ceo-desk-soak-") as workdir:
        os.environ["CEO_DESK_DATA_DIR"] = str(Path(workdir) / "data")
        os.environ["CEO_DESK_CONFIG_DIR"] = str(Path(workdir) / "config")
        from tests.helpers_safety import crash

        db_path = Path(workdir) / "soak.sqlite3"
        crash.prepare(db_path)
        started = time.perf_counter()
        stats = crash.run_rounds(db_path, args.rounds, args.seed, args.max_actions)
        elapsed = time.perf_counter() - started
        size = db_path.stat().st_size
    print(f"kills:              {stats.rounds}")
    print(f"actions reported:   {stats.actions_reported}")
    print(f"complaints in log:  {stats.complaints}")
    print(f"audit events:       {stats.events}")
    print(f"database size:      {size / 1024:.0f} KiB")
    print(
        f"time:               {elapsed:.1f} s ({elapsed / max(stats.rounds, 1) * 1000:.0f} ms/kill)"
    )
    if stats.problems:
        print("PROBLEMS:")
        for problem in stats.problems:
            print(f"  {problem}")
        return 1
    print("result:             every reported action survived; integrity and chain ok")
    return erase_and_restore(root, args.erase_rounds, args.seed)


def erase_and_restore(root: Path, rounds: int, seed: int) -> int:
    """Kill `erase-customer` and `restore` at random moments; check each time after reopening."""
    with tempfile.TemporaryDirectory(prefix="ceo-desk-soak-erase-") as workdir:
        os.environ["CEO_DESK_DATA_DIR"] = str(Path(workdir) / "data")
        from ceo_desk.core.database import open_database, open_log
        from ceo_desk.core.safety import backups, check
        from ceo_desk.store import backup
        from tests.builders import log

        rng = random.Random(seed)
        db_path = Path(workdir) / "soak.sqlite3"
        db = open_database(str(db_path))
        emails = {}
        for number in range(1, rounds + 2):
            email = f"soak.person{number}@example.org"
            log(db, f"Soak Person {number}", f"Complaint {number}", None, email=email)
            emails[number] = email.encode()
        older = backups.backup_now(db, Path(workdir) / "older.sqlite3")
        backups.backup_now(db)
        db.close()
        env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        problems: list[str] = []
        next_customer = 1
        started = time.perf_counter()
        kills = 0
        erased: set[int] = set()
        for index in range(rounds):
            if rng.random() < 0.25:
                command = ["restore", str(older)]
            else:
                command = ["erase-customer", str(next_customer), "--yes"]
                next_customer += 1
            child = subprocess.Popen(
                [sys.executable, "-m", "ceo_desk", "--db", str(db_path), *command],
                cwd=root,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(0.5, 3.0))  # the command takes about 1.5 to 3 s
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                kills += 1
            child.wait()
            opened = open_log(str(db_path), daily_backup=False)
            try:
                report = check.run_check(opened.db)
                if not report.ok:
                    problems.append(f"round {index} ({command[0]}): {report.as_text()}")
                erased = _erased_ids(db_path)
            finally:
                opened.db.close()
            files = [db_path, *backup.side_files(db_path)]
            files += [b.path for b in backup.list_backups(_backups_dir(db_path))]
            held = b"".join(f.read_bytes() for f in files if f.exists())
            for customer_id in sorted(erased):
                if emails[customer_id] in held:
                    problems.append(f"round {index}: customer {customer_id} erased, bytes remain")
            if problems:
                break
        elapsed = time.perf_counter() - started
        shutil.rmtree(Path(workdir) / "data", ignore_errors=True)
    print(f"erase/restore runs: {rounds} ({kills} killed mid-way, {len(erased)} customers erased)")
    print(f"time:               {elapsed:.1f} s")
    if problems:
        print("PROBLEMS:")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print("result:             every committed erasure wiped everywhere; check passes")
    return 0


def _erased_ids(db_path: Path) -> set[int]:
    import sqlite3

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT id FROM customer WHERE erased_at IS NOT NULL").fetchall()
    finally:
        conn.close()
    return {int(row[0]) for row in rows}


def _backups_dir(db_path: Path) -> Path:
    from ceo_desk import paths

    return paths.backups_dir(db_path)


if __name__ == "__main__":
    raise SystemExit(main())
