"""Importing complaints from a CSV file: every row checked, then all of them or none.

A mapping (TOML) names which column holds which field, the date order and value translations.
Imported complaints keep their original reference and status; closed ones arrive closed. Each
row is validated like typed input, gets its search row and an "imported" audit event.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ceo_desk.core import audit, fields, search, transitions, validation
from ceo_desk.core.safety import input_file, output
from ceo_desk.core.safety.exporter import unguard_cell
from ceo_desk.core.services import complaints as complaint_service
from ceo_desk.core.services import customers, directory, office
from ceo_desk.enums import Channel, Severity, Status, parse_choice
from ceo_desk.errors import CeoDeskError, ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Delegation, ReferenceCounter

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_MAPPING_BYTES = 1024 * 1024
MAX_ROWS = 100_000
MAX_FIELD_CHARS = validation.MAX_LONG_TEXT
HEADER_SEARCH_LINES = 30

# The fields a file can hold, with what belongs in each (shown by the import wizard).
FIELDS: dict[str, str] = {f.key: f.help for f in fields.IMPORTABLE}
# Column names as the export writes them: an exported file is read back without a mapping.
_COLUMN_NAMES = {f.csv: f.key for f in fields.IMPORTABLE if f.csv}
# Field names that saved mappings may still use.
_FORMER_FIELD_NAMES = {"caused_by": "caused_by_unit"}
REQUIRED = ("received_at", "customer_name", "summary")
IMPORTABLE_STATUSES = (
    Status.NEW,
    Status.DELEGATED,
    Status.RESOLVED,
    Status.UNREACHABLE,
    Status.WITHDRAWN,
)
# Header words people use, folded to field names when no mapping is given.
_SYNONYMS = {
    "ref": "reference",
    "complaint": "reference",
    "complaint_reference": "reference",
    "received": "received_at",
    "date": "received_at",
    "date_received": "received_at",
    "closed": "closed_at",
    "customer": "customer_name",
    "name": "customer_name",
    "telephone": "phone",
    "phone_number": "phone",
    "e_mail": "email",
    "company": "organisation",
    "organization": "organisation",
    "account": "account_ref",
    "wants": "customer_wants",
    "promised": "ceo_promised",
    "delegated_to": "delegate",
    "report_due": "report_due_on",
    "reason": "withdrawn_reason",
}
_REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9./_-]{0,23}$")
_OWN_REFERENCE = re.compile(r"^C-(\d{4})-(\d{1,6})$")


# ---------------------------------------------------------------- the mapping


@dataclass
class Mapping:
    """Which column holds which field, and how to read dates and values."""

    columns: dict[str, str] = field(default_factory=dict)  # header text -> field name
    date_order: str = "day-first"  # or "month-first"
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {text: value}

    def field_for(self, header: str) -> str | None:
        if self.columns:
            for column, name in self.columns.items():
                if column.strip().lower() == header.strip().lower():
                    return name
            return None
        key = re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")
        key = _COLUMN_NAMES.get(key) or _SYNONYMS.get(key, key)
        return key if key in FIELDS else None


def load_mapping(path: Path) -> Mapping:
    """Read a mapping file; a bad one gets a message naming what to fix."""
    try:
        raw = input_file.read_regular(path, MAX_MAPPING_BYTES, what="mapping", field="mapping")
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError(
            f"The mapping {path} is not UTF-8 text; save it as UTF-8.", field="mapping"
        ) from None
    except OSError as exc:
        raise ValidationError(f"Cannot read the mapping {path}: {exc}.", field="mapping") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(
            f"The mapping {path} is not valid TOML: {exc}.", field="mapping"
        ) from exc
    return mapping_from_dict(data, str(path))


def mapping_from_dict(data: dict[str, Any], where: str = "the mapping") -> Mapping:
    options = data.get("import", {})
    columns = data.get("columns", {})
    values = data.get("values", {})
    if (
        not isinstance(options, dict)
        or not isinstance(columns, dict)
        or not isinstance(values, dict)
    ):
        raise ValidationError(
            f"In {where}, [import], [columns] and [values] must be tables.", field="mapping"
        )
    columns = {k: _FORMER_FIELD_NAMES.get(str(v), v) for k, v in columns.items()}
    values = {_FORMER_FIELD_NAMES.get(str(k), k): v for k, v in values.items()}
    for column, name in columns.items():
        if name not in FIELDS:
            raise ValidationError(
                f"In {where}, column '{column}' maps to '{name}', which is not a field. "
                f"Fields: {', '.join(FIELDS)}.",
                field="mapping",
            )
    order = str(options.get("date_order", "day-first"))
    if order not in ("day-first", "month-first"):
        raise ValidationError(
            f'In {where}, date_order must be "day-first" or "month-first".', field="mapping"
        )
    delimiter = str(options.get("delimiter", ","))
    if len(delimiter) != 1:
        raise ValidationError(f"In {where}, delimiter must be one character.", field="mapping")
    encoding = str(options.get("encoding", "utf-8-sig"))
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"  # tolerate a byte-order mark either way
    return Mapping(
        columns={str(k): str(v) for k, v in columns.items()},
        date_order=order,
        delimiter=delimiter,
        encoding=encoding,
        values={
            str(f): {str(k): str(v) for k, v in table.items()}
            for f, table in values.items()
            if isinstance(table, dict)
        },
    )


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def mapping_to_toml(mapping: Mapping) -> str:
    lines = [
        "# CEO Desk import mapping: which CSV column holds which field.",
        "[import]",
        f"date_order = {_toml_string(mapping.date_order)}",
        f"delimiter = {_toml_string(mapping.delimiter)}",
        f"encoding = {_toml_string(mapping.encoding)}",
        "",
        "[columns]",
    ]
    lines += [f"{_toml_string(c)} = {_toml_string(f)}" for c, f in mapping.columns.items()]
    for name, table in mapping.values.items():
        lines += ["", f"[values.{name}]"]
        lines += [f"{_toml_string(k)} = {_toml_string(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def save_mapping(mapping: Mapping, path: Path, *, force: bool = False) -> Path:
    """Save a mapping for the next import (see core.safety.output for what may be replaced)."""
    return output.write_text(path, output.Kind.TEXT, mapping_to_toml(mapping), force=force)


# ---------------------------------------------------------------- reading the file


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass(frozen=True)
class Table:
    """The file as read: the header row, where it was, and the data rows with their lines."""

    headers: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]


def _decode(path: Path, mapping: Mapping) -> str:
    if path.is_dir():
        raise ValidationError(f"{path} is a folder; give the CSV file itself.", field="file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc}.", field="file") from exc
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            f"{path.name} is {size / 1024 / 1024:.1f} MB; the import takes files up to "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split it into smaller files.",
            field="file",
        )
    raw = input_file.read_regular(path, MAX_FILE_BYTES, what="CSV file")
    try:
        return raw.decode(mapping.encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"{path.name} line {line} is not {mapping.encoding.replace('-sig', '')} text. Save "
            "the file as UTF-8 (CSV UTF-8 in spreadsheet programs) or set encoding in the "
            "mapping.",
            field="file",
        ) from None
    except LookupError:
        raise ValidationError(
            f"Unknown encoding '{mapping.encoding}' in the mapping.", field="mapping"
        ) from None


def _records(content: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each starts on (quoted text may span lines)."""
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    previous_end = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValidationError(
                f"Line {previous_end + 1} cannot be read as CSV: {exc}.", field="file"
            ) from None
        yield previous_end + 1, record
        previous_end = reader.line_num


def read_table(path: Path, mapping: Mapping | None = None) -> Table:
    """Read a CSV file: find the header row (skipping junk lines above it) and the rows below."""
    mapping = mapping or Mapping()
    return table_from_text(_decode(path, mapping), mapping, path.name)


def table_from_text(content: str, mapping: Mapping | None = None, name: str = "the file") -> Table:
    """Find the header row in CSV text and read the data rows with their line numbers."""
    mapping = mapping or Mapping()
    records = _records(content.removeprefix("\ufeff"), mapping.delimiter)
    header: tuple[int, list[str]] | None = None
    for line, record in records:
        known = {mapping.field_for(cell) for cell in record if cell.strip()} - {None}
        if len(known) >= 2 and ("summary" in known or "customer_name" in known):
            header = (line, [cell.strip() for cell in record])
            break
        if line > HEADER_SEARCH_LINES:
            break
    if header is None:
        raise ValidationError(
            f"No header row found in the first {HEADER_SEARCH_LINES} lines of {name}. "
            "The file needs a row of column names (such as Received, Customer, Summary), or a "
            "mapping that names its columns.",
            field="file",
        )
    rows: list[tuple[int, list[str]]] = []
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        rows.append((line, record))
        if len(rows) > MAX_ROWS:
            raise ValidationError(
                f"{name} has more than {MAX_ROWS:,} rows; split it into smaller files.",
                field="file",
            )
    return Table(header[1], header[0], rows)


# ---------------------------------------------------------------- reading values


_DATE_FORMATS = {
    "day-first": ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d.%m.%y", "%d-%m-%Y", "%d-%m-%y"),
    "month-first": ("%m/%d/%Y", "%m/%d/%y", "%m.%d.%Y", "%m.%d.%y", "%m-%d-%Y", "%m-%d-%y"),
}
_TIME_FORMATS = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", "T%H:%M", "T%H:%M:%S")


def parse_moment(raw: str, date_order: str, field_name: str) -> datetime | None:
    """A date or date-time in ISO, or in the mapping's day-first/month-first order."""
    text = " ".join(raw.split())
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
        for date_format in _DATE_FORMATS[date_order]:
            for time_format in _TIME_FORMATS:
                try:
                    parsed = datetime.strptime(text, date_format + time_format)
                except ValueError:
                    continue
                break
            if parsed is not None:
                break
    if parsed is None:
        example = "14/03/2026" if date_order == "day-first" else "03/14/2026"
        raise ValidationError(
            f"{field_name.replace('_', ' ')} '{raw}' is not a date (expected YYYY-MM-DD or "
            f"{date_order} like {example}; the order is set in the mapping)",
            field=field_name,
        )
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()
    return parsed.astimezone(UTC)


def _parse_day(raw: str, date_order: str, field_name: str) -> date | None:
    moment = parse_moment(raw, date_order, field_name)
    return moment.astimezone().date() if moment else None


def _yes(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("", "0", "no", "n", "false", "f"):
        return False
    if value in ("1", "yes", "y", "true", "t", "x"):
        return True
    raise ValidationError(f"'{raw}' is not yes or no.", field="ceo_spoke")


@dataclass
class _Row:
    line: int
    reference: str | None
    status: Status
    received_at: datetime
    closed_at: datetime | None
    call: complaint_service.CallInput
    delegate_id: int | None = None
    report_due_on: date | None = None
    withdrawn_reason: str | None = None


def _values(mapping: Mapping, headers: list[str], record: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for index, header in enumerate(headers):
        name = mapping.field_for(header)
        if name is None or index >= len(record):
            continue
        cell = record[index]
        if len(cell) > MAX_FIELD_CHARS:
            raise ValidationError(
                f"column '{header}' holds {len(cell):,} characters; at most "
                f"{MAX_FIELD_CHARS:,} are allowed",
                field=name,
            )
        translated = mapping.values.get(name, {})
        values[name] = translated.get(cell.strip(), unguard_cell(cell))
    return values


def _check_row(
    uow: UnitOfWork,
    line: int,
    values: dict[str, str],
    mapping: Mapping,
    settings: OfficeSettings,
    now: datetime,
) -> _Row:
    for name in REQUIRED:
        if not values.get(name, "").strip():
            raise ValidationError(f"{name.replace('_', ' ')} is empty", field=name)
    status = (
        parse_choice(Status, values["status"], field="status")
        if values.get("status", "").strip()
        else Status.NEW
    )
    if status not in IMPORTABLE_STATUSES:
        raise ValidationError(
            f"status '{values['status']}' cannot be imported: a complaint awaiting the CEO's "
            "callback needs the delegate's report; import it as delegated or closed",
            field="status",
        )
    received_at = parse_moment(values["received_at"], mapping.date_order, "received_at")
    assert received_at is not None
    if received_at > now:
        raise ValidationError("received at is in the future", field="received_at")
    closed_at = parse_moment(values.get("closed_at", ""), mapping.date_order, "closed_at")
    if status.is_open:
        closed_at = None
    else:
        closed_at = closed_at or received_at
        if closed_at < received_at:
            raise ValidationError("closed at is before received at", field="closed_at")
    reference = values.get("reference", "").strip().upper() or None
    if reference is not None and not _REFERENCE.match(reference):
        raise ValidationError(
            f"reference '{values['reference']}' must be 1-24 letters, digits, - . / or _",
            field="reference",
        )
    channel = parse_choice(Channel, values.get("channel") or "phone", field="channel")
    severity = parse_choice(Severity, values.get("severity") or "normal", field="severity")
    call = complaint_service.CallInput(
        customer_name=values["customer_name"],
        summary=values["summary"],
        phone=values.get("phone"),
        email=values.get("email"),
        organisation=values.get("organisation"),
        account_ref=values.get("account_ref"),
        channel=channel,
        severity=severity,
        category=values.get("category", "").strip() or None,
        received_at=received_at,
        details=values.get("details", ""),
        customer_wants=values.get("customer_wants", ""),
        ceo_spoke=_yes(values.get("ceo_spoke", "")),
        ceo_promised=values.get("ceo_promised", ""),
        prior_contacts=values.get("prior_contacts") or 0,
        caused_by_unit=values.get("caused_by_unit", "").strip() or None,
    )
    row = _Row(line, reference, status, received_at, closed_at, call)
    if status is Status.DELEGATED:
        who = values.get("delegate", "").strip()
        if not who:
            raise ValidationError(
                "a delegated complaint needs the delegate column", field="delegate"
            )
        row.delegate_id = directory.find_staff(uow, who).id
        row.report_due_on = _parse_day(
            values.get("report_due_on", ""), mapping.date_order, "report_due_on"
        ) or transitions.report_due(now.astimezone().date(), severity, settings)
    if status is Status.WITHDRAWN:
        row.withdrawn_reason = validation.text(
            values.get("withdrawn_reason") or "Withdrawn (imported)", "withdrawn_reason"
        )
    return row


# ---------------------------------------------------------------- writing


def _bump_counter(uow: UnitOfWork, reference: str) -> None:
    match = _OWN_REFERENCE.match(reference)
    if match is None:
        return
    year, number = int(match.group(1)), int(match.group(2))
    insert = pg_insert if uow.dialect == "postgresql" else sqlite_insert
    uow.session.execute(
        insert(ReferenceCounter).values(year=year, last_number=0).on_conflict_do_nothing()
    )
    counter = uow.session.get(ReferenceCounter, year)
    assert counter is not None
    counter.last_number = max(counter.last_number, number)
    uow.session.flush()


def _new_reference(uow: UnitOfWork, received_at: datetime) -> str:
    year = received_at.astimezone().year
    insert = pg_insert if uow.dialect == "postgresql" else sqlite_insert
    uow.session.execute(
        insert(ReferenceCounter).values(year=year, last_number=0).on_conflict_do_nothing()
    )
    counter = uow.session.get(ReferenceCounter, year)
    assert counter is not None
    counter.last_number += 1
    uow.session.flush()
    return f"C-{year}-{counter.last_number:04d}"


def _insert(
    uow: UnitOfWork, row: _Row, source: str, settings: OfficeSettings, now: datetime
) -> str:
    clean = complaint_service.clean_call(uow, row.call, now=now)
    customer, _ = customers.find_or_create(uow, clean.customer)
    if row.reference is not None:
        clash = uow.session.scalar(
            select(func.count()).select_from(Complaint).where(Complaint.reference == row.reference)
        )
        if clash:
            raise ValidationError(
                f"reference {row.reference} is already in the log", field="reference"
            )
        reference = row.reference
        _bump_counter(uow, reference)
    else:
        reference = _new_reference(uow, row.received_at)
    staff_id: int | None = None
    if row.delegate_id is not None and row.report_due_on is not None:
        staff_id = directory.require_active_staff(uow, row.delegate_id).id
    step = transitions.imported(
        reference,
        row.status,
        closed_at=row.closed_at,
        delegate_id=staff_id,
        report_due_on=row.report_due_on,
        source=source,
        line=row.line,
    )
    complaint = Complaint(
        reference=reference,
        **(clean.values | {"received_at": row.received_at}),
        **step.state.columns(),
        customer_id=customer.id,
        withdrawn_reason=row.withdrawn_reason,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(complaint)
    uow.session.flush()
    if staff_id is not None and row.report_due_on is not None:
        uow.session.add(
            Delegation(
                complaint_id=complaint.id,
                staff_id=staff_id,
                delegated_at=now,
                delegated_by=f"{uow.actor.os_user} (import)",
                instructions="Imported as delegated.",
                report_due_on=row.report_due_on,
            )
        )
    uow.session.flush()
    audit.record(
        uow,
        step.action,
        entity="complaint",
        entity_id=complaint.id,
        complaint_id=complaint.id,
        description=step.description,
        after=complaint_service.snapshot(complaint),
        now=now,
    )
    search.refresh(uow, complaint.id)
    return reference


@dataclass(frozen=True)
class ImportResult:
    rows: int
    problems: list[RowProblem]
    references: list[str]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return not self.problems


def import_table(
    uow: UnitOfWork,
    table: Table,
    mapping: Mapping | None = None,
    *,
    source: str = "file",
    dry_run: bool = False,
    now: datetime | None = None,
) -> ImportResult:
    """Check every row; if all are good (and not a dry run) import them in the caller's
    transaction. A dry run, or a file with any bad row, leaves the transaction as it found it."""
    mapping = mapping or Mapping()
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    missing = [
        name for name in REQUIRED if name not in {mapping.field_for(h) for h in table.headers}
    ]
    if missing:
        raise ValidationError(
            f"No column for {', '.join(missing)} (header on line {table.header_line}: "
            f"{', '.join(table.headers)}). Name the columns in a mapping.",
            field="mapping",
        )
    problems: list[RowProblem] = []
    references: list[str] = []
    seen: dict[str, int] = {}
    settings = office.load_settings(uow)
    checked: list[_Row] = []
    for line, record in table.rows:
        try:
            values = _values(mapping, table.headers, record)
            # A repeated reference is reported even when the first row is bad for another
            # reason, so one round of corrections is enough.
            typed_reference = values.get("reference", "").strip().upper()
            if typed_reference and typed_reference in seen:
                raise ValidationError(
                    f"reference {typed_reference} appears twice (also line "
                    f"{seen[typed_reference]})",
                    field="reference",
                )
            if typed_reference:
                seen[typed_reference] = line
            row = _check_row(uow, line, values, mapping, settings, moment)
        except CeoDeskError as exc:
            problems.append(RowProblem(line, _reason(exc)))
            continue
        checked.append(row)
    # Every row is tried, so one round of corrections is enough; the whole import is undone
    # unless all of them went in and this is not a dry run.
    whole = uow.session.begin_nested()
    for row in checked:
        savepoint = uow.session.begin_nested()
        try:
            references.append(_insert(uow, row, source, settings, moment))
            savepoint.commit()
        except CeoDeskError as exc:
            savepoint.rollback()
            problems.append(RowProblem(row.line, _reason(exc)))
    problems.sort(key=lambda p: p.line)
    if problems or dry_run:
        whole.rollback()
    else:
        whole.commit()
    if problems:
        return ImportResult(len(table.rows), problems, [], dry_run)
    return ImportResult(len(table.rows), [], references, dry_run)


def _reason(exc: CeoDeskError) -> str:
    text = exc.message.rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def import_file(
    uow: UnitOfWork,
    path: Path,
    mapping: Mapping | None = None,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
) -> ImportResult:
    table = read_table(path, mapping)
    return import_table(uow, table, mapping, source=path.name, dry_run=dry_run, now=now)
