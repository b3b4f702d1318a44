"""Checking one row of a file: every field read and checked, every problem of the row kept.

A row is checked like typed input, from the field declarations in core/fields.py, except what
history lacks: no phone or email is needed ("no contact on file"), and a row that names nobody
is the customer "Name not on file". Nothing here writes; the lists it reads (categories, units,
staff, the office settings) are read once per import by the caller.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ceo_desk.core import fields, promise_text, search, transitions, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.intake import sheet_dates, sheet_mapping
from ceo_desk.core.intake.sheet_dates import DateOrder
from ceo_desk.core.intake.sheet_mapping import IMPORTABLE_STATUSES, Mapping
from ceo_desk.core.safety.exporter import unguard_cell
from ceo_desk.core.services import promises as promise_ledger
from ceo_desk.core.services.customers import CustomerDetails
from ceo_desk.core.services.names import name_key
from ceo_desk.enums import Channel, Severity, Status, parse_choice
from ceo_desk.errors import CeoDeskError, ValidationError
from ceo_desk.settings import OfficeSettings

_REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9./_-]{0,23}$")


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str
    field: str | None = None


@dataclass
class Lookups:
    """What rows are checked against, read once per import."""

    settings: OfficeSettings
    now: datetime
    categories: dict[str, int]  # name_key -> id (0: named by the file, reported once)
    units: dict[str, int]  # name_key -> id
    find_staff: Callable[[str], int]  # name, email or id -> an active staff member's id
    phone: Callable[[str], str | None] = field(init=False)
    email: Callable[[str], str | None] = field(init=False)
    channel: Callable[[str], Channel] = field(init=False)
    status: Callable[[str], Status] = field(init=False)
    severity: Callable[[str], Severity] = field(init=False)

    def __post_init__(self) -> None:
        region = self.settings.phone_region
        self.phone = _cached(lambda t: validation.phone(t, region), {})
        self.email = _cached(validation.email, {})
        self.channel = _cached(Channel.from_text, {})
        self.status = _cached(_status, {})
        self.severity = _cached(lambda t: parse_choice(Severity, t, field="severity"), {})


@dataclass
class CheckedRow:
    """A row ready to be written: complaint columns, customer details, lifecycle inputs."""

    line: int
    reference: str | None
    key: str  # stable: the file's reference, or a hash of when, who and what
    status: Status
    received_at: datetime
    closed_at: datetime | None
    closed_at_from_file: bool
    values: dict[str, Any]
    customer: CustomerDetails
    delegate_id: int | None = None
    report_due_on: date | None = None
    withdrawn_reason: str | None = None
    channel_as_given: str | None = None
    search_texts: list[str] = field(default_factory=list)
    promises: list[promise_text.WrittenPromise] = field(default_factory=list)


def row_key(received_at: datetime, customer_name: str, summary: str) -> str:
    """The key of a row without a reference: when it was received, who, and what (folded)."""
    parts = (received_at.isoformat(timespec="seconds"), search.fold(customer_name), summary)
    return "h:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _reason(exc: CeoDeskError) -> str:
    text = exc.message.rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


@dataclass(frozen=True)
class Columns:
    """Where each mapped field's cells are, worked out once per import."""

    mapping: Mapping
    fields: tuple[tuple[str, tuple[int, ...], int, bool], ...]  # key, positions, limit, translated

    @classmethod
    def of(cls, mapping: Mapping, indexes: dict[str, list[int]]) -> Columns:
        return cls(
            mapping,
            tuple(
                (key, tuple(positions), fields.import_limit(key), key in mapping.values)
                for key, positions in indexes.items()
            ),
        )


class _Row:
    """One row's cells by field, and the problems found so far."""

    def __init__(self, line: int, record: list[str], columns: Columns) -> None:
        self.line = line
        self.problems: list[RowProblem] = []
        self.cells: dict[str, str] = {}
        width = len(record)
        for key, positions, limit, translated in columns.fields:
            if len(positions) == 1:
                index = positions[0]
                raw = record[index].strip() if index < width else ""
            else:
                raw = sheet_mapping.join_cells(key, (record[i] for i in positions if i < width))
            if not raw:
                continue
            if len(raw) > limit:
                self.problem(
                    key,
                    f"{fields.label(key).lower()} holds {len(raw):,} characters; at most "
                    f"{limit:,} are allowed",
                )
                continue
            if translated:
                raw = columns.mapping.translate(key, raw)
            self.cells[key] = unguard_cell(raw)

    def problem(self, key: str | None, reason: str) -> None:
        self.problems.append(RowProblem(self.line, reason, key))

    def get(self, key: str) -> str:
        return self.cells.get(key, "")

    def read(self, key: str, reader: Callable[[str], Any], default: Any = None) -> Any:
        """A field's value by `reader` (`default` for an empty cell); a refusal becomes one of
        the row's problems (one per field: a cell already refused is not read again)."""
        text = self.cells.get(key)
        if not text:
            return default
        try:
            return reader(text)
        except CeoDeskError as exc:
            self.problem(exc.field or key, _reason(exc))
            return default


def _cached(read: Callable[[str], Any], cache: dict[str, Any]) -> Callable[[str], Any]:
    """`read`, remembering its answers within one import (phones and emails repeat)."""

    def remembered(text: str) -> Any:
        if text not in cache:
            try:
                cache[text] = read(text)
            except CeoDeskError as exc:
                cache[text] = exc
        found = cache[text]
        if isinstance(found, CeoDeskError):
            raise found
        return found

    return remembered


def check_row(
    line: int,
    record: list[str],
    columns: Columns,
    order: DateOrder | None,
    lookups: Lookups,
) -> tuple[CheckedRow | None, list[RowProblem]]:
    """The row ready to write, or None with every problem it has (not only the first)."""
    row = _Row(line, record, columns)
    declared = fields.BY_KEY

    def moment(key: str) -> Callable[[str], datetime | None]:
        label = fields.label(key)
        return lambda text: sheet_dates.read_moment(text, order, key, label)

    def text_of(key: str) -> Callable[[str], str]:
        return lambda text: validation.text(
            text, key, max_length=fields.import_limit(key), label=fields.label(key)
        )

    reference = row.read("reference", _reference)
    status = row.read("status", lookups.status, Status.NEW)
    received_at = row.read("received_at", moment("received_at"))
    if received_at is None and not any(p.field == "received_at" for p in row.problems):
        row.problem("received_at", f"{fields.label('received_at').lower()} is empty")
    if received_at is not None:
        received_at = row.read(
            "received_at", lambda _: fields.received_at(received_at, now=lookups.now)
        )
    closed_given = row.read("closed_at", moment("closed_at"))
    summary = row.read("summary", declared["summary"].clean, "")
    if not summary and not any(p.field == "summary" for p in row.problems):
        row.problem("summary", "summary is empty")
    name = fields.NO_NAME
    if row.get("customer_name").strip():
        name = row.read("customer_name", declared["customer_name"].clean, fields.NO_NAME)
    phone = row.read("phone", lookups.phone)
    email = row.read("email", lookups.email)
    organisation = row.read("organisation", declared["organisation"].clean) or None
    account_ref = row.read("account_ref", declared["account_ref"].clean) or None
    channel_text = row.get("channel").strip()
    channel = lookups.channel(channel_text) if channel_text else Channel.PHONE
    severity = row.read("severity", lookups.severity, Severity.NORMAL)
    category_id = row.read("category", lambda t: _named(t, lookups.categories, "category"))
    unit_id = row.read("caused_by_unit", lambda t: _named(t, lookups.units, "caused_by_unit"))
    values = {
        "summary": summary,
        "details": row.read("details", text_of("details"), ""),
        "customer_wants": row.read("customer_wants", text_of("customer_wants"), ""),
        "ceo_promised": row.read("ceo_promised", text_of("ceo_promised"), ""),
        "ceo_spoke": row.read("ceo_spoke", _yes("ceo_spoke"), False),
        "prior_contacts": row.read("prior_contacts", declared["prior_contacts"].clean, 0) or 0,
        "channel": channel,
        "severity": severity,
        "category_id": category_id,
        "caused_by_unit_id": unit_id,
        # Other systems' files rarely carry the reputational flags: left out, a flag is off.
        **{f.key: row.read(f.key, _yes(f.key), False) for f in fields.REPUTATION_FIELDS},
    }
    vulnerable = row.read("vulnerable", _yes("vulnerable"), False)
    promised: list[promise_text.WrittenPromise] = row.read("promises", promise_text.read, [])
    if promised and received_at is not None:
        row.read("promises", lambda _: _check_promises(promised, received_at))
    closed_at = None
    if received_at is not None and not status.is_open:
        closed_at = closed_given or received_at
        if closed_at < received_at:
            row.problem("closed_at", "closed at is before received at")
    delegate_id = report_due_on = withdrawn_reason = None
    if status is Status.DELEGATED:
        delegate_id = row.read("delegate", lookups.find_staff)
        if not row.get("delegate"):
            row.problem("delegate", "a delegated complaint needs the delegate column")
        report_due_on = row.read(
            "report_due_on",
            lambda t: sheet_dates.read_day(
                t, order, "report_due_on", fields.label("report_due_on")
            ),
        ) or transitions.report_due(lookups.now.astimezone().date(), severity, lookups.settings)
    if status is Status.WITHDRAWN:
        withdrawn_reason = row.read("withdrawn_reason", text_of("withdrawn_reason")) or (
            "Withdrawn (imported)"
        )
    if row.problems or received_at is None:
        return None, row.problems
    checked = CheckedRow(
        line=line,
        reference=reference,
        key=reference or row_key(received_at, name, summary),
        status=status,
        received_at=received_at,
        closed_at=closed_at,
        closed_at_from_file=closed_given is not None and closed_at is not None,
        values=values | {"received_at": received_at},
        customer=CustomerDetails(name, phone, email, organisation, account_ref, vulnerable),
        delegate_id=delegate_id,
        report_due_on=report_due_on,
        withdrawn_reason=withdrawn_reason,
        channel_as_given=channel_text[:80]
        if channel_text and channel_text != channel.value
        else None,
        promises=promised,
    )
    return checked, []


def _check_promises(promised: list[promise_text.WrittenPromise], received_at: datetime) -> None:
    """Each promise as the ledger takes a typed one: what, and a day not before the complaint."""
    promise_ledger.clean(
        (promise_ledger.PromiseInput(p.what, p.due_on) for p in promised),
        earliest=SYSTEM_CLOCK.local_day(received_at),
    )


def _reference(text: str) -> str | None:
    value = text.strip().upper()
    if not value:
        return None
    if not _REFERENCE.match(value):
        raise ValidationError(
            f"reference '{text.strip()}' must be 1-24 letters, digits, - . / or _",
            field="reference",
        )
    return value


def _status(text: str) -> Status:
    if not text.strip():
        return Status.NEW
    status = parse_choice(Status, text, field="status")
    if status not in IMPORTABLE_STATUSES:
        raise ValidationError(
            f"status '{text}' cannot be imported: a complaint awaiting the CEO's callback needs "
            "the delegate's report; import it as delegated or closed",
            field="status",
        )
    return status


def _yes(key: str) -> Callable[[str], bool]:
    """A reader of a yes-or-no cell of the field `key`."""

    def read(text: str) -> bool:
        value = text.strip().lower()
        if value in ("", "0", "no", "n", "false", "f"):
            return False
        if value in ("1", "yes", "y", "true", "t", "x"):
            return True
        raise ValidationError(f"'{text}' under {fields.label(key)} is not yes or no", field=key)

    return read


def fold_name(name: str) -> str:
    return " ".join(search.fold(name).split())


def _named(text: str, known: dict[str, int], key: str) -> int | None:
    if not text.strip():
        return None
    found = known.get(name_key(text))
    if found is None:
        what = fields.label(key).lower()
        hint = (
            "create it with --create-categories or `ceo-desk categories add`"
            if key == "category"
            else "add it in the Directory first"
        )
        raise ValidationError(f"{what} '{text.strip()}' is not in the log; {hint}", field=key)
    return found
