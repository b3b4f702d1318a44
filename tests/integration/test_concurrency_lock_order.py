"""Several processes logging calls at once on PostgreSQL: writers take their locks in one order,
so none fails on a deadlock, nothing is lost and the audit chain stays whole."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ceo_desk.core import audit
from ceo_desk.core.database import open_database
from ceo_desk.store.models import Complaint
from tests.builders import log
from tests.helpers_safety.together import run_together

WRITERS = 4
CALLS = 60


def _writers(url: str) -> tuple[list[str], list[str]]:
    finished = run_together(
        "tests.helpers_safety.mixed_caller",
        [[url, f"w{n}", str(CALLS)] for n in range(WRITERS)],
        timeout=600,
    )
    references = [reference for child in finished for reference in child.out.split()]
    errors = [child.err.strip() for child in finished if child.returncode != 0]
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
