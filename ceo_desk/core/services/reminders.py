"""Queue the reminders due now (see `core.reminders` for which and when) through the outbox.

Each reminder is queued with its dedupe key, in the caller's transaction, and recorded on the
complaint's timeline as CEO Desk's own work (Role.SYSTEM). A key queued before is skipped, so a
second run on the same day, or a run on another computer at the same moment, queues nothing
twice. `plan` says what a run would queue and changes nothing (the dry run).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ceo_desk.core import audit, deadlines, permissions, reminders
from ceo_desk.core.clock import SYSTEM_CLOCK, Clock
from ceo_desk.core.mail import templates
from ceo_desk.core.mail.outbox import Outgoing, queue
from ceo_desk.core.mail.sender import Attacher, send_pending
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.reminders import Handoff, Reminder
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import Role, Status
from ceo_desk.store.db import Database, UnitOfWork
from ceo_desk.store.models import Complaint, Delegation, OutboxMessage, Staff, Unit


@dataclass(frozen=True)
class Planned:
    """A reminder with its message as it will be (or was) queued."""

    reminder: Reminder
    to: tuple[str, ...]
    cc: tuple[str, ...]
    to_names: str  # who it is for, as the timeline and the run's report name them
    subject: str
    body: str
    outbox_id: int | None = None


def open_handoffs(uow: UnitOfWork, *, clock: Clock = SYSTEM_CLOCK) -> list[Handoff]:
    """Every complaint waiting for its delegate's report, with its current hand-off and the head
    of the delegate's unit (while the head is active). Walks the status index: only delegated
    complaints are read."""
    head = aliased(Staff)
    latest = (
        select(func.max(Delegation.id))
        .where(Delegation.complaint_id == Complaint.id, Delegation.withdrawn_at.is_(None))
        .correlate(Complaint)
        .scalar_subquery()
    )
    rows = uow.session.execute(
        select(
            Delegation.id,
            Complaint.id,
            Complaint.reference,
            Delegation.delegated_at,
            Complaint.report_due_on,
            Staff.id,
            head.id,
        )
        .select_from(Complaint)
        .join(Delegation, Delegation.id == latest)
        .join(Staff, Staff.id == Delegation.staff_id)
        .join(Unit, Unit.id == Staff.unit_id)
        .outerjoin(head, (head.id == Unit.head_staff_id) & head.active.is_(True))
        .where(Complaint.status == Status.DELEGATED, Complaint.report_due_on.is_not(None))
        .order_by(Complaint.reference)
    )
    return [
        Handoff(
            delegation_id=delegation_id,
            complaint_id=complaint_id,
            reference=reference,
            delegated_on=clock.local_day(delegated_at),
            report_due_on=due,
            delegate_staff_id=staff_id,
            head_staff_id=head_id,
        )
        for delegation_id, complaint_id, reference, delegated_at, due, staff_id, head_id in rows
        if due is not None  # the query asks for a due date; this tells the type checker
    ]


def _already_queued(uow: UnitOfWork, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    found = uow.session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))
    )
    return {key for key in found if key is not None}


def _named(name: str, email: str) -> str:
    return f"{name} <{email}>" if email else f"{name} (no email on file)"


def _message(uow: UnitOfWork, reminder: Reminder, *, clock: Clock, now: datetime) -> Planned:
    values = templates.message_values(uow, reminder.complaint_id, today=clock.local_day(now))
    subject, body = templates.render(uow, reminder.kind, values)
    delegate = (values["delegate_email"],) if values["delegate_email"] else ()
    delegate_named = _named(values["delegate"], values["delegate_email"])
    if not reminder.to_head:
        return Planned(reminder, delegate, (), delegate_named, subject, body)
    complaint = uow.session.get(Complaint, reminder.complaint_id)
    assert complaint is not None and complaint.current_delegate is not None
    head = complaint.current_delegate.unit.head
    assert head is not None  # an escalation is only due for a unit with a head
    to = (head.email,) if head.email else ()
    named = f"{_named(head.name, head.email or '')}, copy to {delegate_named}"
    return Planned(reminder, to, delegate, named, subject, body)


def plan(uow: UnitOfWork, *, now: datetime, clock: Clock = SYSTEM_CLOCK) -> list[Planned]:
    """The reminders due at `now` that have not been queued yet, with their messages."""
    permissions.require(uow, Allow.READ_LOG)
    today = clock.local_day(now)
    settings = load_settings(uow)
    handoffs = open_handoffs(uow, clock=clock)
    standing = deadlines.final_responses(
        uow, [h.complaint_id for h in handoffs], today=today, clock=clock, settings=settings
    )
    # While the clock is paused the office waits on the customer or a third party: nobody is
    # reminded or escalated about a report nobody can write yet.
    running = [
        h for h in handoffs if not (h.complaint_id in standing and standing[h.complaint_id].paused)
    ]
    watches = [
        reminders.DeadlineWatch(h.complaint_id, h.reference, standing[h.complaint_id].state)
        for h in running
        if h.complaint_id in standing
    ]
    due = reminders.due_reminders(running, today, settings, deadlines=watches)
    seen = _already_queued(uow, [r.dedupe_key for r in due])
    return [_message(uow, r, clock=clock, now=now) for r in due if r.dedupe_key not in seen]


def queue_due(uow: UnitOfWork, *, now: datetime, clock: Clock = SYSTEM_CLOCK) -> list[Planned]:
    """Queue every reminder due at `now` not queued before; each is on its complaint's timeline,
    recorded as CEO Desk's own (Role.SYSTEM). Returns what was queued."""
    queued: list[Planned] = []
    for planned in plan(uow, now=now, clock=clock):
        reminder = planned.reminder
        outgoing = Outgoing(
            reminder.kind,
            planned.to,
            planned.subject,
            planned.body,
            reminder.complaint_id,
            planned.cc,
        )
        outbox_id = queue(uow, outgoing, now=now, dedupe_key=reminder.dedupe_key)
        if outbox_id is None:  # queued meanwhile by a run on another computer
            continue
        uow.acting_role = Role.SYSTEM
        audit.record(
            uow,
            "reminder_queued",
            entity="outbox_message",
            entity_id=outbox_id,
            complaint_id=reminder.complaint_id,
            description=f"Reminder ({reminder.kind.label.lower()}) queued for {planned.to_names}",
            after={"kind": reminder.kind.value, "to": list(planned.to), "cc": list(planned.cc)},
            now=now,
        )
        queued.append(
            Planned(
                reminder,
                planned.to,
                planned.cc,
                planned.to_names,
                planned.subject,
                planned.body,
                outbox_id,
            )
        )
    return queued


@dataclass(frozen=True)
class RunReport:
    """What one reminders run queued, and how the sending went."""

    queued: list[Planned]
    sent: int
    waiting: int
    sending: str  # one sentence about the sending, for the command line and the log


def run(
    database: Database,
    *,
    now: datetime,
    clock: Clock = SYSTEM_CLOCK,
    attach: Attacher | None = None,
) -> RunReport:
    """Queue what is due in one transaction (retried as a whole if it lost a race), then send
    everything waiting in the outbox, this run's reminders with the rest (each with the files
    `attach` gives: the callers hand in the report forms)."""
    queued = database.write(lambda uow: queue_due(uow, now=now, clock=clock))
    report = send_pending(database, now=now, attach=attach)
    return RunReport(queued, report.sent, report.retrying, f"Sending: {report.summary}")
