"""A callback outcome recorded by mistake is withdrawn, never deleted; a resolved complaint is
reopened with a reason; an unanswered call is tried again later the same day."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from ceo_desk.core import stats
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.policy import Month
from ceo_desk.core.safety import check
from ceo_desk.core.services import complaints, office
from ceo_desk.enums import Outcome, Status
from ceo_desk.errors import LifecycleError, ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import Database
from ceo_desk.store.models import Callback, Event
from tests.builders import add_staff, awaiting_callback, callback, stored_detail


def _withdraw(db: Database, ref: str, **kwargs: object) -> complaints.WithdrawnOutcome:
    with db.transaction() as uow:
        return complaints.withdraw_outcome(uow, ref, **kwargs)  # type: ignore[arg-type]


def _settings(db: Database) -> OfficeSettings:
    with db.reading() as uow:
        return office.load_settings(uow)


def _this_month(db: Database) -> stats.MonthlySummary:
    with db.reading() as uow:
        return stats.monthly_summary(uow, Month.containing(SYSTEM_CLOCK.today()))


def test_a_withdrawn_satisfied_call_awaits_the_callback_again_and_is_not_counted(
    db: Database,
) -> None:
    staff = add_staff(db)
    ref = awaiting_callback(db, staff, "Farah Novák")
    due_before = stored_detail(db, ref).callback_due_on
    callback(db, ref, Outcome.SATISFIED, satisfaction=5)
    assert _this_month(db).headline.resolved == 1

    result = _withdraw(db, ref)

    assert (result.customer_name, result.outcome) == ("Farah Novák", Outcome.SATISFIED)
    detail = stored_detail(db, ref)
    assert detail.status is Status.AWAITING_CALLBACK
    assert detail.closed_at is None and detail.callback_due_on == due_before
    assert len(detail.callbacks) == 1, "the outcome is kept, not deleted"
    assert detail.callbacks[0].withdrawn_at is not None
    assert detail.events[-1].action == "outcome_withdrawn"
    assert "Farah Novák" in detail.events[-1].description
    summary = _this_month(db)
    assert summary.headline.resolved == 0
    assert summary.headline.median_days_to_confirmation is None
    report = check.run_check(db)
    assert report.ok, report.as_text()


def test_a_withdrawn_not_satisfied_call_gives_the_complaint_back_to_its_report(
    db: Database,
) -> None:
    first = add_staff(db, "Jo Ortiz")
    second = add_staff(db, "Wei Chen", "Sales")
    ref = awaiting_callback(db, first)
    callback(db, ref, Outcome.NOT_SATISFIED, reassign_to_staff_id=second)
    assert stored_detail(db, ref).reopen_count == 1

    _withdraw(db, ref)

    detail = stored_detail(db, ref)
    assert detail.status is Status.AWAITING_CALLBACK
    assert (detail.current_delegate_id, detail.reopen_count) == (first, 0)
    assert detail.report_due_on is None
    assert [d.withdrawn_at is not None for d in detail.delegations] == [False, True]
    assert _this_month(db).headline.reopened == 0
    report = check.run_check(db)
    assert report.ok, report.as_text()
    # The complaint goes on as if the mistaken call had never been recorded.
    callback(db, ref, Outcome.SATISFIED)
    assert stored_detail(db, ref).status is Status.RESOLVED
    assert check.run_check(db).ok


def test_a_withdrawn_unanswered_call_is_no_longer_counted(db: Database) -> None:
    ref = awaiting_callback(db, add_staff(db))
    callback(db, ref, Outcome.NO_ANSWER)
    callback(db, ref, Outcome.VOICEMAIL)
    _withdraw(db, ref)
    detail = stored_detail(db, ref)
    assert detail.unanswered_attempts == 1
    assert check.run_check(db).ok


def test_only_the_last_outcome_and_only_for_a_few_minutes(db: Database) -> None:
    ref = awaiting_callback(db, add_staff(db))
    callback(db, ref, Outcome.SATISFIED)
    late = SYSTEM_CLOCK.now() + timedelta(minutes=6)
    with pytest.raises(ValidationError, match=r"more than 5 minutes ago.*Reopen"):
        _withdraw(db, ref, now=late)
    _withdraw(db, ref)
    with pytest.raises(ValidationError, match="no callback outcome to take back"):
        _withdraw(db, ref)
    with db.reading() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Callback)) == 1
        kinds = list(uow.session.scalars(select(Event.action).order_by(Event.id)))
    assert kinds[-2:] == ["callback_satisfied", "outcome_withdrawn"]


def test_a_resolved_complaint_is_reopened_to_its_last_delegate(db: Database) -> None:
    staff = add_staff(db, "Jo Ortiz")
    ref = awaiting_callback(db, staff)
    callback(db, ref, Outcome.SATISFIED)
    with db.transaction() as uow, pytest.raises(ValidationError, match="Reason is required"):
        complaints.reopen(uow, ref, "  ")
    with db.transaction() as uow:
        result = complaints.reopen(uow, ref, "The refund never arrived")
    detail = stored_detail(db, ref)
    assert (result.staff_name, detail.status) == ("Jo Ortiz", Status.DELEGATED)
    assert detail.reopen_count == 1 and detail.closed_at is None
    assert detail.report_due_on == complaints.default_report_due(_settings(db), detail.severity)
    assert detail.delegations[-1].instructions == "Reopened: The refund never arrived"
    assert detail.events[-1].action == "reopened"
    assert check.run_check(db).ok
    with db.transaction() as uow, pytest.raises(LifecycleError, match="is delegated"):
        complaints.reopen(uow, ref, "again")


def test_an_unanswered_call_can_be_tried_again_later_today(db: Database) -> None:
    ref = awaiting_callback(db, add_staff(db))
    now = datetime.now().astimezone().replace(hour=10, minute=0)
    result = callback(db, ref, Outcome.NO_ANSWER, now, next_attempt_at=time(15, 30))
    detail = stored_detail(db, ref)
    assert result.next_callback_at == time(15, 30)
    assert detail.callback_due_on == SYSTEM_CLOCK.local_day(now)
    assert detail.callback_due_time == time(15, 30)
    assert detail.events[-1].description.endswith("at 15:30")
    with pytest.raises(ValidationError, match="already passed"):
        callback(db, ref, Outcome.NO_ANSWER, SYSTEM_CLOCK.now(), next_attempt_at=time(0, 0))


def test_withdrawing_the_attempt_made_at_a_later_time_puts_back_that_time(db: Database) -> None:
    ref = awaiting_callback(db, add_staff(db))
    morning = datetime.now().astimezone().replace(hour=10, minute=0, second=0, microsecond=0)
    callback(db, ref, Outcome.NO_ANSWER, morning, next_attempt_at=time(15, 30))
    afternoon = morning.replace(hour=15, minute=31)
    callback(db, ref, Outcome.NO_ANSWER, afternoon)  # by mistake: tried the wrong number
    assert stored_detail(db, ref).callback_due_time is None  # the next business day, no time

    _withdraw(db, ref, now=afternoon + timedelta(minutes=1))
    detail = stored_detail(db, ref)
    assert detail.callback_due_on == SYSTEM_CLOCK.local_day(morning)
    assert detail.callback_due_time == time(15, 30)
    assert detail.unanswered_attempts == 1
    assert detail.events[-1].description.endswith("at 15:30")
    assert check.run_check(db).ok
