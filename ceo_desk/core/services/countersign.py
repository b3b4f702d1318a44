"""The CEO's satisfied callback recorded by the assistant on the CEO's word, and the CEO's
one-click countersignature that makes it count: only then is the complaint resolved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ceo_desk.core import lifecycle, permissions, transitions, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.complaint_lookup import acting
from ceo_desk.core.lifecycle import Action
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.services.complaints import (
    ActionResult,
    CallbackInput,
    _check_version,
    _latest_report,
    _save,
    _take,
    load,
    snapshot,
)
from ceo_desk.enums import Loyalty, Outcome, Status
from ceo_desk.errors import LifecycleError, ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Callback, Complaint, Customer, ReportedCallback


@dataclass(frozen=True)
class AwaitingCountersign:
    """One satisfied callback the CEO has still to countersign, for the CEO's Today list."""

    reference: str
    customer_name: str
    summary: str
    reported_by: str
    reported_at: datetime
    satisfaction: int | None
    customer_words: str
    version: int


def _pending(uow: UnitOfWork, complaint_id: int) -> ReportedCallback | None:
    return uow.session.scalar(
        select(ReportedCallback)
        .where(
            ReportedCallback.complaint_id == complaint_id,
            ReportedCallback.countersigned_at.is_(None),
            ReportedCallback.set_aside_at.is_(None),
        )
        .order_by(ReportedCallback.id.desc())
        .limit(1)
    )


def report_ceo_satisfied(
    uow: UnitOfWork,
    reference: str,
    data: CallbackInput,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ActionResult:
    """The assistant records "the CEO reports: satisfied" (the CEO rang from a mobile). The
    complaint waits, still awaiting the callback, for the CEO's countersignature."""
    permissions.require(uow, Allow.REPORT_CEO_SATISFIED)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    lifecycle.require(complaint.reference, complaint.status, Action.RECORD_CALLBACK)
    _check_version(complaint, expected_version)
    if data.outcome is not Outcome.SATISFIED:
        raise ValidationError(
            "Only a satisfied customer waits for the CEO's countersignature; record any other "
            "outcome as the callback itself.",
            field="outcome",
        )
    if _pending(uow, complaint.id) is not None:
        raise ValidationError(
            f"{complaint.reference} already waits for the CEO's countersignature; nothing was "
            "changed.",
            field="outcome",
        )
    words = validation.text(data.customer_words, "customer_words")
    before = snapshot(complaint)
    uow.session.add(
        ReportedCallback(
            complaint_id=complaint.id,
            report_id=_latest_report(uow, complaint).id,
            made_at=moment,
            satisfaction=validation.satisfaction(data.satisfaction),
            customer_words=words,
            loyalty=Loyalty(data.loyalty) if data.loyalty else None,
            notes=validation.text(data.notes, "notes"),
            reported_by=acting(uow),
        )
    )
    step = transitions.satisfied_callback(
        transitions.LoopState.of(complaint), moment, by_the_ceo=False
    )
    _take(uow, complaint, step, before, moment, said={"customer_words": words} if words else None)
    _save(uow, complaint)
    return ActionResult(complaint.reference, complaint.status, complaint.version)


def countersign(
    uow: UnitOfWork,
    reference: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ActionResult:
    """The CEO countersigns the satisfied callback the assistant recorded: it becomes the
    callback that resolves the complaint, as of now."""
    permissions.require(uow, Allow.COUNTERSIGN)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    lifecycle.require(complaint.reference, complaint.status, Action.COUNTERSIGN)
    _check_version(complaint, expected_version)
    pending = _pending(uow, complaint.id)
    if pending is None:
        raise LifecycleError(
            f"{complaint.reference} has no satisfied callback waiting for the CEO's "
            "countersignature: record the callback itself instead."
        )
    before = snapshot(complaint)
    assert complaint.callback_due_on is not None
    callback = Callback(
        complaint_id=complaint.id,
        report_id=pending.report_id,
        scheduled_for=complaint.callback_due_on,
        scheduled_time=complaint.callback_due_time,
        made_at=pending.made_at,
        outcome=Outcome.SATISFIED,
        satisfaction=pending.satisfaction,
        customer_words=pending.customer_words,
        loyalty=pending.loyalty,
        notes=pending.notes,
        made_by=f"{acting(uow)}, recorded by {pending.reported_by}"[:120],
    )
    uow.session.add(callback)
    uow.session.flush()
    pending.countersigned_at = moment
    pending.countersigned_by = uow.identity
    pending.callback_id = callback.id
    step = transitions.countersigned(transitions.LoopState.of(complaint), moment)
    _take(uow, complaint, step, before, moment)
    _save(uow, complaint)
    return ActionResult(complaint.reference, Status.RESOLVED, complaint.version)


def awaiting_countersign(uow: UnitOfWork) -> list[AwaitingCountersign]:
    """Every satisfied callback waiting for the CEO's countersignature, oldest first."""
    permissions.require(uow, Allow.READ_LOG)
    rows = uow.session.execute(
        select(ReportedCallback, Complaint.reference, Complaint.summary, Complaint.version)
        .add_columns(Customer.name)
        .join(Complaint, Complaint.id == ReportedCallback.complaint_id)
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(
            ReportedCallback.countersigned_at.is_(None),
            ReportedCallback.set_aside_at.is_(None),
            Complaint.status == Status.AWAITING_CALLBACK,
        )
        .order_by(ReportedCallback.made_at)
    ).all()
    return [
        AwaitingCountersign(
            ref,
            name,
            summary,
            pending.reported_by,
            pending.made_at,
            pending.satisfaction,
            pending.customer_words,
            version,
        )
        for pending, ref, summary, version, name in rows
    ]
