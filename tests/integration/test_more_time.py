"""A delegate asks for more time; the office accepts (the due date moves, in the trail) or
declines with a reason; both sides see the answer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ceo_desk.cli import main
from ceo_desk.core.services import more_time, people
from ceo_desk.enums import MoreTimeDecision, Role
from ceo_desk.errors import NotFoundError, PermissionDenied, ValidationError
from ceo_desk.store.db import Database
from tests.builders import add_staff, delegate, log, office, person, report, stored_detail


@pytest.fixture
def delegated(db: Database) -> tuple[Database, str, int]:
    staff = office(db)
    ref = log(db)
    delegate(db, ref, staff.ortiz)
    with db.transaction() as uow:  # the account running the tests is Jo Ortiz's delegate too
        people.grant(uow, uow.identity, Role.DELEGATE, staff=staff.ortiz)
    return db, ref, staff.ortiz


def test_an_accepted_request_moves_the_report_due_date_in_the_trail(
    delegated: tuple[Database, str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    db, ref, ortiz = delegated
    due = stored_detail(db, ref).report_due_on
    assert due is not None
    later = due + timedelta(days=7)
    code = main(
        [
            "more-time",
            ref,
            "--until",
            later.isoformat(),
            "--reason",
            "Waiting on the bank",
            "--db",
            db.url,
        ]
    )
    assert code == 0, capsys.readouterr().err
    with db.reading() as uow:
        waiting = more_time.waiting_requests(uow)
    assert [(w.reference, w.proposed_due_on, w.reason) for w in waiting] == [
        (ref, later, "Waiting on the bank")
    ]

    assert main(["accept-more-time", ref, "--db", db.url]) == 0
    out = capsys.readouterr().out
    assert f"report now due {later.isoformat()}" in out
    detail = stored_detail(db, ref)
    assert detail.report_due_on == later
    assert detail.delegations[-1].report_due_on == later
    assert detail.events[-1].action == "more_time_accepted"
    assert later.isoformat() in detail.events[-1].description
    with db.reading() as uow:
        assert more_time.waiting_requests(uow) == []
        (answered,) = more_time.requests_of(uow, ortiz)
    assert answered.decision is MoreTimeDecision.ACCEPTED
    assert answered.answer == f"Accepted: report now due {later.isoformat()}"


def test_a_declined_request_keeps_the_due_date_and_tells_the_delegate_why(
    delegated: tuple[Database, str, int],
) -> None:
    db, ref, ortiz = delegated
    due = stored_detail(db, ref).report_due_on
    assert due is not None
    with db.transaction() as uow:
        more_time.request_more_time(uow, ref, due + timedelta(days=3), "Away on leave")
    with db.transaction() as uow:
        more_time.decline_more_time(uow, ref, "The CEO calls the customer on Friday")
    detail = stored_detail(db, ref)
    assert detail.report_due_on == due
    assert detail.events[-1].action == "more_time_declined"
    with db.reading() as uow:
        (answered,) = more_time.requests_of(uow, ortiz)
    assert answered.answer == "Declined: The CEO calls the customer on Friday"


def test_requests_that_cannot_be_made_or_answered_are_refused(
    delegated: tuple[Database, str, int],
) -> None:
    db, ref, _ = delegated
    due = stored_detail(db, ref).report_due_on
    assert due is not None
    with pytest.raises(ValidationError, match="already due"), db.transaction() as uow:
        more_time.request_more_time(uow, ref, due, "Busy")
    with pytest.raises(ValidationError, match="reason"), db.transaction() as uow:
        more_time.request_more_time(uow, ref, due + timedelta(days=2), "  ")
    with pytest.raises(NotFoundError, match="waiting for an answer"), db.transaction() as uow:
        more_time.accept_more_time(uow, ref)
    with db.transaction() as uow:
        more_time.request_more_time(uow, ref, due + timedelta(days=2), "Busy")
    with pytest.raises(ValidationError, match="already asked"), db.transaction() as uow:
        more_time.request_more_time(uow, ref, due + timedelta(days=4), "Still busy")
    with pytest.raises(ValidationError, match="reason"), db.transaction() as uow:
        more_time.decline_more_time(uow, ref, "")
    report(db, ref)
    with pytest.raises(ValidationError, match="moved on"), db.transaction() as uow:
        more_time.accept_more_time(uow, ref)
    assert stored_detail(db, ref).report_due_on is None, "the report is in; nothing moved"


def test_erasing_the_customer_scrubs_their_name_from_a_request(
    delegated: tuple[Database, str, int],
) -> None:
    from ceo_desk.core.safety.erase import erase_customer

    db, ref, ortiz = delegated
    due = stored_detail(db, ref).report_due_on
    assert due is not None
    with db.transaction() as uow:
        more_time.request_more_time(uow, ref, due + timedelta(days=2), "Ann Smith is abroad")
    customer_id = stored_detail(db, ref).customer_id
    with db.transaction() as uow:
        erase_customer(uow, customer_id)
    with db.reading() as uow:
        (request,) = more_time.requests_of(uow, ortiz)
    assert "Smith" not in request.reason


def test_only_the_delegate_asks_and_only_the_office_decides(
    delegated: tuple[Database, str, int],
) -> None:
    db, ref, ortiz = delegated
    due = stored_detail(db, ref).report_due_on
    assert due is not None
    amy = person(db, "amy", Role.ASSISTANT)
    with (
        pytest.raises(
            PermissionDenied, match=r"Asking for more time needs the delegate role; held by"
        ),
        amy.transaction() as uow,
    ):
        more_time.request_more_time(uow, ref, due + timedelta(days=2), "Busy")
    other = person(db, "lpark", Role.DELEGATE, staff=add_staff(db, "Lee Park", "Sales"))
    with (
        pytest.raises(PermissionDenied, match="not delegated to you"),
        other.transaction() as uow,
    ):
        more_time.request_more_time(uow, ref, due + timedelta(days=2), "Busy")
    with db.reading() as uow:
        assert more_time.waiting_requests(uow) == []
    with person(db, "jortiz", Role.DELEGATE, staff=ortiz).transaction() as uow:
        more_time.request_more_time(uow, ref, due + timedelta(days=2), "Busy")
    for answer in (
        lambda uow: more_time.accept_more_time(uow, ref),
        lambda uow: more_time.decline_more_time(uow, ref, "No"),
    ):
        with (
            pytest.raises(
                PermissionDenied, match=r"Deciding a request for more time needs the .*; held by"
            ),
            person(db, "jortiz").transaction() as uow,
        ):
            answer(uow)
    with db.reading() as uow:
        assert [w.reference for w in more_time.waiting_requests(uow)] == [ref]
    assert stored_detail(db, ref).report_due_on == due
