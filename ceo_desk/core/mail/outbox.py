"""The outbox: every email CEO Desk sends is first a row in the log.

`queue` writes the row in the caller's transaction, so a message exists exactly when the action
that causes it committed. The sender (`core/mail/sender.py`) takes it from there; without a mail
server the row waits as a draft for a person to open in their mail program.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ceo_desk.enums import MessageKind, OutboxState
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import OutboxMessage


@dataclass(frozen=True)
class Outgoing:
    """One email to send: who to, what it says, and the complaint it is about."""

    kind: MessageKind
    to: tuple[str, ...]
    subject: str
    body: str
    complaint_id: int | None = None
    cc: tuple[str, ...] = ()


def join_addresses(addresses: tuple[str, ...]) -> str:
    return ", ".join(a.strip() for a in addresses if a.strip())


def split_addresses(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(",") if a.strip())


def mail_server_configured(settings: OfficeSettings) -> bool:
    """True when the office has a mail server to send through (else messages are drafts)."""
    return bool(getattr(settings, "smtp_host", ""))


def queue(
    uow: UnitOfWork, message: Outgoing, *, now: datetime, dedupe_key: str | None = None
) -> int | None:
    """Write the message to the outbox in the caller's transaction; its id, or None (writing
    nothing) when `dedupe_key` was queued before.

    A message goes to the mail server when the office has one and the message has an address;
    otherwise it waits as a draft to be opened in a mail program.
    """
    if dedupe_key is not None:
        seen = uow.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        if seen is not None:
            return None
    from ceo_desk.core.services.office import load_settings

    to = join_addresses(message.to)
    sendable = bool(to) and mail_server_configured(load_settings(uow))
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
