"""Two processes writing to one log at once (2 x 300 service calls on one SQLite file; 2 x 100 on
PostgreSQL): no "database is locked" reaches anyone, nothing is lost, references stay unique and
the audit chain stays whole."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ceo_desk.core import audit
from ceo_desk.core.database import open_database
from ceo_desk.enums import Status
from ceo_desk.store.models import Complaint, Event
from tests.builders import add_staff
from tests.helpers_safety.together import run_together

SQLITE_ACTIONS = 300
POSTGRES_ACTIONS = 100
EVENT_FOR = {
    "logged": "logged",
    "delegated": "delegated",
    "reported": "report_filed",
    "resolved": "callback_satisfied",
}


def _run_two_writers(url: str, actions: int) -> list[str]:
    finished = run_together(
        "tests.helpers_safety.concurrent_writer",
        [[url, name, str(actions)] for name in ("alpha", "beta")],
        timeout=300,
    )
    lines: list[str] = []
    for writer in finished:
        assert "locked" not in writer.err.lower(), writer.err
        assert writer.returncode == 0, writer.err
        lines += writer.out.splitlines()
    return lines


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_two_processes_writing_at_once_lose_nothing(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if backend == "sqlite":
        url, per_writer = f"sqlite:///{tmp_path / 'shared.sqlite3'}", SQLITE_ACTIONS
    else:
        url, per_writer = _postgres_url(request), POSTGRES_ACTIONS
    db = open_database(url)
    try:
        add_staff(db)
        lines = _run_two_writers(url, per_writer)
        assert len(lines) == 2 * per_writer
        actions = Counter(line.split()[0] for line in lines)
        references = {line.split()[1] for line in lines}
        with db.reading() as uow:
            stored = dict(uow.session.execute(select(Complaint.reference, Complaint.id)).all())
            events = Counter(
                (complaint_id, action)
                for complaint_id, action in uow.session.execute(
                    select(Event.complaint_id, Event.action).where(Event.complaint_id.is_not(None))
                )
            )
            resolved = uow.session.scalar(
                select(func.count()).where(Complaint.status == Status.RESOLVED.value)
            )
            chain = audit.verify_chain(uow)
        assert references <= set(stored)
        assert len(stored) == actions["logged"]  # unique references, none lost, none extra
        for line in lines:
            action, reference = line.split()
            assert events[(stored[reference], EVENT_FOR[action])] == 1, line
        assert resolved == actions["resolved"]
        assert chain.ok, chain.problem
    finally:
        db.close()


def _postgres_url(request: pytest.FixtureRequest) -> str:
    from tests.conftest import _fresh_postgres_url

    return _fresh_postgres_url(request.getfixturevalue("postgres"))
