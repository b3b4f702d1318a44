"""Importing complaints from CSV: all or nothing, bad rows listed with line and reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ceo_desk.cli import main
from ceo_desk.core import audit, fields, queries
from ceo_desk.core.intake import sheet_import, sheet_mapping
from ceo_desk.core.intake.sheet_mapping import Mapping
from ceo_desk.enums import Status
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import Database
from ceo_desk.store.models import Complaint, Event
from tests.builders import add_staff, log

GOOD = (
    "Complaints export from OldCRM\r\n"
    ",,,,,\r\n"
    "Ref,Received,Customer,Phone,Email,Summary,Details,Status,Closed,Delegate\r\n"
    'OLD-17,14/03/2025,Ann Lee,+442079460000,,Late parcel,"She called twice.\r\n'
    'Second line of the note.",closed,20/03/2025,\r\n'
    "C-2025-0042,15/03/25 10:30,Bob Ray,,bob@example.com,Wrong invoice,,open,,\r\n"
    "OLD-19,16.03.2025,Cleo Fox,(202) 555-0143,,Rude driver,,with staff,,Jo Ortiz\r\n"
)
MAPPING = """
[import]
date_order = "day-first"

[columns]
Ref = "reference"
Received = "received_at"
Customer = "customer_name"
Phone = "phone"
Email = "email"
Summary = "summary"
Details = "details"
Status = "status"
Closed = "closed_at"
Delegate = "delegate"

[values.status]
closed = "resolved"
open = "new"
"with staff" = "delegated"
"""


def _write(tmp_path: Path, name: str, content: str, *, bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + content.encode("utf-8"))
    return path


def _counts(db: Database) -> tuple[int, int]:
    with db.reading() as uow:
        return (
            uow.session.scalar(select(func.count()).select_from(Complaint)) or 0,
            uow.session.scalar(select(func.count()).select_from(Event)) or 0,
        )


def _import(
    db: Database, path: Path, mapping: Mapping | None = None, **options: object
) -> sheet_import.ImportResult:
    with db.transaction() as uow:
        return sheet_import.import_file(uow, path, mapping, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("bom", [False, True])
def test_import_keeps_references_and_statuses(db: Database, tmp_path: Path, bom: bool) -> None:
    add_staff(db)
    csv_file = _write(tmp_path, "old.csv", GOOD, bom=bom)
    mapping = sheet_mapping.load_mapping(_write(tmp_path, "map.toml", MAPPING))
    result = _import(db, csv_file, mapping)
    assert result.ok, result.problems
    assert result.references == ["OLD-17", "C-2025-0042", "OLD-19"]
    with db.reading() as uow:
        closed = queries.complaint_detail(uow, "OLD-17")
        new = queries.complaint_detail(uow, "C-2025-0042")
        delegated = queries.complaint_detail(uow, "old-19")
        found = queries.list_complaints(uow, queries.ComplaintFilter(text="second line"))
        imported_events = uow.session.scalar(select(func.count()).where(Event.action == "imported"))
        assert audit.verify_chain(uow).ok
    assert closed.status is Status.RESOLVED
    assert closed.details == "She called twice.\r\nSecond line of the note."
    assert new.status is Status.NEW
    assert (
        delegated.status is Status.DELEGATED and delegated.delegations[0].staff_name == "Jo Ortiz"
    )
    assert [r.reference for r in found] == ["OLD-17"]  # the search row was written
    assert imported_events == 3
    # A new complaint logged after the import does not reuse an imported number.
    assert log(db, received_at="2025-06-01T10:00") == "C-2025-0043"


def test_one_bad_row_means_nothing_is_imported(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = GOOD + (
        "OLD-20,31/02/2025,Dan,+442079460002,,Lost,,open,,\r\n"
        "OLD-21,01/04/2025,Eve,,not-an-email,Lost,,open,,\r\n"
        "OLD-17,02/04/2025,Fay,+442079460003,,Twice,,open,,\r\n"
        "OLD-22,03/04/2025,,+442079460004,,No name,,open,,\r\n"
        "OLD-23,04/04/2025,Gus,+442079460005,,Awaiting,,awaiting callback,,\r\n"
    )
    csv_file = _write(tmp_path, "bad.csv", bad)
    map_file = _write(tmp_path, "map.toml", MAPPING)
    before = _counts(db)
    code = main(["import", str(csv_file), "--mapping", str(map_file), "--db", db.url, "--json"])
    assert code == 2
    report = json.loads(capsys.readouterr().out)
    assert report["imported"] == 0
    problems = {p["line"]: p["reason"] for p in report["problems"]}
    assert "not a date" in problems[8]
    assert "not a valid email" in problems[9]
    assert "appears twice" in problems[10] and "line 4" in problems[10]
    assert 11 not in problems  # history may name nobody: "Name not on file"
    assert "awaiting" in problems[12]
    assert "no staff member 'Jo Ortiz'" in problems[7]  # nobody of that name here
    assert _counts(db) == before


def test_dry_run_checks_everything_and_changes_nothing(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_staff(db)
    csv_file = _write(tmp_path, "old.csv", GOOD)
    map_file = _write(tmp_path, "map.toml", MAPPING)
    before = _counts(db)
    assert (
        main(["import", str(csv_file), "--mapping", str(map_file), "--dry-run", "--db", db.url])
        == 0
    )
    assert "dry run" in capsys.readouterr().out
    assert _counts(db) == before


def test_a_reference_already_in_the_log_is_a_bad_row(sqlite_db: Database, tmp_path: Path) -> None:
    add_staff(sqlite_db)
    mapping = sheet_mapping.load_mapping(_write(tmp_path, "map.toml", MAPPING))
    assert _import(sqlite_db, _write(tmp_path, "a.csv", GOOD), mapping).ok
    again = _import(sqlite_db, _write(tmp_path, "b.csv", GOOD), mapping)
    assert [p.line for p in again.problems] == [4, 6, 7]
    assert all("already in the log" in p.reason for p in again.problems)


def test_headers_without_a_mapping_and_month_first_dates(
    sqlite_db: Database, tmp_path: Path
) -> None:
    content = (
        "Customer name,Phone,Summary,Date received,Severity\nAnn,+15555550100,Late,03/14/26,high\n"
    )
    mapping = sheet_mapping.mapping_from_dict({"import": {"date_order": "month-first"}})
    result = _import(sqlite_db, _write(tmp_path, "us.csv", content), mapping)
    assert result.ok, result.problems
    with sqlite_db.reading() as uow:
        detail = queries.complaint_detail(uow, result.references[0])
    assert detail.received_at.astimezone().date().isoformat() == "2026-03-14"


def test_limits_and_encoding_give_clear_messages(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        "Customer;Phone;Summary;Received\nJosé;+15555550100;Late;2026-01-01\n".encode("cp1252")
    )
    result = _import(sqlite_db, latin)  # Windows text, semicolons: both found
    assert result.ok, result.problems
    with sqlite_db.reading() as uow:
        assert queries.complaint_detail(uow, result.references[0]).customer_name == "José"

    narrative = "x" * 23_000  # a long narrative is kept whole
    too_long = "y" * (fields.MAX_IMPORT_CELL_CHARS + 1)
    rows = (
        "Customer,Phone,Summary,Received,Details\n"
        f"Ann,+15555550100,Late,2026-01-02,{narrative}\n"
        f"Bob,+15555550101,{'s' * 501},2026-01-03,short\n"
    )
    result = _import(sqlite_db, _write(tmp_path, "long.csv", rows))
    assert [(p.line, p.field) for p in result.problems] == [(3, "summary")]
    assert "500" in result.problems[0].reason
    ok = _import(sqlite_db, _write(tmp_path, "ok.csv", rows.rsplit("Bob", 1)[0]))
    with sqlite_db.reading() as uow:
        assert len(queries.complaint_detail(uow, ok.references[0]).details) == 23_000
    huge = "Customer,Summary,Received,Details\nAnn,Late,2026-01-02," + too_long + "\n"
    refused = _import(sqlite_db, _write(tmp_path, "huge.csv", huge)).problems
    assert [(p.line, p.field) for p in refused] == [(2, "details")]
    assert f"at most {fields.MAX_IMPORT_CELL_CHARS:,}" in refused[0].reason
    larger = huge.replace(too_long, too_long + "yy")  # past what a cell may hold at all
    with pytest.raises(ValidationError, match="line 2: a cell holds more than 1 MB"):
        _import(sqlite_db, _write(tmp_path, "larger.csv", larger))

    monkeypatch.setattr(fields, "MAX_IMPORT_FILE_BYTES", 100)
    with pytest.raises(ValidationError, match="up to"):
        _import(sqlite_db, _write(tmp_path, "big.csv", "x" * 200))


def test_a_repeated_reference_is_reported_even_when_its_first_row_is_bad(
    sqlite_db: Database, tmp_path: Path
) -> None:
    rows = GOOD + (
        "OLD-30,31/02/2025,Dan,+442079460002,,Lost,,open,,\r\n"  # bad date
        "OLD-30,01/04/2025,Eve,+442079460006,,Lost again,,open,,\r\n"  # same reference
    )
    mapping = sheet_mapping.load_mapping(_write(tmp_path, "map.toml", MAPPING))
    result = _import(sqlite_db, _write(tmp_path, "r.csv", rows), mapping)
    reasons = {p.line: p.reason for p in result.problems}
    assert "not a date" in reasons[8]
    assert "appears twice" in reasons[9] and "line 8" in reasons[9]
