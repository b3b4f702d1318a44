"""Writing checked rows in bulk: one transaction, ids and references handed out in blocks.

Each complaint gets the same rows a typed one gets (its customer, its search row, its
"imported" event in the hash chain with the values it arrived with), but written a few thousand
at a time with one INSERT per table instead of a dozen statements per row. Customers are merged
only when the contact and the name agree; a phone or email shared by different names becomes
separate customers, listed for review.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, func, select, text, update

from ceo_desk.core import audit, changes, fields, permissions, search, transitions, validation
from ceo_desk.core.intake.sheet_rows import CheckedRow, fold_name
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.store import bulk
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import (
    Complaint,
    Customer,
    Delegation,
    Event,
    EventChange,
    Promise,
    ReferenceCounter,
)

_BATCH = 2_000
# The tables an import fills, the complaints first: their indexes are built once the rows are in
# when the file brings at least as many complaints as the log holds.
_WRITTEN = bulk.tables_of(Complaint, Customer, Delegation, Event, EventChange)
_OWN_REFERENCE = re.compile(r"^C-(\d{4})-(\d{1,6})$")
_IMPORT_CACHE_KIB = -262144  # negative: KiB, so 256 MB at most, allocated only as used
_EMPTY = audit.canonical_json({})
_EMPTY_DIGEST = audit.change_digest(_EMPTY, _EMPTY)


@dataclass(frozen=True)
class SharedContact:
    """A phone or email that rows give under different names: kept apart, to be reviewed."""

    contact: str
    names: tuple[str, ...]
    lines: tuple[int, ...]


@dataclass
class _Customers:
    """Who is known by which contact, from the log and from the rows written so far."""

    by_contact: dict[str, list[tuple[int, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # contact -> folded name -> (the name as written, the first line giving it; 0: the log)
    shared: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)

    def load(self, uow: UnitOfWork) -> None:
        for cid, name, phone, email in uow.session.execute(
            select(Customer.id, Customer.name, Customer.phone, Customer.email).where(
                Customer.erased_at.is_(None)
            )
        ):
            self.add(cid, [c for c in (phone, email) if c], name)

    def match(self, contacts: list[str], name: str, line: int) -> int | None:
        """The customer with this contact and this name; a contact known under another name
        is noted for review and no customer is returned."""
        folded = fold_name(name)
        for contact in contacts:
            for cid, known, _ in self.by_contact.get(contact, []):
                if known == folded:
                    return cid
        for contact in contacts:
            if self.by_contact.get(contact):
                names = self.shared.setdefault(contact, {})
                for _, known, written in self.by_contact[contact]:
                    names.setdefault(known, (written, 0))
                names.setdefault(folded, (name, line))
        return None

    def add(self, cid: int, contacts: list[str], name: str) -> None:
        for contact in contacts:
            self.by_contact[contact].append((cid, fold_name(name), name))


class BulkWriter:
    """Writes checked rows inside the caller's transaction; nothing is committed here."""

    def __init__(self, uow: UnitOfWork, *, source: str, now: datetime, coming: int = 0) -> None:
        """`coming`: how many rows the file holds, which decides whether the indexes are built
        after the rows rather than kept up row by row."""
        self.uow = uow
        self.source = source
        self.coming = coming
        self._aside: list[str] | None = None
        self.now = now.astimezone(UTC)
        session = uow.session
        if uow.dialect == "postgresql":
            uow.take_writers_lock()  # the chain and the id blocks below are ours until commit

        def last_id(model: Any) -> int:
            return int(session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0)

        self.ids = {m: last_id(m) for m in (Customer, Complaint, Delegation, Event, Promise)}
        self.prev_hash = (
            session.scalar(select(Event.hash).order_by(Event.id.desc()).limit(1))
            or audit.GENESIS_HASH
        )
        self.counters = {
            y: n
            for y, n in session.execute(select(ReferenceCounter.year, ReferenceCounter.last_number))
        }
        self.counters_start = dict(self.counters)
        self._cache_pages: int | None = None
        if uow.dialect == "sqlite":
            # The unique index on the events' hashes takes keys in random order: with SQLite's
            # default 2 MB page cache, 100,000 of them spill to disk page by page. A larger cache
            # for this transaction only keeps the import linear (set back in finish).
            self._cache_pages = int(session.execute(text("PRAGMA cache_size")).scalar() or 0)
            session.execute(text(f"PRAGMA cache_size = {_IMPORT_CACHE_KIB}"))
        self.customers = _Customers()
        self.customers.load(uow)
        self.actor = uow.actor
        # Only a role allowed to import writes a file's complaints; its events name that role.
        self.role = permissions.require(uow, Allow.IMPORT).value
        self.references: list[str] = []
        self._rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        self._search: list[tuple[int, str]] = []
        self.customers_added = 0
        self.first_customer = 0
        # Customers already written (or in the log) whom a later row marks vulnerable.
        self._now_vulnerable: set[int] = set()
        self._forms: dict[str, list[str]] = {}

    def _next(self, model: Any) -> int:
        self.ids[model] += 1
        return self.ids[model]

    def _reference(self, row: CheckedRow) -> str:
        if row.reference is not None:
            own = _OWN_REFERENCE.match(row.reference)
            if own:
                year, number = int(own.group(1)), int(own.group(2))
                self.counters[year] = max(self.counters.get(year, 0), number)
            return row.reference
        year = row.received_at.astimezone().year
        self.counters[year] = self.counters.get(year, 0) + 1
        return f"C-{year}-{self.counters[year]:04d}"

    def _event(
        self,
        action: str,
        entity: str,
        entity_id: int,
        complaint_id: int | None,
        description: str,
        after_json: str,
    ) -> None:
        event_id = self._next(Event)
        digest = _EMPTY_DIGEST if after_json == _EMPTY else audit.change_digest(_EMPTY, after_json)
        link = audit.link_hash(
            prev_hash=self.prev_hash,
            at=self.now,
            os_user=self.actor.os_user,
            role=self.role,
            complaint_id=complaint_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            description=description,
            change_digest=digest,
        )
        self._rows[Event].append(
            {
                "id": event_id,
                "at": self.now,
                "os_user": self.actor.os_user,
                "role": self.role,
                "complaint_id": complaint_id,
                "entity": entity,
                "entity_id": entity_id,
                "action": action,
                "description": description,
                "change_digest": digest,
                "prev_hash": self.prev_hash,
                "hash": link,
            }
        )
        self._rows[EventChange].append(
            {
                "event_id": event_id,
                "before_json": _EMPTY,
                "after_json": after_json,
                "redacted_at": None,
            }
        )
        self.prev_hash = link

    def _customer(self, row: CheckedRow) -> int:
        details = row.customer
        contacts = [c for c in (details.phone, details.email) if c]
        found = self.customers.match(contacts, details.name, row.line) if contacts else None
        if found is not None:
            if details.vulnerable:
                self._now_vulnerable.add(found)
            return found
        cid = self._next(Customer)
        self._rows[Customer].append(
            {
                "id": cid,
                "name": details.name,
                "phone": details.phone,
                "email": details.email,
                "organisation": details.organisation,
                "account_ref": details.account_ref,
                "vulnerable": bool(details.vulnerable),
                "erased_at": None,
                "version": 1,
            }
        )
        self.customers.add(cid, contacts, details.name)
        self.customers_added += 1
        self.first_customer = self.first_customer or cid
        return cid

    def add(self, row: CheckedRow, delegate_name: str | None = None) -> str:
        customer_id = self._customer(row)
        complaint_id = self._next(Complaint)
        reference = self._reference(row)
        step = transitions.imported(
            reference,
            row.status,
            closed_at=row.closed_at,
            delegate_id=row.delegate_id,
            report_due_on=row.report_due_on,
            source=self.source,
            line=row.line,
        )
        loop = step.state.columns()
        values = row.values
        complaint = {
            "id": complaint_id,
            "reference": reference,
            "version": 1,
            **values,
            **loop,
            "customer_id": customer_id,
            "withdrawn_reason": row.withdrawn_reason,
            "duplicate_of_id": None,
            "created_at": self.now,
            "updated_at": self.now,
            "channel_as_given": row.channel_as_given,
            "closed_at_from_file": row.closed_at_from_file if row.closed_at else None,
        }
        self._rows[Complaint].append(complaint)
        if row.delegate_id is not None and row.report_due_on is not None:
            self._rows[Delegation].append(
                {
                    "id": self._next(Delegation),
                    "complaint_id": complaint_id,
                    "staff_id": row.delegate_id,
                    "delegated_at": self.now,
                    "delegated_by": f"{self.actor.os_user} (import)",
                    "instructions": "Imported as delegated.",
                    "report_due_on": row.report_due_on,
                }
            )
        snapshot = {k: values[k] for k in fields.EDITABLE_FIELDS} | {
            "status": row.status,
            "customer_id": customer_id,
            "current_delegate_id": loop["current_delegate_id"],
            "report_due_on": loop["report_due_on"],
            "callback_due_on": loop["callback_due_on"],
        }
        if row.customer.vulnerable:
            snapshot["customer_vulnerable"] = True
        if row.promises:
            snapshot["promises"] = [
                {"what": p.what, "due_on": p.due_on, "outcome": p.outcome} for p in row.promises
            ]
            self._promises(row, complaint_id)
        description = step.description
        if not (row.customer.phone or row.customer.email):
            description += "; no contact on file"
        self._event(
            step.action,
            "complaint",
            complaint_id,
            complaint_id,
            description,
            audit.canonical_json(snapshot),
        )
        details = row.customer
        parts = [
            reference,
            values["summary"],
            values["details"],
            values["customer_wants"],
            values["ceo_promised"],
            details.name,
            *self._phone_forms(details.phone),
            details.email or "",
            details.organisation or "",
            details.account_ref or "",
            delegate_name or "",
            row.withdrawn_reason or "",
        ]
        self._search.append((complaint_id, search.searchable("\n".join(p for p in parts if p))))
        self.references.append(reference)
        if len(self._rows[Complaint]) >= _BATCH:
            self.flush()
        return reference

    def _promises(self, row: CheckedRow, complaint_id: int) -> None:
        """The complaint's promise ledger as the file gives it: made when the complaint came
        in; a ticked one settled when the complaint closed (the import, while it is open)."""
        by = f"{self.actor.os_user} (import)"[:120]
        settled_at = row.closed_at or self.now
        for promise in row.promises:
            self._rows[Promise].append(
                {
                    "id": self._next(Promise),
                    "complaint_id": complaint_id,
                    "what": promise.what,
                    "due_on": promise.due_on,
                    "made_at": row.received_at,
                    "made_by": by,
                    "outcome": promise.outcome,
                    "settled_at": settled_at if promise.outcome else None,
                    "settled_by": by if promise.outcome else None,
                }
            )

    def _phone_forms(self, e164: str | None) -> list[str]:
        if not e164:
            return []
        if e164 not in self._forms:
            self._forms[e164] = validation.phone_search_forms(e164)
        return self._forms[e164]

    def flush(self) -> None:
        written = [row["reference"] for row in self._rows.get(Complaint, [])]
        changes.note_bulk_complaints(self.uow.session, written)
        connection = self.uow.session.connection()
        if self._aside is None:
            self._aside = bulk.set_indexes_aside(connection, _WRITTEN, coming=self.coming)
        for model in (Customer, Complaint, Delegation, Promise, Event, EventChange):
            table = model.__table__
            assert isinstance(table, Table)
            bulk.insert_rows(connection, table, self._rows.pop(model, []))
        if self._search:
            search.write_new_rows(self.uow, self._search)
            self._search = []

    def close(self) -> None:
        """Give the connection back its own page cache, whether the import went in or not."""
        if self._cache_pages is not None:
            self.uow.session.execute(text(f"PRAGMA cache_size = {self._cache_pages}"))
            self._cache_pages = None

    def finish(self) -> list[SharedContact]:
        """Write what is left and the reference counters; the contacts to review.

        The customers the import added are recorded by one event (each complaint's own event
        names its customer), not one each: an import of 100,000 rows would otherwise double
        the trail it writes."""
        if self.customers_added:
            last = self.ids[Customer]
            self._event(
                "customers_imported",
                "customer",
                self.first_customer,
                None,
                f"Customers #{self.first_customer}-#{last} ({self.customers_added:,}) added by "
                f"importing {self.source}",
                audit.canonical_json(
                    {
                        "first_id": self.first_customer,
                        "last_id": last,
                        "count": self.customers_added,
                    }
                ),
            )
        self.flush()
        if self._now_vulnerable:
            self.uow.session.execute(
                update(Customer)
                .where(Customer.id.in_(sorted(self._now_vulnerable)))
                .values(vulnerable=True)
            )
        bulk.make_indexes(self.uow.session.connection(), self._aside or [])
        self._aside = []
        if self.uow.dialect == "postgresql":
            # The ids were given explicitly: move each table's sequence past them.
            for model, last in self.ids.items():
                if last:
                    self.uow.session.execute(
                        text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                        {"table": model.__tablename__, "last": last},
                    )
        for year, last in self.counters.items():
            if self.counters_start.get(year) != last:
                self.uow.session.merge(ReferenceCounter(year=year, last_number=last))
        self.uow.session.flush()
        return [
            SharedContact(
                contact,
                tuple(sorted(written for written, _ in names.values())),
                tuple(sorted(line for _, line in names.values() if line)),
            )
            for contact, names in self.customers.shared.items()
            if len(names) > 1
        ]
