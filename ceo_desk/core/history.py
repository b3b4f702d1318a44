"""Any complaint's status at a moment, rebuilt from its history.

The denormalised `Complaint.status` is today's, so the status at an earlier moment T is rebuilt
from history.
- A complaint received at or after T did not exist yet.
- Closing is final (a closed complaint can never change), so a complaint with `closed_at` before T
  had its current, closed status at T.
- Otherwise it was open at T: *new* if it had no delegation before T; *awaiting callback* if the
  latest report filed before T answers the latest delegation made before T; *delegated* otherwise
  (a send-back or a not-satisfied callback starts a new delegation, so it is delegated again).
- Its due date at T: a delegated complaint's report was due on that delegation's due date; an
  awaiting one's callback was due by policy one business step after the report, or after the last
  unanswered attempt made before T.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select

from ceo_desk.core import transitions
from ceo_desk.core.clock import SYSTEM_CLOCK, Clock
from ceo_desk.core.policy import BusinessDays
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import Status
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import (
    Callback,
    Complaint,
    Customer,
    Delegation,
    Report,
    Staff,
    stored_moment,
)


@dataclass(frozen=True)
class OpenState:
    """An open complaint as it stood at a moment."""

    complaint_id: int
    reference: str
    received_at: datetime
    customer_name: str
    summary: str
    status: Status
    delegate: str | None
    due_on: date | None
    due_for: str  # "report", "callback" or ""
    days_overdue: int  # business days past its due date on the day judged
    overdue: bool = False  # past its due date on the day judged (even by no business day yet)


def _chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _latest_ids(
    uow: UnitOfWork, model: type[Delegation] | type[Report], ids: list[int], moment: datetime
) -> dict[int, int]:
    """complaint id -> id of its latest delegation (or report) made before `moment`."""
    when = model.delegated_at if model is Delegation else model.filed_at  # type: ignore[union-attr]
    found: dict[int, int] = {}
    for chunk in _chunks(ids):
        found.update(
            uow.session.execute(
                select(model.complaint_id, func.max(model.id))
                .where(model.complaint_id.in_(chunk), when < moment, *_kept(model))
                .group_by(model.complaint_id)
            ).all()
        )
    return found


def _kept(model: type[Delegation] | type[Report]) -> tuple[Any, ...]:
    """A hand-off withdrawn with the outcome that made it never happened, for the replay."""
    return (Delegation.withdrawn_at.is_(None),) if model is Delegation else ()


def _open_at(moment: datetime) -> Any:
    return and_(
        or_(Complaint.closed_at.is_(None), Complaint.closed_at >= moment),
        Complaint.received_at < moment,
    )


def open_states_at(
    uow: UnitOfWork,
    moment: datetime,
    *,
    judged_on: date | None = None,
    settings: OfficeSettings | None = None,
    received_from: datetime | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> list[OpenState]:
    """Every complaint open at `moment`, with its status, delegate and due date then.

    Overdue is judged on `judged_on` (default: the day of `moment` on `clock`): due before that day.
    Bounded: one query for the open complaints, then look-ups by id for just those.
    """
    settings = settings or load_settings(uow)
    day_math = BusinessDays(settings)
    judge = judged_on or clock.local_day(moment)
    query = (
        select(
            Complaint.id,
            Complaint.reference,
            Complaint.received_at,
            Customer.name,
            Complaint.summary,
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(_open_at(moment))
        .order_by(Complaint.received_at, Complaint.id)
    )
    if received_from is not None:
        query = query.where(Complaint.received_at >= received_from)
    complaints = uow.session.execute(query).all()
    ids = [row[0] for row in complaints]
    delegation_of = _latest_ids(uow, Delegation, ids, moment)
    report_of = _latest_ids(uow, Report, ids, moment)
    delegations: dict[int, tuple[date, str]] = {}
    for chunk in _chunks(list(delegation_of.values())):
        for delegation_id, due_day, name in uow.session.execute(
            select(Delegation.id, Delegation.report_due_on, Staff.name)
            .join(Staff, Staff.id == Delegation.staff_id)
            .where(Delegation.id.in_(chunk))
        ):
            delegations[delegation_id] = (due_day, name)
    reports: dict[int, tuple[int, datetime]] = {}
    last_attempt: dict[int, datetime] = {}
    for chunk in _chunks(list(report_of.values())):
        for report_id, for_delegation, filed in uow.session.execute(
            select(Report.id, Report.delegation_id, Report.filed_at).where(Report.id.in_(chunk))
        ):
            reports[report_id] = (for_delegation, filed)
        for report_id, made in uow.session.execute(
            select(Callback.report_id, func.max(Callback.made_at))
            .where(
                Callback.report_id.in_(chunk),
                Callback.made_at < moment,
                Callback.withdrawn_at.is_(None),
            )
            .group_by(Callback.report_id)
        ):
            last_attempt[report_id] = _must(made)
    states = []
    for cid, ref, received, customer, summary in complaints:
        did = delegation_of.get(cid)
        rid = report_of.get(cid)
        report_due, staff = delegations[did] if did is not None else (None, None)
        answered = did is not None and rid is not None and reports[rid][0] == did
        attempt = last_attempt.get(rid) if answered and rid is not None else None
        past = transitions.open_state_from_history(
            delegated=did is not None,
            report_answers_latest_delegation=answered,
            report_due_on=_as_day(report_due),
            reported_on=clock.local_day(reports[rid][1]) if answered and rid is not None else None,
            last_unanswered_attempt_on=clock.local_day(attempt) if attempt is not None else None,
            settings=settings,
            add=day_math.add_business_days,
        )
        status, due, due_for = past.status, past.due_on, past.due_for
        late = due is not None and due < judge
        overdue_days = day_math.between(due, judge) if due is not None and late else 0
        states.append(
            OpenState(
                cid,
                ref,
                received,
                customer,
                summary,
                status,
                staff,
                due,
                due_for,
                overdue_days,
                late,
            )
        )
    return states


def _as_day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def status_counts_at(
    uow: UnitOfWork,
    moment: datetime,
    open_states: list[OpenState],
    *,
    received_from: datetime | None = None,
) -> dict[Status, int]:
    """How many complaints (received from `received_from`, if given) stood in each status at
    `moment`; `open_states` are those open then (from `open_states_at`), counted, not re-read."""
    counts = dict.fromkeys(Status, 0)
    for state in open_states:
        if received_from is None or state.received_at >= received_from:
            counts[state.status] += 1
    query = select(Complaint.status, func.count()).where(
        Complaint.closed_at < moment, Complaint.received_at < moment
    )
    if received_from is not None:
        query = query.where(Complaint.received_at >= received_from)
    for status, n in uow.session.execute(query.group_by(Complaint.status)):
        counts[status] += int(n)
    return counts


def _must(value: Any) -> datetime:
    moment = stored_moment(value)
    assert moment is not None
    return moment
