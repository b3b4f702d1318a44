"""Lost update: two people open the same complaint and both save; the second save is refused as a
conflict and the first one's change stands (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest

from ceo_desk.core import queries
from ceo_desk.core.services import complaints
from ceo_desk.enums import Role
from ceo_desk.errors import ConflictError
from ceo_desk.store.db import Database
from tests.builders import add_staff, log, person


def _event_count(db: Database, ref: str) -> int:
    with db.reading() as uow:
        return len(queries.complaint_detail(uow, ref).events)


def test_second_save_of_a_stale_copy_is_refused(db: Database) -> None:
    ref = log(db, summary="Invoice wrong")
    assistant = db
    ceo = person(db, "ceo-user", Role.CEO)
    # Both open the complaint and see the same version.
    with assistant.reading() as uow:
        seen_by_assistant = queries.complaint_detail(uow, ref).version
    with ceo.reading() as uow:
        seen_by_ceo = queries.complaint_detail(uow, ref).version
    assert seen_by_assistant == seen_by_ceo

    with assistant.transaction() as uow:
        complaints.edit(
            uow,
            ref,
            complaints.ComplaintEdit({"summary": "Invoice wrong twice"}),
            expected_version=seen_by_assistant,
        )
    events_before = _event_count(db, ref)
    with ceo.transaction() as uow, pytest.raises(ConflictError) as caught:
        complaints.edit(
            uow,
            ref,
            complaints.ComplaintEdit({"summary": "Invoice fine after all"}),
            expected_version=seen_by_ceo,
        )
    assert ref in caught.value.message and "Reload" in caught.value.message
    with db.reading() as uow:
        detail = queries.complaint_detail(uow, ref)
    assert detail.summary == "Invoice wrong twice"
    assert _event_count(db, ref) == events_before


def test_a_stale_delegation_is_refused_too(db: Database) -> None:
    first = add_staff(db, "Jo Ortiz", "Billing")
    second = add_staff(db, "Sam Lee", "Service")
    ref = log(db)
    with db.reading() as uow:
        version = queries.complaint_detail(uow, ref).version
    with db.transaction() as uow:
        complaints.delegate(uow, ref, first, expected_version=version)
    with db.transaction() as uow, pytest.raises(ConflictError):
        complaints.delegate(uow, ref, second, expected_version=version)
    with db.reading() as uow:
        detail = queries.complaint_detail(uow, ref)
    assert [d.staff_id for d in detail.delegations] == [first]
