"""The audit trail: one event per change, chained by hash, written in the change's transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, text

from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Event, EventChange

GENESIS_HASH = "0" * 64
# One advisory lock key for the chain head on PostgreSQL ("CEODESK" in ASCII, fits in bigint).
_CHAIN_LOCK_KEY = 0x43454F4445534B


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def canonical_json(value: Mapping[str, Any] | None) -> str:
    return json.dumps(value or {}, sort_keys=True, ensure_ascii=False, default=_json_default)


def digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\x1f")
    return hasher.hexdigest()


def event_hash(event: Event) -> str:
    """The hash over an event's own content and the previous event's hash."""
    return link_hash(
        prev_hash=event.prev_hash,
        at=event.at,
        os_user=event.os_user,
        role=event.role,
        complaint_id=event.complaint_id,
        entity=event.entity,
        entity_id=event.entity_id,
        action=event.action,
        description=event.description,
        change_digest=event.change_digest,
    )


def link_hash(
    *,
    prev_hash: str,
    at: datetime,
    os_user: str,
    role: str,
    complaint_id: int | None,
    entity: str,
    entity_id: int | None,
    action: str,
    description: str,
    change_digest: str,
) -> str:
    """One link of the chain, from plain values (bulk writers hash rows without ORM objects)."""
    return digest(
        prev_hash,
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        os_user,
        role,
        str(complaint_id or ""),
        entity,
        str(entity_id or ""),
        action,
        description,
        change_digest,
    )


def change_digest(before_json: str, after_json: str) -> str:
    return digest(before_json, after_json)


def _chain_head(uow: UnitOfWork) -> str:
    if uow.dialect == "postgresql":
        # Serialise appends to the chain across sessions; released at commit or rollback.
        uow.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    head = uow.session.execute(select(Event.hash).order_by(Event.id.desc()).limit(1)).scalar()
    return head or GENESIS_HASH


def record(
    uow: UnitOfWork,
    action: str,
    *,
    entity: str,
    entity_id: int | None,
    complaint_id: int | None = None,
    description: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Event:
    """Append one event for a change made in this unit of work."""
    before_json = canonical_json(before)
    after_json = canonical_json(after)
    event = Event(
        at=(now or datetime.now(UTC)),
        os_user=uow.actor.os_user,
        role=uow.actor.role.value,
        complaint_id=complaint_id,
        entity=entity,
        entity_id=entity_id,
        action=action,
        description=description,
        change_digest=change_digest(before_json, after_json),
        prev_hash=_chain_head(uow),
    )
    event.hash = event_hash(event)
    uow.session.add(event)
    uow.session.flush()
    uow.session.add(EventChange(event_id=event.id, before_json=before_json, after_json=after_json))
    return event


@dataclass(frozen=True)
class ChainVerdict:
    events_checked: int
    first_broken_event_id: int | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.first_broken_event_id is None


def iter_events(uow: UnitOfWork, batch: int = 5000) -> Iterator[tuple[Event, EventChange | None]]:
    last_id = 0
    while True:
        rows = uow.session.execute(
            select(Event, EventChange)
            .outerjoin(EventChange, EventChange.event_id == Event.id)
            .where(Event.id > last_id)
            .order_by(Event.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1][0].id
        uow.session.expunge_all()


def _values_tampered(event: Event, change: EventChange | None) -> bool:
    """Redacted values (an erased customer) are gone by design; others must match the digest."""
    if change is None or change.redacted_at is not None:
        return False
    return change_digest(change.before_json, change.after_json) != event.change_digest


def verify_chain(uow: UnitOfWork) -> ChainVerdict:
    """Walk the whole chain; name the first event whose link or content does not add up."""
    previous = GENESIS_HASH
    checked = 0
    for event, change in iter_events(uow):
        checked += 1
        if event.prev_hash != previous:
            return ChainVerdict(checked, event.id, "it does not point at the event before it")
        if event_hash(event) != event.hash:
            return ChainVerdict(checked, event.id, "its content was changed after it was written")
        if _values_tampered(event, change):
            return ChainVerdict(checked, event.id, "its before/after values were changed")
        previous = event.hash
    return ChainVerdict(checked, None, None)
