"""The outbox: every email CEO Desk sends is first a row in the log.

`queue` writes the row in the caller's transaction, so a message exists exactly when the action
that causes it committed. The sender (`core/mail/sender.py`) takes it from there; without a mail
server the row waits as a draft for a person to open in their mail program.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ceo_desk.core import audit, links, permissions
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import MessageKind, OutboxState
from ceo_desk.errors import ConflictError, NotFoundError, ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Customer, OutboxMessage


@dataclass(frozen=True)
class Outgoing:
    """One email to send: who to, what it says, and the complaint it is about."""

    kind: MessageKind
    to: tuple[str, ...]
    subject: str
    body: str
    complaint_id: int | None = None
    cc: tuple[str, ...] = ()


if TYPE_CHECKING:
    from ceo_desk.core.page_counts import PageCount

# Set on a unit of work's session when a message was queued in it.
QUEUED_FLAG = "ceo_desk.outbox_queued"


def join_addresses(addresses: tuple[str, ...]) -> str:
    return ", ".join(a.strip() for a in addresses if a.strip())


def split_addresses(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(",") if a.strip())


def mail_server_configured(settings: OfficeSettings) -> bool:
    """True when the office has a mail server to send through (else messages are drafts)."""
    return bool(getattr(settings, "smtp_host", ""))


def queue(
    uow: UnitOfWork,
    message: Outgoing,
    *,
    now: datetime,
    dedupe_key: str | None = None,
    as_draft: bool = False,
) -> int | None:
    """Write the message to the outbox in the caller's transaction; its id, or None (writing
    nothing) when `dedupe_key` was queued before.

    A message goes to the mail server when the office has one and the message has an address;
    otherwise (or `as_draft`: a person is opening it in their mail program) it waits as a draft.
    """
    if dedupe_key is not None:
        seen = uow.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        if seen is not None:
            return None
    to = join_addresses(message.to)
    sendable = not as_draft and bool(to) and mail_server_configured(load_settings(uow))
    row = OutboxMessage(
        complaint_id=message.complaint_id,
        kind=message.kind,
        recipients=to,
        cc=join_addresses(message.cc),
        subject=message.subject,
        body=message.body,
        dedupe_key=dedupe_key,
        queued_at=now,
        queued_by=uow.identity[:120],
        state=OutboxState.QUEUED if sendable else OutboxState.DRAFT,
        attempts=0,
        next_attempt_at=now if sendable else None,
        last_error=None if to else "No email address is on file for the recipient.",
    )
    uow.session.info[QUEUED_FLAG] = True  # the command line sends after the commit
    if dedupe_key is None:
        uow.session.add(row)
        uow.session.flush()
        return row.id
    # Two computers queuing the same reminder at once: the second one's insert breaks the
    # unique key; only its savepoint is undone, and its action still commits.
    try:
        with uow.session.begin_nested():
            uow.session.add(row)
    except IntegrityError:
        return None
    return row.id


UNSENT_STATES = (OutboxState.QUEUED, OutboxState.DRAFT, OutboxState.FAILED)
DELIVERED_STATES = (OutboxState.SENT, OutboxState.HANDED_TO_MAIL_PROGRAM)


def written_with(uow: UnitOfWork, complaint_id: int, moment: datetime) -> list[OutboxMessage]:
    """The messages about the complaint that an action queued in its transaction (`moment` is
    the action's own time, which `queue` gave each of them), oldest first."""
    return list(
        uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.complaint_id == complaint_id, OutboxMessage.queued_at == moment)
            .order_by(OutboxMessage.id)
        )
    )


def cancel(uow: UnitOfWork, row: OutboxMessage, why: str, *, now: datetime) -> None:
    """Make sure an unsent message is never sent (its action was withdrawn), kept with its words
    and on the timeline. The sender takes only queued rows, so a cancelled one stays put."""
    if uow.dialect == "postgresql":  # a sender may be claiming it right now
        uow.session.refresh(row, with_for_update=True)
    if row.state not in UNSENT_STATES:
        return
    row.state, row.next_attempt_at, row.last_error = OutboxState.CANCELLED, None, why
    audit.record(
        uow,
        "email_cancelled",
        entity="outbox_message",
        entity_id=row.id,
        complaint_id=row.complaint_id,
        description=f"{row.kind.label} to {row.recipients or 'no address'} cancelled before it "
        "was sent",
        after={"subject": row.subject, "why": why},
        now=now,
    )


# ---------------------------------------------------------------- the Outbox, as people see it


@dataclass(frozen=True)
class OutboxRow:
    id: int
    reference: str | None
    customer: str | None
    kind: MessageKind
    recipients: str
    cc: str
    subject: str
    body: str
    state: OutboxState
    queued_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    sent_at: datetime | None
    server_reply: str | None
    last_error: str | None

    @property
    def waits_for_a_person(self) -> bool:
        """A draft, or a message the server refused: to be opened in a mail program."""
        return self.state in (OutboxState.DRAFT, OutboxState.FAILED)


WAITING_STATES = (OutboxState.QUEUED, OutboxState.DRAFT, OutboxState.FAILED)


def list_messages(
    uow: UnitOfWork, *, waiting_only: bool = False, limit: int = 500
) -> list[OutboxRow]:
    """The outbox, newest first: everything, or only what is not yet sent or handed over."""
    permissions.require(uow, Allow.READ_LOG)
    query = (
        select(OutboxMessage, Complaint.reference, Customer.name)
        .outerjoin(Complaint, Complaint.id == OutboxMessage.complaint_id)
        .outerjoin(Customer, Customer.id == Complaint.customer_id)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    if waiting_only:
        query = query.where(OutboxMessage.state.in_(WAITING_STATES))
    return [_row(m, reference, customer) for m, reference, customer in uow.session.execute(query)]


def _row(m: OutboxMessage, reference: str | None, customer: str | None) -> OutboxRow:
    return OutboxRow(
        m.id,
        reference,
        customer,
        m.kind,
        m.recipients,
        m.cc,
        m.subject,
        m.body,
        m.state,
        m.queued_at,
        m.attempts,
        m.next_attempt_at,
        m.sent_at,
        m.server_reply,
        m.last_error,
    )


def get_message(uow: UnitOfWork, message_id: int) -> OutboxRow:
    found = uow.session.execute(
        select(OutboxMessage, Complaint.reference, Customer.name)
        .outerjoin(Complaint, Complaint.id == OutboxMessage.complaint_id)
        .outerjoin(Customer, Customer.id == Complaint.customer_id)
        .where(OutboxMessage.id == message_id)
    ).one_or_none()
    if found is None:
        raise NotFoundError(
            f"There is no message {message_id} in the outbox; `ceo-desk outbox list` shows them.",
            field="message",
        )
    return _row(*found)


def counts_waiting(uow: UnitOfWork) -> dict[OutboxState, int]:
    """How many messages wait, by state (for the Outbox's count in the sidebar)."""
    rows = uow.session.execute(
        select(OutboxMessage.state, func.count())
        .where(OutboxMessage.state.in_(WAITING_STATES))
        .group_by(OutboxMessage.state)
    )
    return {state: count for state, count in rows}


def page_count(uow: UnitOfWork) -> PageCount | None:
    """The Outbox page's count in the sidebar: messages waiting, those the server refused
    shown as late; None for whoever does not send the office's email."""
    from ceo_desk.core.page_counts import PageCount

    if not permissions.allows(uow.roles, Allow.SEND_MAIL):
        return None
    waiting = counts_waiting(uow)
    return PageCount(sum(waiting.values()), waiting.get(OutboxState.FAILED, 0))


def mailto(row: OutboxRow) -> str:
    """The message as a mailto: link for the person's mail program (CRLF line breaks)."""
    return _mailto(split_addresses(row.recipients), row.subject, row.body)


def message_mailto(message: Outgoing) -> str:
    """A message not yet in the outbox as a mailto: link."""
    return _mailto(message.to, message.subject, message.body)


def _mailto(to: tuple[str, ...], subject: str, body: str) -> str:
    # Mail programs expect CRLF line breaks in a mailto body.
    return links.mailto(",".join(to), subject=subject, body=body.replace("\n", "\r\n"))


def _load_for_update(uow: UnitOfWork, message_id: int) -> OutboxMessage:
    row = uow.session.get(OutboxMessage, message_id, with_for_update=uow.dialect == "postgresql")
    if row is None:
        raise NotFoundError(f"There is no message {message_id} in the outbox.", field="message")
    return row


def _already_gone(row: OutboxMessage) -> ConflictError:
    when = f" ({row.sent_at:%Y-%m-%d %H:%M} UTC)" if row.sent_at else ""
    return ConflictError(
        f"The message “{row.subject}” was already {row.state.label.lower()}{when}; it is not "
        "sent again."
    )


def mark_handed_over(uow: UnitOfWork, message_id: int, *, now: datetime) -> OutboxRow:
    """Record that the message was opened in the person's mail program, on the timeline too.
    Only a draft or a refused message can be: one already sent or handed over is not again."""
    permissions.require(uow, Allow.SEND_MAIL)
    row = _load_for_update(uow, message_id)
    if row.state not in (OutboxState.DRAFT, OutboxState.FAILED):
        if row.state is OutboxState.QUEUED:
            raise ConflictError(
                f"The message “{row.subject}” is waiting for the mail server, which sends it "
                "on its own; it was not opened in the mail program as well."
            )
        raise _already_gone(row)
    row.state, row.sent_at, row.next_attempt_at = OutboxState.HANDED_TO_MAIL_PROGRAM, now, None
    audit.record(
        uow,
        "email_handed_to_mail_program",
        entity="outbox_message",
        entity_id=row.id,
        complaint_id=row.complaint_id,
        description=f"{row.kind.label} to {row.recipients or 'an address typed there'} opened "
        "in the mail program",
        after={"subject": row.subject},
        now=now,
    )
    uow.session.flush()
    return get_message(uow, message_id)


def send_by_mail_server(uow: UnitOfWork, message_id: int, *, now: datetime) -> OutboxRow:
    """Give a draft, or a refused message (after fixing the address), to the mail server."""
    permissions.require(uow, Allow.SEND_MAIL)
    row = _load_for_update(uow, message_id)
    if row.state not in (OutboxState.DRAFT, OutboxState.FAILED):
        if row.state is OutboxState.QUEUED:
            return get_message(uow, message_id)
        raise _already_gone(row)
    if not mail_server_configured(load_settings(uow)):
        raise ValidationError(
            "No mail server is set up; give one in Settings → Email, or open the message in "
            "your mail program.",
            field="message",
        )
    if not row.recipients:
        raise ValidationError(
            "The message has no address; add the person's email in the Directory, or open it "
            "in your mail program and type the address there.",
            field="message",
        )
    row.state, row.next_attempt_at, row.last_error = OutboxState.QUEUED, now, None
    uow.session.flush()
    return get_message(uow, message_id)


def drafts_to_offer(uow: UnitOfWork, *, since: datetime, after_id: int = 0) -> list[OutboxRow]:
    """Drafts this person queued since `since` (newer than `after_id`): the app offers each
    at once to open in the mail program, right after the action that wrote it."""
    query = (
        select(OutboxMessage, Complaint.reference, Customer.name)
        .outerjoin(Complaint, Complaint.id == OutboxMessage.complaint_id)
        .outerjoin(Customer, Customer.id == Complaint.customer_id)
        .where(
            OutboxMessage.state == OutboxState.DRAFT,
            OutboxMessage.queued_by == uow.identity[:120],
            OutboxMessage.queued_at >= since,
            OutboxMessage.id > after_id,
        )
        .order_by(OutboxMessage.id)
    )
    return [_row(m, reference, customer) for m, reference, customer in uow.session.execute(query)]
