"""The office on PostgreSQL refuses by itself, whatever client is used: each refusal is tried as
raw SQL through psycopg, logged in as one login per role, and through the unit of work."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from ceo_desk.core import queries
from ceo_desk.core.database import open_database
from ceo_desk.core.services import complaints, directory
from ceo_desk.enums import Role, Status
from ceo_desk.errors import CeoDeskError, StorageError
from tests.builders import delegate, log
from tests.office_logins import Office, office_db, plain_url

__all__ = ["office_db"]  # the fixture, used by every test here

pytestmark = pytest.mark.postgres


def _refused(url: str, sql: str, *params: object) -> str:
    """Run `sql` as the login of `url` and return the server's refusal (rolled back)."""
    with psycopg.connect(plain_url(url)) as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(sql, params or None)
    return str(refused.value)


def _rows(url: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Run `sql` as the login of `url` in a transaction that is rolled back."""
    with psycopg.connect(plain_url(url)) as conn:
        try:
            return conn.execute(sql, params or None).fetchall()
        finally:
            conn.rollback()


def test_only_a_login_in_the_ceo_role_resolves(office_db: Office) -> None:
    resolve = "UPDATE complaint SET status = 'resolved' WHERE reference = %s RETURNING status"
    for role in (Role.ASSISTANT, Role.DELEGATE):
        refusal = _refused(office_db.urls[role], resolve, office_db.mine)
        assert "only the CEO resolves a complaint" in refusal, refusal
        assert "held by carol" in refusal
    assert _rows(office_db.urls[Role.CEO], resolve, office_db.mine) == [("resolved",)]


def test_a_resolving_callback_is_refused_outside_the_ceo_role(office_db: Office) -> None:
    satisfied = (
        "INSERT INTO callback (complaint_id, report_id, scheduled_for, made_at, outcome,"
        " customer_words, notes, made_by)"
        " SELECT r.complaint_id, r.id, current_date, now(), %s, '', '', 'sam' FROM report r"
        " JOIN complaint c ON c.id = r.complaint_id WHERE c.reference = %s RETURNING outcome"
    )
    refusal = _refused(office_db.urls[Role.ASSISTANT], satisfied, "satisfied", office_db.mine)
    assert "only the CEO resolves a complaint" in refusal
    assert _rows(office_db.urls[Role.ASSISTANT], satisfied, "no_answer", office_db.mine) == [
        ("no_answer",)
    ]
    assert _rows(office_db.urls[Role.CEO], satisfied, "satisfied", office_db.mine) == [
        ("satisfied",)
    ]


def test_a_delegate_sees_only_what_was_delegated_to_its_staff_member(office_db: Office) -> None:
    wei, sam = office_db.urls[Role.DELEGATE], office_db.urls[Role.ASSISTANT]
    assert _rows(wei, "SELECT reference FROM complaint") == [(office_db.mine,)]
    assert _rows(wei, "SELECT name FROM customer") == [("Ann Smith",)]
    assert len(_rows(wei, "SELECT id FROM report")) == 1
    assert _rows(wei, "SELECT count(*) FROM complaint WHERE reference = %s", office_db.theirs) == [
        (0,)
    ]
    assert sorted(_rows(sam, "SELECT name FROM customer")) == [("Ann Smith",), ("Bob Jones",)]


def test_a_delegate_cannot_change_a_filed_report_but_files_its_own(office_db: Office) -> None:
    wei = office_db.urls[Role.DELEGATE]
    assert "permission denied" in _refused(wei, "UPDATE report SET said = 'Nothing happened'")
    assert "permission denied" in _refused(wei, "DELETE FROM report")
    file_on = (
        "INSERT INTO report (complaint_id, delegation_id, said, done, accommodation, cost_minor,"
        " currency, root_cause, filed_at, filed_by_staff_id, on_time, flagged_terms)"
        " SELECT d.complaint_id, d.id, 'Called', 'Fixed', '', 0, 'GBP', '', now(), d.staff_id,"
        " true, '' FROM delegation d JOIN complaint c ON c.id = d.complaint_id"
        " WHERE c.reference = %s RETURNING said"
    )
    assert _rows(wei, file_on, office_db.mine) == [("Called",)]
    # The other complaint is not even visible to it: nothing to file on.
    assert _rows(wei, file_on, office_db.theirs) == []
    forged = (
        "INSERT INTO report (complaint_id, delegation_id, said, done, accommodation, cost_minor,"
        " currency, root_cause, filed_at, filed_by_staff_id, on_time, flagged_terms)"
        " VALUES (%s, 1, 'Called', 'Fixed', '', 0, 'GBP', '', now(), 1, true, '')"
    )
    theirs_id = _rows(office_db.urls[Role.ASSISTANT], "SELECT max(id) FROM complaint")[0][0]
    assert "row-level security" in _refused(wei, forged, theirs_id)


@pytest.mark.parametrize("role", [Role.CEO, Role.ASSISTANT, Role.DELEGATE])
def test_nobody_changes_or_empties_the_trail(office_db: Office, role: Role) -> None:
    url = office_db.urls[role]
    assert "permission denied" in _refused(url, "UPDATE event SET description = 'edited'")
    assert "permission denied" in _refused(url, "DELETE FROM event")
    assert "permission denied" in _refused(url, "TRUNCATE event CASCADE")
    assert "must be owner" in _refused(url, "ALTER TABLE event DISABLE TRIGGER ALL")


def test_even_the_administrator_cannot_empty_the_trail(office_db: Office) -> None:
    refusal = _refused(office_db.admin, "TRUNCATE event CASCADE")
    assert "the audit trail cannot be emptied" in refusal
    assert "audit events cannot be changed or deleted" in _refused(
        office_db.admin, "DELETE FROM event"
    )


def test_the_database_says_who_wrote_an_event(office_db: Office) -> None:
    forged = (
        "INSERT INTO event (at, os_user, role, entity, action, description, change_digest,"
        " prev_hash, hash) VALUES (now(), 'carol', 'ceo', 'complaint', 'noted', '', '', '', %s)"
        " RETURNING os_user"
    )
    assert _rows(office_db.urls[Role.ASSISTANT], forged, "x" * 64) == [("sam",)]
    assert _rows(office_db.urls[Role.DELEGATE], forged, "y" * 64) == [("wei",)]


def test_a_refusal_reaches_the_person_as_a_sentence(office_db: Office) -> None:
    db = open_database(office_db.urls[Role.ASSISTANT])
    try:
        with pytest.raises(StorageError) as refused, db.transaction() as uow:
            uow.session.execute(
                text("UPDATE complaint SET status = 'resolved' WHERE reference = :r"),
                {"r": office_db.mine},
            )
        message = str(refused.value)
        assert message.startswith("The office's database refused this: Only the CEO resolves")
        assert message.endswith("Nothing was saved.")
        assert "Traceback" not in message and "psycopg" not in message
        with pytest.raises(StorageError) as refused, db.transaction() as uow:
            uow.session.execute(text("UPDATE event SET description = ''"))
        assert "not allowed to do that with the audit trail" in str(refused.value)
    finally:
        db.close()


def test_a_delegate_files_its_own_report_through_the_services(office_db: Office) -> None:
    admin = open_database(office_db.admin)
    try:
        with admin.reading() as uow:
            chen = directory.find_staff(uow, "Wei Chen").id
        pending = log(admin, "Cleo Park", "Wrong size", "+442079460003")
        delegate(admin, pending, chen)
    finally:
        admin.close()
    wei = open_database(office_db.urls[Role.DELEGATE])
    try:
        with wei.transaction() as uow:
            complaints.file_report(uow, pending, complaints.ReportInput(said="Called", done="Sent"))
        with pytest.raises(CeoDeskError) as refused, wei.transaction() as uow:
            complaints.file_report(
                uow, office_db.theirs, complaints.ReportInput(said="x", done="y")
            )
        assert "Traceback" not in str(refused.value)
        with wei.reading() as uow:
            detail = queries.complaint_detail(uow, pending)
    finally:
        wei.close()
    assert detail.status is Status.AWAITING_CALLBACK
    assert detail.events[-1].os_user == "wei"
