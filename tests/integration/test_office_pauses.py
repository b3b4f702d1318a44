"""Pausing the clock on a PostgreSQL office: the assistant's login pauses and resumes through the
service; a delegate's login sees only its own work's pauses and may make none."""

from __future__ import annotations

import psycopg
import pytest

from ceo_desk.core.database import open_database
from ceo_desk.core.services import pauses
from ceo_desk.enums import Role
from tests.builders import stored_detail
from tests.office_logins import Office, office_db, plain_url

__all__ = ["office_db"]  # the fixture

pytestmark = pytest.mark.postgres


def test_the_assistant_pauses_and_the_delegate_only_reads(office_db: Office) -> None:
    sam = open_database(office_db.urls[Role.ASSISTANT])
    try:
        for reference in (office_db.mine, office_db.theirs):
            with sam.transaction() as uow:
                pauses.pause(uow, reference, "Waiting for the customer's reply")
        with sam.transaction() as uow:
            pauses.resume(uow, office_db.theirs)
        assert stored_detail(sam, office_db.mine).paused_for == "Waiting for the customer's reply"
        assert stored_detail(sam, office_db.theirs).events[-1].os_user == "sam"
    finally:
        sam.close()
    with psycopg.connect(plain_url(office_db.urls[Role.DELEGATE])) as wei:
        seen = wei.execute("SELECT reason FROM clock_pause").fetchall()
        assert seen == [("Waiting for the customer's reply",)]  # its own complaint's only
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            wei.execute(
                "INSERT INTO clock_pause (complaint_id, reason, paused_at, paused_by)"
                " SELECT id, 'x', now(), 'wei' FROM complaint"
            )
