"""Pausing the clock while waiting for the customer: audited, permission-checked, and left out of
the report due date and the final-response deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from ceo_desk.core import deadlines, policy, stats, transitions
from ceo_desk.core.services import complaints, pauses
from ceo_desk.core.services import office as office_settings
from ceo_desk.enums import Outcome, Role, Status
from ceo_desk.errors import LifecycleError, PermissionDenied, ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import Database
from ceo_desk.store.models import ClockPause
from tests.builders import (
    at,
    callback,
    delegate,
    delegate_and_report,
    log,
    office,
    person,
    report,
    stored_detail,
)


def test_resuming_moves_the_report_due_date_and_the_deadline_by_the_paused_days(
    db: Database,
) -> None:
    staff = office(db)
    ref = log(db, when=at(0))  # Monday 9 March
    delegate(db, ref, staff.ortiz, at(0), due_on=date(2026, 3, 13))
    with db.transaction() as uow:
        pauses.pause(uow, ref, "Waiting for the customer's bank statement", now=at(1))
    with db.reading() as uow:
        cid = stored_detail(db, ref).id
        waiting = deadlines.final_responses(uow, [cid], today=date(2026, 3, 17))[cid]
    assert waiting.paused and waiting.paused_days == 7  # Tuesday 10 to today, Tuesday 17
    with db.transaction() as uow:
        resumed = pauses.resume(uow, ref, now=at(8))  # the next Tuesday: 5 business days
    assert resumed.paused_business_days == 5
    detail = stored_detail(db, ref)
    assert detail.report_due_on == date(2026, 3, 20)
    assert detail.delegations[-1].report_due_on == date(2026, 3, 20)
    assert [e.action for e in detail.events[-2:]] == ["clock_paused", "clock_resumed"]
    assert "report now due 2026-03-20" in detail.events[-1].description
    with db.reading() as uow:
        final = deadlines.final_responses(uow, [cid], today=date(2026, 5, 1))[cid]
    # Eight weeks from Monday 9 March is Monday 4 May; seven paused days make it Monday 11 May.
    assert (final.due, final.warning_from, final.paused_days, final.paused) == (
        date(2026, 5, 11),
        date(2026, 4, 27),
        7,
        False,
    )
    assert final.state == "warning"


def test_pausing_twice_resuming_unpaused_and_closed_complaints_are_refused(
    sqlite_db: Database,
) -> None:
    db = sqlite_db
    office(db)
    ref = log(db)
    with db.transaction() as uow:
        pauses.pause(uow, ref, "Waiting for the installer")
    with pytest.raises(ValidationError, match="already paused"), db.transaction() as uow:
        pauses.pause(uow, ref, "Again")
    with db.transaction() as uow:
        pauses.resume(uow, ref)
    with pytest.raises(ValidationError, match="reason"), db.transaction() as uow:
        pauses.pause(uow, ref, "  ")
    with pytest.raises(ValidationError, match="not paused"), db.transaction() as uow:
        pauses.resume(uow, ref)
    with db.transaction() as uow:
        complaints.withdraw(uow, ref, "The customer withdrew it")
    with pytest.raises(LifecycleError), db.transaction() as uow:
        pauses.pause(uow, ref, "Too late")


def test_a_delegate_may_not_pause_the_clock(sqlite_db: Database) -> None:
    db = sqlite_db
    staff = office(db)
    ref = log(db)
    delegate(db, ref, staff.ortiz)
    as_delegate = person(db, "dana", Role.DELEGATE, staff=staff.ortiz)
    with pytest.raises(PermissionDenied, match="assistant"), as_delegate.transaction() as uow:
        pauses.pause(uow, ref, "Waiting")
    assert stored_detail(db, ref).events[-1].action == "delegated"


def test_the_league_does_not_blame_a_unit_for_the_paused_days(sqlite_db: Database) -> None:
    db = sqlite_db
    staff = office(db)
    ref = log(db, when=at(0))  # Monday 9 March
    delegate(db, ref, staff.ortiz, at(0), due_on=date(2026, 3, 11))
    _paused_on_tuesday(db, ref)
    report(db, ref, at(8))  # Tuesday 17 March, still paused: six days after it was due
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, policy.Month(2026, 3), now=at(30))
    jamie = next(p for p in summary.staff if p.staff_id == staff.ortiz)
    # Six business days from delegation to report, five of them paused.
    assert (jamie.reports, jamie.reports_on_time, jamie.days_to_report) == (1, 1, [1])
    service = next(u for u in summary.units if u.name == "Customer Service")
    assert service.reports_on_time == 1
    assert summary.headline.median_days_to_report == 1.0


def test_a_report_waiting_on_a_paused_clock_is_not_missing_at_month_end(
    sqlite_db: Database,
) -> None:
    db = sqlite_db
    staff = office(db)
    waiting = log(db, when=at(0))
    delegate(db, waiting, staff.ortiz, at(0), due_on=date(2026, 3, 11))
    late = log(db, "Bo Lund", "Parcel lost", "+442079460002", when=at(0))
    delegate(db, late, staff.ortiz, at(0), due_on=date(2026, 3, 11))
    with db.transaction() as uow:  # still paused on 1 April
        pauses.pause(uow, waiting, "Waiting for the customer's photos", now=at(1))
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, policy.Month(2026, 3), now=at(30))
    service = next(u for u in summary.units if u.name == "Customer Service")
    assert service.reports_missing == 1  # Bo Lund's; Ann Smith's clock stands still


def _paused_on_tuesday(db: Database, ref: str) -> None:
    """The clock paused on Tuesday 10 March, waiting for the customer's photos."""
    with db.transaction() as uow:
        pauses.pause(uow, ref, "Waiting for the customer's photos", now=at(1))


def _withdrawn(db: Database, ref: str, when: datetime) -> None:
    with db.transaction() as uow:
        complaints.withdraw(uow, ref, "The customer withdrew it", now=when)


def _resolved(db: Database, ref: str, when: datetime) -> None:
    callback(db, ref, Outcome.SATISFIED, when, satisfaction=5)


def _unreachable(db: Database, ref: str, when: datetime) -> None:
    for hours in (1, 2, 3):
        callback(db, ref, Outcome.NO_ANSWER, when - timedelta(hours=4 - hours))
    with db.transaction() as uow:
        complaints.mark_unreachable(uow, ref, now=when)


@pytest.mark.parametrize(
    ("close", "closing_event"),
    [(_withdrawn, "withdrawn"), (_resolved, "callback_satisfied"), (_unreachable, "unreachable")],
)
def test_closing_a_paused_complaint_ends_its_pause_and_reopening_starts_unpaused(
    sqlite_db: Database, close: Callable[[Database, str, datetime], None], closing_event: str
) -> None:
    db = sqlite_db
    staff = office(db)
    ref = log(db, when=at(0))  # Monday 9 March
    delegate_and_report(db, ref, staff.ortiz, at(0), due_on=date(2026, 3, 13))
    _paused_on_tuesday(db, ref)
    close(db, ref, at(8))  # Tuesday 17 March: five business days paused
    detail = stored_detail(db, ref)
    assert detail.paused_for is None
    with db.reading() as uow:
        (ended,) = pauses.pauses_of(uow, ref)
    assert ended.resumed_at == at(8)
    resumed = next(e for e in detail.events if e.action == "clock_resumed")
    assert resumed.description == (
        "Clock resumed as the complaint closed, after 5 business days paused"
    )
    assert [e.action for e in detail.events[-2:]] == ["clock_resumed", closing_event]
    with pytest.raises(LifecycleError, match="nothing to resume"), db.transaction() as uow:
        pauses.resume(uow, ref, now=at(9))
    with db.reading() as uow:
        final = deadlines.final_responses(uow, [detail.id], today=date(2026, 5, 1))[detail.id]
    assert (final.paused_days, final.paused) == (7, False)  # Tuesday 10 to Tuesday 17
    # Six business days from receipt to closing, five of them paused: closed within three.
    with db.reading() as uow:
        settings = office_settings.load_settings(uow)
        march = policy.Period.of(policy.Month(2026, 3), at(30))
        buckets = stats.resolution_buckets(uow, march, settings)
        summary = stats.monthly_summary(uow, policy.Month(2026, 3), now=at(30))
    assert buckets.cumulative()[stats.WITHIN_3_BUSINESS_DAYS] == 1
    if closing_event == "callback_satisfied":
        assert summary.headline.median_days_to_confirmation == 1.0
        with db.transaction() as uow:
            complaints.reopen(uow, ref, "The refund bounced", now=at(10))
        reopened = stored_detail(db, ref)
        assert (reopened.status, reopened.paused_for) == (Status.DELEGATED, None)
        with db.reading() as uow:
            later = deadlines.final_responses(uow, [detail.id], today=date(2026, 5, 1))
        assert later[detail.id].paused_days == 7


def test_reopening_ends_a_pause_a_closing_in_an_older_version_left_running(
    sqlite_db: Database,
) -> None:
    db = sqlite_db
    staff = office(db)
    ref = log(db, when=at(0))
    delegate_and_report(db, ref, staff.ortiz, at(0), due_on=date(2026, 3, 13))
    _resolved(db, ref, at(1))
    with db.transaction() as uow:  # as a log written before closing ended the pause holds it
        uow.session.add(
            ClockPause(
                complaint_id=stored_detail(db, ref).id,
                reason="Waiting for the installer",
                paused_at=at(0.5),
                paused_by="assistant",
            )
        )
    with db.transaction() as uow:
        complaints.reopen(uow, ref, "The refund bounced", now=at(8))
    with db.reading() as uow:
        (ended,) = pauses.pauses_of(uow, ref)
    assert ended.resumed_at == at(1)  # when the complaint closed, not when it reopened
    detail = stored_detail(db, ref)
    assert detail.paused_for is None
    assert [e.action for e in detail.events[-2:]] == ["clock_resumed", "reopened"]


def test_a_callback_due_date_set_during_the_pause_moves_only_by_the_days_after_it(
    db: Database,
) -> None:
    staff = office(db)
    ref = log(db, when=at(0))  # Monday 9 March
    delegate(db, ref, staff.ortiz, at(0), due_on=date(2026, 3, 13))
    with db.transaction() as uow:
        pauses.pause(uow, ref, "Waiting for the customer's bank", now=at(1))  # Tuesday 10
    report(db, ref, at(3))  # Thursday 12: the callback is due Friday 13
    assert stored_detail(db, ref).callback_due_on == date(2026, 3, 13)
    with db.transaction() as uow:
        resumed = pauses.resume(uow, ref, now=at(8))  # Tuesday 17
    # Five business days paused in all; three of them (Friday, Monday, Tuesday) after the filing.
    assert resumed.paused_business_days == 5
    detail = stored_detail(db, ref)
    assert detail.callback_due_on == date(2026, 3, 18)
    assert detail.events[-1].description == (
        "Clock resumed after 5 business days paused; callback now due 2026-03-18"
    )


def test_a_report_due_date_set_during_the_pause_moves_only_by_the_days_after_it(
    sqlite_db: Database,
) -> None:
    db = sqlite_db
    staff = office(db)
    ref = log(db, when=at(0))  # Monday 9 March
    with db.transaction() as uow:
        pauses.pause(uow, ref, "Waiting for the customer's photos", now=at(0.1))
    delegate(db, ref, staff.ortiz, at(2), due_on=date(2026, 3, 13))  # Wednesday 11
    with db.transaction() as uow:
        resumed = pauses.resume(uow, ref, now=at(8))  # Tuesday 17
    assert resumed.paused_business_days == 6
    # Four paused business days after the hand-off: Thursday, Friday, Monday, Tuesday.
    detail = stored_detail(db, ref)
    assert detail.report_due_on == date(2026, 3, 19)
    assert detail.delegations[-1].report_due_on == date(2026, 3, 19)


def test_the_days_a_due_date_moves_by_start_when_it_was_set() -> None:
    monday, wednesday, friday = date(2026, 3, 9), date(2026, 3, 11), date(2026, 3, 13)
    settings = OfficeSettings()
    assert transitions.paused_days_after(monday, None, friday, settings) == 4
    assert transitions.paused_days_after(wednesday, monday, friday, settings) == 2
    assert transitions.paused_days_after(monday, wednesday, friday, settings) == 2
    first, then = at(0), at(1)
    assert transitions.due_dates_set_at(
        [("delegated", first), ("report_filed", then), ("callback_no_answer", at(2))]
    ) == (first, at(2))
    # A withdrawn outcome puts back the date the withdrawn call had replaced.
    assert transitions.due_dates_set_at(
        [
            ("delegated", first),
            ("report_filed", then),
            ("callback_no_answer", at(2)),
            ("outcome_withdrawn", at(2.01)),
        ]
    ) == (first, then)


def test_withdrawing_the_outcome_that_closed_a_paused_complaint_puts_the_pause_back(
    sqlite_db: Database,
) -> None:
    db = sqlite_db
    staff = office(db)
    ref = log(db, when=at(0))  # Monday 9 March
    delegate_and_report(db, ref, staff.ortiz, at(0), due_on=date(2026, 3, 13))  # callback Tue 10
    _paused_on_tuesday(db, ref)
    _resolved(db, ref, at(8))  # Tuesday 17, by mistake
    with db.transaction() as uow:
        complaints.withdraw_outcome(uow, ref, now=at(8) + timedelta(minutes=2))
    detail = stored_detail(db, ref)
    assert (detail.status, detail.paused_for) == (
        Status.AWAITING_CALLBACK,
        "Waiting for the customer's photos",
    )
    assert [e.description for e in detail.events[-2:]][1] == (
        "Clock paused again, as before the withdrawn outcome: Waiting for the customer's photos"
    )
    with db.transaction() as uow:
        resumed = pauses.resume(uow, ref, now=at(9))  # Wednesday 18: six business days paused
    assert resumed.paused_business_days == 6
    assert stored_detail(db, ref).callback_due_on == date(2026, 3, 18)


def test_a_pause_an_older_version_left_running_on_a_closed_complaint_reads_as_ended(
    sqlite_db: Database,
) -> None:
    db = sqlite_db
    staff = office(db)
    ref = log(db, when=at(0))  # Monday 9 March
    delegate_and_report(db, ref, staff.ortiz, at(0), due_on=date(2026, 3, 13))
    _resolved(db, ref, at(8))  # Tuesday 17 March
    cid = stored_detail(db, ref).id
    with db.transaction() as uow:  # as a log written before closing ended the pause holds it
        uow.session.add(
            ClockPause(
                complaint_id=cid,
                reason="Waiting for the installer",
                paused_at=at(1),
                paused_by="p.jones",
            )
        )
    assert stored_detail(db, ref).paused_for is None
    with db.reading() as uow:
        spans = deadlines.pause_spans(uow, [cid], today=date(2026, 4, 30))
        final = deadlines.final_responses(uow, [cid], today=date(2026, 4, 30))[cid]
    assert spans[cid] == [(date(2026, 3, 10), date(2026, 3, 17))]  # to the closing, not today
    assert (final.paused, final.paused_days) == (False, 7)


def _missing_in_march(db: Database) -> int:
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, policy.Month(2026, 3), now=at(40))
    service = next(u for u in summary.units if u.name == "Customer Service")
    return service.reports_missing


def test_a_pause_running_at_month_end_counts_though_ended_since(sqlite_db: Database) -> None:
    db = sqlite_db
    staff = office(db)
    ref = log(db, when=at(0))  # Monday 9 March
    delegate(db, ref, staff.ortiz, at(0), due_on=date(2026, 3, 11))
    _paused_on_tuesday(db, ref)
    assert _missing_in_march(db) == 0  # still paused
    _withdrawn(db, ref, at(25))  # Friday 3 April: the closing ends the pause, moving nothing
    assert _missing_in_march(db) == 0


def test_a_pause_resumed_after_month_end_counts_unless_its_resume_moved_the_date(
    sqlite_db: Database,
) -> None:
    db = sqlite_db
    staff = office(db)
    moved, handed_on = log(db, when=at(0)), log(db, "Bo Lund", "Parcel lost", when=at(0))
    for ref in (moved, handed_on):
        delegate(db, ref, staff.ortiz, at(0), due_on=date(2026, 3, 11))
        _paused_on_tuesday(db, ref)
    # Bo Lund's complaint goes to Sam Baker on Thursday 2 April: the resume moves his date,
    # and Jamie's March delegation still waits on a clock that stood still at month end.
    delegate(db, handed_on, staff.baker, at(24), due_on=date(2026, 4, 10))
    with db.transaction() as uow:
        for ref in (moved, handed_on):
            pauses.resume(uow, ref, now=at(29))  # Tuesday 7 April
    assert stored_detail(db, moved).delegations[-1].report_due_on == date(2026, 4, 8)
    assert _missing_in_march(db) == 0
