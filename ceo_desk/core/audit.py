"""The audit trail: one event per change, chained by hash, written in the change's transaction."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from ceo_desk.core import json_values, permissions
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Event, EventChange

GENESIS_HASH = "0" * 64


def canonical_json(value: Mapping[str, Any] | None) -> str:
    return json_values.dumps(value or {}, canonical=True)


def digest(*parts: str) -> str:
    """SHA-256 over the parts, each followed by a unit separator (one string, hashed once)."""
    if not parts:
        return hashlib.sha256(b"").hexdigest()
    return hashlib.sha256(("\x1f".join(parts) + "\x1f").encode("utf-8")).hexdigest()


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
    return link_hash_at_text(
        prev_hash,
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        os_user,
        role,
        complaint_id,
        entity,
        entity_id,
        action,
        description,
        change_digest,
    )


def link_hash_at_text(
    prev_hash: str,
    at_text: str,
    os_user: str,
    role: str,
    complaint_id: int | None,
    entity: str,
    entity_id: int | None,
    action: str,
    description: str,
    change_digest: str,
) -> str:
    """`link_hash` with the moment already as its UTC ISO text (`isoformat(timespec=
    "microseconds")`): a writer hashing hundreds of thousands of events makes that text once."""
    return digest(
        prev_hash,
        at_text,
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
        uow.take_writers_lock()
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
        os_user=uow.identity,
        role=permissions.acting_role(uow).value,
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


class ChainWalker:
    """Checks the chain one event at a time, so one pass over the events can feed other checks.

    When a link does not point at the event before it, the event at fault is named: an event
    that was changed and re-hashed leaves the next one (still sound in itself) pointing at its
    original hash, so the changed event is the earlier one, not the one that points at it.
    """

    def __init__(self) -> None:
        self.checked = 0
        self._previous_id = 0
        self._previous_hash = GENESIS_HASH
        self.verdict: ChainVerdict | None = None

    def step(self, event: Event, change: EventChange | None) -> None:
        if self.verdict is not None:
            return
        self.checked += 1
        sound_itself = event_hash(event) == event.hash
        if event.prev_hash != self._previous_hash:
            self.verdict = self._broken_link(event, sound_itself)
        elif not sound_itself:
            self.verdict = ChainVerdict(
                self.checked, event.id, "its content was changed after it was written"
            )
        elif _values_tampered(event, change):
            self.verdict = ChainVerdict(
                self.checked, event.id, "its before/after values were changed"
            )
        self._previous_id = event.id
        self._previous_hash = event.hash

    def _broken_link(self, event: Event, sound_itself: bool) -> ChainVerdict:
        if not sound_itself or self._previous_id == 0:
            return ChainVerdict(self.checked, event.id, "it does not point at the event before it")
        if event.id > self._previous_id + 1:
            return ChainVerdict(
                self.checked,
                self._previous_id + 1,
                f"it is missing: event {event.id} points at an event that is no longer there",
            )
        return ChainVerdict(
            self.checked,
            self._previous_id,
            f"it was changed after it was written (event {event.id} was linked to its "
            "original content)",
        )

    def result(self) -> ChainVerdict:
        return self.verdict or ChainVerdict(self.checked, None, None)


def verify_chain(uow: UnitOfWork) -> ChainVerdict:
    """Walk the whole chain; name the first event whose link or content does not add up."""
    walker = ChainWalker()
    for event, change in iter_events(uow):
        walker.step(event, change)
        if walker.verdict is not None:
            break
    return walker.result()


# ---------------------------------------------------------------- the chain head and its seal


@dataclass(frozen=True)
class ChainHead:
    """Where the chain ends: how many events, the newest one's id and hash."""

    events: int
    last_id: int
    hash: str

    @property
    def seal(self) -> str:
        """The head as a short text for paper: "Audit seal: 18,204 events · 3F9A-1B2C-…"."""
        groups = "-".join(self.hash[i : i + 4].upper() for i in range(0, SEAL_HEX, 4))
        return f"Audit seal: {self.events:,} events \u00b7 {groups}"


# 20 hex digits (80 bits) printed: far beyond what anyone can forge by re-hashing.
SEAL_HEX = 20
_SEAL = re.compile(
    r"(?P<count>\d[\d,.\u202f\u00a0 ]*)\s*events?\W*(?P<hex>[0-9a-f]{4}(?:[-\s]?[0-9a-f]{4})+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Seal:
    events: int
    hash_prefix: str


def parse_seal(text: str) -> Seal | None:
    """Read a seal as printed (or typed back from paper); None when it is not one."""
    match = _SEAL.search(text or "")
    if match is None:
        return None
    count = re.sub(r"\D", "", match.group("count"))
    prefix = re.sub(r"[^0-9a-fA-F]", "", match.group("hex")).lower()
    if not count or len(count) > 18 or len(prefix) < 8:
        return None
    return Seal(int(count), prefix)


def chain_head(uow: UnitOfWork) -> ChainHead:
    """The head as committed now (GENESIS with no events)."""
    count, last_id = uow.session.execute(select(func.count(Event.id), func.max(Event.id))).one()
    if not count:
        return ChainHead(0, 0, GENESIS_HASH)
    head = uow.session.execute(select(Event.hash).where(Event.id == last_id)).scalar_one()
    return ChainHead(int(count), int(last_id), head)


def chain_head_after(uow: UnitOfWork, previous: ChainHead) -> ChainHead:
    """The head now, counting only the events after a head read earlier: a few index look-ups
    instead of counting a long chain after every commit. Falls back to counting everything when
    the earlier head is no longer in the chain (the log was restored meanwhile)."""
    if previous.events:
        still = uow.session.scalar(select(Event.hash).where(Event.id == previous.last_id))
        if still != previous.hash:
            return chain_head(uow)
    added, last_id = uow.session.execute(
        select(func.count(Event.id), func.max(Event.id)).where(Event.id > previous.last_id)
    ).one()
    if not added:
        return previous if previous.events else chain_head(uow)
    head = uow.session.execute(select(Event.hash).where(Event.id == last_id)).scalar_one()
    return ChainHead(previous.events + int(added), int(last_id), head)


def links_between(uow: UnitOfWork, after_id: int, up_to_id: int) -> list[tuple[int, str]]:
    """(id, hash) of the events after one id up to another, oldest first."""
    rows = uow.session.execute(
        select(Event.id, Event.hash)
        .where(Event.id > after_id, Event.id <= up_to_id)
        .order_by(Event.id)
    )
    return [(int(event_id), str(event_hash)) for event_id, event_hash in rows]
