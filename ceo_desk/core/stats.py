"""The monthly report's figures.

Every figure the monthly report prints is computed here, with SQL aggregates and bounded queries
(rows of one month, or of the complaints still open), never by loading every complaint. Months and
periods come from `core.policy`, the status of a complaint at a moment from `core.history`.

"At month end" means as at the start of the first day of the next month, the way the app shows
it that morning: anything due on or before the month's last day and not done is overdue, and
days overdue (business days, as every day the report counts) are counted to the first day of the
next month.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select, union
from sqlalchemy.orm import aliased

from ceo_desk.core import deadlines, policy
from ceo_desk.core.clock import SYSTEM_CLOCK, Clock
from ceo_desk.core.deadline_stats import (
    FinalResponseFigures,
    final_response_figures,
    paused_among,
)
from ceo_desk.core.deadlines import pause_spans
from ceo_desk.core.history import (
    OpenState,
    _must,
    open_states_at,
    status_counts_at,
)
from ceo_desk.core.policy import BusinessDays, Month, PauseSpan, Period, paused_calendar_days
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import CLOSED_STATUSES, Loyalty, Outcome, Status, UnitKind
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import (
    Callback,
    Category,
    Complaint,
    Customer,
    Delegation,
    Report,
    Staff,
    Unit,
)

UNCATEGORISED = "Uncategorised"
REPEAT_WINDOW_MONTHS = 12
# Time from receipt to closing as complaint regulators count it, with the clock's paused time left
# out. The exclusive split: each closing in exactly one of these...
WITHIN_3_BUSINESS_DAYS = "Within 3 business days"
WITHIN_4_WEEKS = "After 3 business days, within 4 weeks"
FOUR_TO_8_WEEKS = "4 to 8 weeks"
OVER_8_WEEKS = "Over 8 weeks"
BUCKETS = (WITHIN_3_BUSINESS_DAYS, WITHIN_4_WEEKS, FOUR_TO_8_WEEKS, OVER_8_WEEKS)
# ...and the cumulative figures regulators ask for: each counts every closing as fast or faster.
WITHIN_8_WEEKS = "Within 8 weeks"
CUMULATIVE_BUCKETS: dict[str, tuple[str, ...]] = {
    WITHIN_3_BUSINESS_DAYS: (WITHIN_3_BUSINESS_DAYS,),
    WITHIN_8_WEEKS: (WITHIN_3_BUSINESS_DAYS, WITHIN_4_WEEKS, FOUR_TO_8_WEEKS),
}
# Every way a complaint closes, in the order the board pack lists them.
CLOSING_KINDS = (Status.RESOLVED, Status.WITHDRAWN, Status.UNREACHABLE)


def median(values: Iterable[float]) -> float | None:
    data = list(values)
    return float(statistics.median(data)) if data else None


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ---------------------------------------------------------------- the headline figures


@dataclass(frozen=True)
class Headline:
    received: int
    resolved: int
    open_at_end: int
    overdue_at_end: int
    median_days_to_report: float | None  # business days, receipt to first report
    median_days_to_confirmation: float | None  # business days, report to confirming call
    resolved_first_callback: int
    reopened: int
    withdrawn: int
    unreachable: int
    cost_minor: dict[str, int]  # by currency
    ceo_spoke: int
    avg_prior_contacts: float | None
    closed_before_ceo_desk: int = 0  # imported as resolved or unreachable: history, not a call

    @property
    def first_callback_share(self) -> float | None:
        return share(self.resolved_first_callback, self.resolved)


def _in(column: Any, period: Period) -> Any:
    return and_(column >= period.start, column < period.end)


def _kept(model: type[Callback] | type[Delegation]) -> Any:
    """Leaves out a callback outcome withdrawn as recorded by mistake (and its hand-off)."""
    return model.withdrawn_at.is_(None)


def closed_before_ceo_desk() -> Any:
    """A complaint that arrived closed (imported as resolved or unreachable): no callback was
    ever made here, so it is history, never a resolution confirmed by the CEO's call."""
    return and_(
        Complaint.status.in_([Status.RESOLVED, Status.UNREACHABLE]),
        ~select(Callback.id).where(Callback.complaint_id == Complaint.id).exists(),
    )


def cost_counted(period: Period) -> Any:
    """The reports whose accommodation cost counts in the month: filed in it and not sent back
    by its end (a report sent back is replaced by the one filed again)."""
    return and_(
        _in(Report.filed_at, period),
        or_(Report.sent_back_at.is_(None), Report.sent_back_at >= period.end),
    )


def _pauses(
    uow: UnitOfWork, period: Period, complaint_ids: Iterable[int]
) -> dict[int, list[PauseSpan]]:
    """The paused stretches of these complaints, as far as the period goes."""
    ids = paused_among(uow, complaint_ids)
    return pause_spans(uow, ids, today=period.end_day, clock=period.clock) if ids else {}


def headline(
    uow: UnitOfWork,
    period: Period,
    *,
    settings: OfficeSettings | None = None,
    open_states: list[OpenState] | None = None,
    day_math: BusinessDays | None = None,
) -> Headline:
    settings = settings or load_settings(uow)
    day_math = day_math or BusinessDays(settings)
    session = uow.session
    received_row = session.execute(
        select(
            func.count(),
            func.sum(case((Complaint.ceo_spoke.is_(True), 1), else_=0)),
            func.avg(Complaint.prior_contacts),
        ).where(_in(Complaint.received_at, period))
    ).one()
    # The month's closings in one grouped pass: by status, whether the complaint arrived closed,
    # and whether a kept call ever found the customer not satisfied.
    arrived_closed = case((closed_before_ceo_desk(), 1), else_=0).label("arrived_closed")
    unhappy = case(
        (
            Complaint.id.in_(
                select(Callback.complaint_id).where(
                    Callback.outcome == Outcome.NOT_SATISFIED, _kept(Callback)
                )
            ),
            1,
        ),
        else_=0,
    ).label("unhappy")
    closed = dict.fromkeys(CLOSED_STATUSES, 0)
    before_desk = resolved_first = 0
    for status, was_closed, was_unhappy, n in session.execute(
        select(Complaint.status, arrived_closed, unhappy, func.count())
        .where(_in(Complaint.closed_at, period))
        .group_by(Complaint.status, arrived_closed, unhappy)
    ):
        if was_closed:
            before_desk += int(n)
            continue
        closed[status] = closed.get(status, 0) + int(n)
        if status == Status.RESOLVED and not was_unhappy:
            resolved_first += int(n)
    states = (
        open_states
        if open_states is not None
        else open_states_at(
            uow, period.end, judged_on=period.end_day, settings=settings, clock=period.clock
        )
    )
    reopened = session.scalar(
        select(func.count(func.distinct(Callback.complaint_id))).where(
            Callback.outcome == Outcome.NOT_SATISFIED,
            _in(Callback.made_at, period),
            _kept(Callback),
        )
    )
    earlier = aliased(Report)
    first_in_period = (
        select(Report.complaint_id, Complaint.received_at, Report.filed_at)
        .join(Complaint, Complaint.id == Report.complaint_id)
        .where(
            _in(Report.filed_at, period),
            ~select(earlier.id)
            .where(earlier.complaint_id == Report.complaint_id, earlier.id < Report.id)
            .exists(),
        )
    )
    first_reports = session.execute(first_in_period).all()
    confirmations = session.execute(
        select(Report.complaint_id, Report.filed_at, Callback.made_at)
        .join(Report, Report.id == Callback.report_id)
        .where(
            Callback.outcome == Outcome.SATISFIED,
            _in(Callback.made_at, period),
            _kept(Callback),
        )
    ).all()
    # Business days with the clock's paused ones left out.
    paused = _pauses(uow, period, [r[0] for r in first_reports] + [r[0] for r in confirmations])
    local_day = period.clock.local_day
    to_report = [
        day_math.between_unpaused(local_day(received), local_day(filed), paused.get(cid, ()))
        for cid, received, filed in first_reports
    ]
    to_confirmation = [
        day_math.between_unpaused(local_day(filed), local_day(made), paused.get(cid, ()))
        for cid, filed, made in confirmations
    ]
    costs = {
        currency: int(total or 0)
        for currency, total in session.execute(
            select(Report.currency, func.sum(Report.cost_minor))
            .where(cost_counted(period))
            .group_by(Report.currency)
        )
        if total
    }
    return Headline(
        received=int(received_row[0] or 0),
        resolved=closed[Status.RESOLVED],
        open_at_end=len(states),
        overdue_at_end=sum(1 for s in states if s.overdue),
        median_days_to_report=median(to_report),
        median_days_to_confirmation=median(to_confirmation),
        resolved_first_callback=int(resolved_first or 0),
        reopened=int(reopened or 0),
        withdrawn=closed[Status.WITHDRAWN],
        unreachable=closed[Status.UNREACHABLE],
        cost_minor=costs,
        ceo_spoke=int(received_row[1] or 0),
        avg_prior_contacts=float(received_row[2]) if received_row[2] is not None else None,
        closed_before_ceo_desk=int(before_desk or 0),
    )


# ---------------------------------------------------------------- charts


@dataclass(frozen=True)
class WeekCount:
    first_day: date
    last_day: date
    count: int

    @property
    def label(self) -> str:
        if self.first_day == self.last_day:
            return self.first_day.strftime("%d %b").lstrip("0")
        return f"{self.first_day.day}–{self.last_day.day} {self.last_day.strftime('%b')}"


@dataclass(frozen=True)
class NamedCount:
    name: str
    count: int
    previous: int = 0
    longer: int = 0  # over the repeat window (12 months)


def received_per_week(uow: UnitOfWork, period: Period) -> list[WeekCount]:
    """Calendar weeks (Monday to Sunday) cut to the month; counts from the month's rows only."""
    days = Counter(
        period.clock.local_day(moment)
        for moment in uow.session.scalars(
            select(Complaint.received_at).where(_in(Complaint.received_at, period))
        )
    )
    weeks = []
    day = period.month.first_day
    last = period.month.last_day
    while day <= last:
        week_end = min(last, day + timedelta(days=6 - day.weekday()))
        n = sum(count for d, count in days.items() if day <= d <= week_end)
        weeks.append(WeekCount(day, week_end, n))
        day = week_end + timedelta(days=1)
    return weeks


def _category_counts(uow: UnitOfWork, start: datetime, end: datetime) -> dict[str, int]:
    rows = uow.session.execute(
        select(Category.name, func.count())
        .select_from(Complaint)
        .outerjoin(Category, Category.id == Complaint.category_id)
        .where(Complaint.received_at >= start, Complaint.received_at < end)
        .group_by(Category.name)
    )
    return {name or UNCATEGORISED: int(n) for name, n in rows}


def categories(uow: UnitOfWork, period: Period) -> list[NamedCount]:
    """Complaints received per category this month, with last month's and the 12 months'."""
    this = _category_counts(uow, period.start, period.end)
    before = period.month.previous()
    last = _category_counts(uow, before.start(period.clock), before.end(period.clock))
    window_start = period.month.shifted(1 - REPEAT_WINDOW_MONTHS).start(period.clock)
    longer = _category_counts(uow, window_start, period.end)
    names = set(this) | set(longer)
    rows = [NamedCount(n, this.get(n, 0), last.get(n, 0), longer.get(n, 0)) for n in names]
    rows.sort(key=lambda r: (-r.count, -r.longer, r.name.lower()))
    return rows


# ---------------------------------------------------------------- resolution times


@dataclass(frozen=True)
class ResolutionBuckets:
    """The month's closings by time from receipt, and by how each closed (resolved, withdrawn,
    unreachable)."""

    counts: dict[str, dict[Status, int]]  # exclusive bucket -> closing kind -> complaints
    # The closings counted: complaint id -> the local days it was received and closed.
    days: dict[int, tuple[date, date]] = field(default_factory=dict)

    @property
    def complaint_ids(self) -> tuple[int, ...]:
        return tuple(self.days)

    @classmethod
    def empty(cls) -> ResolutionBuckets:
        return cls({bucket: dict.fromkeys(CLOSING_KINDS, 0) for bucket in BUCKETS})

    def exclusive(self, kind: Status | None = None) -> dict[str, int]:
        """Each closing in one bucket; of one kind, or of every kind."""
        return {
            bucket: (by_kind[kind] if kind is not None else sum(by_kind.values()))
            for bucket, by_kind in self.counts.items()
        }

    def cumulative(self, kind: Status | None = None) -> dict[str, int]:
        """Closings within 3 business days, within 8 weeks (the faster ones included)."""
        split = self.exclusive(kind)
        return {name: sum(split[b] for b in parts) for name, parts in CUMULATIVE_BUCKETS.items()}

    def total(self, kind: Status | None = None) -> int:
        return sum(self.exclusive(kind).values())


def _bucketed() -> Any:
    """The closings the buckets count: every closing here, and one that arrived closed only
    when its file gave the date it was closed."""
    return and_(
        Complaint.status.in_(CLOSING_KINDS),
        or_(~closed_before_ceo_desk(), Complaint.closed_at_from_file.is_(True)),
        # A complaint that arrived withdrawn, without its closing date.
        ~and_(Complaint.status == Status.WITHDRAWN, Complaint.closed_at_from_file.is_(False)),
    )


def resolution_buckets(
    uow: UnitOfWork,
    period: Period,
    settings: OfficeSettings,
    *,
    day_math: BusinessDays | None = None,
) -> ResolutionBuckets:
    """Complaints closed in the month (resolved, withdrawn or unreachable) by time from receipt
    to closing, the clock's paused time left out."""
    day_math = day_math or BusinessDays(settings)
    found = ResolutionBuckets.empty()
    rows = uow.session.execute(
        select(Complaint.id, Complaint.status, Complaint.received_at, Complaint.closed_at).where(
            _in(Complaint.closed_at, period), _bucketed()
        )
    ).all()
    local_day = period.clock.local_day
    days = {
        cid: (local_day(received), local_day(_must(closed))) for cid, _, received, closed in rows
    }
    closed_days = {cid: closed for cid, (_, closed) in days.items()}
    spans = pause_spans(
        uow,
        paused_among(uow, closed_days),
        today=period.end_day,
        clock=period.clock,
        until=closed_days,
    )
    for cid, status, _, _ in rows:
        received_on, closed_on = days[cid]
        bucket = bucket_for(received_on, closed_on, day_math, spans.get(cid, ()))
        found.counts[bucket][status] += 1
    return replace(found, days=days)


def bucket_for(
    received: date,
    closed: date,
    day_math: BusinessDays | OfficeSettings,
    pauses: Sequence[PauseSpan] = (),
) -> str:
    """The exclusive bucket of a complaint received and closed on these days, its clock paused
    for `pauses`."""
    math_ = day_math if isinstance(day_math, BusinessDays) else BusinessDays(day_math)
    if math_.between_unpaused(received, closed, pauses) <= 3:
        return WITHIN_3_BUSINESS_DAYS
    days = (closed - received).days - paused_calendar_days(pauses)
    if days <= 28:
        return WITHIN_4_WEEKS
    if days <= 56:
        return FOUR_TO_8_WEEKS
    return OVER_8_WEEKS


# ---------------------------------------------------------------- people and partners


@dataclass
class StaffFigures:
    staff_id: int
    name: str
    unit_id: int
    unit_name: str
    delegated: int = 0
    reports: int = 0
    reports_on_time: int = 0
    callbacks_answered: int = 0  # answered confirmation calls on this person's reports
    satisfied: int = 0
    reopened: int = 0  # not satisfied at the call
    sent_back: int = 0
    resolved: int = 0  # resolved complaints whose final delegate this was
    days_to_report: list[int] = field(default_factory=list)

    @property
    def median_days_to_report(self) -> float | None:
        return median(self.days_to_report)

    @property
    def on_time_rate(self) -> float | None:
        return share(self.reports_on_time, self.reports)


@dataclass
class UnitFigures:
    unit_id: int
    name: str
    kind: UnitKind
    caused: int = 0
    resolved: int = 0  # resolved complaints whose final delegate was in the unit
    reports: int = 0
    reports_on_time: int = 0
    callbacks_answered: int = 0
    satisfied_first: int = 0
    sent_back: int = 0
    cases: int = 0  # complaints it caused or handled in the month (see `unit_league`)
    cases_resolved: int = 0
    cases_withdrawn: int = 0
    reports_missing: int = 0  # past due and not filed at month end
    rank: int = 0  # 0: too few cases to rank
    weakest: bool = False
    trend: tuple[float | None, ...] = ()  # the score two months before, one before, this month

    @property
    def on_time_rate(self) -> float | None:
        """Reports filed on time out of those filed, counting one still missing as late."""
        return share(self.reports_on_time, self.reports + self.reports_missing)

    @property
    def resolved_rate(self) -> float | None:
        """Its cases resolved in the month, of those the customer did not withdraw."""
        return share(self.cases_resolved, self.cases - self.cases_withdrawn)

    @property
    def first_callback_rate(self) -> float | None:
        return share(self.satisfied_first, self.callbacks_answered)

    @property
    def score(self) -> float | None:
        """The mean of the share of cases resolved and the share of reports on time (those the
        unit has); the league is ranked on it."""
        rates = [r for r in (self.resolved_rate, self.on_time_rate) if r is not None]
        return sum(rates) / len(rates) if rates else None

    @property
    def ranked(self) -> bool:
        return self.rank > 0


def _id_counts(rows: Iterable[Any]) -> dict[int, int]:
    return {int(key): int(n or 0) for key, n in rows if key is not None}


def staff_figures(
    uow: UnitOfWork,
    period: Period,
    settings: OfficeSettings,
    *,
    day_math: BusinessDays | None = None,
) -> list[StaffFigures]:
    """What each person who handled complaints in the month did, from grouped queries;
    `day_math` shares its remembered business days with the month's other figures."""
    day_math = day_math or BusinessDays(settings)
    session = uow.session
    people: dict[int, StaffFigures] = {}

    def person(staff_id: int) -> StaffFigures:
        return people[staff_id]

    def ensure(ids: Iterable[int]) -> None:
        missing = [i for i in ids if i not in people]
        if not missing:
            return
        for sid, name, unit_id, unit_name in session.execute(
            select(Staff.id, Staff.name, Unit.id, Unit.name)
            .join(Unit, Unit.id == Staff.unit_id)
            .where(Staff.id.in_(missing))
        ):
            people[sid] = StaffFigures(sid, name, unit_id, unit_name)

    delegated = _id_counts(
        session.execute(
            select(Delegation.staff_id, func.count())
            .where(_in(Delegation.delegated_at, period), _kept(Delegation))
            .group_by(Delegation.staff_id)
        ).all()
    )
    reports = session.execute(
        select(
            Report.filed_by_staff_id,
            func.count(),
            func.sum(case((Report.on_time.is_(True), 1), else_=0)),
        )
        .where(_in(Report.filed_at, period))
        .group_by(Report.filed_by_staff_id)
    ).all()
    answered = session.execute(
        select(
            Report.filed_by_staff_id,
            func.count(),
            func.sum(case((Callback.outcome == Outcome.SATISFIED, 1), else_=0)),
        )
        .join(Report, Report.id == Callback.report_id)
        .where(
            Callback.outcome.in_([Outcome.SATISFIED, Outcome.NOT_SATISFIED]),
            _in(Callback.made_at, period),
            _kept(Callback),
        )
        .group_by(Report.filed_by_staff_id)
    ).all()
    sent_back = _id_counts(
        session.execute(
            select(Report.filed_by_staff_id, func.count())
            .where(_in(Report.sent_back_at, period))
            .group_by(Report.filed_by_staff_id)
        ).all()
    )
    resolved = _id_counts(
        session.execute(
            select(Complaint.current_delegate_id, func.count())
            .where(
                Complaint.status == Status.RESOLVED,
                _in(Complaint.closed_at, period),
                Complaint.current_delegate_id.is_not(None),
            )
            .group_by(Complaint.current_delegate_id)
        ).all()
    )
    days = session.execute(
        select(
            Report.filed_by_staff_id,
            Report.complaint_id,
            Delegation.delegated_at,
            Report.filed_at,
        )
        .join(Delegation, Delegation.id == Report.delegation_id)
        .where(_in(Report.filed_at, period))
    ).all()
    ensure(
        set(delegated)
        | {r[0] for r in reports}
        | {a[0] for a in answered}
        | set(sent_back)
        | set(resolved)
    )
    for sid, n in delegated.items():
        person(sid).delegated = int(n)
    for sid, n, on_time in reports:
        person(sid).reports = int(n)
        person(sid).reports_on_time = int(on_time or 0)
    for sid, n, satisfied in answered:
        person(sid).callbacks_answered = int(n)
        person(sid).satisfied = int(satisfied or 0)
        person(sid).reopened = int(n) - int(satisfied or 0)
    for sid, n in sent_back.items():
        person(sid).sent_back = int(n)
    for sid, n in resolved.items():
        person(sid).resolved = int(n)
    # The days a unit took leave out those its complaint's clock stood still: the wait was not
    # theirs.
    paused = _pauses(uow, period, [t[1] for t in days])
    for sid, cid, delegated_at, filed_at in days:
        person(sid).days_to_report.append(
            day_math.between_unpaused(
                period.clock.local_day(delegated_at),
                period.clock.local_day(filed_at),
                paused.get(cid, ()),
            )
        )
    return sorted(people.values(), key=lambda p: (p.unit_name.lower(), p.name.lower()))


@dataclass(frozen=True)
class UnitCases:
    """The complaints each unit was answerable for in a month, by unit id."""

    caused: dict[int, set[int]]  # caused by the unit and received in the month
    handled: dict[int, set[int]]  # delegated to, reported on or resolved by its people in it

    def of(self, unit_id: int) -> set[int]:
        return self.caused.get(unit_id, set()) | self.handled.get(unit_id, set())

    @property
    def units(self) -> set[int]:
        return set(self.caused) | set(self.handled)


def _handling(period: Period) -> list[Any]:
    """(unit id, complaint id) of the complaints a unit's people handled in the month."""
    return [
        select(Staff.unit_id.label("unit_id"), Delegation.complaint_id.label("complaint_id"))
        .join(Staff, Staff.id == Delegation.staff_id)
        .where(_in(Delegation.delegated_at, period), _kept(Delegation)),
        select(Staff.unit_id, Report.complaint_id)
        .join(Staff, Staff.id == Report.filed_by_staff_id)
        .where(_in(Report.filed_at, period)),
        select(Staff.unit_id, Complaint.id)
        .join(Staff, Staff.id == Complaint.current_delegate_id)
        .where(Complaint.status == Status.RESOLVED, _in(Complaint.closed_at, period)),
    ]


def _causing(period: Period) -> Any:
    """(unit id, complaint id) of the complaints a unit caused, received in the month."""
    return select(
        Complaint.caused_by_unit_id.label("unit_id"), Complaint.id.label("complaint_id")
    ).where(_in(Complaint.received_at, period), Complaint.caused_by_unit_id.is_not(None))


def unit_cases(uow: UnitOfWork, period: Period) -> UnitCases:
    """Each unit's cases in the month: the complaints it caused (received in the month), and
    those delegated to its people, reported on by them or resolved with one of them as the final
    delegate in the month."""
    handled: dict[int, set[int]] = {}
    for query in _handling(period):
        for unit_id, complaint_id in uow.session.execute(query):
            handled.setdefault(int(unit_id), set()).add(int(complaint_id))
    caused: dict[int, set[int]] = {}
    for unit_id, complaint_id in uow.session.execute(_causing(period)):
        caused.setdefault(int(unit_id), set()).add(int(complaint_id))
    return UnitCases(caused, handled)


@dataclass(frozen=True)
class CaseCounts:
    cases: int
    resolved: int
    withdrawn: int
    caused: int


def _case_counts(uow: UnitOfWork, period: Period) -> dict[int, CaseCounts]:
    """unit id -> its cases (as `unit_cases` finds them), counted by the database."""
    causing = _causing(period)
    cases = union(*_handling(period), causing).subquery()
    resolved = and_(
        Complaint.status == Status.RESOLVED,
        _in(Complaint.closed_at, period),
        ~closed_before_ceo_desk(),
    )
    withdrawn = and_(Complaint.status == Status.WITHDRAWN, _in(Complaint.closed_at, period))
    counts = {
        int(uid): CaseCounts(int(n), int(r or 0), int(w or 0), 0)
        for uid, n, r, w in uow.session.execute(
            select(
                cases.c.unit_id,
                func.count(),
                func.sum(case((resolved, 1), else_=0)),
                func.sum(case((withdrawn, 1), else_=0)),
            )
            .join(Complaint, Complaint.id == cases.c.complaint_id)
            .group_by(cases.c.unit_id)
        )
    }
    causes = causing.subquery()
    for uid, n in uow.session.execute(
        select(causes.c.unit_id, func.count()).group_by(causes.c.unit_id)
    ):
        counts[int(uid)] = replace(counts[int(uid)], caused=int(n))
    return counts


def _missing_reports(uow: UnitOfWork, period: Period) -> dict[int, int]:
    """unit id -> complaints open at month end whose latest delegation, to one of the unit's
    people, was due before the day overdue is judged on and has no report filed by then."""
    latest = (
        select(func.max(Delegation.id).label("id"))
        .join(Complaint, Complaint.id == Delegation.complaint_id)
        .where(
            Delegation.delegated_at < period.end,
            _kept(Delegation),
            Complaint.received_at < period.end,
            or_(Complaint.closed_at.is_(None), Complaint.closed_at >= period.end),
        )
        .group_by(Delegation.complaint_id)
        .subquery()
    )
    answered = select(Report.id).where(
        # Through the indexed complaint column: report.delegation_id has no index of its own.
        Report.complaint_id == Delegation.complaint_id,
        Report.delegation_id == Delegation.id,
        Report.filed_at < period.end,
    )
    rows = uow.session.execute(
        select(Staff.unit_id, Delegation.complaint_id, Delegation.report_due_on)
        .select_from(Delegation)
        .join(latest, latest.c.id == Delegation.id)
        .join(Staff, Staff.id == Delegation.staff_id)
        .where(Delegation.report_due_on < period.end_day, ~answered.exists())
    ).all()
    # A clock still paused at month end stands still for the unit too: its report is due the
    # paused business days later (resuming moves the stored date; until then it is not late).
    settings = load_settings(uow)
    paused = deadlines.running_pause_days_at(
        uow, [cid for _, cid, _ in rows], period.end, period.end_day, period.clock, settings
    )
    counts: Counter[int] = Counter()
    for unit_id, cid, due in rows:
        if policy.add_business_days(due, paused.get(cid, 0), settings) < period.end_day:
            counts[unit_id] += 1
    return dict(counts)


def _units_with(
    uow: UnitOfWork, period: Period, also: Iterable[int] = ()
) -> dict[int, UnitFigures]:
    """Each unit with cases or reports missing in the month (and those in `also`), its cases
    and missing reports filled in."""
    counts = _case_counts(uow, period)
    missing = _missing_reports(uow, period)
    wanted = set(also) | set(counts) | set(missing)
    if not wanted:
        return {}
    units: dict[int, UnitFigures] = {}
    for uid, name, kind in uow.session.execute(
        select(Unit.id, Unit.name, Unit.kind).where(Unit.id.in_(wanted))
    ):
        units[uid] = UnitFigures(uid, name, kind)
    for uid, counted in counts.items():
        unit = units[uid]
        unit.cases = counted.cases
        unit.cases_resolved = counted.resolved
        unit.cases_withdrawn = counted.withdrawn
        unit.caused = counted.caused
    for uid, n in missing.items():
        units[uid].reports_missing = n
    return units


def unit_figures(
    uow: UnitOfWork, period: Period, people: list[StaffFigures]
) -> dict[int, UnitFigures]:
    """Each department's and partner's figures for the month, unranked."""
    units = _units_with(uow, period, {p.unit_id for p in people})
    for p in people:
        unit = units[p.unit_id]
        unit.resolved += p.resolved
        unit.reports += p.reports
        unit.reports_on_time += p.reports_on_time
        unit.callbacks_answered += p.callbacks_answered
        unit.satisfied_first += p.satisfied
        unit.sent_back += p.sent_back
    return units


def unit_score_figures(uow: UnitOfWork, period: Period) -> dict[int, UnitFigures]:
    """Each unit's figures its score is made of (cases, reports filed and on time, reports
    missing), the others left at zero: the league's trend of an earlier month needs no more,
    and one grouped query of the reports replaces every person's figures. A unit's score is
    the one `unit_figures` gives it."""
    filed = uow.session.execute(
        select(
            Staff.unit_id,
            func.count(),
            func.sum(case((Report.on_time.is_(True), 1), else_=0)),
        )
        .join(Staff, Staff.id == Report.filed_by_staff_id)
        .where(_in(Report.filed_at, period))
        .group_by(Staff.unit_id)
    ).all()
    units = _units_with(uow, period, (row[0] for row in filed))
    for uid, n, on_time in filed:
        units[uid].reports = int(n)
        units[uid].reports_on_time = int(on_time or 0)
    return units


def _fair_score(unit: UnitFigures | None, min_cases: int) -> float | None:
    """A unit's score, when it had enough cases that month for the score to mean something."""
    return unit.score if unit is not None and unit.cases >= min_cases else None


def unit_league(
    uow: UnitOfWork,
    period: Period,
    people: list[StaffFigures],
    *,
    min_cases: int = 5,
    earlier: Iterable[dict[int, UnitFigures]] = (),
) -> list[UnitFigures]:
    """Departments and partners ranked best to worst; the bottom quarter are the weakest links.

    A unit's cases are the complaints it caused or handled in the month. It is ranked on its score,
    the mean of two shares: its cases resolved in the month (a withdrawn one left out), and its
    reports filed on time (a report past due and still missing at month end counts as late); then
    more cases, then fewer complaints caused. Only a unit with at least `min_cases` cases is ranked
    or can be a weakest link; the others follow, most cases first, unranked. `earlier` are the
    figures of the months before (oldest first), for the trend of each unit's score (a month in
    which it had fewer than `min_cases` cases has none).
    """
    units = unit_figures(uow, period, people)
    before = list(earlier)
    for unit in units.values():
        past = tuple(_fair_score(figures.get(unit.unit_id), min_cases) for figures in before)
        unit.trend = (*past, _fair_score(unit, min_cases))

    def key(u: UnitFigures) -> tuple[int, float, int, int, str]:
        score = u.score
        return (0 if score is not None else 1, -(score or 0.0), -u.cases, u.caused, u.name.lower())

    eligible = sorted((u for u in units.values() if u.cases >= min_cases), key=key)
    rest = sorted(
        (u for u in units.values() if u.cases < min_cases),
        key=lambda u: (-u.cases, u.caused, u.name.lower()),
    )
    scored = [u for u in eligible if u.score is not None]
    weakest = math.ceil(len(scored) / 4) if len(scored) >= 2 else 0
    for index, unit in enumerate(eligible, start=1):
        unit.rank = index
        unit.weakest = unit.score is not None and index > len(scored) - weakest
    return [*eligible, *rest]


# ---------------------------------------------------------------- what keeps coming back


@dataclass(frozen=True)
class RepeatCustomer:
    customer_id: int
    name: str
    complaints: int  # in the 12 months to the month's end
    this_month: int
    latest_reference: str


def repeat_customers(uow: UnitOfWork, period: Period) -> list[RepeatCustomer]:
    """Customers who complained this month and at least twice in the 12 months to its end."""
    window_start = period.month.shifted(1 - REPEAT_WINDOW_MONTHS).start(period.clock)
    this_month = func.sum(case((Complaint.received_at >= period.start, 1), else_=0))
    query = (
        select(
            Customer.id,
            Customer.name,
            func.count(),
            this_month,
            func.max(Complaint.reference),
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(
            Complaint.received_at >= window_start,
            Complaint.received_at < period.end,
            Complaint.customer_id.in_(
                select(Complaint.customer_id).where(_in(Complaint.received_at, period))
            ),
        )
        .group_by(Customer.id, Customer.name)
        .having(func.count() >= 2, this_month >= 1)
    )
    rows = [
        RepeatCustomer(cid, name, int(n), int(m or 0), ref)
        for cid, name, n, m, ref in uow.session.execute(query)
    ]
    rows.sort(key=lambda r: (-r.complaints, -r.this_month, r.name.lower()))
    return rows


# ---------------------------------------------------------------- warnings


@dataclass(frozen=True)
class FlaggedReport:
    reference: str
    filed_on: date
    staff: str
    terms: list[str]
    said: str


def flagged_reports(uow: UnitOfWork, period: Period) -> list[FlaggedReport]:
    query = (
        select(Complaint.reference, Report.filed_at, Staff.name, Report.flagged_terms, Report.said)
        .join(Complaint, Complaint.id == Report.complaint_id)
        .join(Staff, Staff.id == Report.filed_by_staff_id)
        .where(_in(Report.filed_at, period), Report.flagged_terms != "")
        .order_by(Report.filed_at, Report.id)
    )
    return [
        FlaggedReport(
            ref, period.clock.local_day(filed), staff, [t for t in terms.split(",") if t], said
        )
        for ref, filed, staff, terms, said in uow.session.execute(query)
    ]


@dataclass(frozen=True)
class LoyaltyRisk:
    reference: str
    customer: str
    called_on: date
    loyalty: Loyalty
    outcome: Outcome
    customer_words: str


def loyalty_risks(uow: UnitOfWork, period: Period) -> list[LoyaltyRisk]:
    query = (
        select(
            Complaint.reference,
            Customer.name,
            Callback.made_at,
            Callback.loyalty,
            Callback.outcome,
            Callback.customer_words,
        )
        .join(Complaint, Complaint.id == Callback.complaint_id)
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(
            _in(Callback.made_at, period),
            _kept(Callback),
            Callback.loyalty.in_([Loyalty.AT_RISK, Loyalty.LEAVING]),
        )
        .order_by(case((Callback.loyalty == Loyalty.LEAVING, 0), else_=1), Callback.made_at)
    )
    return [
        LoyaltyRisk(ref, name, period.clock.local_day(made), Loyalty(str(loyalty)), outcome, words)
        for ref, name, made, loyalty, outcome, words in uow.session.execute(query)
    ]


# ---------------------------------------------------------------- appendix


@dataclass(frozen=True)
class AppendixRow:
    reference: str
    received_on: date
    closed_on: date | None
    customer: str
    category: str
    delegate: str
    outcome: Status  # the status at the end of the period


def appendix(uow: UnitOfWork, period: Period, open_states: list[OpenState]) -> list[AppendixRow]:
    """One line per complaint received or closed in the month, oldest receipt first; its delegate
    is the one of its latest hand-off made before the month's end (none withdrawn)."""
    open_by_id = {s.complaint_id: s for s in open_states}
    delegate = (
        select(Staff.name)
        .join(Delegation, Delegation.staff_id == Staff.id)
        .where(
            Delegation.complaint_id == Complaint.id,
            Delegation.delegated_at < period.end,
            _kept(Delegation),
        )
        .order_by(Delegation.id.desc())
        .limit(1)
        .correlate(Complaint)
        .scalar_subquery()
    )
    query = (
        select(
            Complaint.id,
            Complaint.reference,
            Complaint.received_at,
            Complaint.closed_at,
            Complaint.status,
            Customer.name,
            Category.name,
            delegate,
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .outerjoin(Category, Category.id == Complaint.category_id)
        .where(
            or_(_in(Complaint.received_at, period), _in(Complaint.closed_at, period)),
        )
        .order_by(Complaint.received_at, Complaint.id)
    )
    rows = []
    for cid, ref, received, closed, status, customer, category, staff in uow.session.execute(query):
        state = open_by_id.get(cid)
        closed_in_time = closed is not None and closed < period.end
        outcome = status if closed_in_time or state is None else state.status
        rows.append(
            AppendixRow(
                ref,
                period.clock.local_day(received),
                period.clock.local_day(closed) if closed is not None and closed_in_time else None,
                customer,
                category or UNCATEGORISED,
                staff or "",
                outcome,
            )
        )
    return rows


# ---------------------------------------------------------------- the whole month


@dataclass(frozen=True)
class MonthlySummary:
    period: Period
    previous_period: Period
    currency: str
    headline: Headline
    previous: Headline
    weeks: list[WeekCount]
    categories: list[NamedCount]
    status_at_end: dict[Status, int]  # the month's complaints, by status at month end
    buckets: ResolutionBuckets
    final_responses: FinalResponseFigures
    units: list[UnitFigures]
    staff: list[StaffFigures]
    repeat_customers: list[RepeatCustomer]
    slipping: list[OpenState]  # open and past a due date at month end, most overdue first
    flagged: list[FlaggedReport]
    at_risk: list[LoyaltyRisk]
    appendix: list[AppendixRow]
    min_cases: int = 5  # the league table's minimum for ranking a unit

    @property
    def month(self) -> Month:
        return self.period.month


def monthly_summary(
    uow: UnitOfWork,
    month: Month,
    *,
    now: datetime | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> MonthlySummary:
    """Everything the monthly report prints, for `month` (as far as it has happened by `now`),
    in the calendar of `clock`."""
    moment = clock.moment(now)
    period = Period.of(month, moment, clock)
    previous_period = Period.of(month.previous(), moment, clock)
    settings = load_settings(uow)
    states = open_states_at(
        uow, period.end, judged_on=period.end_day, settings=settings, clock=clock
    )
    previous_states = open_states_at(
        uow,
        previous_period.end,
        judged_on=previous_period.end_day,
        settings=settings,
        clock=clock,
    )
    status_at_end = status_counts_at(uow, period.end, states, received_from=period.start)
    # One business-day calculator for every figure: the same pairs of days recur among them.
    day_math = BusinessDays(settings)
    people = staff_figures(uow, period, settings, day_math=day_math)
    trend_periods = [Period.of(month.shifted(-2), moment, clock), previous_period]
    earlier = [unit_score_figures(uow, p) for p in trend_periods]
    buckets = resolution_buckets(uow, period, settings, day_math=day_math)
    slipping = sorted(
        (s for s in states if s.overdue),
        key=lambda s: (-s.days_overdue, s.received_at, s.reference),
    )
    return MonthlySummary(
        period=period,
        previous_period=previous_period,
        currency=settings.currency,
        headline=headline(uow, period, settings=settings, open_states=states, day_math=day_math),
        previous=headline(
            uow,
            previous_period,
            settings=settings,
            open_states=previous_states,
            day_math=day_math,
        ),
        weeks=received_per_week(uow, period),
        categories=categories(uow, period),
        status_at_end=status_at_end,
        buckets=buckets,
        final_responses=final_response_figures(uow, period, settings, states, buckets.days),
        units=unit_league(
            uow, period, people, min_cases=settings.league_min_cases, earlier=earlier
        ),
        min_cases=settings.league_min_cases,
        staff=people,
        repeat_customers=repeat_customers(uow, period),
        slipping=slipping,
        flagged=flagged_reports(uow, period),
        at_risk=loyalty_risks(uow, period),
        appendix=appendix(uow, period, states),
    )
