"""A delegate reads only what was ever delegated to their staff member, on a local log too."""

from __future__ import annotations

import pytest

from ceo_desk.core import queries
from ceo_desk.core.queries import ComplaintFilter
from ceo_desk.core.safety import backups
from ceo_desk.core.services import complaints
from ceo_desk.enums import Role
from ceo_desk.errors import PermissionDenied
from ceo_desk.store.db import Database
from tests.builders import add_staff, log, person


def delegate(db: Database, ref: str, staff_id: int) -> None:
    with db.transaction() as uow:
        complaints.delegate(uow, ref, staff_id)


def listed(db: Database, flt: ComplaintFilter | None = None) -> tuple[set[str], int]:
    flt = flt or ComplaintFilter()
    with db.reading() as uow:
        rows = queries.list_complaints(uow, flt)
        return {row.reference for row in rows}, queries.count_complaints(uow, flt)


def test_a_delegate_lists_searches_and_opens_only_their_own_complaints(db: Database) -> None:
    chen, baker = add_staff(db, "Wei Chen"), add_staff(db, "Sam Baker")
    mine = log(db, "Ann Smith", summary="Router keeps dropping")
    theirs = log(db, "Ann Smith", summary="Router never arrived")
    unassigned = log(db, "Bo Li", summary="Router was the wrong colour", phone="+442079460002")
    delegate(db, mine, chen)
    delegate(db, theirs, baker)
    wchen = person(db, "wchen", Role.DELEGATE, staff="Wei Chen")

    assert listed(db) == ({mine, theirs, unassigned}, 3)
    assert listed(wchen) == ({mine}, 1)
    assert listed(wchen, ComplaintFilter(text="router")) == ({mine}, 1)
    assert listed(wchen, ComplaintFilter(text="arrived")) == (set(), 0)
    with wchen.reading() as uow:
        assert queries.complaint_detail(uow, mine).reference == mine
        customer_id = queries.complaint_detail(uow, mine).customer_id
        with pytest.raises(PermissionDenied, match=f"{theirs} was never delegated to you"):
            queries.complaint_detail(uow, theirs)
        assert queries.customer_history(uow, customer_id).total == 1
        assert queries.counters(uow).open == 1
        assert {r.reference for r in queries.reports_to_chase(uow)} <= {mine}


def test_a_delegate_keeps_seeing_a_complaint_handed_on_to_someone_else(db: Database) -> None:
    chen, baker = add_staff(db, "Wei Chen"), add_staff(db, "Sam Baker")
    ref = log(db)
    delegate(db, ref, chen)
    wchen = person(db, "wchen", Role.DELEGATE, staff="Wei Chen")
    delegate(db, ref, baker)
    assert listed(wchen) == ({ref}, 1)


def test_a_person_with_no_role_sees_nothing(db: Database) -> None:
    log(db)
    assert listed(person(db, "visitor")) == (set(), 0)


def test_only_an_owner_may_restore_a_backup(db: Database) -> None:
    backups.require_may_restore(db)  # the log's creator is its owner
    with pytest.raises(PermissionDenied, match="Restoring a backup needs the owner"):
        backups.require_may_restore(person(db, "mwang", Role.CEO, Role.ASSISTANT))
