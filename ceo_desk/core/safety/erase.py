"""Erasing a customer: their name, phone and email go from every row, statistics stay.

Counts, dates, statuses and costs are untouched; free text that names the customer has those
words replaced; before/after values of their events are redacted (the chain covers only their
digest, so it still verifies). Afterwards the search index is merged and the WAL truncated, so
with secure_delete on no byte of the erased values is left in the file.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from ceo_desk import paths
from ceo_desk.core import attachments, audit, permissions, search
from ceo_desk.core.safety import anchor, cleanup
from ceo_desk.errors import NotFoundError, ValidationError
from ceo_desk.store.db import Database, UnitOfWork
from ceo_desk.store.models import (
    Callback,
    Complaint,
    Customer,
    Delegation,
    Event,
    EventChange,
    MoreTimeRequest,
    OutboxMessage,
    Promise,
    Report,
)

ERASED = "[erased]"
REDACTED_JSON = '{"redacted": true}'
_MIN_NAME_PART = 3
_SEPARATORS = r"[\s.\-()/]*"

OUTBOX_TEXT = ("subject", "body")  # an email about the complaint names the customer
COMPLAINT_TEXT = ("summary", "details", "customer_wants", "ceo_promised", "withdrawn_reason")
REPORT_TEXT = ("said", "done", "accommodation", "root_cause", "sent_back_comment")
CALLBACK_TEXT = ("customer_words", "notes")
DELEGATION_TEXT = ("instructions",)
MORE_TIME_TEXT = ("reason", "decline_reason")
PROMISE_TEXT = ("what",)


@dataclass(frozen=True)
class EraseResult:
    customer_id: int
    complaints: int
    texts_changed: int
    events_redacted: int
    # Events whose (unchangeable) description still mentions the customer.
    descriptions_mentioning: tuple[int, ...] = ()


def _phone_patterns(e164: str) -> list[str]:
    import phonenumbers  # loaded when erasing: the backups that import this module need it not

    found = [re.escape(e164)]
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        digits = re.sub(r"\D", "", e164)
        return [*found, _SEPARATORS.join(digits)] if len(digits) >= 6 else found
    national = str(parsed.national_number)
    body = _SEPARATORS.join(re.escape(d) for d in national)
    prefix = rf"(?:\+?\s*{parsed.country_code}{_SEPARATORS})?(?:\(?0\)?{_SEPARATORS})?"
    found.append(rf"(?<!\d){prefix}{body}(?!\d)")
    return found


def identifying_patterns(
    name: str, phone: str | None, email: str | None, extra: Iterable[str | None] = ()
) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching the customer's name (and its parts), phone, email."""
    parts: list[str] = []
    if email:
        parts.append(re.escape(email))
    if phone:
        parts.extend(_phone_patterns(phone))
    words = [w for w in re.findall(r"\w+", name or "") if len(w) >= _MIN_NAME_PART]
    if name and name.strip():
        parts.append(r"\s+".join(re.escape(w) for w in name.split()))
    parts.extend(rf"\b{re.escape(w)}\b" for w in words)
    for value in extra:
        if value and len(value.strip()) >= _MIN_NAME_PART:
            parts.append(re.escape(value.strip()))
    if not parts:
        return None
    # Longest first, so a full name is replaced whole rather than word by word.
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


def scrub(value: str | None, pattern: re.Pattern[str] | None) -> str | None:
    if value is None or pattern is None:
        return value
    return pattern.sub(ERASED, value)


def _scrub_fields(row: object, names: tuple[str, ...], pattern: re.Pattern[str] | None) -> int:
    changed = 0
    for name in names:
        old = getattr(row, name)
        new = scrub(old, pattern)
        if new != old:
            setattr(row, name, new)
            changed += 1
    return changed


def _redact(changes: Iterable[EventChange], now: datetime) -> int:
    count = 0
    for change in changes:
        if change.redacted_at is None:
            change.before_json = REDACTED_JSON
            change.after_json = REDACTED_JSON
            change.redacted_at = now
            count += 1
    return count


def scrub_complaint(
    uow: UnitOfWork, complaint: Complaint, pattern: re.Pattern[str] | None, now: datetime
) -> tuple[int, int]:
    """Replace the pattern in every text of one complaint; redact its event values.

    Returns (texts changed, events redacted). Does not commit.
    """
    session = uow.session
    changed = _scrub_fields(complaint, COMPLAINT_TEXT, pattern)
    for model, names in (
        (Report, REPORT_TEXT),
        (Callback, CALLBACK_TEXT),
        (Delegation, DELEGATION_TEXT),
        (MoreTimeRequest, MORE_TIME_TEXT),
        (Promise, PROMISE_TEXT),
        (OutboxMessage, OUTBOX_TEXT),
    ):
        for row in session.scalars(select(model).where(model.complaint_id == complaint.id)):
            changed += _scrub_fields(row, names, pattern)
    changes = session.scalars(
        select(EventChange)
        .join(Event, Event.id == EventChange.event_id)
        .where(Event.complaint_id == complaint.id)
    )
    redacted = _redact(changes, now)
    session.flush()
    search.refresh(uow, complaint.id)
    return changed, redacted


def _descriptions_mentioning(
    uow: UnitOfWork, complaint_ids: list[int], pattern: re.Pattern[str] | None
) -> tuple[int, ...]:
    if pattern is None or not complaint_ids:
        return ()
    rows = uow.session.execute(
        select(Event.id, Event.description).where(Event.complaint_id.in_(complaint_ids))
    )
    return tuple(event_id for event_id, description in rows if pattern.search(description or ""))


def erase_customer(
    uow: UnitOfWork,
    customer_id: int,
    *,
    reason: str = "on request",
    now: datetime | None = None,
    in_backup: bool = False,
) -> EraseResult:
    """Anonymise one customer everywhere in this unit of work (the caller commits).

    The clean-up of old copies in the file is marked pending in the same transaction, so a crash
    after the commit leaves a note the next open acts on. In a backup nothing is added to the
    audit trail, whose chain must stay the one the backup was taken of.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    customer = uow.session.get(Customer, customer_id)
    if customer is None:
        raise NotFoundError(f"There is no customer #{customer_id}.", field="customer")
    if customer.erased_at is not None:
        raise ValidationError(
            f"Customer #{customer_id} was already erased on "
            f"{customer.erased_at.date().isoformat()}.",
            field="customer",
        )
    pattern = identifying_patterns(
        customer.name,
        customer.phone,
        customer.email,
        (customer.organisation, customer.account_ref),
    )
    customer.name = f"Erased customer #{customer.id}"
    customer.phone = None
    customer.email = None
    customer.organisation = None
    customer.account_ref = None
    customer.erased_at = moment
    uow.session.flush()
    complaints = list(
        uow.session.scalars(
            select(Complaint).where(Complaint.customer_id == customer_id).order_by(Complaint.id)
        )
    )
    texts = 0
    redacted = 0
    for complaint in complaints:
        changed, events = scrub_complaint(uow, complaint, pattern, moment)
        texts += changed
        redacted += events
    redacted += _redact(
        uow.session.scalars(
            select(EventChange)
            .join(Event, Event.id == EventChange.event_id)
            .where(Event.entity == "customer", Event.entity_id == customer_id)
        ),
        moment,
    )
    # The files that came with their complaints go whole: a letter or a photo cannot be
    # scrubbed word by word, and its bytes (kept once) go when no other complaint uses them.
    attachments.remove_for_complaints(uow, [c.id for c in complaints])
    mentioning = _descriptions_mentioning(uow, [c.id for c in complaints], pattern)
    if not in_backup:
        audit.record(
            uow,
            "customer_erased",
            entity="customer",
            entity_id=customer_id,
            description=f"Customer #{customer_id} erased ({reason}); "
            f"{len(complaints)} complaint(s) anonymised",
            now=moment,
        )
        cleanup.mark_pending(uow, customer_id)
    return EraseResult(customer_id, len(complaints), texts, redacted, mentioning)


def erase_customer_everywhere(
    db: Database,
    customer_id: int,
    *,
    reason: str = "on request",
    now: datetime | None = None,
    wait_s: float = cleanup.WAIT_S,
    on_wait: cleanup.OnWait | None = None,
) -> EraseResult:
    """Erase one customer, then leave no copy of their values in the log file or its backups.

    Another program reading the log would keep old copies in the file: the erase waits for it
    (telling `on_wait`), and refuses before committing if it does not stop. Raises
    ErasureIncomplete, after the commit, when the clean-up could not finish; it is then
    finished the next time the log is opened.
    """
    with db.reading() as uow:
        permissions.require(uow, permissions.Action.ERASE_CUSTOMER)
    if customer_id in cleanup.pending(db):
        cleanup.finish(db, wait_s=wait_s, on_wait=on_wait)
    with db.reading() as uow:
        customer = uow.session.get(Customer, customer_id)
        needles = (customer.email, customer.phone) if customer is not None else ()
    cleanup.wait_for_readers(db, wait_s=wait_s, on_wait=on_wait)
    with db.transaction() as uow:
        result = erase_customer(uow, customer_id, reason=reason, now=now)
    with contextlib.suppress(OSError):
        anchor.record_erased(db.url, customer_id)
    cleanup.finish(db, needles=needles, wait_s=wait_s, on_wait=on_wait)
    return result


def purge_traces(db: Database) -> None:
    """Leave no copy of erased values in the file (used by the retention rule)."""
    cleanup.finish(db)


def _erased_in_file(path: Path) -> set[int]:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            rows = conn.execute("SELECT id FROM customer WHERE erased_at IS NOT NULL").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return set()
    return {int(row[0]) for row in rows}


def reapply_erasures(database: Path, previous: Path | None) -> int:
    """After a restore: erase again every customer erased since the backup was taken.

    The ids come from the anchor file and from the log that was replaced (`previous`, its copy
    taken before the restore). Returns how many customers were erased again.
    """
    from ceo_desk.core.database import open_database

    ids = anchor.read_anchor(paths.sqlite_url(database)).erased
    if previous is not None:
        ids |= _erased_in_file(previous)
    if not ids:
        return 0
    db = open_database(str(database))
    try:
        again = 0
        with db.transaction() as uow:
            for customer_id in sorted(ids):
                customer = uow.session.get(Customer, customer_id)
                if customer is not None and customer.erased_at is None:
                    erase_customer(uow, customer_id, reason="erased again after a restore")
                    again += 1
        if again:
            cleanup.finish(db, wait_s=2.0)
        return again
    finally:
        db.close()
