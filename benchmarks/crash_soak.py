"""Crash soak: kill a worker with SIGKILL at random moments a few hundred times and check that
every action it reported survived, nothing is half-written and the file stays sound.

    uv run python -m benchmarks.crash_soak --rounds 300 --seed 7
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-actions", type=int, default=12, help="kill after 0..N actions")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
