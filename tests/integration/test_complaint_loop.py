"""The loop end to end on SQLite and PostgreSQL: every transition and every refusal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from ceo_desk.core import audit, queries
from ceo_desk.core.services import complaints, directory, office
from ceo_desk.enums import Loyalty, Outcome, Severity, Status
from ceo_desk.errors import ConflictError, LifecycleError, NotFoundError, ValidationError
from ceo_desk.store.db import Database
from ceo_desk.store.models import Complaint, Event
from tests.builders import (
    MONDAY,
    add_staff,
    at,
    awaiting_callback,
    callback,
    log,
    stored_detail,
)


def _counts(db: Database) -> tuple[int, int]:
    with db.reading() as uow:
        return (
            uow.session.scalar(select(func.count()).select_from(Complaint)) or 0,
            uow.session.scalar(select(func.count()).select_from(Event)) or 0,
        )


def test_references_are_human_and_sequential_per_year(db: Database) -> None:
    first = log(db, when=MONDAY)
    second = log(db, phone="+442079460002", when=MONDAY)
    assert first == "C-2026-0001"
    assert second == "C-2026-0002"


def test_full_loop_with_no_answer_then_satisfied(db: Database) -> None:
    staff_id = add_staff(db)
    ref = log(
        db, severity=Severity.HIGH, ceo_spoke=True, ceo_promised="Refund by Friday", when=MONDAY
    )
    with db.transaction() as uow:
        result = complaints.delegate(uow, ref, staff_id, instructions="Call today", now=MONDAY)
    assert result.report_due_on == date(2026, 3, 11)  # high: 2 business days
    with db.transaction() as uow:
        report = complaints.file_report(
            uow,
            ref,
            complaints.ReportInput(
                said="Apologised", done="Refunded", accommodation="Credit", cost="25.50"
            ),
            now=at(1),
        )
    assert report.callback_due_on == date(2026, 3, 11)
    unanswered = callback(db, ref, Outcome.NO_ANSWER, at(2))
    assert unanswered.status is Status.AWAITING_CALLBACK
    assert unanswered.next_callback_on == date(2026, 3, 12)
    done = callback(
        db,
        ref,
        Outcome.SATISFIED,
        at(3),
        satisfaction=5,
        loyalty=Loyalty.STAYING,
        customer_words="All sorted",
    )
    assert done.status is Status.RESOLVED
    detail = stored_detail(db, ref)
    assert detail.reports[0].cost_minor == 2550
    assert [c.outcome for c in detail.callbacks] == [Outcome.NO_ANSWER, Outcome.SATISFIED]
    assert [e.action for e in detail.events] == [
        "logged",
        "delegated",
        "report_filed",
        "callback_no_answer",
        "callback_satisfied",
    ]
    assert detail.closed_at is not None
    with db.reading() as uow:
        assert audit.verify_chain(uow).ok


def test_nothing_resolves_without_report_and_satisfied_callback(db: Database) -> None:
    staff_id = add_staff(db)
    ref = log(db, when=MONDAY)
    with db.transaction() as uow, pytest.raises(LifecycleError, match="report has been filed"):
        complaints.record_callback(uow, ref, complaints.CallbackInput(outcome=Outcome.SATISFIED))
    with db.transaction() as uow:
        complaints.delegate(uow, ref, staff_id)
    with db.transaction() as uow, pytest.raises(LifecycleError):
        complaints.record_callback(uow, ref, complaints.CallbackInput(outcome=Outcome.SATISFIED))
    assert stored_detail(db, ref).status is Status.DELEGATED


def test_report_needs_said_and_done_and_a_refusal_changes_nothing(db: Database) -> None:
    staff_id = add_staff(db)
    ref = log(db, when=MONDAY)
    with db.transaction() as uow:
        complaints.delegate(uow, ref, staff_id)
    before = _counts(db)
    with db.transaction() as uow, pytest.raises(ValidationError, match="Done is required") as info:
        complaints.file_report(uow, ref, complaints.ReportInput(said="We talked", done="  "))
    assert info.value.field == "done"
    assert _counts(db) == before
    assert stored_detail(db, ref).status is Status.DELEGATED


def test_redelegation_keeps_the_whole_chain(db: Database) -> None:
    first = add_staff(db, "Jo Ortiz")
    second = add_staff(db, "Priya Raman", "Logistics")
    ref = log(db, when=MONDAY)
    with db.transaction() as uow:
        complaints.delegate(uow, ref, first, now=MONDAY)
    with db.transaction() as uow:
        complaints.delegate(uow, ref, second, due_on="2026-03-20", now=at(1))
    detail = stored_detail(db, ref)
    assert [d.staff_name for d in detail.delegations] == ["Jo Ortiz", "Priya Raman"]
    assert detail.current_delegate == "Priya Raman"
    assert detail.report_due_on == date(2026, 3, 20)


def test_send_back_and_not_satisfied_reopen(db: Database) -> None:
    staff_id = add_staff(db)
    other = add_staff(db, "Priya Raman", "Logistics")
    ref = awaiting_callback(db, staff_id, logged_at=MONDAY, reported_at=MONDAY)
    with db.transaction() as uow:
        complaints.send_back(uow, ref, "Say what the customer agreed to", now=at(1))
    detail = stored_detail(db, ref)
    assert detail.status is Status.DELEGATED
    assert detail.reopen_count == 1
    assert detail.reports[0].sent_back_comment == "Say what the customer agreed to"
    with db.transaction() as uow:
        complaints.file_report(
            uow, ref, complaints.ReportInput(said="Agreed X", done="Did X"), now=at(2)
        )
    result = callback(
        db,
        ref,
        Outcome.NOT_SATISFIED,
        at(3),
        reassign_to_staff_id=other,
        customer_words="Still broken",
    )
    assert result.status is Status.DELEGATED
    assert result.delegated_to == "Priya Raman"
    detail = stored_detail(db, ref)
    assert detail.reopen_count == 2
    assert len(detail.delegations) == 3


def test_send_back_needs_a_comment(db: Database) -> None:
    ref = awaiting_callback(db, add_staff(db), logged_at=MONDAY, reported_at=MONDAY)
    with db.transaction() as uow, pytest.raises(ValidationError, match="Comment is required"):
        complaints.send_back(uow, ref, "   ")
    assert stored_detail(db, ref).status is Status.AWAITING_CALLBACK


def test_unreachable_only_after_three_unanswered_attempts(db: Database) -> None:
    ref = awaiting_callback(db, add_staff(db), logged_at=MONDAY, reported_at=MONDAY)
    for attempt in range(2):
        callback(db, ref, Outcome.VOICEMAIL, at(attempt + 1))
    with db.transaction() as uow, pytest.raises(ValidationError, match="after 3"):
        complaints.mark_unreachable(uow, ref)
    third = callback(db, ref, Outcome.NO_ANSWER, at(4))
    assert third.can_mark_unreachable
    with db.transaction() as uow:
        complaints.mark_unreachable(uow, ref)
    assert stored_detail(db, ref).status is Status.UNREACHABLE


def test_unanswered_call_has_no_score(db: Database) -> None:
    ref = awaiting_callback(db, add_staff(db), logged_at=MONDAY, reported_at=MONDAY)
    with pytest.raises(ValidationError, match="Nobody answered"):
        callback(db, ref, Outcome.NO_ANSWER, MONDAY, satisfaction=3)


def test_withdraw_as_duplicate_links_the_original(db: Database) -> None:
    original = log(db, when=MONDAY)
    duplicate = log(db, phone="+442079460009", when=MONDAY)
    with db.transaction() as uow, pytest.raises(ValidationError, match="Reason is required"):
        complaints.withdraw(uow, duplicate, "")
    with db.transaction() as uow:
        complaints.withdraw(uow, duplicate, "Same call logged twice", duplicate_of=original)
    detail = stored_detail(db, duplicate)
    assert detail.status is Status.WITHDRAWN
    assert detail.duplicate_of == original
    with db.transaction() as uow, pytest.raises(LifecycleError, match="already closed"):
        complaints.withdraw(uow, duplicate, "again")


def test_repeat_caller_is_linked_not_duplicated(db: Database) -> None:
    with db.transaction() as uow:
        office.save_settings(uow, replace(office.load_settings(uow), phone_region="GB"))
    first = log(db, phone="+442079460001", name="Ann Smith", when=MONDAY)
    with db.transaction() as uow:
        again = complaints.log_call(
            uow,
            complaints.CallInput(
                customer_name="Ann Smith",
                summary="Still charged twice",
                phone="020 7946 0001",
                email="ann@example.com",
            ),
        )
    with db.transaction() as uow:
        third = complaints.log_call(
            uow,
            complaints.CallInput(
                customer_name="A. Smith", summary="Third call", email="ANN@example.com"
            ),
        )
    assert again.customer_id == third.customer_id
    assert (again.earlier_complaints, third.earlier_complaints) == (1, 2)
    assert not again.customer_is_new
    with db.reading() as uow:
        earlier = queries.earlier_complaints(uow, phone=None, email="ann@example.com")
        assert earlier.count == 3
        assert earlier.last_reference == third.reference
        first_customer = queries.complaint_detail(uow, first).customer_id
        third_detail = queries.complaint_detail(uow, third.reference)
    assert third_detail.customer_complaints == 3 and not third_detail.customer_erased
    assert first_customer == again.customer_id


def test_log_needs_a_way_to_reach_the_customer(db: Database) -> None:
    before = _counts(db)
    with db.transaction() as uow, pytest.raises(ValidationError, match="phone number or an email"):
        complaints.log_call(uow, complaints.CallInput(customer_name="Ann", summary="x"))
    assert _counts(db) == before


def test_stale_edit_is_a_conflict_not_an_overwrite(db: Database) -> None:
    ref = log(db, when=MONDAY)
    version = stored_detail(db, ref).version
    with db.transaction() as uow:
        complaints.edit(
            uow, ref, complaints.ComplaintEdit({"summary": "First edit"}), expected_version=version
        )
    with db.transaction() as uow, pytest.raises(ConflictError, match="changed by someone else"):
        complaints.edit(
            uow, ref, complaints.ComplaintEdit({"summary": "Second edit"}), expected_version=version
        )
    assert stored_detail(db, ref).summary == "First edit"


def test_delegating_to_deactivated_staff_is_refused(db: Database) -> None:
    staff_id = add_staff(db)
    with db.transaction() as uow:
        directory.set_staff_active(uow, staff_id, False)
    ref = log(db, when=MONDAY)
    with db.transaction() as uow, pytest.raises(ValidationError, match="deactivated"):
        complaints.delegate(uow, ref, staff_id)


def test_unknown_reference(db: Database) -> None:
    with db.transaction() as uow, pytest.raises(NotFoundError, match="no complaint C-2026-9999"):
        complaints.delegate(uow, "c-2026-9999", 1)


def test_overdue_and_due_today_lists(db: Database) -> None:
    staff_id = add_staff(db)
    late = log(db, when=MONDAY)
    with db.transaction() as uow:
        complaints.delegate(uow, late, staff_id, due_on="2026-03-10", now=MONDAY)
    # callback due Tuesday 10 March
    waiting = awaiting_callback(db, staff_id, logged_at=MONDAY, reported_at=MONDAY)
    with db.reading() as uow:
        overdue = queries.list_complaints(
            uow, queries.ComplaintFilter(overdue=True), today=date(2026, 3, 11)
        )
        due_today = queries.list_complaints(
            uow, queries.ComplaintFilter(due_today=True), today=date(2026, 3, 10)
        )
        today_list = queries.callbacks_due(uow, today=date(2026, 3, 10))
        counters = queries.counters(uow, today=date(2026, 3, 11))
    assert {r.reference for r in overdue} == {late, waiting}
    assert {r.reference for r in due_today} == {late, waiting}
    assert [c.reference for c in today_list] == [waiting]
    assert counters.overdue == 2 and counters.open == 2


def test_search_finds_report_and_callback_text(db: Database) -> None:
    staff_id = add_staff(db)
    ref = awaiting_callback(db, staff_id, logged_at=MONDAY, reported_at=MONDAY)
    callback(db, ref, Outcome.NO_ANSWER, MONDAY, notes="Left voicemail with Zoë's husband")
    with db.reading() as uow:
        by_note = queries.list_complaints(uow, queries.ComplaintFilter(text="husb"))
        by_name = queries.list_complaints(uow, queries.ComplaintFilter(text="zoe"))
        by_report = queries.list_complaints(uow, queries.ComplaintFilter(text="refund"))
        nothing = queries.list_complaints(uow, queries.ComplaintFilter(text="zebra"))
        counts = [
            queries.count_complaints(uow, queries.ComplaintFilter(text=words))
            for words in ("husb", "zoe refund", "zebra", "")
        ]
    assert [r.reference for r in by_note] == [ref]
    assert [r.reference for r in by_name] == [ref]
    assert [r.reference for r in by_report] == [ref]
    assert nothing == []
    assert counts == [1, 1, 0, 1]


def test_customer_details_can_be_corrected_and_found_again(db: Database) -> None:
    from ceo_desk.core.services import customers

    ref = log(db, name="Ann Smyth", when=MONDAY)
    customer_id = stored_detail(db, ref).customer_id
    with db.transaction() as uow, pytest.raises(ValidationError, match="Keep a phone number"):
        customers.update(uow, customer_id, customers.CustomerEdit(name="Ann Smith"))
    with db.transaction() as uow:
        customers.update(
            uow,
            customer_id,
            customers.CustomerEdit(
                name="Ann Smith", phone="+442079460001", organisation="Harbour Dental"
            ),
        )
    assert stored_detail(db, ref).customer_name == "Ann Smith"
    with db.reading() as uow:
        found = queries.list_complaints(uow, queries.ComplaintFilter(text="harbour smith"))
        last = uow.session.scalar(select(Event.description).order_by(Event.id.desc()).limit(1))
    assert [r.reference for r in found] == [ref]
    assert last is not None and "changed" in last and "Smith" not in last


def test_names_longer_than_their_column_are_refused_alike_on_every_backend(db: Database) -> None:
    with db.transaction() as uow, pytest.raises(ValidationError, match="at most 120") as info:
        directory.add_staff_with_unit(
            uow, name="L" * 150, unit_name="Billing", unit_kind=None, email=None, phone=None
        )
    assert info.value.field == "name"
    with db.transaction() as uow, pytest.raises(ValidationError, match="at most 80"):
        office.add_category(uow, "C" * 81)


def test_a_report_can_be_sent_back_to_someone_else_when_its_delegate_has_left(
    db: Database,
) -> None:
    leaver = add_staff(db, "Temp Person")
    other = add_staff(db, "Priya Raman", "Logistics")
    ref = awaiting_callback(db, leaver, logged_at=MONDAY, reported_at=MONDAY)
    with db.transaction() as uow:
        directory.set_staff_active(uow, leaver, False)
    with db.transaction() as uow, pytest.raises(ValidationError, match="Choose someone else"):
        complaints.send_back(uow, ref, "Redo it")
    with db.transaction() as uow:
        result = complaints.send_back(uow, ref, "Redo it", to_staff_id=other)
    assert result.staff_name == "Priya Raman"
    assert stored_detail(db, ref).current_delegate == "Priya Raman"


def test_duplicates_point_at_the_original_never_in_a_circle(db: Database) -> None:
    first, second, third = (log(db, phone=f"+44207946000{i}", when=MONDAY) for i in (1, 2, 3))
    with db.transaction() as uow:
        complaints.withdraw(uow, second, "Logged twice", duplicate_of=first)
    with db.transaction() as uow, pytest.raises(ValidationError, match=f"duplicate of {first}"):
        complaints.withdraw(uow, first, "Logged twice", duplicate_of=second)
    with db.transaction() as uow, pytest.raises(ValidationError, match=f"duplicate of {first}"):
        complaints.withdraw(uow, third, "Logged twice", duplicate_of=second)
    assert stored_detail(db, first).status is Status.NEW


def test_the_same_person_cannot_be_added_twice_to_one_unit(db: Database) -> None:
    add_staff(db, "Jordan Ortiz", "Billing")
    with (
        db.transaction() as uow,
        pytest.raises(ValidationError, match="already in this department"),
    ):
        directory.add_staff_with_unit(
            uow, name="JORDAN  ortiz", unit_name="billing", unit_kind=None, email=None, phone=None
        )
    add_staff(db, "Jordan Ortiz", "Sales")  # a namesake elsewhere is a different person


def test_a_caller_is_found_by_the_number_as_typed_and_by_the_delegate(db: Database) -> None:
    staff_id = add_staff(db, "Rosa Martínez")
    ref = log(db, phone="+12125554179", when=MONDAY)
    with db.transaction() as uow:
        complaints.delegate(uow, ref, staff_id)
    with db.reading() as uow:
        for typed in (
            "2125554179",
            "+1 212-555-4179",
            "+12125554179",
            "212 555",
            "rosa martinez",
            ref,
        ):
            found = queries.list_complaints(uow, queries.ComplaintFilter(text=typed))
            assert [r.reference for r in found] == [ref], typed
