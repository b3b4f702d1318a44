"""The figures of the log: the monthly summary's numbers, and any complaint's status at a moment.

Every figure the monthly report prints is computed here, with SQL aggregates and bounded queries
(rows of one month, or of the complaints still open), never by loading every complaint.

Periods are calendar months on this computer's clock, as due dates are: a month runs from local
midnight on its first day to local midnight on the first day of the next month.

Status at a moment (the rule the report states): the denormalised `Complaint.status` is today's, so
the status at an earlier moment T is rebuilt from history.
- A complaint received at or after T did not exist yet.
- Closing is final (a closed complaint can never change), so a complaint with `closed_at` before T
  had its current, closed status at T.
- Otherwise it was open at T: *new* if it had no delegation before T; *awaiting callback* if the
  latest report filed before T answers the latest delegation made before T; *delegated* otherwise
  (a send-back or a not-satisfied callback starts a new delegation, so it is delegated again).
- Its due date at T: a delegated complaint's report was due on that delegation's due date; an
  awaiting one's callback was due by policy one business step after the report, or after the last
  unanswered attempt made before T.
- "At month end" means as at the start of the first day of the next month, the way the app shows
  it that morning: anything due on or before the month's last day and not done is overdue, and
  days overdue are counted to the first day of the next month.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from ceo_desk.core import policy
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import CLOSED_STATUSES, Loyalty, Outcome, Status, UnitKind
from ceo_desk.errors import ValidationError
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
# Resolution time buckets as complaint regulators count them.
WITHIN_3_BUSINESS_DAYS = "Within 3 business days"
WITHIN_4_WEEKS = "Within 4 weeks"
FOUR_TO_8_WEEKS = "4 to 8 weeks"
OVER_8_WEEKS = "Over 8 weeks"
BUCKETS = (WITHIN_3_BUSINESS_DAYS, WITHIN_4_WEEKS, FOUR_TO_8_WEEKS, OVER_8_WEEKS)

_MONTH_PATTERN = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def local_day(moment: datetime) -> date:
    """The calendar day of a moment on this computer's clock (the day due dates are kept in)."""
    # Reports convert thousands of moments: the zone's offset is looked up once per hour.
    seconds = moment.timestamp()
    offset = _steady_offset(int(seconds // 3600))
    if offset is None:  # the clocks change within this hour
        return moment.astimezone().date()
    return date.fromordinal(_EPOCH_ORDINAL + int((seconds + offset) // 86400))


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@lru_cache(maxsize=16384)
def _steady_offset(hour: int) -> float | None:
    """The local UTC offset in seconds throughout this hour since the epoch, if it is steady."""
    start = datetime.fromtimestamp(hour * 3600, UTC).astimezone().utcoffset()
    end = datetime.fromtimestamp(hour * 3600 + 3599, UTC).astimezone().utcoffset()
    if start is None or start != end:
        return None
    return start.total_seconds()


def day_start(day: date) -> datetime:
    """Local midnight at the start of `day`, in UTC."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


# ---------------------------------------------------------------- months


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH_PATTERN.match(text or "")
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
            raise ValidationError(
                f"Month '{text}' is not a month; write it as YYYY-MM, for example 2026-03.",
                field="month",
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    @property
    def start(self) -> datetime:
        return day_start(self.first_day)

    @property
    def end(self) -> datetime:
        return day_start(self.next().first_day)

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return self.first_day.strftime("%B %Y")

    def __str__(self) -> str:
        return self.iso


def last_complete_month(today: date) -> Month:
    return Month.containing(today).previous()


@dataclass(frozen=True)
class Period:
    """A month as far as it has happened: `end` is the month's end, or now for the current month."""

    month: Month
    start: datetime
    end: datetime
    complete: bool

    @classmethod
    def of(cls, month: Month, now: datetime) -> Period:
        if month.start > now:
            raise ValidationError(
                f"{month.label} has not begun yet; choose {Month.containing(local_day(now))} or "
                "an earlier month.",
                field="month",
            )
        complete = month.end <= now
        return cls(month, month.start, month.end if complete else now, complete)

    @property
    def end_day(self) -> date:
        """The day overdue is judged on: the first day of the next month, or today."""
        return self.month.next().first_day if self.complete else local_day(self.end)


# ---------------------------------------------------------------- business days, cached


class _DayMath:
    """Business-day arithmetic through core.policy, cached: reports ask the same pairs often."""

    def __init__(self, settings: OfficeSettings) -> None:
        self.settings = settings
        self._between: dict[tuple[date, date], int] = {}
        self._added: dict[tuple[date, int], date] = {}

    def between(self, start: date, end: date) -> int:
        key = (start, end)
        found = self._between.get(key)
        if found is None:
            found = policy.business_days_between(start, end, self.settings)
            self._between[key] = found
        return found

    def add(self, start: date, count: int) -> date:
        key = (start, count)
        found = self._added.get(key)
        if found is None:
            found = policy.add_business_days(start, count, self.settings)
            self._added[key] = found
        return found


def median(values: Iterable[float]) -> float | None:
    data = list(values)
    return float(statistics.median(data)) if data else None


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ---------------------------------------------------------------- status at a moment


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
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


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
                .where(model.complaint_id.in_(chunk), when < moment)
                .group_by(model.complaint_id)
            ).all()
        )
    return found


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
) -> list[OpenState]:
    """Every complaint open at `moment`, with its status, delegate and due date then.

    Overdue is judged on `judged_on` (default: the local day of `moment`): due before that day.
    Bounded: one query for the open complaints, then look-ups by id for just those.
    """
    settings = settings or load_settings(uow)
    day_math = _DayMath(settings)
    judge = judged_on or local_day(moment)
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
            .where(Callback.report_id.in_(chunk), Callback.made_at < moment)
            .group_by(Callback.report_id)
        ):
            last_attempt[report_id] = _must(made)
    states = []
    for cid, ref, received, customer, summary in complaints:
        did = delegation_of.get(cid)
        rid = report_of.get(cid)
        due: date | None = None
        due_for = ""
        staff: str | None = None
        if did is None:
            status = Status.NEW
        else:
            report_due, staff = delegations[did]
            if rid is not None and reports[rid][0] == did:
                status = Status.AWAITING_CALLBACK
                due_for = "callback"
                attempt = last_attempt.get(rid)
                if attempt is not None:
                    due = day_math.add(local_day(attempt), 1)
                else:
                    filed_day = local_day(reports[rid][1])
                    due = day_math.add(filed_day, settings.callback_due_days)
            else:
                status = Status.DELEGATED
                due_for = "report"
                due = _as_day(report_due)
        overdue_days = (judge - due).days if due is not None and due < judge else 0
        states.append(
            OpenState(
                cid, ref, received, customer, summary, status, staff, due, due_for, overdue_days
            )
        )
    return states


def _as_moment(value: Any) -> datetime | None:
    """A timestamp from an aggregate; SQLite may hand back text for max()."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


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
        counts[Status(status)] += int(n)
    return counts


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

    @property
    def first_callback_share(self) -> float | None:
        return share(self.resolved_first_callback, self.resolved)


def _in(column: Any, period: Period) -> Any:
    return and_(column >= period.start, column < period.end)


def headline(
    uow: UnitOfWork,
    period: Period,
    *,
    settings: OfficeSettings | None = None,
    open_states: list[OpenState] | None = None,
) -> Headline:
    settings = settings or load_settings(uow)
    day_math = _DayMath(settings)
    session = uow.session
    received_row = session.execute(
        select(
            func.count(),
            func.sum(case((Complaint.ceo_spoke.is_(True), 1), else_=0)),
            func.avg(Complaint.prior_contacts),
        ).where(_in(Complaint.received_at, period))
    ).one()
    closed = dict.fromkeys(CLOSED_STATUSES, 0)
    for status, n in session.execute(
        select(Complaint.status, func.count())
        .where(_in(Complaint.closed_at, period))
        .group_by(Complaint.status)
    ):
        closed[Status(status)] = int(n)
    states = (
        open_states
        if open_states is not None
        else open_states_at(uow, period.end, judged_on=period.end_day, settings=settings)
    )
    reopened_or_unhappy = select(Callback.complaint_id).where(
        Callback.outcome == Outcome.NOT_SATISFIED.value
    )
    resolved_first = session.scalar(
        select(func.count()).where(
            Complaint.status == Status.RESOLVED.value,
            _in(Complaint.closed_at, period),
            Complaint.id.not_in(reopened_or_unhappy),
        )
    )
    reopened = session.scalar(
        select(func.count(func.distinct(Callback.complaint_id))).where(
            Callback.outcome == Outcome.NOT_SATISFIED.value, _in(Callback.made_at, period)
        )
    )
    earlier = aliased(Report)
    first_in_period = (
        select(Complaint.received_at, Report.filed_at)
        .join(Complaint, Complaint.id == Report.complaint_id)
        .where(
            _in(Report.filed_at, period),
            ~select(earlier.id)
            .where(earlier.complaint_id == Report.complaint_id, earlier.id < Report.id)
            .exists(),
        )
    )
    to_report = [
        day_math.between(local_day(received), local_day(filed))
        for received, filed in session.execute(first_in_period)
    ]
    to_confirmation = [
        day_math.between(local_day(filed), local_day(made))
        for filed, made in session.execute(
            select(Report.filed_at, Callback.made_at)
            .join(Report, Report.id == Callback.report_id)
            .where(Callback.outcome == Outcome.SATISFIED.value, _in(Callback.made_at, period))
        )
    ]
    costs = {
        currency: int(total or 0)
        for currency, total in session.execute(
            select(Report.currency, func.sum(Report.cost_minor))
            .where(
                _in(Report.filed_at, period),
                or_(Report.sent_back_at.is_(None), Report.sent_back_at >= period.end),
            )
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
    )


def _must(value: Any) -> datetime:
    moment = _as_moment(value)
    assert moment is not None
    return moment


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
        local_day(moment)
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
    last = _category_counts(uow, before.start, before.end)
    window_start = period.month.shifted(1 - REPEAT_WINDOW_MONTHS).start
    longer = _category_counts(uow, window_start, period.end)
    names = set(this) | set(longer)
    rows = [NamedCount(n, this.get(n, 0), last.get(n, 0), longer.get(n, 0)) for n in names]
    rows.sort(key=lambda r: (-r.count, -r.longer, r.name.lower()))
    return rows


# ---------------------------------------------------------------- resolution times


def resolution_buckets(uow: UnitOfWork, period: Period, settings: OfficeSettings) -> dict[str, int]:
    """Complaints resolved in the month by time from receipt to the confirming call."""
    day_math = _DayMath(settings)
    counts = dict.fromkeys(BUCKETS, 0)
    for received, closed in uow.session.execute(
        select(Complaint.received_at, Complaint.closed_at).where(
            Complaint.status == Status.RESOLVED.value, _in(Complaint.closed_at, period)
        )
    ):
        counts[bucket_for(local_day(received), local_day(_must(closed)), day_math)] += 1
    return counts


def bucket_for(received: date, resolved: date, day_math: _DayMath | OfficeSettings) -> str:
    math_ = day_math if isinstance(day_math, _DayMath) else _DayMath(day_math)
    if math_.between(received, resolved) <= 3:
        return WITHIN_3_BUSINESS_DAYS
    days = (resolved - received).days
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
    resolved: int = 0
    reports: int = 0
    reports_on_time: int = 0
    callbacks_answered: int = 0
    satisfied_first: int = 0
    sent_back: int = 0
    rank: int = 0
    weakest: bool = False

    @property
    def on_time_rate(self) -> float | None:
        return share(self.reports_on_time, self.reports)

    @property
    def first_callback_rate(self) -> float | None:
        return share(self.satisfied_first, self.callbacks_answered)

    @property
    def score(self) -> float | None:
        """The mean of the rates the unit has; the league is ranked on it."""
        rates = [r for r in (self.on_time_rate, self.first_callback_rate) if r is not None]
        return sum(rates) / len(rates) if rates else None


def _id_counts(rows: Iterable[Any]) -> dict[int, int]:
    return {int(key): int(n or 0) for key, n in rows if key is not None}


def staff_figures(uow: UnitOfWork, period: Period, settings: OfficeSettings) -> list[StaffFigures]:
    """What each person who handled complaints in the month did, from grouped queries."""
    day_math = _DayMath(settings)
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
            .where(_in(Delegation.delegated_at, period))
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
            func.sum(case((Callback.outcome == Outcome.SATISFIED.value, 1), else_=0)),
        )
        .join(Report, Report.id == Callback.report_id)
        .where(
            Callback.outcome.in_([Outcome.SATISFIED.value, Outcome.NOT_SATISFIED.value]),
            _in(Callback.made_at, period),
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
                Complaint.status == Status.RESOLVED.value,
                _in(Complaint.closed_at, period),
                Complaint.current_delegate_id.is_not(None),
            )
            .group_by(Complaint.current_delegate_id)
        ).all()
    )
    timings = session.execute(
        select(Report.filed_by_staff_id, Delegation.delegated_at, Report.filed_at)
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
    for sid, delegated_at, filed_at in timings:
        person(sid).days_to_report.append(
            day_math.between(local_day(delegated_at), local_day(filed_at))
        )
    return sorted(people.values(), key=lambda p: (p.unit_name.lower(), p.name.lower()))


def unit_league(uow: UnitOfWork, period: Period, people: list[StaffFigures]) -> list[UnitFigures]:
    """Departments and partners ranked best to worst; the bottom quarter are the weakest links.

    Ranked on the mean of the report on-time rate and the first-callback satisfaction rate (those
    the unit has), then fewer send-backs, then fewer complaints caused. A unit with no reports or
    calls in the month ranks below those with rates, fewest complaints caused first.
    """
    units: dict[int, UnitFigures] = {}
    caused = _id_counts(
        uow.session.execute(
            select(Complaint.caused_by_unit_id, func.count())
            .where(_in(Complaint.received_at, period), Complaint.caused_by_unit_id.is_not(None))
            .group_by(Complaint.caused_by_unit_id)
        ).all()
    )
    wanted = set(caused) | {p.unit_id for p in people}
    if not wanted:
        return []
    for uid, name, kind in uow.session.execute(
        select(Unit.id, Unit.name, Unit.kind).where(Unit.id.in_(wanted))
    ):
        units[uid] = UnitFigures(uid, name, UnitKind(kind))
    for uid, n in caused.items():
        units[uid].caused = int(n)
    for p in people:
        unit = units[p.unit_id]
        unit.resolved += p.resolved
        unit.reports += p.reports
        unit.reports_on_time += p.reports_on_time
        unit.callbacks_answered += p.callbacks_answered
        unit.satisfied_first += p.satisfied
        unit.sent_back += p.sent_back

    def key(u: UnitFigures) -> tuple[int, float, int, int, str]:
        score = u.score
        return (
            0 if score is not None else 1,
            -(score or 0.0),
            u.sent_back,
            u.caused,
            u.name.lower(),
        )

    ranked = sorted(units.values(), key=key)
    weakest = math.ceil(len(ranked) / 4) if len(ranked) >= 2 else 0
    for index, unit in enumerate(ranked, start=1):
        unit.rank = index
        unit.weakest = index > len(ranked) - weakest
    return ranked


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
    window_start = period.month.shifted(1 - REPEAT_WINDOW_MONTHS).start
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
        FlaggedReport(ref, local_day(filed), staff, [t for t in terms.split(",") if t], said)
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
            Callback.loyalty.in_([Loyalty.AT_RISK.value, Loyalty.LEAVING.value]),
        )
        .order_by(case((Callback.loyalty == Loyalty.LEAVING.value, 0), else_=1), Callback.made_at)
    )
    return [
        LoyaltyRisk(ref, name, local_day(made), Loyalty(str(loyalty)), Outcome(outcome), words)
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
    """One line per complaint received or closed in the month, oldest receipt first."""
    open_by_id = {s.complaint_id: s for s in open_states}
    query = (
        select(
            Complaint.id,
            Complaint.reference,
            Complaint.received_at,
            Complaint.closed_at,
            Complaint.status,
            Customer.name,
            Category.name,
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .outerjoin(Category, Category.id == Complaint.category_id)
        .where(
            or_(_in(Complaint.received_at, period), _in(Complaint.closed_at, period)),
        )
        .order_by(Complaint.received_at, Complaint.id)
    )
    found = uow.session.execute(query).all()
    delegation_of = _latest_ids(uow, Delegation, [row[0] for row in found], period.end)
    names: dict[int, str] = {}
    for chunk in _chunks(list(delegation_of.values())):
        names.update(
            uow.session.execute(
                select(Delegation.id, Staff.name)
                .join(Staff, Staff.id == Delegation.staff_id)
                .where(Delegation.id.in_(chunk))
            ).all()
        )
    rows = []
    for cid, ref, received, closed, status, customer, category in found:
        state = open_by_id.get(cid)
        closed_in_time = closed is not None and closed < period.end
        outcome = Status(status) if closed_in_time or state is None else state.status
        did = delegation_of.get(cid)
        rows.append(
            AppendixRow(
                ref,
                local_day(received),
                local_day(closed) if closed is not None and closed_in_time else None,
                customer,
                category or UNCATEGORISED,
                names.get(did, "") if did is not None else "",
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
    buckets: dict[str, int]
    units: list[UnitFigures]
    staff: list[StaffFigures]
    repeat_customers: list[RepeatCustomer]
    slipping: list[OpenState]  # open and past a due date at month end, most overdue first
    flagged: list[FlaggedReport]
    at_risk: list[LoyaltyRisk]
    appendix: list[AppendixRow]

    @property
    def month(self) -> Month:
        return self.period.month


def monthly_summary(
    uow: UnitOfWork, month: Month, *, now: datetime | None = None
) -> MonthlySummary:
    """Everything the monthly report prints, for `month` (as far as it has happened by `now`)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    period = Period.of(month, moment)
    previous_period = Period.of(month.previous(), moment)
    settings = load_settings(uow)
    states = open_states_at(uow, period.end, judged_on=period.end_day, settings=settings)
    previous_states = open_states_at(
        uow, previous_period.end, judged_on=previous_period.end_day, settings=settings
    )
    status_at_end = status_counts_at(uow, period.end, states, received_from=period.start)
    people = staff_figures(uow, period, settings)
    slipping = sorted(
        (s for s in states if s.overdue),
        key=lambda s: (-s.days_overdue, s.received_at, s.reference),
    )
    return MonthlySummary(
        period=period,
        previous_period=previous_period,
        currency=settings.currency,
        headline=headline(uow, period, settings=settings, open_states=states),
        previous=headline(uow, previous_period, settings=settings, open_states=previous_states),
        weeks=received_per_week(uow, period),
        categories=categories(uow, period),
        status_at_end=status_at_end,
        buckets=resolution_buckets(uow, period, settings),
        units=unit_league(uow, period, people),
        staff=people,
        repeat_customers=repeat_customers(uow, period),
        slipping=slipping,
        flagged=flagged_reports(uow, period),
        at_risk=loyalty_risks(uow, period),
        appendix=appendix(uow, period, states),
    )


# ---------------------------------------------------------------- one customer


@dataclass(frozen=True)
class PastComplaint:
    reference: str
    received_on: date
    status: Status
    summary: str


@dataclass(frozen=True)
class CustomerHistory:
    total: int  # other complaints from the same customer, ever
    recent: list[PastComplaint]  # the latest few, newest first


def customer_history(
    uow: UnitOfWork, customer_id: int, *, excluding: int | None = None, limit: int = 4
) -> CustomerHistory:
    """The customer's other complaints: how many, and the latest few."""
    condition = [Complaint.customer_id == customer_id]
    if excluding is not None:
        condition.append(Complaint.id != excluding)
    total = uow.session.scalar(select(func.count()).where(*condition)) or 0
    recent = [
        PastComplaint(ref, local_day(received), Status(status), summary)
        for ref, received, status, summary in uow.session.execute(
            select(Complaint.reference, Complaint.received_at, Complaint.status, Complaint.summary)
            .where(*condition)
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
            .limit(limit)
        )
    ]
    return CustomerHistory(int(total), recent)
