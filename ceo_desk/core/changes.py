"""What a write changed, announced once after it commits (the Qt-free half of the change hub).

Every unit of work that commits is looked at as it flushes: the complaints it touched (directly,
or through a delegation, report, callback or event), the directory (departments, partners,
people), the customers, and the office settings (including categories). After the commit the
`Changes` go to every subscriber, on the thread that committed; the screens' hub (ui.changes)
turns them into a Qt signal on the GUI thread. Nothing has to remember to announce: a service
writes, and its callers are told.

On PostgreSQL the same changes are also sent with NOTIFY inside the writing transaction, so other
computers hear of them exactly when they commit (see `core.change_feed`). A SQLite log is watched
from other processes through `PRAGMA data_version` instead, which says only that something
changed: `Changes.unknown`.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

from ceo_desk.store.models import (
    Callback,
    Category,
    Complaint,
    Customer,
    Delegation,
    Event,
    EventChange,
    ReferenceCounter,
    Report,
    ReportedCallback,
    RoleGrant,
    Setting,
    Staff,
    Unit,
)

# The PostgreSQL channel every CEO Desk process listens on.
CHANNEL = "ceo_desk_changes"
# Who sent a notification: this process's own are already announced in-process.
ORIGIN = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
# NOTIFY payloads must stay under 8000 bytes; beyond this many references say "unknown".
MAX_NOTIFIED_REFERENCES = 200

_INFO_KEY = "ceo_desk_changes"
_SAVEPOINTS_KEY = "ceo_desk_savepoints"
_RELEASED_KEY = "ceo_desk_released"


@dataclass(frozen=True)
class Changes:
    """What one or more commits changed."""

    complaints: frozenset[str] = frozenset()  # references
    directory: bool = False
    customers: frozenset[int] = frozenset()  # ids of customers whose details changed
    settings: bool = False
    unknown: bool = False  # changed elsewhere; what exactly is not known

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.complaints | other.complaints,
            self.directory or other.directory,
            self.customers | other.customers,
            self.settings or other.settings,
            self.unknown or other.unknown,
        )

    def __bool__(self) -> bool:
        return bool(
            self.complaints or self.directory or self.customers or self.settings or self.unknown
        )

    def touches(self, reference: str, customer_id: int | None = None) -> bool:
        """True when the complaint `reference` (of `customer_id`) may look different now."""
        return (
            self.unknown
            or reference in self.complaints
            or (customer_id is not None and customer_id in self.customers)
        )

    @property
    def touches_lists(self) -> bool:
        """True when a list of complaints may look different (names, statuses, delegates)."""
        return bool(self.complaints or self.customers) or self.directory or self.unknown

    def to_payload(self) -> str:
        many = len(self.complaints) > MAX_NOTIFIED_REFERENCES
        return json.dumps(
            {
                "origin": ORIGIN,
                "complaints": [] if many else sorted(self.complaints),
                "directory": self.directory,
                "customers": sorted(self.customers),
                "settings": self.settings,
                "unknown": self.unknown or many,
            }
        )

    @classmethod
    def from_payload(cls, payload: str) -> tuple[str, Changes]:
        """(origin, changes) from a NOTIFY payload; a payload not understood means `unknown`."""
        try:
            data = json.loads(payload)
            return str(data["origin"]), cls(
                frozenset(str(r) for r in data["complaints"]),
                bool(data["directory"]),
                frozenset(int(c) for c in data["customers"]),
                bool(data["settings"]),
                bool(data["unknown"]),
            )
        except (ValueError, KeyError, TypeError):
            return "", cls(unknown=True)


EVERYTHING = Changes(unknown=True)

Subscriber = Callable[[Changes], None]

_subscribers: list[Subscriber] = []
_lock = threading.Lock()
_installed = False


def subscribe(subscriber: Subscriber) -> None:
    """Call `subscriber(changes)` after every commit in this process (on the committing thread)."""
    with _lock:
        _subscribers.append(subscriber)


def unsubscribe(subscriber: Subscriber) -> None:
    with _lock:
        if subscriber in _subscribers:
            _subscribers.remove(subscriber)


def announce(changes: Changes) -> None:
    """Tell every subscriber; a write outside the ORM (a restore) announces itself this way."""
    if not changes:
        return
    with _lock:
        subscribers = list(_subscribers)
    for subscriber in subscribers:
        subscriber(changes)


@dataclass
class _Pending:
    """What a session has flushed so far in its transaction."""

    references: set[str] = field(default_factory=set)
    complaint_ids: set[int] = field(default_factory=set)
    directory: bool = False
    customers: set[int] = field(default_factory=set)
    settings: bool = False
    unknown: bool = False


def _copy(pending: _Pending) -> _Pending:
    return _Pending(
        set(pending.references),
        set(pending.complaint_ids),
        pending.directory,
        set(pending.customers),
        pending.settings,
        pending.unknown,
    )


def _pending(session: Session) -> _Pending:
    found = session.info.get(_INFO_KEY)
    if not isinstance(found, _Pending):
        found = _Pending()
        session.info[_INFO_KEY] = found
    return found


_BELONGS_TO_COMPLAINT = (Delegation, Report, Callback, ReportedCallback, Event)


def _note(pending: _Pending, objects: Iterable[object], *, created: bool = False) -> None:
    for obj in objects:
        if isinstance(obj, Complaint):
            if obj.reference:
                pending.references.add(obj.reference)
            elif obj.id is not None:
                pending.complaint_ids.add(obj.id)
        elif isinstance(obj, _BELONGS_TO_COMPLAINT):
            if obj.complaint_id is not None:
                pending.complaint_ids.add(obj.complaint_id)
            elif isinstance(obj, Event):
                pending.directory = True  # an event of no complaint records a directory change
        elif isinstance(obj, EventChange):
            continue  # its event is noted
        elif isinstance(obj, Staff | Unit):
            pending.directory = True
        elif isinstance(obj, Customer):
            if not created:  # a new caller belongs only to the new complaint, noted above
                pending.customers.add(obj.id)
        elif isinstance(obj, Setting | Category | RoleGrant):
            pending.settings = True  # a grant changes what the person may do, like a setting


def note_bulk_complaints(session: Session, references: Iterable[str]) -> None:
    """Complaints a bulk writer inserted past the ORM (the import): announced by reference, or
    as "everything" when there are too many to name."""
    pending = _pending(session)
    written = set(references)
    if len(pending.references) + len(written) > MAX_NOTIFIED_REFERENCES:
        pending.unknown = True
    else:
        pending.references.update(written)


def _on_after_flush(session: Session, _flush: UOWTransaction) -> None:
    pending = _pending(session)
    _note(pending, session.new, created=True)
    _note(pending, session.dirty)
    _note(pending, session.deleted)


def _on_do_orm_execute(state: ORMExecuteState) -> None:
    # A bulk INSERT, UPDATE or DELETE (the demo generator's, say) changes rows no flush sees.
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    pending = _pending(state.session)
    if table == ReferenceCounter.__tablename__:
        return  # handing out a reference; the complaint that gets it is flushed and noted
    if table == "outbox_message":
        return  # the sender's claim or pause changes no list; a sent message's event is noted
    if table in (Staff.__tablename__, Unit.__tablename__):
        pending.directory = True
    elif table == Customer.__tablename__:
        pending.unknown = True  # which customers, a bulk statement does not say
    elif table in (Setting.__tablename__, Category.__tablename__):
        pending.settings = True
    else:
        pending.unknown = True


def _resolve(session: Session, pending: _Pending) -> Changes:
    references = set(pending.references)
    if len(pending.complaint_ids) > MAX_NOTIFIED_REFERENCES:
        pending.unknown = True  # a bulk write: the screens refresh everything anyway
    elif pending.complaint_ids:
        found = session.scalars(
            select(Complaint.reference).where(Complaint.id.in_(pending.complaint_ids))
        )
        references.update(found)
    return Changes(
        frozenset(references),
        pending.directory,
        frozenset(pending.customers),
        pending.settings,
        pending.unknown,
    )


def _on_before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the changes count when the whole transaction commits
    session.flush()  # the last changes are flushed now, so after_flush has seen them all
    pending = session.info.get(_INFO_KEY)
    if not isinstance(pending, _Pending):
        return
    changes = _resolve(session, pending)
    session.info[_INFO_KEY] = changes
    if changes and session.get_bind().dialect.name == "postgresql":
        # Delivered by the server when, and only if, this transaction commits.
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": changes.to_payload()},
        )


def _on_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        nested = session.get_nested_transaction()
        session.info.setdefault(_RELEASED_KEY, set()).add(id(nested))
        return
    changes = session.info.pop(_INFO_KEY, None)
    if isinstance(changes, Changes):
        announce(changes)


def _on_after_transaction_create(session: Session, transaction: SessionTransaction) -> None:
    # A savepoint remembers what was noted before it, to go back to if it is rolled back.
    if transaction.nested:
        found = session.info.get(_INFO_KEY)
        before = _copy(found) if isinstance(found, _Pending) else None
        session.info.setdefault(_SAVEPOINTS_KEY, {})[id(transaction)] = before


def _on_after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        before = session.info.get(_SAVEPOINTS_KEY, {}).pop(id(transaction), None)
        released = session.info.get(_RELEASED_KEY, set())
        if id(transaction) in released:
            released.discard(id(transaction))
        elif before is not None:
            session.info[_INFO_KEY] = before  # rolled back: what it flushed never happened
        else:
            session.info.pop(_INFO_KEY, None)
        return
    if transaction.parent is None:
        # The outermost transaction ended; unless it announced, it was rolled back.
        for key in (_INFO_KEY, _SAVEPOINTS_KEY, _RELEASED_KEY):
            session.info.pop(key, None)


def install() -> None:
    """Start watching every session's commits (once per process; opening the log calls it)."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    listeners: list[tuple[str, Callable[..., Any]]] = [
        ("after_flush", _on_after_flush),
        ("do_orm_execute", _on_do_orm_execute),
        ("before_commit", _on_before_commit),
        ("after_commit", _on_after_commit),
        ("after_transaction_create", _on_after_transaction_create),
        ("after_transaction_end", _on_after_transaction_end),
    ]
    for name, listener in listeners:
        event.listen(Session, name, listener)
