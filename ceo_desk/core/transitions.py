"""What each lifecycle action does to a complaint: the one home of the loop's rules.

`lifecycle` says which actions a status allows; this module says what an allowed action does:
the new status, the due dates it sets or clears, the counters it changes, and the kind and
wording of its event. The functions are pure, over plain values, so the services (which copy a
step onto the ORM row), the importer, the demo generator (which builds dicts for bulk insert)
and the reconstruction of past months (which replays the rules over history) all use them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple

from ceo_desk.core import policy
from ceo_desk.enums import Outcome, Severity, Status
from ceo_desk.errors import ValidationError
from ceo_desk.settings import OfficeSettings

# An unanswered confirmation call is tried again this many business days later.
RETRY_AFTER_BUSINESS_DAYS = 1

# How business days are counted: `policy.add_business_days`, or a cached equivalent.
AddBusinessDays = Callable[[date, int, OfficeSettings], date]


class LoopState(NamedTuple):
    """The complaint's place in the loop: the columns the lifecycle owns.

    A named tuple, built field by field below: the demo generator takes several steps for each
    of 100,000 complaints, and this keeps them a small share of its time."""

    status: Status = Status.NEW
    current_delegate_id: int | None = None
    report_due_on: date | None = None
    callback_due_on: date | None = None
    unanswered_attempts: int = 0
    reopen_count: int = 0
    closed_at: datetime | None = None
    callback_due_time: time | None = None  # a callback due at a local time of its day

    @classmethod
    def of(cls, row: Any) -> LoopState:
        """The state held by a row (an ORM complaint, or anything with the same attributes)."""
        return cls(*(getattr(row, name) for name in LOOP_COLUMNS))

    def columns(self) -> dict[str, Any]:
        """The state as column values, for a bulk insert or for copying onto a row."""
        return dict(zip(LOOP_COLUMNS, self, strict=True))

    def apply_to(self, row: Any) -> None:
        """Copy the state onto a row, setting only the columns that changed."""
        for name, value in self.columns().items():
            if getattr(row, name) != value:
                setattr(row, name, value)


LOOP_COLUMNS = LoopState._fields


class Step(NamedTuple):
    """One action's effect: the state after it and the event that records it."""

    state: LoopState
    action: str  # the event's kind, as stored in event.action
    description: str  # the event's wording, frozen by the hash chain


# ---------------------------------------------------------------- due dates


def report_due(
    delegated_on: date,
    severity: Severity,
    settings: OfficeSettings,
    *,
    add: AddBusinessDays = policy.add_business_days,
) -> date:
    """When the delegate's report is due, unless the person delegating chose a date."""
    return add(delegated_on, settings.report_due_days[severity], settings)


def callback_due(
    reported_on: date, settings: OfficeSettings, *, add: AddBusinessDays = policy.add_business_days
) -> date:
    """When the CEO's confirmation call is due after the report was filed."""
    return add(reported_on, settings.callback_due_days, settings)


def next_attempt_due(
    attempted_on: date,
    settings: OfficeSettings,
    *,
    add: AddBusinessDays = policy.add_business_days,
) -> date:
    """When an unanswered confirmation call is tried again: the next business day."""
    return add(attempted_on, RETRY_AFTER_BUSINESS_DAYS, settings)


# ---------------------------------------------------------------- giving up on a customer


def can_mark_unreachable(unanswered_attempts: int, settings: OfficeSettings) -> bool:
    """A customer may be called unreachable only after the office's number of unanswered calls."""
    return unanswered_attempts >= settings.unreachable_after_attempts


def unreachable_after(settings: OfficeSettings) -> str:
    """The rule in words, for a disabled button's tip: "after 3 unanswered calls"."""
    needed = settings.unreachable_after_attempts
    return f"after {needed} unanswered call{'' if needed == 1 else 's'}"


# ---------------------------------------------------------------- the actions


def _closed(state: LoopState, status: Status, moment: datetime) -> LoopState:
    return LoopState(
        status,
        state.current_delegate_id,
        None,
        None,
        state.unanswered_attempts,
        state.reopen_count,
        moment,
    )


def _handed_to(state: LoopState, staff_id: int, due_on: date, *, reopened: bool) -> LoopState:
    return LoopState(
        Status.DELEGATED,
        staff_id,
        due_on,
        None,
        state.unanswered_attempts,
        state.reopen_count + 1 if reopened else state.reopen_count,
        None,
    )


def logged(reference: str) -> Step:
    return Step(LoopState(), "logged", f"Logged {reference}")


def delegated(state: LoopState, staff_id: int, staff_name: str, due_on: date) -> Step:
    """Hand the complaint to a staff member; a second hand-off is a re-delegation."""
    again = state.status is Status.DELEGATED
    return Step(
        _handed_to(state, staff_id, due_on, reopened=False),
        "redelegated" if again else "delegated",
        f"{'Re-delegated' if again else 'Delegated'} to {staff_name}, "
        f"report due {due_on.isoformat()}",
    )


def report_filed(
    state: LoopState,
    callback_due_on: date,
    flagged_terms: list[str] | tuple[str, ...] = (),
    *,
    provenance: str = "",
) -> Step:
    """The delegate's report is in: the CEO's confirmation call is due next. `provenance` says
    who filed it and how (`core.provenance.describe`)."""
    note = f"; flagged: {', '.join(flagged_terms)}" if flagged_terms else ""
    how = f" ({provenance})" if provenance else ""
    return Step(
        LoopState(
            Status.AWAITING_CALLBACK,
            state.current_delegate_id,
            None,
            callback_due_on,
            0,
            state.reopen_count,
            None,
        ),
        "report_filed",
        f"Report filed{how}; CEO callback due {callback_due_on.isoformat()}{note}",
    )


def more_time_given(state: LoopState, staff_name: str, due_on: date) -> Step:
    """The delegate asked for more time and was given it: only the report due date moves."""
    return Step(
        state._replace(report_due_on=due_on),
        "more_time_accepted",
        f"More time given to {staff_name}: report now due {due_on.isoformat()}",
    )


def sent_back(state: LoopState, staff_id: int, staff_name: str, due_on: date) -> Step:
    """The CEO returns the report before calling: delegated again, counted as a reopening."""
    return Step(
        _handed_to(state, staff_id, due_on, reopened=True),
        "sent_back",
        f"Report sent back to {staff_name}",
    )


def callback_satisfied(state: LoopState, moment: datetime) -> Step:
    """Only the customer's own confirmation resolves a complaint."""
    return Step(
        _closed(state, Status.RESOLVED, moment),
        f"callback_{Outcome.SATISFIED.value}",
        "Callback: customer satisfied; resolved",
    )


REPORTED_SATISFIED = "ceo_reported_satisfied"
COUNTERSIGNED = "countersigned"


def satisfied_callback(state: LoopState, moment: datetime, *, by_the_ceo: bool) -> Step:
    """A satisfied callback resolves the complaint only when the CEO records it. The assistant
    may record "the CEO reports: satisfied" (the CEO rang from a mobile): nothing changes until
    the CEO countersigns it (`countersigned`)."""
    if by_the_ceo:
        return callback_satisfied(state, moment)
    return Step(
        state,
        REPORTED_SATISFIED,
        "Callback: the CEO reports the customer satisfied; awaiting the CEO's countersignature",
    )


def countersigned(state: LoopState, moment: datetime) -> Step:
    """The CEO countersigns the satisfied callback recorded on their word: resolved now."""
    return Step(
        _closed(state, Status.RESOLVED, moment),
        COUNTERSIGNED,
        "Countersigned by the CEO: customer satisfied; resolved",
    )


def callback_not_satisfied(state: LoopState, staff_id: int, staff_name: str, due_on: date) -> Step:
    """The customer says it is not resolved: reopened and delegated again."""
    return Step(
        _handed_to(state, staff_id, due_on, reopened=True),
        f"callback_{Outcome.NOT_SATISFIED.value}",
        f"Callback: not satisfied; reopened and delegated to {staff_name}",
    )


def callback_unanswered(
    state: LoopState, outcome: Outcome, next_attempt_on: date, at_time: time | None = None
) -> Step:
    """Nobody answered (or a voicemail was left): counted, and tried again, on a later day or
    at a time later the same day."""
    attempts = state.unanswered_attempts + 1
    when = next_attempt_on.isoformat() + (f" at {at_time:%H:%M}" if at_time else "")
    return Step(
        LoopState(
            state.status,
            state.current_delegate_id,
            state.report_due_on,
            next_attempt_on,
            attempts,
            state.reopen_count,
            state.closed_at,
            at_time,
        ),
        f"callback_{outcome.value}",
        f"Callback: {outcome.label.lower()} (attempt {attempts}); next attempt {when}",
    )


OUTCOME_WITHDRAWN = "outcome_withdrawn"
REOPENED = "reopened"


def outcome_withdrawn(
    state: LoopState,
    outcome: Outcome,
    *,
    customer_name: str,
    scheduled_for: date,
    report_delegate_id: int | None,
    scheduled_time: time | None = None,
) -> Step:
    """An outcome recorded by mistake is withdrawn: the complaint awaits the same callback again.

    Every outcome is recorded while the complaint awaits its callback, so the state before it is
    rebuilt from the one after: the callback due as it was scheduled, an unanswered call no longer
    counted, a not-satisfied reopening no longer counted (its hand-off is withdrawn with it)."""
    reopening = outcome is Outcome.NOT_SATISFIED
    return Step(
        LoopState(
            Status.AWAITING_CALLBACK,
            report_delegate_id if reopening else state.current_delegate_id,
            None,
            scheduled_for,
            state.unanswered_attempts - (1 if outcome.is_unanswered else 0),
            state.reopen_count - (1 if reopening else 0),
            None,
            scheduled_time,
        ),
        OUTCOME_WITHDRAWN,
        f"Outcome withdrawn: {outcome.label.lower()} — {customer_name}; awaiting callback "
        f"again, due {scheduled_for.isoformat()}"
        + (f" at {scheduled_time:%H:%M}" if scheduled_time else ""),
    )


def reopened(state: LoopState, staff_id: int, staff_name: str, due_on: date) -> Step:
    """A resolved complaint is reopened: delegated again to its last delegate, counted."""
    return Step(
        _handed_to(state, staff_id, due_on, reopened=True),
        REOPENED,
        f"Reopened and delegated to {staff_name}, report due {due_on.isoformat()}",
    )


def marked_unreachable(
    state: LoopState, moment: datetime, settings: OfficeSettings, *, reference: str = ""
) -> Step:
    """Close as unreachable; refused before the office's number of unanswered calls."""
    attempts = state.unanswered_attempts
    if not can_mark_unreachable(attempts, settings):
        raise ValidationError(
            f"{reference or 'This complaint'} has {attempts} unanswered callback attempt(s); it "
            f"can be marked unreachable {unreachable_after(settings)}. Try calling again.",
            field="outcome",
        )
    return Step(
        _closed(state, Status.UNREACHABLE, moment),
        "unreachable",
        f"Marked unreachable after {attempts} unanswered attempts",
    )


def withdrawn(state: LoopState, moment: datetime, duplicate_of: str | None = None) -> Step:
    """The customer withdrew it, or it duplicates another complaint."""
    what = f" as a duplicate of {duplicate_of}" if duplicate_of else ""
    return Step(_closed(state, Status.WITHDRAWN, moment), "withdrawn", f"Withdrawn{what}")


CLOCK_PAUSED = "clock_paused"
CLOCK_RESUMED = "clock_resumed"


def clock_paused(state: LoopState) -> Step:
    """The clock stops while the office waits for the customer or a third party; nothing moves
    until it is resumed. The reason is what a person typed: it goes with the event's values
    (which erasing a customer can redact), not in its wording."""
    return Step(state, CLOCK_PAUSED, "Clock paused")


def clock_resumed(
    state: LoopState,
    paused_business_days: int,
    settings: OfficeSettings,
    *,
    report_days: int | None = None,
    callback_days: int | None = None,
    add: AddBusinessDays = policy.add_business_days,
) -> Step:
    """The clock runs again: the report and callback due dates move on by the business days it
    stood still, so the wait is never counted against the delegate or the CEO. A due date set
    while the clock stood still moves only by the paused days after it was set: `report_days`
    and `callback_days` (`paused_days_after`), the whole pause when not given."""
    report_due = state.report_due_on
    callback_due = state.callback_due_on
    report_move = paused_business_days if report_days is None else report_days
    callback_move = paused_business_days if callback_days is None else callback_days
    if report_due is not None and report_move > 0:
        report_due = add(report_due, report_move, settings)
    if callback_due is not None and callback_move > 0:
        callback_due = add(callback_due, callback_move, settings)
    moved = []
    if report_due is not None and report_due != state.report_due_on:
        moved.append(f"report now due {report_due.isoformat()}")
    if callback_due is not None and callback_due != state.callback_due_on:
        moved.append(f"callback now due {callback_due.isoformat()}")
    return Step(
        state._replace(report_due_on=report_due, callback_due_on=callback_due),
        CLOCK_RESUMED,
        f"Clock resumed after {_business_days(paused_business_days)} paused"
        + (f"; {'; '.join(moved)}" if moved else ""),
    )


def clock_resumed_on_closing(state: LoopState, paused_business_days: int) -> Step:
    """A paused complaint closes: its clock stops for good, so the pause ends with it (a
    reopened complaint starts with its clock running). No due date is left to move."""
    return Step(
        state,
        CLOCK_RESUMED,
        f"Clock resumed as the complaint closed, after "
        f"{_business_days(paused_business_days)} paused",
    )


def clock_pause_restored(state: LoopState) -> Step:
    """The outcome that closed a paused complaint is withdrawn: the pause its closing ended runs
    on, as if the complaint had never closed."""
    return Step(state, CLOCK_PAUSED, "Clock paused again, as before the withdrawn outcome")


def paused_days_after(
    paused_on: date, set_on: date | None, today: date, settings: OfficeSettings
) -> int:
    """The paused business days by `today` that fell after a due date was set: from the day the
    clock stopped, or from the day the date was set if that came later (the day a pause begins,
    like the day a date is set, counts as worked)."""
    start = paused_on if set_on is None or set_on < paused_on else set_on
    return max(0, policy.business_days_between(start, today, settings))


def _business_days(count: int) -> str:
    return f"{count} business day{'' if count == 1 else 's'}"


# ---------------------------------------------------------------- reading a trail back

# What each kind of event recorded by the steps above says about its complaint, for checking the
# records against the trail: the status it leaves (kinds not listed leave the status as it was),
# and the kinds that reopen the complaint or count an unanswered call.
STATUS_AFTER_EVENT: dict[str, Status] = {
    "logged": Status.NEW,
    "delegated": Status.DELEGATED,
    "redelegated": Status.DELEGATED,
    "sent_back": Status.DELEGATED,
    f"callback_{Outcome.NOT_SATISFIED.value}": Status.DELEGATED,
    "report_filed": Status.AWAITING_CALLBACK,
    f"callback_{Outcome.SATISFIED.value}": Status.RESOLVED,
    COUNTERSIGNED: Status.RESOLVED,
    "unreachable": Status.UNREACHABLE,
    "withdrawn": Status.WITHDRAWN,
    OUTCOME_WITHDRAWN: Status.AWAITING_CALLBACK,
    REOPENED: Status.DELEGATED,
}
# The kinds that record a callback row, and its outcome: the CEO's countersignature records the
# satisfied callback the assistant reported (the report itself records none).
CALLBACK_OF_EVENT: dict[str, Outcome] = {f"callback_{o.value}": o for o in Outcome} | {
    COUNTERSIGNED: Outcome.SATISFIED
}
REOPENING_EVENTS = frozenset({"sent_back", f"callback_{Outcome.NOT_SATISFIED.value}", REOPENED})
# An OUTCOME_WITHDRAWN event takes back the callback event just before it: that callback is no
# longer counted, as an unanswered call or a reopening.
UNANSWERED_EVENTS = frozenset(f"callback_{o.value}" for o in Outcome if o.is_unanswered)
CALLBACK_EVENTS = frozenset(f"callback_{o.value}" for o in Outcome)
# The kinds whose step sets a new report due date, and a new callback due date.
SETS_REPORT_DUE = frozenset(
    {
        "delegated",
        "redelegated",
        "more_time_accepted",
        "imported",
        *REOPENING_EVENTS,
    }
)
SETS_CALLBACK_DUE = frozenset({"report_filed"}) | UNANSWERED_EVENTS


def due_dates_set_at(
    events: Iterable[tuple[str, datetime]],
) -> tuple[datetime | None, datetime | None]:
    """When the complaint's report due date and its callback due date were last set, read from
    its own events oldest first as (kind, at). An outcome withdrawn takes back the callback
    event before it, and puts back the date that callback had replaced."""
    kept: list[tuple[str, datetime]] = []
    for kind, at in events:
        if kind == OUTCOME_WITHDRAWN:
            for index in range(len(kept) - 1, -1, -1):
                if kept[index][0] in CALLBACK_EVENTS:
                    del kept[index]
                    break
        else:
            kept.append((kind, at))
    report_set = next((at for kind, at in reversed(kept) if kind in SETS_REPORT_DUE), None)
    callback_set = next((at for kind, at in reversed(kept) if kind in SETS_CALLBACK_DUE), None)
    return report_set, callback_set


def imported(
    reference: str,
    status: Status,
    *,
    closed_at: datetime | None,
    delegate_id: int | None,
    report_due_on: date | None,
    source: str,
    line: int,
) -> Step:
    """A complaint brought in from an earlier system, arriving in the status it had there."""
    state = LoopState(status=status)
    if status is Status.DELEGATED and delegate_id is not None and report_due_on is not None:
        state = _handed_to(state, delegate_id, report_due_on, reopened=False)
    elif not status.is_open:
        assert closed_at is not None, "a closed complaint is imported with its closing time"
        state = state._replace(closed_at=closed_at)
    return Step(
        state,
        "imported",
        f"Imported {reference} ({_imported_as(status)}) from {source} line {line}",
    )


def _imported_as(status: Status) -> str:
    """A closed status in the file is history: nobody here confirmed it with the customer."""
    if status in (Status.RESOLVED, Status.UNREACHABLE):
        return f"closed before CEO Desk as {status.label.lower()}"
    return status.label.lower()


# ---------------------------------------------------------------- replaying history


@dataclass(frozen=True)
class PastState:
    """An open complaint's status at an earlier moment, and what it was waiting for then."""

    status: Status
    due_on: date | None
    due_for: str  # "report", "callback" or ""


def open_state_from_history(
    *,
    delegated: bool,
    report_answers_latest_delegation: bool,
    report_due_on: date | None,
    reported_on: date | None,
    last_unanswered_attempt_on: date | None,
    settings: OfficeSettings,
    add: AddBusinessDays = policy.add_business_days,
) -> PastState:
    """The status an open complaint had, rebuilt from what had happened by then.

    A send-back or a not-satisfied callback starts a new delegation, so a report counts only
    when it answers the latest delegation; its callback was then due by the same rules the
    actions above apply.
    """
    if not delegated:
        return PastState(Status.NEW, None, "")
    if report_answers_latest_delegation:
        if last_unanswered_attempt_on is not None:
            due = next_attempt_due(last_unanswered_attempt_on, settings, add=add)
        else:
            assert reported_on is not None
            due = callback_due(reported_on, settings, add=add)
        return PastState(Status.AWAITING_CALLBACK, due, "callback")
    return PastState(Status.DELEGATED, report_due_on, "report")
