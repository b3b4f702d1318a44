"""Pausing the clock while waiting for the customer: audited, permission-checked, and left out of
the report due date and the final-response deadline."""

from __future__ import annotations

from datetime import date

import pytest

from ceo_desk.core import deadlines, policy, stats
from ceo_desk.core.services import complaints, pauses
from ceo_desk.enums import Role
from ceo_desk.errors import LifecycleError, PermissionDenied, ValidationError
from ceo_desk.store.db import Database
from tests.builders import at, delegate, log, office, person, report, stored_detail


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
    with db.transaction() as uow:
        pauses.pause(uow, ref, "Waiting for the customer's photos", now=at(1))
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
