"""Chasing a delegate for a report: the Chase message in the office's wording, queued in the
outbox (and so sent by the mail server and put on the complaint's timeline), or, without a mail
server, opened in the person's mail program and recorded as handed over."""

from __future__ import annotations

from datetime import datetime

from ceo_desk.core import permissions
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.mail import outbox, templates
from ceo_desk.core.mail.outbox import OutboxRow, Outgoing
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.services.complaints import load
from ceo_desk.enums import MessageKind
from ceo_desk.store.db import UnitOfWork


def chase_message(uow: UnitOfWork, reference: str, *, now: datetime) -> Outgoing:
    """The Chase message for the complaint's current delegate, in the office's wording."""
    complaint = load(uow, reference, for_update=False)
    values = templates.message_values(uow, complaint.id, today=SYSTEM_CLOCK.local_day(now))
    subject, body = templates.render(uow, MessageKind.CHASE, values)
    to = (values["delegate_email"],) if values["delegate_email"] else ()
    return Outgoing(MessageKind.CHASE, to, subject, body, complaint.id)


def chase(
    uow: UnitOfWork,
    reference: str,
    *,
    now: datetime,
    opened_in_mail_program: Outgoing | None = None,
) -> OutboxRow:
    """Record a chase: queued for the mail server, or (given the message the person's mail
    program opened) handed over to it. Either way it is in the outbox and on the timeline."""
    permissions.require(uow, Allow.SEND_MAIL)
    if opened_in_mail_program is not None:
        message_id = outbox.queue(uow, opened_in_mail_program, now=now, as_draft=True)
        assert message_id is not None
        return outbox.mark_handed_over(uow, message_id, now=now)
    message_id = outbox.queue(uow, chase_message(uow, reference, now=now), now=now)
    assert message_id is not None
    return outbox.get_message(uow, message_id)
