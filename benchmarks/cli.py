"""How long the command line makes a person wait, against the floors Python itself sets.

`ceo-desk --help` is timed against `python -c pass`; `ceo-desk list`, `show` and `log` on a
100,000-complaint demo log (built once per run) against `python -c "import sqlalchemy.orm"`,
the least any command that reads the log through SQLAlchemy can take. Whole processes through
the real entry point, interleaved pair by pair.

Usage: uv run python benchmarks/cli.py [--complaints 100000] [--pairs 5] [--log DEMO.sqlite3]
Last line: help_ratio=… command_ratio=… command_cpu_ratio=…  (the slowest of list, show and log;
the last by processor time, which a loaded machine disturbs far less than elapsed time)
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import measure


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=measure.PAIRS)
    parser.add_argument("--log", type=Path, help="a demo log built before, instead of a new one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ceo-desk-bench-") as tmp:
        folder = Path(tmp)
        log = measure.demo_log(folder, args.complaints, reuse=args.log)
        env = measure.environment(folder)
        db = ["--db", str(log)]
        listed = measure.run([measure.ENTRY_POINT, "list", "--limit", "50", "--json", *db], env)
        reference = json.loads(listed.stdout)[0]["reference"]

        processor: dict[float, float] = {}  # each run's elapsed time -> its processor time

        def timed(*command: str) -> float:
            done = measure.run(list(command), env)
            processor[done.seconds] = done.cpu_seconds
            return done.seconds

        def bare_python() -> float:
            return timed(measure.PYTHON, "-c", "pass")

        def bare_orm() -> float:
            return timed(measure.PYTHON, "-c", "import sqlalchemy.orm")

        help_pairs = measure.interleave(
            lambda: timed(measure.ENTRY_POINT, "--help"), bare_python, args.pairs
        )
        print(help_pairs.line("ceo-desk --help against python -c pass", "ms"), flush=True)
        commands = {
            "list": [measure.ENTRY_POINT, "list", *db],
            "show": [measure.ENTRY_POINT, "show", reference, *db],
            "log": [
                measure.ENTRY_POINT, "log", "--customer", "Ann Lee", "--summary",
                "Parcel lost twice", "--phone", "+442079460001", *db,
            ],
        }  # fmt: skip
        worst = worst_cpu = 0.0
        for name, command in commands.items():
            pairs = measure.interleave(lambda c=command: timed(*c), bare_orm, args.pairs)
            print(pairs.line(f"ceo-desk {name} against import sqlalchemy.orm"), flush=True)
            cpu = measure.Pairs(
                [processor[s] for s in pairs.product], [processor[s] for s in pairs.floor]
            )
            print(f"  processor time: {cpu.line(name)}", flush=True)
            worst = max(worst, pairs.ratio)
            worst_cpu = max(worst_cpu, cpu.ratio)
        print(
            f"help_ratio={help_pairs.ratio:.2f} command_ratio={worst:.2f} "
            f"command_cpu_ratio={worst_cpu:.2f}"
        )


if __name__ == "__main__":
    main()
