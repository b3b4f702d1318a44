"""The board pack's final-response figures for a month: closings in time and late, complaints
open at month end near or past their deadline, and how long clocks stood paused.

Deadlines come from `core.deadlines`, as they stood at the month's end: pauses begun later are
left out, and a pause still running then counts to the day the month is judged on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from ceo_desk.core import deadlines
from ceo_desk.core.history import OpenState
from ceo_desk.core.policy import Period
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import ClockPause, Complaint


def paused_among(uow: UnitOfWork, complaint_ids: Iterable[int]) -> list[int]:
    """Those of these complaints whose clock was ever paused: the few whose pauses need reading.

    One query over the pauses (a short table: a pause is a deliberate step), where asking for
    every complaint's pauses by id takes a query per few hundred of them."""
    paused = set(uow.session.scalars(select(ClockPause.complaint_id).distinct()))
    return [cid for cid in complaint_ids if cid in paused] if paused else []


@dataclass(frozen=True)
class PastDeadline:
    """An open complaint past its final-response deadline at month end."""

    reference: str
    customer_name: str
    received_on: date
    due: date
    days_over: int
    paused_days: int


@dataclass(frozen=True)
class FinalResponseFigures:
    weeks: int  # the office's deadline, in weeks from receipt
    warning_weeks: int
    closed_in_time: int  # closed in the month on or before the deadline
    closed_late: int
    open_at_end: int
    near_at_end: int  # open at month end, past the warning but not the deadline
    past_at_end: list[PastDeadline]  # most days over first
    paused_complaints: int  # complaints whose clock stood still at some time in the month
    paused_days: int  # calendar days of those pauses that fell in the month

    @property
    def closed(self) -> int:
        return self.closed_in_time + self.closed_late


def final_response_figures(
    uow: UnitOfWork,
    period: Period,
    settings: OfficeSettings,
    open_states: Iterable[OpenState],
    closings: Mapping[int, tuple[date, date]],
) -> FinalResponseFigures:
    """The month's final-response figures; `closings` are the month's closings the regulator
    buckets count (complaint id -> the local days it was received and closed), `open_states`
    the complaints open at its end."""
    clock, end_day = period.clock, period.end_day
    open_list = list(open_states)
    in_time = late = 0
    closed_days = {cid: closed_on for cid, (_, closed_on) in closings.items()}
    spans = deadlines.pause_spans(
        uow,
        paused_among(uow, closed_days),
        today=end_day,
        clock=clock,
        until=closed_days,
        begun_before=period.end,
    )
    for cid, (received_on, closed_on) in closings.items():
        found = deadlines.final_response(
            received_on,
            settings,
            spans.get(cid, ()),
            today=closed_on,
            closed_on=closed_on,
        )
        late += found.late
        in_time += not found.late
    open_spans = deadlines.pause_spans(
        uow,
        paused_among(uow, (s.complaint_id for s in open_list)),
        today=end_day,
        clock=clock,
        begun_before=period.end,
    )
    near = 0
    past: list[PastDeadline] = []
    for state in open_list:
        found = deadlines.final_response(
            clock.local_day(state.received_at),
            settings,
            open_spans.get(state.complaint_id, ()),
            today=end_day,
        )
        if found.state == "warning":
            near += 1
        elif found.state == "overdue":
            past.append(
                PastDeadline(
                    state.reference,
                    state.customer_name,
                    clock.local_day(state.received_at),
                    found.due,
                    -found.days_left(end_day),
                    found.paused_days,
                )
            )
    past.sort(key=lambda p: (-p.days_over, p.reference))
    complaints, days = _paused_in(uow, period)
    return FinalResponseFigures(
        settings.final_response_weeks,
        settings.final_response_warning_weeks,
        in_time,
        late,
        len(open_list),
        near,
        past,
        complaints,
        days,
    )


def _paused_in(uow: UnitOfWork, period: Period) -> tuple[int, int]:
    """How many complaints' clocks stood still in the month, and for how many of its days."""
    clock = period.clock
    first, last = period.month.first_day, period.end_day
    complaints: set[int] = set()
    days = 0
    ended_at = deadlines.pause_ended_at()
    for cid, paused_at, ended in uow.session.execute(
        select(ClockPause.complaint_id, ClockPause.paused_at, ended_at)
        .join(Complaint, Complaint.id == ClockPause.complaint_id)
        .where(ClockPause.paused_at < period.end, or_(ended_at.is_(None), ended_at >= period.start))
    ):
        start = max(clock.local_day(paused_at), first)
        end = min(clock.local_day(ended) if ended else last, last)
        complaints.add(cid)
        days += max(0, (end - start).days)
    return len(complaints), days
