"""What each lifecycle action does, over plain values: one home for the loop's rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core import transitions
from ceo_desk.core.transitions import LoopState
from ceo_desk.enums import Outcome, Status
from ceo_desk.errors import ValidationError
from ceo_desk.settings import OfficeSettings

SETTINGS = OfficeSettings()
FRIDAY = date(2026, 3, 13)
MONDAY = date(2026, 3, 16)
NOON = datetime(2026, 3, 13, 12, 0, tzinfo=UTC)


def _awaiting(attempts: int = 0) -> LoopState:
    return LoopState(
        status=Status.AWAITING_CALLBACK,
        current_delegate_id=7,
        callback_due_on=FRIDAY,
        unanswered_attempts=attempts,
    )


def test_a_first_hand_off_is_a_delegation_and_a_second_a_re_delegation() -> None:
    first = transitions.delegated(LoopState(), 7, "Jo Ortiz", FRIDAY)
    assert (first.action, first.description) == (
        "delegated",
        "Delegated to Jo Ortiz, report due 2026-03-13",
    )
    assert first.state.status is Status.DELEGATED and first.state.report_due_on == FRIDAY
    again = transitions.delegated(first.state, 8, "Wei Chen", MONDAY)
    assert again.action == "redelegated" and again.description.startswith("Re-delegated to Wei")
    assert again.state.current_delegate_id == 8


def test_an_unanswered_call_is_counted_and_tried_again_the_next_business_day() -> None:
    next_on = transitions.next_attempt_due(FRIDAY, SETTINGS)
    assert next_on == MONDAY, "the weekend is skipped"
    step = transitions.callback_unanswered(_awaiting(1), Outcome.VOICEMAIL, next_on)
    assert step.state.unanswered_attempts == 2
    assert step.state.callback_due_on == MONDAY
    assert step.action == "callback_voicemail"
    assert step.description == "Callback: voicemail (attempt 2); next attempt 2026-03-16"


def test_unreachable_only_after_the_office_number_of_unanswered_calls() -> None:
    needed = SETTINGS.unreachable_after_attempts
    assert not transitions.can_mark_unreachable(needed - 1, SETTINGS)
    with pytest.raises(ValidationError, match=f"after {needed} unanswered calls"):
        transitions.marked_unreachable(_awaiting(needed - 1), NOON, SETTINGS, reference="C-1")
    step = transitions.marked_unreachable(_awaiting(needed), NOON, SETTINGS)
    assert step.description == f"Marked unreachable after {needed} unanswered attempts"
    assert step.state.status is Status.UNREACHABLE and step.state.closed_at == NOON


def test_not_satisfied_reopens_and_says_to_whom() -> None:
    step = transitions.callback_not_satisfied(_awaiting(2), 8, "Wei Chen", MONDAY)
    assert step.description == "Callback: not satisfied; reopened and delegated to Wei Chen"
    assert step.state.status is Status.DELEGATED
    assert step.state.reopen_count == 1 and step.state.callback_due_on is None


def test_an_imported_closed_complaint_keeps_its_closing_time() -> None:
    step = transitions.imported(
        "OLD-1",
        Status.RESOLVED,
        closed_at=NOON,
        delegate_id=None,
        report_due_on=None,
        source="old.csv",
        line=4,
    )
    assert step.state.status is Status.RESOLVED and step.state.closed_at == NOON
    assert step.description == (
        "Imported OLD-1 (closed before CEO Desk as resolved) from old.csv line 4"
    )


def test_the_past_callback_due_date_follows_the_same_rules() -> None:
    after_report = transitions.open_state_from_history(
        delegated=True,
        report_answers_latest_delegation=True,
        report_due_on=FRIDAY,
        reported_on=FRIDAY,
        last_unanswered_attempt_on=None,
        settings=SETTINGS,
    )
    assert after_report.status is Status.AWAITING_CALLBACK
    assert after_report.due_on == transitions.callback_due(FRIDAY, SETTINGS)
    after_attempt = transitions.open_state_from_history(
        delegated=True,
        report_answers_latest_delegation=True,
        report_due_on=FRIDAY,
        reported_on=FRIDAY,
        last_unanswered_attempt_on=FRIDAY,
        settings=SETTINGS,
    )
    assert after_attempt.due_on == MONDAY
    sent_back = transitions.open_state_from_history(
        delegated=True,
        report_answers_latest_delegation=False,
        report_due_on=MONDAY,
        reported_on=FRIDAY,
        last_unanswered_attempt_on=None,
        settings=SETTINGS,
    )
    assert (sent_back.status, sent_back.due_on, sent_back.due_for) == (
        Status.DELEGATED,
        MONDAY,
        "report",
    )


_state_steps = st.lists(
    st.sampled_from(["delegate", "report", "no_answer", "not_satisfied", "send_back"]),
    max_size=25,
)


@given(_state_steps)
def test_open_steps_keep_the_dates_consistent_with_the_status(steps: list[str]) -> None:
    """Whatever the order: a delegated complaint has a report date and no callback date, one
    awaiting the callback the reverse, and an open one is never marked closed."""
    state = LoopState()
    for name in steps:
        if name == "delegate" and state.status in (Status.NEW, Status.DELEGATED):
            state = transitions.delegated(state, 1, "Jo", FRIDAY).state
        elif name == "report" and state.status is Status.DELEGATED:
            state = transitions.report_filed(state, FRIDAY).state
        elif name == "no_answer" and state.status is Status.AWAITING_CALLBACK:
            state = transitions.callback_unanswered(state, Outcome.NO_ANSWER, MONDAY).state
        elif name == "not_satisfied" and state.status is Status.AWAITING_CALLBACK:
            state = transitions.callback_not_satisfied(state, 2, "Wei", MONDAY).state
        elif name == "send_back" and state.status is Status.AWAITING_CALLBACK:
            state = transitions.sent_back(state, 1, "Jo", MONDAY).state
        assert state.closed_at is None
        if state.status is Status.DELEGATED:
            assert state.report_due_on is not None and state.callback_due_on is None
        if state.status is Status.AWAITING_CALLBACK:
            assert state.report_due_on is None and state.callback_due_on is not None
    closed = transitions.withdrawn(state, NOON).state
    assert closed.report_due_on is None and closed.callback_due_on is None
    assert closed.columns()["status"] is Status.WITHDRAWN


def test_reading_a_trail_back_agrees_with_what_each_step_records() -> None:
    delegated = LoopState(status=Status.DELEGATED, current_delegate_id=7, report_due_on=FRIDAY)
    steps = [
        transitions.logged("C-2026-0001"),
        transitions.delegated(LoopState(), 7, "Wei Chen", FRIDAY),
        transitions.delegated(delegated, 8, "Ana Lima", FRIDAY),
        transitions.report_filed(delegated, MONDAY),
        transitions.sent_back(_awaiting(), 7, "Wei Chen", MONDAY),
        transitions.callback_satisfied(_awaiting(), NOON),
        transitions.callback_not_satisfied(_awaiting(), 7, "Wei Chen", MONDAY),
        transitions.marked_unreachable(
            _awaiting(SETTINGS.unreachable_after_attempts), NOON, SETTINGS
        ),
        transitions.withdrawn(delegated, NOON),
    ]
    for step in steps:
        assert transitions.STATUS_AFTER_EVENT[step.action] is step.state.status, step.action
        reopened = step.state.reopen_count > 0
        assert (step.action in transitions.REOPENING_EVENTS) is reopened, step.action
    for outcome in (Outcome.NO_ANSWER, Outcome.VOICEMAIL):
        step = transitions.callback_unanswered(_awaiting(), outcome, MONDAY)
        assert step.action in transitions.UNANSWERED_EVENTS
        assert step.action not in transitions.STATUS_AFTER_EVENT, "the status stays as it was"
