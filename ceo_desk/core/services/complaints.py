"""The complaint loop: log, delegate, report, send back, call back, withdraw, edit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select

from ceo_desk.core import (
    audit,
    fields,
    lifecycle,
    permissions,
    policy,
    provenance,
    search,
    transitions,
    validation,
)
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.complaint_lookup import acting
from ceo_desk.core.complaint_lookup import load as load
from ceo_desk.core.fields import EDITABLE_FIELDS
from ceo_desk.core.lifecycle import Action
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.services import customers, office, promises
from ceo_desk.enums import Channel, Loyalty, MessageKind, Outcome, Severity, Status
from ceo_desk.errors import ConflictError, NotFoundError, ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import (
    Callback,
    Complaint,
    Delegation,
    Event,
    ReferenceCounter,
    Report,
    ReportedCallback,
    Staff,
)

# The directory, the delegate's emails (core.mail.notices), the report's wording check
# (core.language) and the follow-up calls load in the actions that use them: `ceo-desk log`
# starts without them.

# ---------------------------------------------------------------- inputs and results


@dataclass(frozen=True)
class CallInput:
    """What the assistant types while the caller is on the line. Raw text; validated here."""

    customer_name: str
    summary: str
    phone: str | None = None
    email: str | None = None
    organisation: str | None = None
    account_ref: str | None = None
    channel: Channel = Channel.PHONE
    severity: Severity = Severity.NORMAL
    category: str | None = None
    received_at: datetime | str | None = None
    details: str = ""
    customer_wants: str = ""
    ceo_spoke: bool = False
    ceo_promised: str = ""
    prior_contacts: int | str | None = 0
    caused_by_unit: str | int | None = None
    vulnerable: bool | None = None  # None: a known customer keeps the flag they have
    flag_mp: bool = False
    flag_journalist: bool = False
    flag_regulator: bool = False
    flag_social_media: bool = False
    promises: tuple[promises.PromiseInput, ...] = ()


@dataclass(frozen=True)
class LoggedComplaint:
    id: int
    reference: str
    status: Status
    customer_id: int
    customer_is_new: bool
    earlier_complaints: int


@dataclass(frozen=True)
class DelegationResult:
    reference: str
    status: Status
    staff_id: int
    staff_name: str
    report_due_on: date


@dataclass(frozen=True)
class ReportInput:
    said: str
    done: str
    accommodation: str = ""
    cost: str | int | None = None  # as typed, in major units ("250.00")
    currency: str | None = None  # default: the office currency
    root_cause: str = ""
    filed_by_staff_id: int | None = None  # default: the current delegate
    form_source: str = ""  # set when transcribed from a returned form ("Dana Lee's form of ...")


@dataclass(frozen=True)
class ReportResult:
    reference: str
    status: Status
    callback_due_on: date
    flagged_terms: list[str]


@dataclass(frozen=True)
class CallbackInput:
    outcome: Outcome
    satisfaction: int | str | None = None
    customer_words: str = ""
    loyalty: Loyalty | None = None
    notes: str = ""
    reassign_to_staff_id: int | None = None  # not satisfied: default the same delegate
    report_due_on: date | None = None  # not satisfied: default by policy
    next_attempt_at: time | None = None  # unanswered: try again later today at this local time
    instructions: str = ""  # not satisfied: what the delegate should do this time


@dataclass(frozen=True)
class CallbackResult:
    reference: str
    status: Status
    next_callback_on: date | None
    unanswered_attempts: int
    can_mark_unreachable: bool
    delegated_to: str | None = None
    customer_name: str = ""
    next_callback_at: time | None = None


@dataclass(frozen=True)
class ActionResult:
    reference: str
    status: Status
    version: int


@dataclass(frozen=True)
class ComplaintEdit:
    """New values for the editable fields; only those given are changed."""

    changes: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- helpers


def _check_version(complaint: Complaint, expected_version: int | None) -> None:
    if expected_version is not None and complaint.version != expected_version:
        raise ConflictError(
            f"{complaint.reference} was changed by someone else since you opened it "
            f"(your copy: version {expected_version}; saved: version {complaint.version}). "
            "Reload it and make your change again."
        )


def _save(uow: UnitOfWork, complaint: Complaint) -> None:
    """Write the change now, so a save that raced another person's is refused here; the
    caller's transaction commits it."""
    complaint.updated_at = SYSTEM_CLOCK.now()
    search.refresh(uow, complaint.id)
    uow.flush(
        conflict=f"{complaint.reference} was changed by someone else at the same moment. "
        "Reload it and try again."
    )


def _next_reference(uow: UnitOfWork, year: int) -> str:
    # Each dialect's INSERT is imported when used: loading PostgreSQL's costs a SQLite log (and
    # every command) a tenth of a second or more.
    if uow.dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        uow.session.execute(
            pg_insert(ReferenceCounter).values(year=year, last_number=0).on_conflict_do_nothing()
        )
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        uow.session.execute(
            sqlite_insert(ReferenceCounter)
            .values(year=year, last_number=0)
            .on_conflict_do_nothing()
        )
    counter = uow.session.get(ReferenceCounter, year, with_for_update=uow.dialect == "postgresql")
    assert counter is not None
    counter.last_number += 1
    uow.session.flush()
    return f"C-{year}-{counter.last_number:04d}"


def _resolve_unit(uow: UnitOfWork, unit: str | int | None) -> int | None:
    if unit is None or (isinstance(unit, str) and not unit.strip()):
        return None
    from ceo_desk.core.services import directory

    return directory.find_unit(uow, unit).id


def snapshot(complaint: Complaint) -> dict[str, Any]:
    return {name: getattr(complaint, name) for name in EDITABLE_FIELDS} | {
        "status": complaint.status,
        "current_delegate_id": complaint.current_delegate_id,
        "report_due_on": complaint.report_due_on,
        "callback_due_on": complaint.callback_due_on,
    }


def _take(
    uow: UnitOfWork,
    complaint: Complaint,
    step: transitions.Step,
    before: dict[str, Any],
    now: datetime,
    *,
    said: dict[str, str] | None = None,
) -> None:
    """Apply a lifecycle step to the complaint and record its event. Any other step sets aside
    a satisfied callback still waiting for the CEO's countersignature: the complaint moved on."""
    if step.action != transitions.REPORTED_SATISFIED:
        for waiting in uow.session.scalars(
            select(ReportedCallback).where(
                ReportedCallback.complaint_id == complaint.id,
                ReportedCallback.countersigned_at.is_(None),
                ReportedCallback.set_aside_at.is_(None),
            )
        ):
            waiting.set_aside_at = now
    closing = step.state.status.is_open != before["status"].is_open
    if closing:  # closing ends a running pause; a reopened complaint starts with its clock running
        from ceo_desk.core.services import pauses  # pauses builds on this module

        stopped_at = complaint.closed_at if step.state.status.is_open else None
        pauses.end_on_closing(uow, complaint, now, stopped_at=stopped_at)
    step.state.apply_to(complaint)
    _record(uow, complaint, step.action, step.description, before, now, said=said)
    if step.state.status is Status.RESOLVED and before.get("status") is not Status.RESOLVED:
        from ceo_desk.core.services import follow_ups

        follow_ups.schedule(uow, complaint)


def _record(
    uow: UnitOfWork,
    complaint: Complaint,
    action: str,
    description: str,
    before: dict[str, Any],
    now: datetime,
    *,
    said: dict[str, str] | None = None,
) -> None:
    """One event for the change. Free text a person typed goes in `said` (kept with the before
    and after values, which erasing a customer can redact), never in the description, which the
    hash chain freezes."""
    after = snapshot(complaint)
    changed = {k: v for k, v in after.items() if before.get(k) != v} | (said or {})
    audit.record(
        uow,
        action,
        entity="complaint",
        entity_id=complaint.id,
        complaint_id=complaint.id,
        description=description,
        before={k: before.get(k) for k in changed},
        after=changed,
        now=now,
    )


# ---------------------------------------------------------------- the loop


@dataclass(frozen=True)
class CleanCall:
    """A call as typed, validated: the customer's details and the complaint's own columns."""

    customer: customers.CustomerDetails
    values: dict[str, Any]


def clean_call(uow: UnitOfWork, call: CallInput, *, now: datetime) -> CleanCall:
    """Validate everything about a call, for logging it live or importing it from a file."""
    settings = office.load_settings(uow)
    declared = fields.BY_KEY
    name = declared["customer_name"].clean(call.customer_name)
    summary = declared["summary"].clean(call.summary)
    phone = validation.phone(call.phone, settings.phone_region)
    email = validation.email(call.email)
    if not phone and not email:
        raise ValidationError(
            "Give a phone number or an email so the CEO can call the customer back.", field="phone"
        )
    received_at = fields.received_at(call.received_at, now=now, default=now)
    category_id = office.find_category(uow, call.category).id if call.category else None
    values = {
        "summary": summary,
        "details": declared["details"].clean(call.details),
        "customer_wants": declared["customer_wants"].clean(call.customer_wants),
        "channel": declared["channel"].clean(call.channel),
        "severity": declared["severity"].clean(call.severity),
        "category_id": category_id,
        "ceo_spoke": bool(call.ceo_spoke),
        "ceo_promised": declared["ceo_promised"].clean(call.ceo_promised),
        "prior_contacts": declared["prior_contacts"].clean(call.prior_contacts),
        "caused_by_unit_id": _resolve_unit(uow, call.caused_by_unit),
        "received_at": received_at,
        **{f.key: f.clean(bool(getattr(call, f.key))) for f in fields.REPUTATION_FIELDS},
    }
    details = customers.CustomerDetails(
        name=name,
        phone=phone,
        email=email,
        organisation=declared["organisation"].clean(call.organisation) or None,
        account_ref=declared["account_ref"].clean(call.account_ref) or None,
        vulnerable=None
        if call.vulnerable is None
        else declared["vulnerable"].clean(call.vulnerable),
    )
    return CleanCall(details, values)


def log_call(uow: UnitOfWork, call: CallInput, *, now: datetime | None = None) -> LoggedComplaint:
    """Record a complaint as received; the customer is linked when known by phone or email."""
    permissions.require(uow, Allow.LOG_CALL)
    moment = SYSTEM_CLOCK.moment(now)
    clean = clean_call(uow, call, now=moment)
    values, received_at = clean.values, clean.values["received_at"]
    promised = promises.clean(call.promises, earliest=SYSTEM_CLOCK.local_day(received_at))
    if promised:
        permissions.require(uow, Allow.MAKE_PROMISE)
    customer, is_new = customers.find_or_create(uow, clean.customer)
    earlier = 0 if is_new else _count_for_customer(uow, customer.id)
    reference = _next_reference(uow, SYSTEM_CLOCK.local_day(received_at).year)
    step = transitions.logged(reference)
    complaint = Complaint(
        reference=reference,
        customer_id=customer.id,
        created_at=moment,
        updated_at=moment,
        **step.state.columns(),
        **values,
    )
    uow.session.add(complaint)
    uow.session.flush()
    _record(uow, complaint, step.action, step.description, {}, moment)
    promises.record_for(uow, complaint, promised, moment)
    _save(uow, complaint)
    return LoggedComplaint(
        complaint.id, complaint.reference, Status.NEW, customer.id, is_new, earlier
    )


def _count_for_customer(uow: UnitOfWork, customer_id: int) -> int:
    return (
        uow.session.scalar(
            select(func.count()).select_from(Complaint).where(Complaint.customer_id == customer_id)
        )
        or 0
    )


def default_report_due(
    settings: OfficeSettings, severity: Severity, now: datetime | None = None
) -> date:
    return transitions.report_due(
        SYSTEM_CLOCK.local_day(SYSTEM_CLOCK.moment(now)), severity, settings
    )


def _hand_off(
    uow: UnitOfWork,
    complaint: Complaint,
    staff_id: int,
    due_on: date | None,
    instructions: str,
    moment: datetime,
    settings: OfficeSettings,
) -> Delegation:
    """The delegation row of a hand-off; the caller's lifecycle step moves the complaint."""
    from ceo_desk.core.services import directory

    staff = directory.require_active_staff(uow, staff_id)
    today = SYSTEM_CLOCK.local_day(moment)
    due = due_on or transitions.report_due(today, complaint.severity, settings)
    if due < today:
        raise ValidationError(
            f"The report due date {due.isoformat()} is in the past; choose today or later.",
            field="due_on",
        )
    delegation = Delegation(
        complaint_id=complaint.id,
        staff_id=staff.id,
        delegated_at=moment,
        delegated_by=acting(uow),
        instructions=validation.text(instructions, "instructions"),
        report_due_on=due,
    )
    uow.session.add(delegation)
    uow.session.flush()
    return delegation


def delegate(
    uow: UnitOfWork,
    reference: str,
    staff_id: int,
    *,
    due_on: date | str | None = None,
    instructions: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> DelegationResult:
    """Hand the complaint to a staff member with full authority; re-delegation adds to the chain."""
    from ceo_desk.core.mail import notices
    from ceo_desk.core.services import directory

    permissions.require(uow, Allow.DELEGATE)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    lifecycle.require(complaint.reference, complaint.status, Action.DELEGATE)
    _check_version(complaint, expected_version)
    before = snapshot(complaint)
    settings = office.load_settings(uow)
    delegation = _hand_off(
        uow, complaint, staff_id, validation.day(due_on, "due_on"), instructions, moment, settings
    )
    staff = directory.get_staff(uow, delegation.staff_id)
    step = transitions.delegated(
        transitions.LoopState.of(complaint), staff.id, staff.name, delegation.report_due_on
    )
    _take(uow, complaint, step, before, moment)
    _save(uow, complaint)
    notices.to_delegate(uow, complaint.id, MessageKind.DELEGATION_NOTICE, now=moment)
    return DelegationResult(
        complaint.reference, Status.DELEGATED, staff.id, staff.name, delegation.report_due_on
    )


def file_report(
    uow: UnitOfWork,
    reference: str,
    report: ReportInput,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ReportResult:
    """File the delegate's report; the CEO's confirmation call is scheduled automatically.
    A delegate files only the report on work handed to them."""
    from ceo_desk.core import language

    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    permissions.require(uow, Allow.FILE_REPORT, assigned_to=complaint.current_delegate_id)
    lifecycle.require(complaint.reference, complaint.status, Action.FILE_REPORT)
    _check_version(complaint, expected_version)
    settings = office.load_settings(uow)
    from ceo_desk.core.services import pauses  # pauses builds on this module

    said = validation.text(report.said, "said", required=True)
    done = validation.text(report.done, "done", required=True)
    currency = validation.currency(report.currency or settings.currency)
    cost_minor = validation.money(report.cost, currency)
    delegation = uow.session.scalar(
        select(Delegation)
        .where(Delegation.complaint_id == complaint.id)
        .order_by(Delegation.id.desc())
        .limit(1)
    )
    assert delegation is not None, "a delegated complaint always has a delegation"
    filed_by = report.filed_by_staff_id or delegation.staff_id
    reporter = uow.session.get(Staff, filed_by)
    if reporter is None:
        raise NotFoundError(f"There is no staff member with id {filed_by}.", field="filed_by")
    source = validation.text(report.form_source, "form_source", max_length=200) or None
    how = provenance.how_filed(uow, filed_by, source)
    identity = provenance.acting_identity(uow)
    accommodation = validation.text(report.accommodation, "accommodation")
    flagged = language.flagged_terms(said, done, accommodation)
    today = SYSTEM_CLOCK.local_day(moment)
    before = snapshot(complaint)
    filed = Report(
        complaint_id=complaint.id,
        delegation_id=delegation.id,
        said=said,
        done=done,
        accommodation=accommodation,
        cost_minor=cost_minor,
        currency=currency,
        root_cause=validation.text(report.root_cause, "root_cause"),
        filed_at=moment,
        filed_by_staff_id=filed_by,
        filed_by=identity,
        filed_how=how,
        form_source=source,
        # A report filed while the clock is paused is judged as if it had been resumed today.
        on_time=today
        <= policy.add_business_days(
            delegation.report_due_on,
            pauses.report_paused_days(uow, complaint.id, today, settings),
            settings,
        ),
        flagged_terms=",".join(flagged),
    )
    uow.session.add(filed)
    uow.session.flush()
    complaint.latest_report_id = filed.id  # the Today list reads the latest report through it
    callback_on = transitions.callback_due(today, settings)
    step = transitions.report_filed(
        transitions.LoopState.of(complaint),
        callback_on,
        flagged,
        provenance=provenance.describe(how, reporter.name, identity, source),
    )
    _take(uow, complaint, step, before, moment)
    _save(uow, complaint)
    return ReportResult(complaint.reference, Status.AWAITING_CALLBACK, callback_on, flagged)


def _latest_report(uow: UnitOfWork, complaint: Complaint) -> Report:
    report = uow.session.scalar(
        select(Report)
        .where(Report.complaint_id == complaint.id)
        .order_by(Report.id.desc())
        .limit(1)
    )
    assert report is not None, "a complaint awaiting callback always has a report"
    return report


def send_back(
    uow: UnitOfWork,
    reference: str,
    comment: str,
    *,
    due_on: date | str | None = None,
    to_staff_id: int | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> DelegationResult:
    """The CEO returns the report with a comment before calling the customer: to its delegate,
    or to `to_staff_id` (needed when the delegate has since been deactivated)."""
    from ceo_desk.core.mail import notices
    from ceo_desk.core.services import directory

    permissions.require(uow, Allow.SEND_BACK)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    lifecycle.require(complaint.reference, complaint.status, Action.SEND_BACK)
    _check_version(complaint, expected_version)
    cleaned = validation.text(comment, "comment", required=True)
    settings = office.load_settings(uow)
    report = _latest_report(uow, complaint)
    report.sent_back_at = moment
    report.sent_back_comment = cleaned
    before = snapshot(complaint)
    assert complaint.current_delegate_id is not None
    delegation = _hand_off(
        uow,
        complaint,
        to_staff_id or complaint.current_delegate_id,
        validation.day(due_on, "due_on"),
        f"Sent back by the CEO: {cleaned}",
        moment,
        settings,
    )
    staff = directory.get_staff(uow, delegation.staff_id)
    step = transitions.sent_back(
        transitions.LoopState.of(complaint), staff.id, staff.name, delegation.report_due_on
    )
    _take(uow, complaint, step, before, moment, said={"comment": cleaned})
    _save(uow, complaint)
    notices.to_delegate(
        uow, complaint.id, MessageKind.SENT_BACK, now=moment, extra={"comment": cleaned}
    )
    return DelegationResult(
        complaint.reference, Status.DELEGATED, staff.id, staff.name, delegation.report_due_on
    )


def record_callback(
    uow: UnitOfWork,
    reference: str,
    data: CallbackInput,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CallbackResult:
    """Record one confirmation call. Only a satisfied customer resolves the complaint."""
    from ceo_desk.core.mail import notices
    from ceo_desk.core.services import directory

    permissions.require(
        uow,
        Allow.RESOLVE_BY_CALLBACK
        if Outcome(data.outcome) is Outcome.SATISFIED
        else Allow.RECORD_CALLBACK,
    )
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    lifecycle.require(complaint.reference, complaint.status, Action.RECORD_CALLBACK)
    _check_version(complaint, expected_version)
    settings = office.load_settings(uow)
    outcome = Outcome(data.outcome)
    score = validation.satisfaction(data.satisfaction)
    words = validation.text(data.customer_words, "customer_words")
    notes = validation.text(data.notes, "notes")
    instructions = validation.text(data.instructions, "instructions")
    if outcome.is_unanswered and (score is not None or data.loyalty is not None):
        raise ValidationError(
            "Nobody answered, so there is no score or loyalty to record; leave them empty.",
            field="satisfaction",
        )
    if data.next_attempt_at is not None:
        if not outcome.is_unanswered:
            raise ValidationError(
                "A time for the next attempt is only for a call nobody answered; leave it empty.",
                field="next_attempt_at",
            )
        if data.next_attempt_at <= SYSTEM_CLOCK.local(moment).time():
            raise ValidationError(
                f"{data.next_attempt_at:%H:%M} has already passed today; choose a later time "
                "or the next business day.",
                field="next_attempt_at",
            )
    report = _latest_report(uow, complaint)
    before = snapshot(complaint)
    assert complaint.callback_due_on is not None
    uow.session.add(
        Callback(
            complaint_id=complaint.id,
            report_id=report.id,
            scheduled_for=complaint.callback_due_on,
            scheduled_time=complaint.callback_due_time,
            made_at=moment,
            outcome=outcome,
            satisfaction=score,
            customer_words=words,
            loyalty=Loyalty(data.loyalty) if data.loyalty else None,
            notes=notes,
            made_by=acting(uow),
        )
    )
    today = SYSTEM_CLOCK.local_day(moment)
    state = transitions.LoopState.of(complaint)
    delegated_to: str | None = None
    if outcome is Outcome.SATISFIED:
        step = transitions.callback_satisfied(state, moment)
    elif outcome is Outcome.NOT_SATISFIED:
        staff_id = data.reassign_to_staff_id or complaint.current_delegate_id
        assert staff_id is not None
        delegation = _hand_off(
            uow,
            complaint,
            staff_id,
            data.report_due_on,
            "Reopened: the customer told the CEO it is not resolved."
            + (f" Customer's words: {words}" if words else "")
            + (f" Instructions: {instructions}" if instructions else ""),
            moment,
            settings,
        )
        delegated_to = directory.get_staff(uow, delegation.staff_id).name
        step = transitions.callback_not_satisfied(
            state, delegation.staff_id, delegated_to, delegation.report_due_on
        )
    else:
        later = data.next_attempt_at
        step = transitions.callback_unanswered(
            state,
            outcome,
            today if later else transitions.next_attempt_due(today, settings),
            later,
        )
    _take(uow, complaint, step, before, moment)
    _save(uow, complaint)
    if delegated_to is not None:  # handed back to a delegate: they hear of it at once
        notices.to_delegate(uow, complaint.id, MessageKind.DELEGATION_NOTICE, now=moment)
    return CallbackResult(
        complaint.reference,
        step.state.status,
        step.state.callback_due_on,
        step.state.unanswered_attempts,
        transitions.can_mark_unreachable(step.state.unanswered_attempts, settings),
        delegated_to,
        complaint.customer.name,
        step.state.callback_due_time,
    )


@dataclass(frozen=True)
class WithdrawnOutcome:
    reference: str
    customer_name: str
    outcome: Outcome
    status: Status
    version: int


def _last_callback(uow: UnitOfWork, complaint: Complaint) -> Callback | None:
    return uow.session.scalar(
        select(Callback)
        .where(Callback.complaint_id == complaint.id, Callback.withdrawn_at.is_(None))
        .order_by(Callback.id.desc())
        .limit(1)
    )


def withdraw_outcome(
    uow: UnitOfWork,
    reference: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> WithdrawnOutcome:
    """Take back the last callback outcome, recorded by mistake a few minutes ago.

    Nothing is deleted: the callback (and the hand-off a not-satisfied call made) is marked
    withdrawn, and an event restores the state before it; statistics leave it out. Mail the
    outcome queued is cancelled if unsent, else followed by a note (`notices.withdraw_caused`)."""
    from ceo_desk.core.mail import notices

    permissions.require(uow, Allow.RECORD_CALLBACK)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    _check_version(complaint, expected_version)
    # The complaint's own last step: promises ticked with the call are events of their own.
    last_event = uow.session.scalar(
        select(Event.action)
        .where(Event.complaint_id == complaint.id, Event.entity == "complaint")
        .order_by(Event.id.desc())
        .limit(1)
    )
    callback = _last_callback(uow, complaint)
    if callback is None or not (last_event or "").startswith("callback_"):
        raise ValidationError(
            f"{complaint.reference} has no callback outcome to take back: the last thing done "
            "to it was not a callback.",
            field="reference",
        )
    if not policy.can_withdraw_outcome(callback.made_at, moment):
        raise ValidationError(
            f"The outcome on {complaint.reference} was recorded more than "
            f"{policy.OUTCOME_UNDO_MINUTES} minutes ago and can no longer be taken back. "
            + (
                "Reopen the complaint instead."
                if callback.outcome is Outcome.SATISFIED
                else "Record the next call as it goes."
            ),
            field="reference",
        )
    before = snapshot(complaint)
    closed_at = complaint.closed_at
    callback.withdrawn_at = moment
    promises.untick_since(uow, complaint, callback.made_at, moment)
    report = uow.session.get(Report, callback.report_id)
    assert report is not None
    answered_delegation = uow.session.get(Delegation, report.delegation_id)
    assert answered_delegation is not None
    if callback.outcome is Outcome.NOT_SATISFIED:
        hand_off = uow.session.scalar(
            select(Delegation)
            .where(Delegation.complaint_id == complaint.id, Delegation.withdrawn_at.is_(None))
            .order_by(Delegation.id.desc())
            .limit(1)
        )
        assert hand_off is not None and hand_off.id != answered_delegation.id
        hand_off.withdrawn_at = moment
    step = transitions.outcome_withdrawn(
        transitions.LoopState.of(complaint),
        callback.outcome,
        customer_name=complaint.customer.name,
        scheduled_for=callback.scheduled_for,
        scheduled_time=callback.scheduled_time,
        report_delegate_id=answered_delegation.staff_id,
    )
    _take(uow, complaint, step, before, moment)
    if closed_at is not None:  # the withdrawn outcome had closed it: a pause it ended runs on
        from ceo_desk.core.services import pauses  # pauses builds on this module

        pauses.restore_ended_by(uow, complaint, closed_at, moment)
    _save(uow, complaint)
    notices.withdraw_caused(uow, complaint.id, callback.made_at, now=moment)
    return WithdrawnOutcome(
        complaint.reference,
        complaint.customer.name,
        callback.outcome,
        complaint.status,
        complaint.version,
    )


def reopen(
    uow: UnitOfWork,
    reference: str,
    reason: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> DelegationResult:
    """A resolved complaint is not resolved after all: back to its last delegate, with a new
    report due by the policy, and counted as a reopening."""
    from ceo_desk.core.mail import notices

    permissions.require(uow, Allow.RECORD_CALLBACK)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    lifecycle.require(complaint.reference, complaint.status, Action.REOPEN)
    _check_version(complaint, expected_version)
    cleaned = validation.text(reason, "reason", required=True)
    settings = office.load_settings(uow)
    last = uow.session.scalar(
        select(Delegation)
        .where(Delegation.complaint_id == complaint.id, Delegation.withdrawn_at.is_(None))
        .order_by(Delegation.id.desc())
        .limit(1)
    )
    if last is None:
        raise ValidationError(
            f"{complaint.reference} was never delegated here, so there is nobody to reopen it "
            "for; log a new complaint instead.",
            field="reference",
        )
    staff = uow.session.get(Staff, last.staff_id)
    assert staff is not None
    if not staff.active:
        raise ValidationError(
            f"{staff.name}, who handled {complaint.reference} last, is no longer active; "
            "reactivate them in the directory, or log a new complaint.",
            field="reference",
        )
    before = snapshot(complaint)
    delegation = _hand_off(uow, complaint, staff.id, None, f"Reopened: {cleaned}", moment, settings)
    step = transitions.reopened(
        transitions.LoopState.of(complaint), staff.id, staff.name, delegation.report_due_on
    )
    _take(uow, complaint, step, before, moment, said={"reason": cleaned})
    _save(uow, complaint)
    notices.to_delegate(uow, complaint.id, MessageKind.DELEGATION_NOTICE, now=moment)
    return DelegationResult(
        complaint.reference, Status.DELEGATED, staff.id, staff.name, delegation.report_due_on
    )


def mark_unreachable(
    uow: UnitOfWork,
    reference: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ActionResult:
    """Close as unreachable, allowed only after the set number of unanswered attempts."""
    permissions.require(uow, Allow.MARK_UNREACHABLE)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    lifecycle.require(complaint.reference, complaint.status, Action.MARK_UNREACHABLE)
    _check_version(complaint, expected_version)
    step = transitions.marked_unreachable(
        transitions.LoopState.of(complaint),
        moment,
        office.load_settings(uow),
        reference=complaint.reference,
    )
    before = snapshot(complaint)
    _take(uow, complaint, step, before, moment)
    _save(uow, complaint)
    return ActionResult(complaint.reference, Status.UNREACHABLE, complaint.version)


def withdraw(
    uow: UnitOfWork,
    reference: str,
    reason: str,
    *,
    duplicate_of: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ActionResult:
    """Close an open complaint the customer withdrew, or that duplicates another."""
    permissions.require(uow, Allow.WITHDRAW)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    lifecycle.require(complaint.reference, complaint.status, Action.WITHDRAW)
    _check_version(complaint, expected_version)
    cleaned = validation.text(reason, "reason", required=True)
    original: Complaint | None = None
    if duplicate_of and duplicate_of.strip():
        original = load(uow, duplicate_of, for_update=False)
        if original.id == complaint.id:
            raise ValidationError("A complaint cannot duplicate itself.", field="duplicate_of")
        if original.duplicate_of_id is not None:
            first = uow.session.get(Complaint, original.duplicate_of_id)
            assert first is not None
            raise ValidationError(
                f"{original.reference} is itself a duplicate of {first.reference}; mark this one "
                f"as a duplicate of {first.reference}.",
                field="duplicate_of",
            )
    before = snapshot(complaint)
    complaint.withdrawn_reason = cleaned
    complaint.duplicate_of_id = original.id if original else None
    step = transitions.withdrawn(
        transitions.LoopState.of(complaint), moment, original.reference if original else None
    )
    _take(uow, complaint, step, before, moment, said={"reason": cleaned})
    _save(uow, complaint)
    return ActionResult(complaint.reference, Status.WITHDRAWN, complaint.version)


def edit(
    uow: UnitOfWork,
    reference: str,
    edit: ComplaintEdit,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> ActionResult:
    """Change the complaint's own fields; refused as a conflict if someone saved in between."""
    permissions.require(uow, Allow.EDIT_COMPLAINT)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    lifecycle.require(complaint.reference, complaint.status, Action.EDIT)
    _check_version(complaint, expected_version)
    values = fields.clean_edit(uow, edit.changes)
    before = snapshot(complaint)
    for name, value in values.items():
        setattr(complaint, name, value)
    if snapshot(complaint) == before:
        return ActionResult(complaint.reference, complaint.status, complaint.version)
    _record(uow, complaint, "edited", "Edited " + ", ".join(sorted(values)), before, moment)
    _save(uow, complaint)
    return ActionResult(complaint.reference, complaint.status, complaint.version)
