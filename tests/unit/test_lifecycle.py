import pytest

from ceo_desk.core import lifecycle
from ceo_desk.core.lifecycle import Action
from ceo_desk.enums import Status
from ceo_desk.errors import LifecycleError


def test_only_awaiting_callback_can_take_a_callback() -> None:
    for status in Status:
        allowed = Action.RECORD_CALLBACK in lifecycle.allowed_actions(status)
        assert allowed is (status is Status.AWAITING_CALLBACK)


def test_closed_complaints_allow_nothing_but_reopening_a_resolved_one() -> None:
    for status in (Status.UNREACHABLE, Status.WITHDRAWN):
        assert lifecycle.allowed_actions(status) == []
    assert lifecycle.allowed_actions(Status.RESOLVED) == [Action.REOPEN]
    with pytest.raises(LifecycleError, match="Only a resolved complaint can be reopened"):
        lifecycle.require("C-2026-0001", Status.WITHDRAWN, Action.REOPEN)


def test_refusal_says_why_and_what_is_needed() -> None:
    with pytest.raises(LifecycleError, match="delegate it first"):
        lifecycle.require("C-2026-0001", Status.NEW, Action.FILE_REPORT)
    with pytest.raises(LifecycleError, match="already closed"):
        lifecycle.require("C-2026-0001", Status.RESOLVED, Action.DELEGATE)
