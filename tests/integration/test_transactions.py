"""The caller owns the transaction: several services share one, and it lands whole or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from ceo_desk.core.services import complaints, office
from ceo_desk.enums import Status
from ceo_desk.errors import ConflictError, ValidationError
from ceo_desk.store.db import Database
from ceo_desk.store.models import Category, Complaint, Event
from tests.builders import MONDAY, add_staff, log


def _counts(db: Database) -> tuple[int, int, int]:
    with db.reading() as uow:
        return (
            uow.session.scalar(select(func.count()).select_from(Complaint)) or 0,
            uow.session.scalar(select(func.count()).select_from(Event)) or 0,
            uow.session.scalar(select(func.count()).select_from(Category)) or 0,
        )


def test_two_services_in_one_transaction_land_together(db: Database) -> None:
    staff = add_staff(db)
    with db.transaction() as uow:
        logged = complaints.log_call(
            uow,
            complaints.CallInput(customer_name="Ann", summary="Late", phone="+12025550101"),
            now=MONDAY,
        )
        complaints.delegate(uow, logged.reference, staff, now=MONDAY)
    with db.reading() as uow:
        assert complaints.load(uow, logged.reference, for_update=False).status == Status.DELEGATED


def test_a_refusal_after_a_service_succeeded_leaves_nothing(db: Database) -> None:
    before = _counts(db)
    with pytest.raises(ValidationError), db.transaction() as uow:
        office.add_category(uow, "Warranty")
        complaints.log_call(
            uow,
            complaints.CallInput(customer_name="Ann", summary="Late", phone="+12025550101"),
            now=MONDAY,
        )
        office.add_category(uow, "billing")  # already exists: refused
    assert _counts(db) == before


def test_reading_cannot_commit(db: Database) -> None:
    """A read-only unit of work has no way to save what was changed in it."""
    ref = log(db)
    with db.reading() as uow:
        complaint = complaints.load(uow, ref, for_update=False)
        complaint.summary = "Changed while reading"
    with db.reading() as uow:
        assert complaints.load(uow, ref, for_update=False).summary == "Charged twice"


def test_a_stale_save_is_refused_inside_the_service(db: Database) -> None:
    """The version check happens where the change is made, so code after it never runs."""
    ref = log(db)
    reached = False
    with pytest.raises(ConflictError, match="changed by someone else"), db.transaction() as uow:
        complaint = complaints.load(uow, ref)
        # The row moves on behind the loaded copy's back, as another save would have moved it.
        uow.session.execute(
            update(Complaint).where(Complaint.id == complaint.id).values(version=99),
            execution_options={"synchronize_session": False},
        )
        complaints.edit(
            uow,
            ref,
            complaints.ComplaintEdit({"summary": "Charged three times"}),
            expected_version=complaint.version,
        )
        reached = True
    assert not reached
    with db.reading() as uow:
        assert complaints.load(uow, ref, for_update=False).summary == "Charged twice"


def test_a_failing_step_after_the_commit_does_not_undo_or_deny_it(db: Database) -> None:
    def broken_step(_uow: object) -> None:
        raise RuntimeError("the anchor's disk went away")

    db.after_commit.append(broken_step)
    try:
        before = _counts(db)
        with db.transaction() as uow:
            office.add_category(uow, "Warranty")
    finally:
        db.after_commit.remove(broken_step)
    assert _counts(db)[2] == before[2] + 1
