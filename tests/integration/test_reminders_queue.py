"""Reminders queued through the outbox: once each, on the timeline as CEO Desk's own, the
escalation to the unit's head; the dry run changes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from ceo_desk.core import queries
from ceo_desk.core.services import directory
from ceo_desk.core.services import office as office_settings
from ceo_desk.core.services import reminders as reminder_service
from ceo_desk.enums import MessageKind, Role, Severity
from ceo_desk.errors import PermissionDenied
from ceo_desk.store.db import Database
from ceo_desk.store.models import Event, OutboxMessage
from tests.builders import MONDAY, Office, delegate, log, office, person, report

# Delegated on Monday 9 March at 10:00, a normal complaint's report is due Monday 16 March.
FRIDAY = MONDAY + timedelta(days=4)
TUESDAY_AFTER = MONDAY + timedelta(days=8)
THURSDAY_AFTER = MONDAY + timedelta(days=10)


@pytest.fixture
def staffed(sqlite_db: Database) -> Office:
    """Jamie Ortiz of Customer Service holds the complaint; Wei Chen heads Customer Service."""
    return _staff(sqlite_db)


def _staff(db: Database) -> Office:
    people = office(db)
    with db.transaction() as uow:
        unit = directory.find_unit(uow, "Customer Service")
        directory.set_unit_head(uow, unit.id, people.chen)
    return people


def _delegated(people: Office) -> str:
    ref = log(people.db, when=MONDAY - timedelta(hours=1), severity=Severity.NORMAL)
    delegate(people.db, ref, people.ortiz, MONDAY)
    return ref


def _queue(db: Database, now: datetime) -> list[reminder_service.Planned]:
    with db.transaction() as uow:
        return reminder_service.queue_due(uow, now=now)


def _outbox(db: Database) -> list[tuple[MessageKind, str, str, str | None]]:
    with db.reading() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.is_not(None))
            .order_by(OutboxMessage.id)
        )
        return [(r.kind, r.recipients, r.cc, r.dedupe_key) for r in rows]


def _events(db: Database) -> int:
    with db.reading() as uow:
        return uow.session.scalar(select(func.count()).select_from(Event)) or 0


def test_each_reminder_is_queued_once_however_often_the_run_comes(db: Database) -> None:
    """On both backends: the outbox's unique dedupe key is the database's own."""
    staffed = _staff(db)
    ref = _delegated(staffed)
    assert [p.reminder.kind for p in _queue(db, FRIDAY)] == [MessageKind.REPORT_DUE_TOMORROW]
    assert _queue(db, FRIDAY + timedelta(hours=2)) == [], "the same day again: nothing new"
    overdue = _queue(db, TUESDAY_AFTER)
    assert [(p.reminder.reference, p.reminder.kind) for p in overdue] == [
        (ref, MessageKind.REPORT_OVERDUE)
    ]
    assert _queue(db, TUESDAY_AFTER + timedelta(hours=5)) == []
    assert _outbox(db) == [
        (MessageKind.REPORT_DUE_TOMORROW, "j.ortiz@example.com", "", "due-tomorrow:1"),
        (MessageKind.REPORT_OVERDUE, "j.ortiz@example.com", "", "overdue:1:2026-03-17"),
    ]


def test_each_queued_reminder_is_on_the_timeline_as_ceo_desks_own(staffed: Office) -> None:
    db = staffed.db
    ref = _delegated(staffed)
    _queue(db, TUESDAY_AFTER)
    with db.reading() as uow:
        (event,) = uow.session.scalars(select(Event).where(Event.action == "reminder_queued"))
        assert event.role == Role.SYSTEM.value
        assert event.description == (
            "Reminder (report overdue) queued for Jamie Ortiz <j.ortiz@example.com>"
        )
        timeline = queries.complaint_detail(uow, ref).events
    assert any("Reminder (report overdue) queued" in e.description for e in timeline)


def test_the_head_is_told_after_the_escalation_days_with_the_delegate_in_copy(
    staffed: Office,
) -> None:
    db = staffed.db
    _delegated(staffed)
    queued = _queue(db, THURSDAY_AFTER)
    escalation = next(p for p in queued if p.reminder.kind is MessageKind.ESCALATION)
    assert escalation.to == ("wei.chen@example.com",)
    assert escalation.cc == ("j.ortiz@example.com",)
    assert "Hello Wei Chen" in escalation.body
    assert "delegated to Jamie Ortiz of Customer Service" in escalation.body
    next_day = [p.reminder.kind for p in _queue(db, THURSDAY_AFTER + timedelta(days=1))]
    assert next_day == [MessageKind.REPORT_OVERDUE], "escalated once"
    kinds = [kind for kind, *_ in _outbox(db)]
    assert kinds.count(MessageKind.ESCALATION) == 1


def test_the_escalation_counts_business_days_as_its_threshold_does(staffed: Office) -> None:
    """Due Monday 16 March, escalated after 5 business days: on Monday 23 March, 7 calendar days
    on; the email says the 5 its threshold counted."""
    db = staffed.db
    with db.transaction() as uow:
        settings = office_settings.load_settings(uow)
        office_settings.save_settings(uow, replace(settings, escalate_after_days=5))
    _delegated(staffed)
    assert MessageKind.ESCALATION not in [
        p.reminder.kind for p in _queue(db, MONDAY + timedelta(days=13))
    ], "the Friday before: 4 business days overdue"
    queued = _queue(db, MONDAY + timedelta(days=14))
    escalation = next(p for p in queued if p.reminder.kind is MessageKind.ESCALATION)
    assert escalation.subject.endswith("is 5 business days overdue")
    assert "(7 days ago): 5 business days overdue." in escalation.body
    assert "7 business days" not in escalation.body


def test_one_business_day_overdue_is_said_in_the_singular(staffed: Office) -> None:
    db = staffed.db
    with db.transaction() as uow:
        settings = office_settings.load_settings(uow)
        office_settings.save_settings(uow, replace(settings, escalate_after_days=1))
    _delegated(staffed)
    queued = _queue(db, MONDAY + timedelta(days=8))  # Tuesday 17 March, due the day before
    escalation = next(p for p in queued if p.reminder.kind is MessageKind.ESCALATION)
    assert escalation.subject.endswith("is 1 business day overdue")
    assert "(1 day ago): 1 business day overdue." in escalation.body


def test_a_unit_without_a_head_is_not_escalated(sqlite_db: Database) -> None:
    db = sqlite_db
    people = office(db)
    _delegated(people)
    kinds = [p.reminder.kind for p in _queue(db, THURSDAY_AFTER)]
    assert kinds == [MessageKind.REPORT_OVERDUE]


def test_a_deactivated_head_is_not_escalated_to(staffed: Office) -> None:
    db = staffed.db
    _delegated(staffed)
    with db.transaction() as uow:
        directory.set_staff_active(uow, staffed.chen, False)
    kinds = [p.reminder.kind for p in _queue(db, THURSDAY_AFTER)]
    assert kinds == [MessageKind.REPORT_OVERDUE]


def test_a_filed_report_ends_the_reminders(staffed: Office) -> None:
    db = staffed.db
    ref = _delegated(staffed)
    report(db, ref, MONDAY + timedelta(days=2))
    assert _queue(db, TUESDAY_AFTER) == []


def test_the_dry_run_lists_what_is_due_and_changes_nothing(staffed: Office) -> None:
    db = staffed.db
    ref = _delegated(staffed)
    before = (_outbox(db), _events(db))
    with db.reading() as uow:
        planned = reminder_service.plan(uow, now=THURSDAY_AFTER)
    assert [(p.reminder.reference, p.reminder.kind) for p in planned] == [
        (ref, MessageKind.REPORT_OVERDUE),
        (ref, MessageKind.ESCALATION),
    ]
    assert (_outbox(db), _events(db)) == before
    # What the dry run listed is what a run then queues.
    assert [p.reminder.dedupe_key for p in _queue(db, THURSDAY_AFTER)] == [
        p.reminder.dedupe_key for p in planned
    ]


def test_a_delegate_does_not_run_the_reminders(staffed: Office) -> None:
    _delegated(staffed)
    delegate_db = person(staffed.db, "jamie", Role.DELEGATE, staff=staffed.ortiz)
    with pytest.raises(PermissionDenied), delegate_db.transaction() as uow:
        reminder_service.queue_due(uow, now=THURSDAY_AFTER)
    assert [k for k, *_ in _outbox(staffed.db)] == []


def test_the_final_response_deadline_near_is_said_once(staffed: Office) -> None:
    # Received six weeks and three days before the hand-off: the early warning (6 weeks) is on.
    ref = log(staffed.db, when=MONDAY - timedelta(days=45), severity=Severity.NORMAL)
    delegate(staffed.db, ref, staffed.ortiz, MONDAY)
    with staffed.db.reading() as uow:
        planned = reminder_service.plan(uow, now=FRIDAY)
    [near] = [p for p in planned if p.reminder.kind is MessageKind.FINAL_DEADLINE_NEAR]
    assert near.reminder.reference == ref
    assert "The final response to" in near.body and "is due on" in near.body
    assert MessageKind.FINAL_DEADLINE_NEAR in [p.reminder.kind for p in _queue(staffed.db, FRIDAY)]
    later = [p.reminder.kind for p in _queue(staffed.db, FRIDAY + timedelta(days=3))]
    assert MessageKind.FINAL_DEADLINE_NEAR not in later


def test_nobody_is_reminded_while_the_clock_is_paused(staffed: Office) -> None:
    from ceo_desk.core.services import pauses

    ref = _delegated(staffed)
    with staffed.db.transaction() as uow:
        pauses.pause(uow, ref, "Waiting for the bank's statement", now=FRIDAY)
    assert _queue(staffed.db, FRIDAY + timedelta(hours=1)) == []
    assert _queue(staffed.db, THURSDAY_AFTER) == []
