"""The email a hand-off queues for the delegate at once: a new delegation, a re-delegation, a
report sent back; and, when the step that caused it is withdrawn, its cancellation (or, once
sent, a note that the hand-off was withdrawn). Called by the services that hand a complaint
over, in their transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.mail import outbox, templates
from ceo_desk.core.mail.outbox import Outgoing, queue
from ceo_desk.enums import MessageKind
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Delegation, OutboxMessage, Staff

CANCELLED_WHY = "The step that wrote it was withdrawn, so it is never sent."


def to_delegate(
    uow: UnitOfWork,
    complaint_id: int,
    kind: MessageKind,
    *,
    now: datetime,
    extra: Mapping[str, str] | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Queue a message of `kind` to the complaint's current delegate; its outbox id."""
    values = templates.message_values(uow, complaint_id, today=SYSTEM_CLOCK.local_day(now))
    values.update(extra or {})
    subject, body = templates.render(uow, kind, values)
    to = (values["delegate_email"],) if values["delegate_email"] else ()
    return queue(
        uow, Outgoing(kind, to, subject, body, complaint_id), now=now, dedupe_key=dedupe_key
    )


def withdraw_caused(
    uow: UnitOfWork, complaint_id: int, caused_at: datetime, *, now: datetime
) -> None:
    """A step taken back (`caused_at` is when it was taken) takes back the mail it queued: a
    message not yet sent is cancelled; a delegation notice already sent is followed by a note to
    the same delegate that the hand-off was withdrawn and nothing is needed from them."""
    for row in outbox.written_with(uow, complaint_id, caused_at):
        outbox.cancel(uow, row, CANCELLED_WHY, now=now)
        if row.state in outbox.DELIVERED_STATES:
            hand_off_withdrawn(uow, row, now=now)


def hand_off_withdrawn(uow: UnitOfWork, notice: OutboxMessage, *, now: datetime) -> int | None:
    """Tell the delegate a delegation notice reached that its hand-off was withdrawn; once per
    notice, and only for a delegation notice."""
    if notice.kind is not MessageKind.DELEGATION_NOTICE or notice.complaint_id is None:
        return None
    values = templates.message_values(uow, notice.complaint_id, today=SYSTEM_CLOCK.local_day(now))
    staff = uow.session.scalar(
        select(Staff)
        .join(Delegation, Delegation.staff_id == Staff.id)
        .where(
            Delegation.complaint_id == notice.complaint_id,
            Delegation.delegated_at == notice.queued_at,
        )
        .order_by(Delegation.id.desc())
        .limit(1)
    )
    if staff is not None:  # the delegate of the withdrawn hand-off, not the one it has now
        values["delegate"] = staff.name
        values["delegate_first_name"] = staff.name.split()[0] if staff.name.strip() else ""
        values["delegate_email"] = staff.email or ""
    subject, body = templates.render(uow, MessageKind.HAND_OFF_WITHDRAWN, values)
    return queue(
        uow,
        Outgoing(
            MessageKind.HAND_OFF_WITHDRAWN,
            outbox.split_addresses(notice.recipients),
            subject,
            body,
            notice.complaint_id,
        ),
        now=now,
        dedupe_key=f"hand_off_withdrawn:{notice.id}",
    )
