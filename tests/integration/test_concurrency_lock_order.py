"""Several processes logging calls at once on PostgreSQL: writers take their locks in one order,
so none fails on a deadlock, nothing is lost and the audit chain stays whole."""

from __future__ import annotations

import pytest

from ceo_desk.core.database import open_database
from tests.builders import log
from tests.helpers_safety.together import assert_whole_log, references_written

WRITERS = 4
CALLS = 60


@pytest.mark.postgres
def test_concurrent_callers_never_deadlock(request: pytest.FixtureRequest) -> None:
    from tests.conftest import _fresh_postgres_url

    url = _fresh_postgres_url(request.getfixturevalue("postgres"))
    db = open_database(url)
    try:
        log(db, name="Repeat Caller", phone=None, email="repeat.caller@example.com")
        references = references_written("tests.helpers_safety.mixed_caller", url, WRITERS, CALLS)
        assert len(references) == WRITERS * CALLS == len(set(references))
        assert_whole_log(db, WRITERS * CALLS + 1)
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
