"""The statuses of a complaint and the only ways between them.

Which actions a status allows lives here; what an allowed action does (new status, dates,
counters, the event and its wording) lives beside it in `core.transitions`.
"""

from __future__ import annotations

from enum import StrEnum

from ceo_desk.enums import OPEN_STATUSES, Status
from ceo_desk.errors import LifecycleError


class Action(StrEnum):
    DELEGATE = "delegate"
    FILE_REPORT = "file_report"
    SEND_BACK = "send_back"
    RECORD_CALLBACK = "record_callback"
    COUNTERSIGN = "countersign"
    MARK_UNREACHABLE = "mark_unreachable"
    WITHDRAW = "withdraw"
    EDIT = "edit"
    REOPEN = "reopen"
    PAUSE_CLOCK = "pause_clock"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


ALLOWED: dict[Action, frozenset[Status]] = {
    Action.DELEGATE: frozenset({Status.NEW, Status.DELEGATED}),
    Action.FILE_REPORT: frozenset({Status.DELEGATED}),
    Action.SEND_BACK: frozenset({Status.AWAITING_CALLBACK}),
    Action.RECORD_CALLBACK: frozenset({Status.AWAITING_CALLBACK}),
    Action.COUNTERSIGN: frozenset({Status.AWAITING_CALLBACK}),
    Action.MARK_UNREACHABLE: frozenset({Status.AWAITING_CALLBACK}),
    Action.WITHDRAW: OPEN_STATUSES,
    Action.EDIT: OPEN_STATUSES,
    Action.REOPEN: frozenset({Status.RESOLVED}),
    Action.PAUSE_CLOCK: OPEN_STATUSES,
}

_WHY_NOT: dict[Action, str] = {
    Action.DELEGATE: "Only a new or delegated complaint can be delegated.",
    Action.FILE_REPORT: "A report can only be filed while the complaint is delegated; delegate it "
    "first.",
    Action.SEND_BACK: "Only a report awaiting the CEO's callback can be sent back.",
    Action.RECORD_CALLBACK: "A callback can only be recorded once the delegate's report has been "
    "filed.",
    Action.COUNTERSIGN: "Only a satisfied callback on a complaint still awaiting the CEO's "
    "callback can be countersigned.",
    Action.MARK_UNREACHABLE: "Only a complaint awaiting the CEO's callback can be marked "
    "unreachable.",
    Action.WITHDRAW: "Only an open complaint can be withdrawn.",
    Action.EDIT: "A closed complaint cannot be edited.",
    Action.REOPEN: "Only a resolved complaint can be reopened.",
    Action.PAUSE_CLOCK: "Only an open complaint's clock can be paused.",
}


def allowed_actions(status: Status) -> list[Action]:
    return [action for action, statuses in ALLOWED.items() if status in statuses]


def require(reference: str, status: Status, action: Action) -> None:
    """Refuse an action the status does not allow, saying why and what is needed."""
    if status in ALLOWED[action]:
        return
    if not status.is_open and action is not Action.REOPEN:
        raise LifecycleError(
            f"{reference} is already closed ({status.label.lower()}); it cannot be changed. "
            "If the customer calls again, log a new complaint: it will be linked to this one."
        )
    raise LifecycleError(f"{reference} is {status.label.lower()}. {_WHY_NOT[action]}")
