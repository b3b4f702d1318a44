"""Importing a spreadsheet export: look at the file, propose or check a mapping, import.

`plan` reads the file once without writing: its layout, the mapping (given, or proposed from the
header), the date order, the statuses and categories it names. `import_file` then checks every
row, reporting every problem of every row in one pass, and writes them all in the caller's
transaction, or none: a file with any problem, a dry run, or a cancelled import leaves the
transaction as it found it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from ceo_desk.core.intake import sheet_dates, sheet_mapping, sheet_read
from ceo_desk.core.intake.sheet_dates import DateOrder
from ceo_desk.core.intake.sheet_mapping import Mapping
from ceo_desk.core.intake.sheet_read import Layout
from ceo_desk.core.intake.sheet_rows import Columns, Lookups, RowProblem, check_row, row_key
from ceo_desk.core.intake.sheet_write import BulkWriter, SharedContact
from ceo_desk.core.services import directory, office
from ceo_desk.core.services.names import name_key
from ceo_desk.errors import CeoDeskError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Category, Complaint, Customer, Staff, Unit

_DATE_FIELDS = ("received_at", "closed_at", "report_due_on")
# Progress is told as (bytes read, bytes in the file); it may raise ImportCancelled.
Progress = Callable[[int, int], None]


class ImportCancelled(CeoDeskError):
    """The person stopped the import; nothing of it was kept."""


@dataclass(frozen=True)
class NamedCategory:
    name: str
    first_line: int
    rows: int


@dataclass
class Plan:
    """What a file holds and how it will be read, before anything is written."""

    layout: Layout
    mapping: Mapping
    proposed: bool
    rows: int
    date_order: DateOrder | None
    statuses: list[str]
    categories: list[NamedCategory]  # named by the file and not in the log
    date_evidence: dict[str, tuple[int, str]] = field(default_factory=dict)

    def summary_lines(self) -> list[str]:
        """The plan as a person reads it (stderr, the wizard)."""
        layout = self.layout
        lines = [
            f"{layout.path.name}: {self.rows:,} row(s), {layout.encoding.removesuffix('-sig')} "
            f"text, {layout.delimiter_name}-separated, header on line {layout.header_line}.",
        ]
        if self.proposed:
            lines.append("Proposed mapping (save it with --save-mapping FILE, edit, reuse):")
            lines += [f"  {reason}" for reason in self.mapping.reasons]
        if self.date_order:
            lines.append(f"Dates written {sheet_dates.DATE_ORDERS[self.date_order]}.")
        if self.categories:
            lines.append(
                "Categories not in the log: "
                + "; ".join(f"{c.name} ({c.rows} rows)" for c in self.categories)
            )
        return lines


def plan(
    uow: UnitOfWork,
    path: Path,
    mapping: Mapping | None = None,
    *,
    date_order: DateOrder | None = None,
) -> Plan:
    """Read the file once: layout, mapping (proposed when none is given), what it names."""
    layout = sheet_read.detect(path, mapping)
    proposed = mapping is None or not mapping.fields or mapping.proposed
    if mapping is None or not mapping.fields:
        mapping = sheet_mapping.propose(layout.headers)
    if proposed:
        mapping.delimiter, mapping.encoding = layout.delimiter, layout.encoding
    assert mapping is not None
    indexes = sheet_mapping.column_indexes(mapping, layout.headers)
    evidence: dict[str, tuple[int, str]] = {}
    statuses: set[str] = set()
    named: dict[str, list[object]] = {}
    rows = 0
    for line, record in sheet_read.records(layout):
        rows += 1

        def cell(key: str, record: list[str] = record) -> str:
            positions = indexes.get(key, [])
            if len(positions) == 1:
                return record[positions[0]] if positions[0] < len(record) else ""
            return sheet_mapping.join_cells(key, (record[i] for i in positions if i < len(record)))

        for key in _DATE_FIELDS:
            if key in indexes:
                order = sheet_dates.order_evidence(cell(key))
                if order is not None and order not in evidence:
                    evidence[order] = (line, cell(key))
        if "status" in indexes:
            statuses.add(cell("status").strip())
        if "category" in indexes:
            name = mapping.translate("category", cell("category")).strip()
            if name:
                seen = named.setdefault(name_key(name), [name, line, 0])
                seen[2] = int(str(seen[2])) + 1
    order = date_order or mapping.date_order
    if order is None and proposed and len(evidence) == 1:
        order = sheet_dates.parse_order(next(iter(evidence)))
        assert order is not None
        line, text = evidence[order]
        mapping.date_order = order
        mapping.reasons.append(
            f"Dates {sheet_dates.DATE_ORDERS[order]}: line {line} '{text}' reads only so"
        )
    if proposed:
        sheet_mapping.propose_statuses(mapping, statuses)
    known = {name_key(n) for n in uow.session.scalars(select(Category.name))}
    missing = [
        NamedCategory(str(v[0]), int(str(v[1])), int(str(v[2])))
        for k, v in named.items()
        if k not in known
    ]
    return Plan(
        layout,
        mapping,
        proposed,
        rows,
        order,
        sorted(s for s in statuses if s),
        sorted(missing, key=lambda c: c.first_line),
        evidence,
    )


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    rows: int
    problems: list[RowProblem]
    references: list[str]
    skipped: int
    shared_contacts: list[SharedContact]
    created_categories: list[str]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def imported(self) -> int:
        return len(self.references)


def _lookups(uow: UnitOfWork, now: datetime, missing: list[NamedCategory]) -> Lookups:
    session = uow.session
    categories = {name_key(n): i for i, n in session.execute(select(Category.id, Category.name))}
    categories.update({name_key(c.name): 0 for c in missing})
    units = {name_key(n): i for i, n in session.execute(select(Unit.id, Unit.name))}
    staff: dict[str, int] = {}

    def find_staff(who: str) -> int:
        if who not in staff:
            found = directory.find_staff(uow, who)
            staff[who] = directory.require_active_staff(uow, found.id).id
        return staff[who]

    return Lookups(office.load_settings(uow), now, categories, units, find_staff)


def _existing_keys(uow: UnitOfWork, skip_existing: bool) -> set[str]:
    keys = set(uow.session.scalars(select(Complaint.reference)))
    if skip_existing:
        for received, name, summary in uow.session.execute(
            select(Complaint.received_at, Customer.name, Complaint.summary).join(
                Customer, Customer.id == Complaint.customer_id
            )
        ):
            keys.add(row_key(received, name, summary))
    return keys


def import_file(
    uow: UnitOfWork,
    path: Path,
    mapping: Mapping | None = None,
    *,
    date_order: DateOrder | None = None,
    create_categories: bool = False,
    skip_existing: bool = False,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
    source: str | None = None,
) -> ImportResult:
    """Check every row and import them all, or none (see the module's docstring)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    the_plan = plan(uow, path, mapping, date_order=date_order)
    chosen = the_plan.mapping
    layout = the_plan.layout
    indexes = sheet_mapping.column_indexes(chosen, layout.headers)
    columns = Columns.of(chosen, indexes)
    problems: list[RowProblem] = []
    created: list[str] = []
    whole = uow.session.begin_nested()
    writer: BulkWriter | None = None
    try:
        if the_plan.categories and create_categories:
            for category in the_plan.categories:
                office.add_category(uow, category.name)
                created.append(category.name)
            missing: list[NamedCategory] = []
        else:
            missing = the_plan.categories
        for category in missing:
            problems.append(
                RowProblem(
                    category.first_line,
                    f"category '{category.name}' ({category.rows} row(s)) is not in the log; "
                    "create it with --create-categories (the wizard's tick box) or "
                    "`ceo-desk categories add`",
                    "category",
                )
            )
        lookups = _lookups(uow, moment, missing)
        writer = BulkWriter(uow, source=source or path.name, now=moment, coming=the_plan.rows)
        staff_names: dict[int, str] = {
            sid: name for sid, name in uow.session.execute(select(Staff.id, Staff.name))
        }
        existing = _existing_keys(uow, skip_existing)
        seen: dict[str, int] = {}
        skipped = 0
        total = max(layout.size, 1)

        def told(done: int) -> None:
            if progress is not None:
                progress(done, total)

        told(0)
        for line, record in sheet_read.records(layout, on_bytes=told):
            typed = ""
            if "reference" in indexes:
                typed = (
                    sheet_mapping.join_cells(
                        "reference", (record[i] for i in indexes["reference"] if i < len(record))
                    )
                    .strip()
                    .upper()
                )
            if typed and typed in seen:
                problems.append(
                    RowProblem(
                        line,
                        f"reference {typed} appears twice (also line {seen[typed]})",
                        "reference",
                    )
                )
                continue
            if typed:
                seen[typed] = line
            row, found = check_row(line, record, columns, the_plan.date_order, lookups)
            if row is None:
                problems.extend(found)
                continue
            if row.key in existing:
                if skip_existing:
                    skipped += 1
                    continue
                problems.append(
                    RowProblem(
                        line, f"reference {row.reference} is already in the log", "reference"
                    )
                )
                continue
            if not problems:
                writer.add(row, staff_names.get(row.delegate_id) if row.delegate_id else None)
        shared = writer.finish() if not problems else []
        told(total)  # the last moment to cancel: nothing is kept until the caller commits
    except BaseException:
        whole.rollback()
        raise
    finally:
        if writer is not None:
            writer.close()
    problems.sort(key=lambda p: p.line)
    if problems or dry_run:
        whole.rollback()
    else:
        whole.commit()
    return ImportResult(
        the_plan,
        the_plan.rows,
        problems,
        [] if problems else writer.references,
        skipped,
        shared,
        created,
        dry_run,
    )
