"""One row per complaint with its current state, to CSV or XLSX, headed by the fields' labels.

Every text cell that a spreadsheet would read as a formula (starting with = + - @ |, their
full-width forms, a tab or a carriage return) is prefixed with an apostrophe, so opening the file
never runs anything.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ceo_desk.core import fields, permissions, promise_text, validation
from ceo_desk.core.safety import output
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Promise

# The ASCII signs, their full-width and small forms (spreadsheets read those as the same
# operators), the pipe of a DDE link, a tab and a carriage return.
_FORMULA_STARTS = tuple("=+-@|\uff1d\ufe66\uff0b\uff0d\uff20\t\r")

# The file's columns, in order, by their machine names (a saved mapping may still name them).
COLUMNS = tuple(f.csv for f in fields.EXPORTED if f.csv)
# Both files are read by people: their headings are the fields' labels ("Customer name"), which
# the import recognises as well as the machine names.
HEADINGS = {f.csv: f.label for f in fields.EXPORTED if f.csv}
COLUMN_OF_HEADING = {heading: column for column, heading in HEADINGS.items()}


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (and text that already starts with
    the apostrophe, so that `unguard_cell` gives back exactly what was written)."""
    if isinstance(value, str) and value.startswith((*_FORMULA_STARTS, "'")):
        return "'" + value
    return value


def unguard_cell(value: str) -> str:
    """The text `safe_cell` was given: the import reads an exported file back unchanged."""
    if value.startswith("'") and value[1:].startswith((*_FORMULA_STARTS, "'")):
        return value[1:]
    return value


def _local(moment: datetime | None) -> str:
    """Local time to the second: what the import reads back as the same moment."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _costs(complaint: Complaint) -> str:
    totals: dict[str, int] = defaultdict(int)
    for report in complaint.reports:
        if report.cost_minor:
            totals[report.currency] += report.cost_minor
    return "; ".join(validation.format_money(minor, cur) for cur, minor in sorted(totals.items()))


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def complaint_values(complaint: Complaint, promises: Sequence[Promise] = ()) -> dict[str, Any]:
    """The exported values, keyed by field (see `core.fields`); `promises` are the complaint's
    rows of the promise ledger, in the order they were made."""
    last = complaint.callbacks[-1] if complaint.callbacks else None
    customer = complaint.customer
    return {
        "reference": complaint.reference,
        "status": complaint.status.label,
        "received_at": _local(complaint.received_at),
        "channel": complaint.channel,
        "severity": complaint.severity,
        "category": complaint.category.name if complaint.category else "",
        "customer_name": customer.name,
        "phone": customer.phone or "",
        "email": customer.email or "",
        "organisation": customer.organisation or "",
        "account_ref": customer.account_ref or "",
        "summary": complaint.summary,
        "details": complaint.details,
        "customer_wants": complaint.customer_wants,
        "ceo_spoke": _yes_no(complaint.ceo_spoke),
        "vulnerable": _yes_no(customer.vulnerable),
        "ceo_promised": complaint.ceo_promised,
        "promises": promise_text.written(
            promise_text.WrittenPromise(p.what, p.due_on, p.outcome) for p in promises
        ),
        **{f.key: _yes_no(getattr(complaint, f.key)) for f in fields.REPUTATION_FIELDS},
        "prior_contacts": complaint.prior_contacts,
        "caused_by_unit": complaint.caused_by_unit.name if complaint.caused_by_unit else "",
        "delegate": complaint.current_delegate.name if complaint.current_delegate else "",
        "report_due_on": _day(complaint.report_due_on),
        "callback_due_on": _day(complaint.callback_due_on),
        "reports": len(complaint.reports),
        "cost": _costs(complaint),
        "reopen_count": complaint.reopen_count,
        "last_callback_outcome": last.outcome if last else "",
        "last_satisfaction": last.satisfaction if last and last.satisfaction else "",
        "loyalty": last.loyalty if last and last.loyalty else "",
        "closed_at": _local(complaint.closed_at),
        "withdrawn_reason": complaint.withdrawn_reason or "",
    }


def complaint_row(complaint: Complaint, promises: Sequence[Promise] = ()) -> dict[str, Any]:
    """One row of the file, keyed by column name."""
    values = complaint_values(complaint, promises)
    return {f.csv: values[f.key] for f in fields.EXPORTED if f.csv}


def iter_rows(
    uow: UnitOfWork, date_from: date | None = None, date_to: date | None = None, batch: int = 500
) -> Iterator[dict[str, Any]]:
    """Complaints received between the two local days (inclusive), in the order they were
    logged (keyset pages by id, so a large log never sits in memory at once)."""
    if date_from and date_to and date_from > date_to:
        raise ValidationError("The 'from' date is after the 'to' date.", field="from")
    query = select(Complaint).options(
        selectinload(Complaint.customer),
        selectinload(Complaint.category),
        selectinload(Complaint.caused_by_unit),
        selectinload(Complaint.current_delegate),
        selectinload(Complaint.reports),
        selectinload(Complaint.callbacks),
    )
    if date_from:
        query = query.where(
            Complaint.received_at >= datetime.combine(date_from, time()).astimezone()
        )
    if date_to:
        # The next local midnight, taken on its own date: a clock change that day moves it.
        next_midnight = datetime.combine(date_to + timedelta(days=1), time()).astimezone()
        query = query.where(Complaint.received_at < next_midnight)
    last_id = 0
    while True:
        chunk = list(
            uow.session.scalars(
                query.where(Complaint.id > last_id).order_by(Complaint.id).limit(batch)
            )
        )
        if not chunk:
            return
        promised: dict[int, list[Promise]] = defaultdict(list)
        for promise in uow.session.scalars(
            select(Promise)
            .where(Promise.complaint_id.in_([c.id for c in chunk]))
            .order_by(Promise.id)
        ):
            promised[promise.complaint_id].append(promise)
        for complaint in chunk:
            row = complaint_row(complaint, promised.get(complaint.id, ()))
            yield {k: safe_cell(v) for k, v in row.items()}
        last_id = chunk[-1].id
        uow.session.expunge_all()


def _csv_text(rows: Iterator[dict[str, Any]]) -> tuple[str, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([HEADINGS[c] for c in COLUMNS])
    count = 0
    for row in rows:
        writer.writerow([row[c] for c in COLUMNS])
        count += 1
    # A byte-order mark makes spreadsheet programs read the file as UTF-8.
    return "\ufeff" + buffer.getvalue(), count


def _write_xlsx(
    path: Path, rows: Iterator[dict[str, Any]], *, force: bool, log: Path | None
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Complaints")
    sheet.append([HEADINGS[c] for c in COLUMNS])

    def cell(value: Any) -> Any:
        # A workbook cell is typed: text stays text (a phone number is never a number, and a
        # leading "=" is never a formula), and text a person editing it could turn into a
        # formula is marked with Excel's hidden quote prefix instead of a visible apostrophe.
        if not isinstance(value, str):
            return value
        text = unguard_cell(value)
        if not text.startswith((*_FORMULA_STARTS, "'")):
            return text
        guarded = WriteOnlyCell(sheet, value=text)
        guarded.data_type = "s"
        guarded.quotePrefix = True
        return guarded

    count = 0
    for row in rows:
        sheet.append([cell(row[c]) for c in COLUMNS])
        count += 1
    output.write_with(path, output.Kind.XLSX, book.save, force=force, log=log)
    return count


def export_complaints(
    uow: UnitOfWork,
    path: Path,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    force: bool = False,
) -> int:
    """Write the export (CSV or XLSX by the file's suffix); returns the number of complaints.

    An existing export is replaced only with `force`; see core.safety.output."""
    permissions.require(uow, permissions.Action.EXPORT)
    path = path.expanduser()
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError("Export to a file ending in .csv or .xlsx.", field="output")
    kind = output.Kind.XLSX if suffix == ".xlsx" else output.Kind.CSV
    output.check_target(path, kind, force=force, log=uow.sqlite_path)  # refuse before the work
    rows = iter_rows(uow, date_from, date_to)
    if suffix == ".xlsx":
        return _write_xlsx(path, rows, force=force, log=uow.sqlite_path)
    content, count = _csv_text(rows)
    output.write_text(path, kind, content, force=force, log=uow.sqlite_path)
    return count
