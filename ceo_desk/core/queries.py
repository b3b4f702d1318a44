"""The read side: lists, the complaint with its history, due items and counters.

Every list filters, sorts and pages in SQL on indexed columns and hands back plain row snapshots,
never live ORM objects, so the GUI can hold them without a session.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, false, func, literal_column, or_, select
from sqlalchemy.orm import aliased

from ceo_desk.core import (
    deadlines,
    fields,
    json_values,
    list_order,
    policy,
    provenance,
    visibility,
)
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.list_order import SortKey as SortKey
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import (
    OPEN_STATUSES,
    Channel,
    FiledHow,
    Loyalty,
    MessageKind,
    OutboxState,
    Outcome,
    ReputationFlag,
    Severity,
    Status,
)
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import (
    Category,
    ClockPause,
    Complaint,
    Customer,
    Delegation,
    Event,
    EventChange,
    OutboxMessage,
    Report,
    ReportedCallback,
    Staff,
)

# One complaint's whole history (`complaint_detail`) needs the complaint services, its promises
# and its files: loaded there, so the lists, the counters and `ceo-desk list` start without them.
# Search and the intake deadlines load in the lists that use them: `show` starts without them.
if TYPE_CHECKING:
    from ceo_desk.core import search
    from ceo_desk.core.attachments import AttachmentInfo
    from ceo_desk.core.services.promises import PromiseView

# ---------------------------------------------------------------- overdue and due


# The statuses that have something due, and the column holding when (each indexed with status).
DUE_COLUMNS: dict[Status, Any] = {
    Status.DELEGATED: Complaint.report_due_on,
    Status.AWAITING_CALLBACK: Complaint.callback_due_on,
}


def clock_running_clause() -> Any:
    """The complaint's clock is not paused: while it waits for the customer or a third party,
    nothing of it is late (found through the indexed clock_pause.complaint_id)."""
    return ~select(ClockPause.id).where(deadlines.running_pause_clause()).exists()


def overdue_clause(today: date, status: Any = Complaint.status) -> Any:
    """Open complaints past their report or callback due date (both indexed with status), their
    clock running."""
    return and_(
        or_(*(and_(status == s, due < today) for s, due in DUE_COLUMNS.items())),
        clock_running_clause(),
    )


def chase_clauses(until: date) -> list[Any]:
    """The reports to chase: delegated, due by `until`, the clock running."""
    return [
        Complaint.status == Status.DELEGATED,
        Complaint.current_delegate_id.is_not(None),
        Complaint.report_due_on <= until,
        clock_running_clause(),
    ]


def callback_due_clause(today: date) -> Any:
    """Waiting for the CEO's call, due today or earlier (the Today list), and not already
    called: a satisfied callback waiting for the CEO's countersignature is listed there
    instead (found through the indexed reported_callback.complaint_id)."""
    return and_(
        Complaint.status == Status.AWAITING_CALLBACK,
        Complaint.callback_due_on <= today,
        ~awaiting_countersign_clause(),
    )


def awaiting_countersign_clause() -> Any:
    """The complaint has a satisfied callback waiting for the CEO's countersignature."""
    return (
        select(ReportedCallback.id)
        .where(
            ReportedCallback.complaint_id == Complaint.id,
            ReportedCallback.countersigned_at.is_(None),
            ReportedCallback.set_aside_at.is_(None),
        )
        .exists()
    )


def report_overdue_clause(today: date, status: Any = Complaint.status) -> Any:
    return and_(
        status == Status.DELEGATED, DUE_COLUMNS[Status.DELEGATED] < today, clock_running_clause()
    )


def due_today_clause(today: date, status: Any = Complaint.status) -> Any:
    return or_(*(and_(status == s, due == today) for s, due in DUE_COLUMNS.items()))


def _list_status(uow: UnitOfWork) -> Any:
    """The status column for a list filter that keeps several statuses.

    SQLite would collect such rows through the status indexes and then sort them; the unary +
    hides those indexes, so it walks the list's own order and checks each row instead.
    """
    if uow.dialect == "sqlite":
        return literal_column("+complaint.status", Complaint.status.type)
    return Complaint.status


def next_due_on(
    status: Status, report_due_on: date | None, callback_due_on: date | None
) -> date | None:
    if status is Status.DELEGATED:
        return report_due_on
    if status is Status.AWAITING_CALLBACK:
        return callback_due_on
    return None


# ---------------------------------------------------------------- the main list


@dataclass(frozen=True)
class ComplaintFilter:
    text: str = ""
    statuses: frozenset[Status] = frozenset()
    severities: frozenset[Severity] = frozenset()
    category_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()  # caused by
    staff_ids: frozenset[int] = frozenset()  # current delegate
    customer_id: int | None = None
    overdue: bool = False
    due_today: bool = False
    open_only: bool = False
    received_from: date | None = None
    received_to: date | None = None


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    reference: str
    status: Status
    received_at: datetime
    customer_name: str
    summary: str
    severity: Severity
    category: str | None
    delegate: str | None
    due_on: date | None
    reopen_count: int
    version: int
    # Why the row matched the search (with a search typed).
    matched: search.Match | None = None
    final_response: deadlines.FinalResponse | None = None

    def days_overdue(self, today: date) -> int:
        if self.due_on is None or self.due_on >= today:
            return 0
        return (today - self.due_on).days


_Delegate = aliased(Staff)


def _due_column() -> Any:
    return case(
        (Complaint.status == Status.DELEGATED, Complaint.report_due_on),
        (Complaint.status == Status.AWAITING_CALLBACK, Complaint.callback_due_on),
        else_=None,
    )


def _conditions(
    uow: UnitOfWork, flt: ComplaintFilter, today: date, *, first_page: bool = False
) -> list[Any]:
    from ceo_desk.core import search, to_delegate

    conditions: list[Any] = visibility.visible_complaints(uow)
    if flt.text.strip():
        clause = search.matching_ids_clause(uow, flt.text, first_page=first_page)
        if clause is not None:
            conditions.append(clause)
    if flt.statuses:
        conditions.append(Complaint.status.in_(list(flt.statuses)))
    elif flt.open_only:
        conditions.append(_list_status(uow).in_(list(OPEN_STATUSES)))
    if flt.severities:
        conditions.append(Complaint.severity.in_(list(flt.severities)))
    if flt.category_ids:
        conditions.append(Complaint.category_id.in_(flt.category_ids))
    if flt.unit_ids:
        conditions.append(Complaint.caused_by_unit_id.in_(flt.unit_ids))
    if flt.staff_ids:
        conditions.append(Complaint.current_delegate_id.in_(flt.staff_ids))
    if flt.customer_id is not None:
        conditions.append(Complaint.customer_id == flt.customer_id)
    if flt.overdue:
        status = _list_status(uow)
        intake_late = to_delegate.overdue_clause(to_delegate.cutoffs_at(uow, today), status)
        conditions.append(or_(overdue_clause(today, status), intake_late))
    if flt.due_today:
        conditions.append(due_today_clause(today, _list_status(uow)))
    if flt.received_from:
        conditions.append(Complaint.received_at >= SYSTEM_CLOCK.day_start(flt.received_from))
    if flt.received_to:
        conditions.append(
            Complaint.received_at < SYSTEM_CLOCK.day_start(flt.received_to + timedelta(days=1))
        )
    return conditions


def _status_parts(uow: UnitOfWork, flt: ComplaintFilter, today: date) -> list[list[Any]] | None:
    """The filter's statuses as disjoint parts, one status each with what else that status
    needs (overdue: its own due column before today), or None when no status is chosen.

    Read in the received order, each part walks its status's own index and the parts are
    merged (`list_order`): "Overdue only" then checks the open complaints' rows, not the log's.
    """
    from ceo_desk.core import to_delegate

    chosen: dict[Status, list[Any]] | None = None
    # On SQLite the due column is checked row by row (unary +): through its own index the
    # planner would collect the due rows and sort them by date received.
    due_of = {
        s: literal_column(f"+complaint.{due.key}", due.type) if uow.dialect == "sqlite" else due
        for s, due in DUE_COLUMNS.items()
    }

    def keep(allowed: dict[Status, list[Any]]) -> None:
        nonlocal chosen
        if chosen is None:
            chosen = allowed
        else:
            chosen = {s: [*chosen[s], *allowed[s]] for s in chosen if s in allowed}

    if flt.statuses:
        keep({s: [] for s in flt.statuses})
    elif flt.open_only:
        keep({s: [] for s in OPEN_STATUSES})
    if flt.overdue:
        # A call not yet delegated is late once its time to be delegated has passed.
        late_intake = to_delegate.overdue_clause(to_delegate.cutoffs_at(uow, today))
        running = clock_running_clause()
        keep(
            {**{s: [due < today, running] for s, due in due_of.items()}, Status.NEW: [late_intake]}
        )
    if flt.due_today:
        keep({s: [due == today] for s, due in due_of.items()})
    if chosen is None:
        return None
    parts = [[Complaint.status == s, *extra] for s, extra in sorted(chosen.items())]
    return parts or [[false()]]  # no status can match (say, resolved and overdue)


def _list_where(
    uow: UnitOfWork, flt: ComplaintFilter, today: date, sort: SortKey, *, first_page: bool
) -> tuple[list[Any], list[list[Any]]]:
    """The list's conditions, and (in the received order) its status parts read apart."""
    parts = _status_parts(uow, flt, today) if sort is SortKey.RECEIVED else None
    if parts is None:
        return _conditions(uow, flt, today, first_page=first_page), []
    rest = replace(flt, statuses=frozenset(), open_only=False, overdue=False, due_today=False)
    return _conditions(uow, rest, today, first_page=first_page), parts


def count_complaints(uow: UnitOfWork, flt: ComplaintFilter, *, today: date | None = None) -> int:
    from ceo_desk.core import search

    words_alone = replace(flt, text="") == ComplaintFilter()
    if (
        flt.text.strip()
        and words_alone
        and search.counts_in_index(flt.text)
        and visibility.sees_whole_log(uow)
    ):
        # Words alone: the text index counts its own matches without touching the table.
        return search.count_matches(uow, flt.text)
    query = select(func.count(Complaint.id)).where(
        *_conditions(uow, flt, today or SYSTEM_CLOCK.today())
    )
    return int(uow.session.scalar(query) or 0)


def complaint_ids(
    uow: UnitOfWork,
    flt: ComplaintFilter,
    *,
    sort: SortKey = SortKey.RECEIVED,
    descending: bool = True,
    limit: int | None = None,
    today: date | None = None,
) -> list[int]:
    """The ids of the matching complaints in the list's order, read through indexes."""
    day = today or SYSTEM_CLOCK.today()
    where, parts = _list_where(uow, flt, day, sort, first_page=limit is not None)
    return list_order.ordered_ids(uow.session, where, sort, descending, limit=limit, parts=parts)


def complaint_rows(uow: UnitOfWork, ids: list[int], *, text: str = "") -> list[ComplaintRow]:
    """The list rows of these complaints, in the order given (ids no longer there are left out).

    With the search text, each row says why it matched when no column shown says it already.
    """
    from ceo_desk.core import search

    if not ids:
        return []
    query = (
        select(
            Complaint.id,
            Complaint.reference,
            Complaint.status,
            Complaint.received_at,
            Customer.name,
            Complaint.summary,
            Complaint.severity,
            Category.name,
            _Delegate.name,
            _due_column(),
            Complaint.reopen_count,
            Complaint.version,
            Complaint.closed_at,
            _ever_paused(),
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .outerjoin(Category, Category.id == Complaint.category_id)
        .outerjoin(_Delegate, _Delegate.id == Complaint.current_delegate_id)
        .where(Complaint.id.in_(ids))
    )
    found = {row[0]: row for row in uow.session.execute(query)}
    ordered = [found[i] for i in ids if i in found]
    reasons: dict[int, search.Match] = {}
    if search.terms(text):
        reasons = search.match_reasons(uow, text, [_shown(row) for row in ordered])
    # Every read of the deadline's own is saved (a round trip each on PostgreSQL, for each
    # keystroke's first rows) but the pauses of the few complaints ever paused.
    finals = deadlines.final_responses(
        uow,
        list(found),
        today=SYSTEM_CLOCK.today(),
        read={row[0]: (row[3], row[12]) for row in ordered},
        paused=[row[0] for row in ordered if row[13]],
    )
    return [
        ComplaintRow(
            id=row[0],
            reference=row[1],
            status=row[2],
            received_at=row[3],
            customer_name=row[4],
            summary=row[5],
            severity=row[6],
            category=row[7],
            delegate=row[8],
            due_on=_as_date(row[9]),
            reopen_count=row[10],
            version=row[11],
            matched=reasons.get(row[0]),
            final_response=finals.get(row[0]),
        )
        for row in ordered
    ]


def _ever_paused() -> Any:
    """Whether the complaint's clock was ever paused (the indexed clock_pause.complaint_id):
    only those have pauses to read for their final-response deadline."""
    return select(ClockPause.id).where(ClockPause.complaint_id == Complaint.id).exists()


def _shown(row: Any) -> search.ShownRow:
    """The columns the list shows, from a row of `complaint_rows`'s query."""
    from ceo_desk.core import search

    return search.ShownRow(
        row[0],
        (
            ("reference", row[1]),
            ("customer", row[4]),
            ("summary", row[5]),
            ("category", row[7] or ""),
            ("delegate", row[8] or ""),
        ),
    )


def list_complaints(
    uow: UnitOfWork,
    flt: ComplaintFilter,
    *,
    sort: SortKey = SortKey.RECEIVED,
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
    today: date | None = None,
) -> list[ComplaintRow]:
    ids = complaint_ids(
        uow, flt, sort=sort, descending=descending, limit=offset + limit, today=today
    )
    return complaint_rows(uow, ids[offset:], text=flt.text)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# ---------------------------------------------------------------- one complaint, whole


@dataclass(frozen=True)
class DelegationView:
    staff_id: int
    staff_name: str
    staff_email: str | None
    unit_name: str
    delegated_at: datetime
    delegated_by: str
    instructions: str
    report_due_on: date
    withdrawn_at: datetime | None = None  # made by an outcome later withdrawn


@dataclass(frozen=True)
class ReportView:
    id: int
    said: str
    done: str
    accommodation: str
    cost_minor: int
    currency: str
    root_cause: str
    filed_at: datetime
    filed_by: str
    on_time: bool
    flagged_terms: list[str]
    sent_back_at: datetime | None
    sent_back_comment: str | None
    filed_how: FiledHow = FiledHow.TYPED
    provenance: str = ""  # who filed it and how, in words (`core.provenance.describe`)


@dataclass(frozen=True)
class CallbackView:
    scheduled_for: date
    made_at: datetime
    outcome: Outcome
    satisfaction: int | None
    customer_words: str
    loyalty: Loyalty | None
    notes: str
    made_by: str
    withdrawn_at: datetime | None = None  # recorded by mistake and withdrawn


@dataclass(frozen=True)
class EventView:
    id: int
    at: datetime
    os_user: str
    role: str
    action: str
    description: str
    # An edit's fields: (attribute, value before, value after), as stored; empty when erased.
    changes: tuple[tuple[str, Any, Any], ...] = ()


@dataclass(frozen=True)
class ComplaintDetail:
    id: int
    reference: str
    version: int
    status: Status
    received_at: datetime
    channel: Channel
    summary: str
    details: str
    customer_wants: str
    severity: Severity
    category_id: int | None
    category: str | None
    ceo_spoke: bool
    ceo_promised: str
    prior_contacts: int
    caused_by_unit_id: int | None
    caused_by_unit: str | None
    customer_id: int
    customer_name: str
    customer_phone: str | None
    customer_email: str | None
    customer_organisation: str | None
    customer_account_ref: str | None
    customer_erased: bool
    customer_complaints: int  # this one included: a change to the customer touches them all
    current_delegate_id: int | None
    current_delegate: str | None
    report_due_on: date | None
    callback_due_on: date | None
    unanswered_attempts: int
    reopen_count: int
    closed_at: datetime | None
    withdrawn_reason: str | None
    duplicate_of: str | None
    customer_version: int = 1  # the customer row's, for saving an edit of their details
    callback_due_time: time | None = None  # a callback due later the same day
    customer_vulnerable: bool = False
    flag_mp: bool = False
    flag_journalist: bool = False
    flag_regulator: bool = False
    flag_social_media: bool = False
    promises: list[PromiseView] = field(default_factory=list)
    delegations: list[DelegationView] = field(default_factory=list)
    reports: list[ReportView] = field(default_factory=list)
    callbacks: list[CallbackView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    attachments: list[AttachmentInfo] = field(default_factory=list)
    final_response: deadlines.FinalResponse | None = None
    paused_for: str | None = None  # why the clock stands still now; None while it runs

    @property
    def latest_report(self) -> ReportView | None:
        return self.reports[-1] if self.reports else None

    @property
    def due_on(self) -> date | None:
        return next_due_on(self.status, self.report_due_on, self.callback_due_on)

    def field_json(self) -> dict[str, Any]:
        """The complaint's declared fields, each under its declared JSON name (`core.fields`);
        this class names its attributes after those names, so a declared field is never left
        out."""
        return {
            f.json: json_values.plain(getattr(self, f.json)) for f in fields.JSON_VISIBLE if f.json
        }

    def to_json(self) -> dict[str, Any]:
        """`ceo-desk show --json`: the declared fields, then what only this view carries (ids,
        counters, the hand-offs, reports, callbacks and history)."""
        declared = {f.json for f in fields.JSON_VISIBLE}
        rest = {name: value for name, value in asdict(self).items() if name not in declared}
        return {**self.field_json(), **json_values.plain(rest)}


def _edit_changes(
    uow: UnitOfWork, event_ids: list[int]
) -> dict[int, tuple[tuple[str, Any, Any], ...]]:
    """The old and new values of each edit, for the timeline; an erased customer's are gone."""
    if not event_ids:
        return {}
    found: dict[int, tuple[tuple[str, Any, Any], ...]] = {}
    for change in uow.session.scalars(
        select(EventChange).where(
            EventChange.event_id.in_(event_ids), EventChange.redacted_at.is_(None)
        )
    ):
        before, after = json.loads(change.before_json), json.loads(change.after_json)
        found[change.event_id] = tuple(
            (name, before.get(name), after[name]) for name in after if name in fields.BY_ATTRIBUTE
        )
    return found


def complaint_detail(uow: UnitOfWork, reference: str) -> ComplaintDetail:
    from ceo_desk.core.attachments import list_for_complaints
    from ceo_desk.core.complaint_lookup import load
    from ceo_desk.core.services import promises

    c = load(uow, reference, for_update=False)
    visibility.require_visible(uow, c)
    duplicate = uow.session.get(Complaint, c.duplicate_of_id) if c.duplicate_of_id else None
    delegations = [
        DelegationView(
            d.staff_id,
            d.staff.name,
            d.staff.email,
            d.staff.unit.name,
            d.delegated_at,
            d.delegated_by,
            d.instructions,
            d.report_due_on,
            d.withdrawn_at,
        )
        for d in c.delegations
    ]
    reports = [
        ReportView(
            r.id,
            r.said,
            r.done,
            r.accommodation,
            r.cost_minor,
            r.currency,
            r.root_cause,
            r.filed_at,
            r.filed_by_staff.name,
            r.on_time,
            [t for t in r.flagged_terms.split(",") if t],
            r.sent_back_at,
            r.sent_back_comment,
            r.filed_how,
            provenance.describe(r.filed_how, r.filed_by_staff.name, r.filed_by, r.form_source),
        )
        for r in c.reports
    ]
    callbacks = [
        CallbackView(
            cb.scheduled_for,
            cb.made_at,
            cb.outcome,
            cb.satisfaction,
            cb.customer_words,
            cb.loyalty,
            cb.notes,
            cb.made_by,
            cb.withdrawn_at,
        )
        for cb in c.callbacks
    ]
    found = list(
        uow.session.scalars(select(Event).where(Event.complaint_id == c.id).order_by(Event.id))
    )
    edits = _edit_changes(uow, [e.id for e in found if e.action == "edited"])
    reasons = _reasons(uow, [e.id for e in found if e.action in ("clock_paused", "reopened")])
    events = [
        EventView(
            e.id,
            e.at,
            e.os_user,
            e.role,
            e.action,
            f"{e.description}: {reasons[e.id]}" if e.id in reasons else e.description,
            edits.get(e.id, ()),
        )
        for e in found
    ]
    running = uow.session.scalar(
        select(ClockPause.reason).where(
            ClockPause.complaint_id == c.id, deadlines.running_pause_clause()
        )
    )
    return ComplaintDetail(
        id=c.id,
        reference=c.reference,
        version=c.version,
        status=c.status,
        received_at=c.received_at,
        channel=c.channel,
        summary=c.summary,
        details=c.details,
        customer_wants=c.customer_wants,
        severity=c.severity,
        category_id=c.category_id,
        category=c.category.name if c.category else None,
        ceo_spoke=c.ceo_spoke,
        ceo_promised=c.ceo_promised,
        prior_contacts=c.prior_contacts,
        caused_by_unit_id=c.caused_by_unit_id,
        caused_by_unit=c.caused_by_unit.name if c.caused_by_unit else None,
        customer_id=c.customer_id,
        customer_name=c.customer.name,
        customer_phone=c.customer.phone,
        customer_email=c.customer.email,
        customer_organisation=c.customer.organisation,
        customer_account_ref=c.customer.account_ref,
        customer_erased=c.customer.erased_at is not None,
        customer_complaints=int(
            uow.session.scalar(
                select(func.count(Complaint.id)).where(Complaint.customer_id == c.customer_id)
            )
            or 0
        ),
        current_delegate_id=c.current_delegate_id,
        current_delegate=c.current_delegate.name if c.current_delegate else None,
        report_due_on=c.report_due_on,
        callback_due_on=c.callback_due_on,
        unanswered_attempts=c.unanswered_attempts,
        reopen_count=c.reopen_count,
        closed_at=c.closed_at,
        withdrawn_reason=c.withdrawn_reason,
        duplicate_of=duplicate.reference if duplicate else None,
        customer_version=c.customer.version,
        callback_due_time=c.callback_due_time,
        customer_vulnerable=c.customer.vulnerable,
        **{flag.attribute: getattr(c, flag.attribute) for flag in ReputationFlag},
        promises=promises.for_complaint(uow, c.id),
        delegations=delegations,
        reports=reports,
        callbacks=callbacks,
        events=events,
        attachments=list_for_complaints(uow, [c.id]),
        final_response=deadlines.final_responses(uow, [c.id], today=SYSTEM_CLOCK.today()).get(c.id),
        paused_for=running,
    )


def _reasons(uow: UnitOfWork, event_ids: list[int]) -> dict[int, str]:
    """Why each pause or reopening was made, for the timeline (kept with the event's values, so
    erasing the customer takes it away)."""
    if not event_ids:
        return {}
    found: dict[int, str] = {}
    for change in uow.session.scalars(
        select(EventChange).where(
            EventChange.event_id.in_(event_ids), EventChange.redacted_at.is_(None)
        )
    ):
        reason = json.loads(change.after_json).get("reason")
        if reason:
            found[change.event_id] = str(reason)
    return found


# ---------------------------------------------------------------- the working lists


@dataclass(frozen=True)
class CallbackDue:
    """One row of the CEO's Today list."""

    id: int
    reference: str
    customer_name: str
    customer_phone: str | None
    summary: str
    severity: Severity
    callback_due_on: date
    attempts: int
    delegate: str | None
    report_flagged: bool
    version: int
    callback_due_time: time | None = None
    # What core/risk.py ranks the list by, beside severity.
    received_at: datetime | None = None
    vulnerable: bool = False
    flags: frozenset[ReputationFlag] = frozenset()
    final_response: deadlines.FinalResponse | None = None


def callbacks_due(uow: UnitOfWork, *, today: date | None = None) -> list[CallbackDue]:
    """Confirmation calls due today or overdue, oldest first."""
    day = today or SYSTEM_CLOCK.today()
    # The columns the list shows, not whole complaints, read as plain rows (the ORM's rows and
    # objects took several times the query for 800 of them) and taken by position.
    query = (
        select(
            Complaint.id,
            Complaint.reference,
            Customer.name,
            Customer.phone,
            Complaint.summary,
            Complaint.severity,
            Complaint.callback_due_on,
            Complaint.unanswered_attempts,
            _Delegate.name,
            Report.flagged_terms,
            Complaint.version,
            Complaint.callback_due_time,
            Complaint.received_at,
            Customer.vulnerable,
            Complaint.closed_at,
            _ever_paused(),
            *(getattr(Complaint, flag.attribute) for flag in _FLAGS),
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .outerjoin(_Delegate, _Delegate.id == Complaint.current_delegate_id)
        .outerjoin(Report, Report.id == Complaint.latest_report_id)
        .where(callback_due_clause(day), *visibility.visible_complaints(uow))
        .order_by(Complaint.callback_due_on, Complaint.received_at, Complaint.id)
    )
    found = uow.session.connection().execute(query).all()
    finals = deadlines.final_responses(
        uow,
        [row[0] for row in found],
        today=day,
        read={row[0]: (row[12], row[14]) for row in found},
        paused=[row[0] for row in found if row[15]],
    )
    none: frozenset[ReputationFlag] = frozenset()
    return [
        CallbackDue(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6] or day,
            row[7],
            row[8],
            bool(row[9]),
            row[10],
            row[11],
            row[12],
            bool(row[13]),
            frozenset(f for f, on in zip(_FLAGS, row[16:], strict=True) if on)
            if any(row[16:])
            else none,
            finals.get(row[0]),
        )
        for row in found
    ]


# The reputational flags in the order `callbacks_due` reads their columns.
_FLAGS = tuple(ReputationFlag)


@dataclass(frozen=True)
class ReportToChase:
    id: int
    reference: str
    summary: str
    ceo_promised: str
    severity: Severity
    delegate_id: int
    delegate: str
    delegate_email: str | None
    delegate_phone: str | None
    report_due_on: date
    days_overdue: int
    version: int
    customer: str = ""
    last_chased_at: datetime | None = None  # the last reminder sent or opened in a mail program
    final_response: deadlines.FinalResponse | None = None


def reports_to_chase(
    uow: UnitOfWork, *, today: date | None = None, horizon_business_days: int = 2
) -> list[ReportToChase]:
    """Reports overdue or due within the next business days, most overdue first."""
    day = today or SYSTEM_CLOCK.today()
    settings = load_settings(uow)
    until = policy.add_business_days(day, horizon_business_days, settings)
    last_chased = (
        select(func.max(func.coalesce(OutboxMessage.sent_at, OutboxMessage.queued_at)))
        .where(
            OutboxMessage.complaint_id == Complaint.id,
            OutboxMessage.kind.in_([k for k in MessageKind if k.chases_a_report]),
            OutboxMessage.state.in_(
                [OutboxState.QUEUED, OutboxState.SENT, OutboxState.HANDED_TO_MAIL_PROGRAM]
            ),
        )
        .scalar_subquery()
    )
    query = (
        select(Complaint, Staff, Customer.name, last_chased)
        .join(Staff, Staff.id == Complaint.current_delegate_id)
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(*chase_clauses(until), *visibility.visible_complaints(uow))
        .order_by(Complaint.report_due_on, Complaint.id)
    )
    rows = []
    found = uow.session.execute(query).all()
    finals = deadlines.final_responses(
        uow, [row[0].id for row in found], today=day, settings=settings
    )
    for c, staff, customer, chased_at in found:
        assert c.report_due_on is not None
        rows.append(
            ReportToChase(
                c.id,
                c.reference,
                c.summary,
                c.ceo_promised,
                c.severity,
                staff.id,
                staff.name,
                staff.email,
                staff.phone,
                c.report_due_on,
                max(0, (day - c.report_due_on).days),
                c.version,
                customer,
                _utc(chased_at),
                finals.get(c.id),
            )
        )
    return rows


def _utc(value: datetime | str | None) -> datetime | None:
    """A moment read through an aggregate (which skips the column's type) as aware UTC."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@dataclass(frozen=True)
class EarlierComplaint:
    """One of a caller's earlier complaints, as Log a call lists them."""

    reference: str
    received_at: datetime
    status: Status
    delegate: str | None


@dataclass(frozen=True)
class EarlierComplaints:
    customer_id: int | None
    customer_name: str | None
    count: int
    open_count: int
    last_reference: str | None
    last_status: Status | None
    last_received_at: datetime | None
    last_closed_at: datetime | None
    last_delegate: str | None
    organisation: str | None = None
    account_ref: str | None = None
    recent: tuple[EarlierComplaint, ...] = ()  # newest first, up to EARLIER_LISTED
    vulnerable: bool = False  # the customer is marked as needing extra care


EARLIER_LISTED = 8


def earlier_complaints(
    uow: UnitOfWork, *, phone: str | None, email: str | None
) -> EarlierComplaints:
    """What the log already holds for a caller, to notice a repeat before saving."""
    from ceo_desk.core.services.customers import find_existing

    customer = find_existing(uow, phone, email)
    if customer is None:
        return EarlierComplaints(None, None, 0, 0, None, None, None, None, None)
    counts = uow.session.execute(
        select(
            func.count(),
            func.sum(case((Complaint.status.in_(list(OPEN_STATUSES)), 1), else_=0)),
        ).where(Complaint.customer_id == customer.id)
    ).one()
    last = uow.session.scalar(
        select(Complaint)
        .where(Complaint.customer_id == customer.id)
        .order_by(Complaint.received_at.desc(), Complaint.id.desc())
        .limit(1)
    )
    last_delegate = None
    if last is not None:
        last_delegation = uow.session.scalar(
            select(Delegation)
            .where(Delegation.complaint_id == last.id)
            .order_by(Delegation.id.desc())
            .limit(1)
        )
        last_delegate = last_delegation.staff.name if last_delegation else None
    recent = tuple(
        EarlierComplaint(reference, received, status, delegate)
        for reference, received, status, delegate in uow.session.execute(
            select(Complaint.reference, Complaint.received_at, Complaint.status, _Delegate.name)
            .outerjoin(_Delegate, _Delegate.id == Complaint.current_delegate_id)
            .where(Complaint.customer_id == customer.id)
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
            .limit(EARLIER_LISTED)
        )
    )
    return EarlierComplaints(
        customer.id,
        customer.name,
        int(counts[0] or 0),
        int(counts[1] or 0),
        last.reference if last else None,
        last.status if last else None,
        last.received_at if last else None,
        last.closed_at if last else None,
        last_delegate,
        customer.organisation,
        customer.account_ref,
        recent,
        customer.vulnerable,
    )


@dataclass(frozen=True)
class Counters:
    open: int
    overdue: int  # past any due time: report, callback, or to be delegated
    callbacks_today: int
    reports_overdue: int
    to_delegate: int = 0  # logged, not yet delegated
    to_delegate_overdue: int = 0  # of those, past their intake time


def callback_references_due(uow: UnitOfWork, *, today: date | None = None) -> frozenset[str]:
    """Just the references of the Today list, for noticing when a callback becomes due."""
    day = today or SYSTEM_CLOCK.today()
    return frozenset(
        uow.session.scalars(
            select(Complaint.reference).where(
                callback_due_clause(day), *visibility.visible_complaints(uow)
            )
        )
    )


def callback_customers_due(uow: UnitOfWork, *, today: date | None = None) -> dict[str, str]:
    """The Today list's references with their customers' names, for the tray's message."""
    day = today or SYSTEM_CLOCK.today()
    query = (
        select(Complaint.reference, Customer.name)
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(callback_due_clause(day), *visibility.visible_complaints(uow))
    )
    return {reference: name for reference, name in uow.session.execute(query)}


def counters(uow: UnitOfWork, *, today: date | None = None) -> Counters:
    """The status bar's figures, from indexed counts."""
    from ceo_desk.core import to_delegate

    day = today or SYSTEM_CLOCK.today()
    open_statuses = list(OPEN_STATUSES)
    row = uow.session.execute(
        select(
            func.count(),
            func.sum(case((overdue_clause(day), 1), else_=0)),
            func.sum(case((callback_due_clause(day), 1), else_=0)),
            func.sum(case((report_overdue_clause(day), 1), else_=0)),
        ).where(Complaint.status.in_(open_statuses), *visibility.visible_complaints(uow))
    ).one()
    waiting = to_delegate.waiting(uow, now=to_delegate.moment_for(today))
    return Counters(
        int(row[0] or 0),
        int(row[1] or 0) + waiting.overdue,
        int(row[2] or 0),
        int(row[3] or 0),
        waiting.count,
        waiting.overdue,
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
    condition = [Complaint.customer_id == customer_id, *visibility.visible_complaints(uow)]
    if excluding is not None:
        condition.append(Complaint.id != excluding)
    total = uow.session.scalar(select(func.count()).where(*condition)) or 0
    recent = [
        PastComplaint(ref, SYSTEM_CLOCK.local_day(received), status, summary)
        for ref, received, status, summary in uow.session.execute(
            select(Complaint.reference, Complaint.received_at, Complaint.status, Complaint.summary)
            .where(*condition)
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
            .limit(limit)
        )
    ]
    return CustomerHistory(int(total), recent)
