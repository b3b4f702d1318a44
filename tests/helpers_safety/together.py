"""Start several child processes so that they begin their work at the same moment.

Each child is a module of this folder that prints "ready", waits for "go" on its standard input,
then does its work; starting them all before any is told to go is what makes the race real.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from ceo_desk.core import audit
from ceo_desk.store.db import Database
from ceo_desk.store.models import Complaint

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Finished:
    returncode: int
    out: str
    err: str


def run_together(module: str, argument_lists: list[list[str]], timeout: float) -> list[Finished]:
    """Run `python -m module *arguments` once per list, all released at once."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", module, *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )
        for arguments in argument_lists
    ]
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    finished = []
    for process in processes:
        out, err = process.communicate(timeout=timeout)
        finished.append(Finished(process.returncode, out, err))
    return finished


def references_written(module: str, url: str, writers: int, calls: int) -> list[str]:
    """Run `writers` copies of a caller module at once (`calls` each) against `url`: every one
    must finish cleanly; the references they printed are returned."""
    finished = run_together(module, [[url, f"w{n}", str(calls)] for n in range(writers)], 600)
    assert [child.err.strip() for child in finished if child.returncode != 0] == []
    return [reference for child in finished for reference in child.out.split()]


def assert_whole_log(db: Database, complaints: int) -> None:
    """The log holds exactly `complaints` complaints and its audit chain is unbroken."""
    with db.reading() as uow:
        stored = uow.session.scalar(select(func.count()).select_from(Complaint))
        chain = audit.verify_chain(uow)
    assert stored == complaints
    assert chain.ok, chain.problem
