"""Which reminder is due on which day: business days, catching up, escalation to the head."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core.reminders import DeadlineWatch, Handoff, due_reminders, for_handoff
from ceo_desk.enums import MessageKind
from ceo_desk.settings import OfficeSettings

SETTINGS = OfficeSettings(holidays=(date(2026, 3, 20),), escalate_after_days=3)
# Wednesday 11 March 2026 delegated, report due Monday 16 March (the weekend in between).
HANDOFF = Handoff(
    delegation_id=7,
    complaint_id=3,
    reference="C-2026-0003",
    delegated_on=date(2026, 3, 11),
    report_due_on=date(2026, 3, 16),
    delegate_staff_id=1,
    head_staff_id=2,
)


def _kinds(day: date, handoff: Handoff = HANDOFF) -> list[tuple[MessageKind, str]]:
    return [(r.kind, r.dedupe_key) for r in for_handoff(handoff, day, SETTINGS)]


def test_due_tomorrow_goes_on_the_last_business_day_before_the_due_day() -> None:
    assert _kinds(date(2026, 3, 12)) == []  # Thursday: due in two business days
    assert _kinds(date(2026, 3, 13)) == [(MessageKind.REPORT_DUE_TOMORROW, "due-tomorrow:7")]
    assert _kinds(date(2026, 3, 14)) == [], "nothing on a Saturday"
    assert _kinds(date(2026, 3, 15)) == [], "nor on a Sunday"
    assert _kinds(date(2026, 3, 16)) == [], "on the due day itself, nothing yet"


def test_a_hand_off_due_the_next_day_gets_no_reminder_on_the_day_it_was_made() -> None:
    urgent = replace(HANDOFF, delegated_on=date(2026, 3, 13))
    assert _kinds(date(2026, 3, 13), urgent) == []


def test_overdue_every_business_day_then_escalated_once_after_n_business_days() -> None:
    assert _kinds(date(2026, 3, 17)) == [(MessageKind.REPORT_OVERDUE, "overdue:7:2026-03-17")]
    assert _kinds(date(2026, 3, 18)) == [(MessageKind.REPORT_OVERDUE, "overdue:7:2026-03-18")]
    # Thursday 19 March is the third business day overdue: the head is told.
    assert _kinds(date(2026, 3, 19)) == [
        (MessageKind.REPORT_OVERDUE, "overdue:7:2026-03-19"),
        (MessageKind.ESCALATION, "escalation:7"),
    ]
    assert _kinds(date(2026, 3, 20)) == [], "a holiday: nothing"
    later = _kinds(date(2026, 3, 23))
    assert later[0] == (MessageKind.REPORT_OVERDUE, "overdue:7:2026-03-23")
    # The escalation's key is the same every day, so the outbox queues it once.
    assert later[1] == (MessageKind.ESCALATION, "escalation:7")


def test_the_escalation_goes_to_the_head_and_not_without_one() -> None:
    (_, escalation) = for_handoff(HANDOFF, date(2026, 3, 19), SETTINGS)
    assert escalation.to_head
    headless = replace(HANDOFF, head_staff_id=None)
    assert [k for k, _ in _kinds(date(2026, 3, 19), headless)] == [MessageKind.REPORT_OVERDUE]
    own_head = replace(HANDOFF, head_staff_id=HANDOFF.delegate_staff_id)
    assert [k for k, _ in _kinds(date(2026, 3, 19), own_head)] == [MessageKind.REPORT_OVERDUE]


def test_the_escalation_days_are_a_setting() -> None:
    patient = replace(SETTINGS, escalate_after_days=5)
    day = date(2026, 3, 19)
    assert [r.kind for r in for_handoff(HANDOFF, day, patient)] == [MessageKind.REPORT_OVERDUE]
    eager = replace(SETTINGS, escalate_after_days=1)
    assert MessageKind.ESCALATION in [
        r.kind for r in for_handoff(HANDOFF, date(2026, 3, 17), eager)
    ]


def test_a_computer_off_for_days_catches_up_with_today_only() -> None:
    """Off from Friday to the Wednesday after: one overdue reminder, today's, not one per day
    missed, and the due-tomorrow reminder that was missed is not sent late."""
    kinds = _kinds(date(2026, 3, 18))
    assert kinds == [(MessageKind.REPORT_OVERDUE, "overdue:7:2026-03-18")]


def test_final_deadline_near_once_per_complaint_while_its_warning_lasts() -> None:
    watches = [
        DeadlineWatch(5, "C-2026-0005", "warning"),
        DeadlineWatch(6, "C-2026-0006", "ok"),
        DeadlineWatch(8, "C-2026-0008", "overdue"),
    ]
    found = due_reminders([], date(2026, 3, 17), SETTINGS, deadlines=watches)
    assert [(r.kind, r.dedupe_key) for r in found] == [
        (MessageKind.FINAL_DEADLINE_NEAR, "deadline-near:5")
    ]
    assert due_reminders([], date(2026, 3, 14), SETTINGS, deadlines=watches) == []


@given(
    due_offset=st.integers(min_value=0, max_value=30),
    days=st.integers(min_value=-5, max_value=40),
)
def test_every_reminder_falls_on_a_business_day_and_keys_name_it(
    due_offset: int, days: int
) -> None:
    start = date(2026, 3, 2)
    handoff = replace(HANDOFF, delegated_on=start, report_due_on=start + timedelta(due_offset))
    today = start + timedelta(days)
    for reminder in for_handoff(handoff, today, SETTINGS):
        assert today.weekday() < 5 and today not in SETTINGS.holidays
        if reminder.kind is MessageKind.REPORT_OVERDUE:
            assert today > handoff.report_due_on
            assert reminder.dedupe_key.endswith(today.isoformat())
        if reminder.kind is MessageKind.REPORT_DUE_TOMORROW:
            assert today < handoff.report_due_on
