"""The email a hand-off queues for the delegate at once: a new delegation, a re-delegation, a
report sent back. Called by the services that hand a complaint over, in their transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.mail import templates
from ceo_desk.core.mail.outbox import Outgoing, queue
from ceo_desk.enums import MessageKind
from ceo_desk.store.db import UnitOfWork


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
