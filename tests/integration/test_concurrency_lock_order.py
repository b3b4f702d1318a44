"""Several processes logging calls at once on PostgreSQL: writers take their locks in one order,
so none fails on a deadlock, nothing is lost and the audit chain stays whole."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ceo_desk.core import audit
from ceo_desk.core.database import open_database
from ceo_desk.store.models import Complaint
from tests.builders import log

REPO = Path(__file__).resolve().parents[2]
WRITERS = 4
CALLS = 60


def _writers(url: str) -> tuple[list[str], list[str]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.helpers_safety.mixed_caller", url, f"w{n}", str(CALLS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )
        for n in range(WRITERS)
    ]
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
    for process in processes:  # all start at once
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    references: list[str] = []
    errors: list[str] = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        references += out.split()
        if process.returncode != 0:
            errors.append(err.strip())
    return references, errors


@pytest.mark.postgres
def test_concurrent_callers_never_deadlock(request: pytest.FixtureRequest) -> None:
    from tests.conftest import _fresh_postgres_url

    url = _fresh_postgres_url(request.getfixturevalue("postgres"))
    db = open_database(url)
    try:
        log(db, name="Repeat Caller", phone=None, email="repeat.caller@example.com")
        references, errors = _writers(url)
        assert errors == []
        assert len(references) == WRITERS * CALLS == len(set(references))
        with db.reading() as uow:
            stored = uow.session.scalar(select(func.count()).select_from(Complaint))
            chain = audit.verify_chain(uow)
        assert stored == WRITERS * CALLS + 1
        assert chain.ok, chain.problem
    finally:
        db.close()


def test_a_deadlock_is_not_reported_as_a_locked_file() -> None:
    from ceo_desk.store.db import describe_failure

    words = describe_failure(
        "postgresql+psycopg://desk@server/log",
        Exception(
            "deadlock detected\nDETAIL: Process 1 waits for ShareLock on transaction 7; "
            "blocked by process 2."
        ),
    )
    assert "another program" not in words
    assert "nothing was saved" in words and "Try again" in words
