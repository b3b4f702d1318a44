"""The final-response deadline: the day the customer must have the office's final response.

It falls a number of weeks after the complaint was received (`final_response_weeks`, a setting),
moved on by every calendar day the clock was paused (`core.services.pauses`); from
`final_response_warning_weeks` it is near. Every list, the call brief, the board pack and the
reminders read it from `final_responses`, so the rule lives here once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import and_, func, or_, select

from ceo_desk.core import policy
from ceo_desk.core.clock import SYSTEM_CLOCK, Clock
from ceo_desk.core.policy import PauseSpan
from ceo_desk.core.services.office import load_settings
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import ClockPause, Complaint, Delegation

DeadlineState = Literal["ok", "warning", "overdue", "met"]

# IN lists are sent in pieces of this many ids (SQLite's parameter limit is far above it).
_CHUNK = 500


@dataclass(frozen=True)
class FinalResponse:
    """A complaint's final-response deadline as it stands on `today`.

    `state` is "met" once the complaint is closed (`closed_on`; `late` says whether after the
    deadline), else "overdue" after `due`, "warning" from `warning_from`, else "ok".
    `paused_days` are the calendar days the clock stood still, already added to both dates."""

    due: date
    warning_from: date
    state: DeadlineState
    paused_days: int
    paused: bool = False  # the clock stands still now
    closed_on: date | None = None

    @property
    def late(self) -> bool:
        """Closed after the deadline."""
        return self.closed_on is not None and self.closed_on > self.due

    def days_left(self, today: date) -> int:
        """Calendar days from `today` to the deadline (negative once past it)."""
        return (self.due - today).days

    def short(self, today: date) -> str:
        """The deadline as a list's cell: "2026-05-04", "2026-05-04 (9 days left)",
        "2026-05-04 (3 days late)", "2026-05-04 (paused)", "met" or "met late"."""
        if self.state == "met":
            return "met late" if self.late else "met"
        left = self.days_left(today)
        if self.paused:
            note = "paused"
        elif self.state == "overdue":
            note = f"{-left} day{'' if left == -1 else 's'} late"
        elif self.state == "warning":
            note = "due today" if left == 0 else f"{left} day{'' if left == 1 else 's'} left"
        else:
            return self.due.isoformat()
        return f"{self.due.isoformat()} ({note})"

    def describe(self, today: date) -> str:
        """The deadline in words, after "Final response": "due 2026-05-04 (in 9 days)", "given
        by the deadline 2026-05-04"; with the paused days and whether the clock stands still."""
        due = self.due.isoformat()
        if self.state == "met":
            return f"given {'after' if self.late else 'by'} the deadline {due}"
        left = self.days_left(today)
        when = (
            "today"
            if left == 0
            else f"in {left} day{'' if left == 1 else 's'}"
            if left > 0
            else f"{-left} day{'' if left == -1 else 's'} late"
        )
        paused = f", {self.paused_days} paused day{'' if self.paused_days == 1 else 's'} added"
        now = "; clock paused" if self.paused else ""
        return f"due {due} ({when}{paused if self.paused_days else ''}){now}"


def final_response(
    received_on: date,
    settings: OfficeSettings,
    pauses: Sequence[PauseSpan] = (),
    *,
    today: date,
    closed_on: date | None = None,
    paused_now: bool = False,
) -> FinalResponse:
    """The deadline of one complaint received on `received_on`, its clock paused for `pauses`."""
    paused_days = policy.paused_calendar_days(pauses)
    due = received_on + timedelta(weeks=settings.final_response_weeks, days=paused_days)
    warning_from = received_on + timedelta(
        weeks=settings.final_response_warning_weeks, days=paused_days
    )
    state: DeadlineState
    if closed_on is not None:
        state = "met"
    elif today > due:
        state = "overdue"
    elif today >= warning_from:
        state = "warning"
    else:
        state = "ok"
    return FinalResponse(
        due, warning_from, state, paused_days, paused_now and closed_on is None, closed_on
    )


def pause_ended_at() -> Any:
    """When the pause ended, NULL while it runs: resumed, or, left running by an older version
    on a closing, when its complaint closed (a closed complaint's clock stopped for good). Every
    read of a pause's end goes through it; the query has the complaint joined or correlated."""
    return func.coalesce(ClockPause.resumed_at, Complaint.closed_at)


def running_pause_clause() -> Any:
    """The pause stands still now (`pause_ended_at`): every read of "paused now" goes through
    it, correlated with the complaint or joined to it."""
    return and_(ClockPause.complaint_id == Complaint.id, pause_ended_at().is_(None))


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _span(paused_at: datetime, resumed_at: datetime | None, until: date, clock: Clock) -> PauseSpan:
    start = clock.local_day(paused_at)
    end = clock.local_day(resumed_at) if resumed_at is not None else until
    return start, max(start, min(end, until))


def pause_spans(
    uow: UnitOfWork,
    complaint_ids: Iterable[int],
    *,
    today: date,
    clock: Clock = SYSTEM_CLOCK,
    until: dict[int, date] | None = None,
    begun_before: datetime | None = None,
) -> dict[int, list[PauseSpan]]:
    """Each complaint's paused stretches as local days, oldest first; a pause still running
    lasts to `today` (or to the complaint's own day in `until`), one left running on a closed
    complaint to the moment it closed.
    With `begun_before`, the clock as it stood then: later pauses are left out. Complaints never
    paused are absent."""
    ids = sorted(set(complaint_ids))
    spans: dict[int, list[PauseSpan]] = defaultdict(list)
    for chunk in _chunks(ids):
        query = (
            select(ClockPause.complaint_id, ClockPause.paused_at, pause_ended_at())
            .join(Complaint, Complaint.id == ClockPause.complaint_id)
            .where(ClockPause.complaint_id.in_(chunk))
        )
        if begun_before is not None:
            query = query.where(ClockPause.paused_at < begun_before)
        for complaint_id, paused_at, ended_at in uow.session.execute(
            query.order_by(ClockPause.complaint_id, ClockPause.paused_at, ClockPause.id)
        ):
            limit = (until or {}).get(complaint_id, today)
            spans[complaint_id].append(_span(paused_at, ended_at, limit, clock))
    return dict(spans)


def final_responses(
    uow: UnitOfWork,
    complaint_ids: Iterable[int],
    *,
    today: date,
    clock: Clock = SYSTEM_CLOCK,
    settings: OfficeSettings | None = None,
    read: Mapping[int, tuple[datetime, datetime | None]] | None = None,
    paused: Iterable[int] | None = None,
) -> dict[int, FinalResponse]:
    """The final-response deadline of each complaint, as it stands on `today`.

    A caller that has read the complaints with its own rows gives `read`, each one's receipt
    and closing time (they are not read again), and may give `paused`, the ones of them ever
    paused (only their pauses are looked up).
    """
    settings = settings or load_settings(uow)
    ids = sorted(set(complaint_ids))
    rows: dict[int, tuple[date, date | None]] = {}
    for complaint_id, (received_at, closed_at) in (read or {}).items():
        closed_on = clock.local_day(closed_at) if closed_at is not None else None
        rows[complaint_id] = (clock.local_day(received_at), closed_on)
    for chunk in _chunks(ids) if read is None else ():
        for complaint_id, received_at, closed_at in uow.session.execute(
            select(Complaint.id, Complaint.received_at, Complaint.closed_at).where(
                Complaint.id.in_(chunk)
            )
        ):
            closed_on = clock.local_day(closed_at) if closed_at is not None else None
            rows[complaint_id] = (clock.local_day(received_at), closed_on)
    closed_days = {cid: closed for cid, (_, closed) in rows.items() if closed is not None}
    pausable = ids if paused is None else sorted(set(paused))
    running = _running_pauses(uow, pausable)
    spans = pause_spans(
        uow, rows if paused is None else pausable, today=today, clock=clock, until=closed_days
    )
    # Most complaints were never paused, and many share their day of receipt (and of closing):
    # theirs is worked out once per such day, not once per complaint.
    never_paused: dict[tuple[date, date | None], FinalResponse] = {}

    def deadline(cid: int, received_on: date, closed_on: date | None) -> FinalResponse:
        pauses = spans.get(cid, ())
        if pauses or cid in running:
            return final_response(
                received_on,
                settings,
                pauses,
                today=today,
                closed_on=closed_on,
                paused_now=cid in running,
            )
        key = (received_on, closed_on)
        found = never_paused.get(key)
        if found is None:
            found = never_paused[key] = final_response(
                received_on, settings, (), today=today, closed_on=closed_on
            )
        return found

    return {
        cid: deadline(cid, received_on, closed_on) for cid, (received_on, closed_on) in rows.items()
    }


def _running_pauses(uow: UnitOfWork, ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(
            uow.session.scalars(
                select(ClockPause.complaint_id).where(
                    ClockPause.complaint_id.in_(chunk), running_pause_clause()
                )
            )
        )
    return found


def running_pause_days_at(
    uow: UnitOfWork,
    complaint_ids: Iterable[int],
    moment: datetime,
    judged_on: date,
    clock: Clock,
    settings: OfficeSettings,
) -> dict[int, int]:
    """complaint id -> business days its clock had stood still by `judged_on`, for the pauses
    running at `moment` (begun before it, resumed or closed at or after it), to be added to the
    report due date of the complaint's latest delegation before `moment`.

    A pause resumed after `moment` is left out when its resume moved that stored date (resuming
    moves the latest delegation's; a hand-off after `moment` took the move instead); a pause
    ended by the complaint's closing moved nothing. Complaints with no such pause are absent."""
    ids = sorted(set(complaint_ids))
    found: dict[int, int] = {}
    for chunk in _chunks(ids):
        handed_off: dict[int, list[datetime]] = defaultdict(list)
        for complaint_id, delegated_at in uow.session.execute(
            select(Delegation.complaint_id, Delegation.delegated_at).where(
                Delegation.complaint_id.in_(chunk), Delegation.delegated_at >= moment
            )
        ):
            handed_off[complaint_id].append(delegated_at)
        for complaint_id, paused_at, resumed_at, closed_at in uow.session.execute(
            select(
                ClockPause.complaint_id,
                ClockPause.paused_at,
                ClockPause.resumed_at,
                Complaint.closed_at,
            )
            .join(Complaint, Complaint.id == ClockPause.complaint_id)
            .where(
                ClockPause.complaint_id.in_(chunk),
                ClockPause.paused_at < moment,
                or_(ClockPause.resumed_at.is_(None), ClockPause.resumed_at >= moment),
            )
        ):
            ended = resumed_at if resumed_at is not None else closed_at
            if ended is not None and ended < moment:
                continue  # left running by an older version on a closing before `moment`
            if (
                resumed_at is not None
                and resumed_at != closed_at
                and not any(at <= resumed_at for at in handed_off[complaint_id])
            ):
                continue  # its resume already moved the stored date
            days = policy.business_days_between(clock.local_day(paused_at), judged_on, settings)
            found[complaint_id] = max(found.get(complaint_id, 0), days)
    return found
