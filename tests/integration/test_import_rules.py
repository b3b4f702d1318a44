"""The import's rules, through the command line and the services: problems, customers, dates,
columns, categories, cancelling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ceo_desk.cli import main
from ceo_desk.core import fields, queries
from ceo_desk.core.intake import sheet_import, sheet_mapping
from ceo_desk.enums import Status
from ceo_desk.store.db import Database
from ceo_desk.store.models import Category, Complaint, Customer, Event

DOCS = Path(__file__).parent.parent.parent / "docs" / "import.md"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _counts(db: Database) -> tuple[int, int, int]:
    with db.reading() as uow:
        return tuple(  # type: ignore[return-value]
            int(uow.session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Complaint, Customer, Event)
        )


def test_every_problem_of_every_row_is_reported_in_one_pass(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path,
        "bad.csv",
        "Received,Customer,Phone,Email,Summary,Severity,Status\n"
        "2026-03-02,Ann Lee,,,Late parcel,normal,new\n"
        '2026-02-30,Bob Ray,12,not-an-email,"",dire,awaiting callback\n'
        "2026-03-04,Cy Twain,,,Lost,,new\n",
    )
    before = _counts(sqlite_db)
    assert main(["import", str(source), "--db", sqlite_db.url, "--json"]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    on_line_3 = {p["field"] for p in report["problems"] if p["line"] == 3}
    assert on_line_3 == {"received_at", "phone", "email", "summary", "severity", "status"}
    assert {p["line"] for p in report["problems"]} == {3}
    assert captured.err.count("line 3:") == 6
    assert "6 problem(s) in 1 row(s); nothing was imported" in captured.err
    assert _counts(sqlite_db) == before


def test_no_contact_is_needed_and_customers_merge_only_when_name_and_contact_agree(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path,
        "people.csv",
        "Received,Customer,Email,Summary\n"
        "2026-03-02,Ann Lee,noreply@example.com,Late parcel\n"
        "2026-03-03,Bob Ray,noreply@example.com,Wrong invoice\n"
        "2026-03-04,ann  lee,noreply@example.com,Late again\n"
        "2026-03-05,Cy Twain,,No contact given\n"
        "2026-03-06,,,Nobody named\n",
    )
    assert main(["import", str(source), "--db", sqlite_db.url]) == 0
    err = capsys.readouterr().err
    assert "review: noreply@example.com is given for 2 different names (Ann Lee, Bob Ray" in err
    assert "not merged" in err
    with sqlite_db.reading() as uow:
        names = sorted(uow.session.scalars(select(Customer.name)))
        ann = queries.list_complaints(uow, queries.ComplaintFilter(text="Ann"))
        trail = list(
            uow.session.scalars(select(Event.description).where(Event.action == "imported"))
        )
    assert names == ["Ann Lee", "Bob Ray", "Cy Twain", fields.NO_NAME]
    assert len(ann) == 2 and len({row.customer_name for row in ann}) == 1  # merged
    assert sum("no contact on file" in d for d in trail) == 2


def test_an_ambiguous_date_is_asked_about_and_read_in_the_order_given(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path, "d.csv", "Received,Customer,Summary\n09/04/2026,Ann,Late\n06/06/2026,Bob,Lost\n"
    )
    assert main(["import", str(source), "--db", sqlite_db.url]) == 2
    err = capsys.readouterr().err
    assert "line 2: received '09/04/2026' reads as 9 April 2026 day first and 4 September" in err
    assert "--date-order dmy or mdy" in err
    assert main(["import", str(source), "--db", sqlite_db.url, "--date-order", "mdy"]) == 0
    with sqlite_db.reading() as uow:
        received = sorted(
            moment.astimezone().date().isoformat()
            for moment in uow.session.scalars(select(Complaint.received_at))
        )
    assert received == ["2026-06-06", "2026-09-04"]


def test_columns_join_into_one_field_and_a_missing_column_is_an_error(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path,
        "j.csv",
        "Day,Hour,Issue,Sub-issue,Text\n14 March 2026,2:05 PM,Billing,Charged twice,Long story\n",
    )
    mapping = _write(
        tmp_path,
        "m.toml",
        '[fields]\nreceived_at = ["Day", "Hour"]\nsummary = ["Issue", "Sub-issue"]\n'
        'details = "Text"\ncustomer_wants = "Text"\n',
    )
    assert main(["import", str(source), "--mapping", str(mapping), "--db", sqlite_db.url]) == 0
    with sqlite_db.reading() as uow:
        complaint = uow.session.scalars(select(Complaint)).one()
        assert complaint.summary == "Billing - Charged twice"
        assert complaint.details == complaint.customer_wants == "Long story"
        received = complaint.received_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert received == "2026-03-14 14:05"
    capsys.readouterr()
    wrong = _write(tmp_path, "w.toml", '[fields]\nreceived_at = "Day"\nsummary = "Subject"\n')
    assert main(["import", str(source), "--mapping", str(wrong), "--db", sqlite_db.url]) == 2
    err = capsys.readouterr().err
    assert "No header row" in err and "Subject" in err


def test_a_mapping_naming_a_column_the_header_lacks_is_refused(tmp_path: Path) -> None:
    mapping = sheet_mapping.mapping_from_dict(
        {"fields": {"summary": "Subject", "received_at": "D"}}
    )
    with pytest.raises(Exception, match="does not have: Subject"):
        sheet_mapping.column_indexes(mapping, ["D", "Issue"])


def test_categories_the_file_names_are_listed_then_created_on_request(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path,
        "c.csv",
        "Received,Summary,Product\n2026-03-02,Late,Mortgage\n2026-03-03,Lost,Mortgage\n"
        "2026-03-04,Rude,Billing\n2026-03-05,Odd,Payday loan\n",
    )
    assert main(["import", str(source), "--db", sqlite_db.url]) == 2
    err = capsys.readouterr().err
    assert "line 2: category 'Mortgage' (2 row(s)) is not in the log" in err
    assert "line 5: category 'Payday loan' (1 row(s))" in err and "'Billing'" not in err
    assert main(["import", str(source), "--db", sqlite_db.url, "--create-categories"]) == 0
    assert "Created 2 categor" in capsys.readouterr().out
    assert main(["categories", "list", "--db", sqlite_db.url, "--json"]) == 0
    listed = {row["name"] for row in json.loads(capsys.readouterr().out)}
    assert {"Mortgage", "Payday loan", "Billing"} <= listed
    assert main(["categories", "rename", "payday loan", "Short loans", "--db", sqlite_db.url]) == 0
    assert main(["categories", "retire", "Short loans", "--db", sqlite_db.url]) == 0
    capsys.readouterr()
    assert main(["categories", "list", "--db", sqlite_db.url]) == 0
    assert "Short loans" not in capsys.readouterr().out
    with sqlite_db.reading() as uow:
        kept = uow.session.scalar(
            select(func.count())
            .select_from(Complaint)
            .join(Category)
            .where(Category.name == "Short loans")
        )
    assert kept == 1  # its complaint keeps the renamed, retired category


def test_a_cancelled_import_leaves_nothing_behind(sqlite_db: Database, tmp_path: Path) -> None:
    lines = ["Received,Customer,Phone,Summary"] + [
        f"2026-03-0{1 + n % 9},Person {n},+1202555{n:04d},Complaint {n}" for n in range(3000)
    ]
    source = _write(tmp_path, "many.csv", "\n".join(lines) + "\n")
    before = _counts(sqlite_db)
    seen: list[int] = []

    def stop_half_way(done: int, total: int) -> None:
        seen.append(done)
        if done > total // 2:
            raise sheet_import.ImportCancelled("cancelled")

    with pytest.raises(sheet_import.ImportCancelled), sqlite_db.transaction() as uow:
        sheet_import.import_file(uow, source, progress=stop_half_way)
    assert len(seen) > 2  # progress was told along the way
    assert _counts(sqlite_db) == before
    with sqlite_db.transaction() as uow:
        result = sheet_import.import_file(uow, source)
    assert result.imported == 3000
    with sqlite_db.reading() as uow:
        assert queries.complaint_detail(uow, result.references[-1]).status is Status.NEW
    assert main(["check", "--db", sqlite_db.url]) == 0


def test_the_import_is_documented_and_its_help_points_there(
    capsys: pytest.CaptureFixture[str],
) -> None:
    written = DOCS.read_text(encoding="utf-8")
    for declared in fields.IMPORTABLE:
        assert f"`{declared.key}`" in written, declared.key
    for status in sheet_mapping.IMPORTABLE_STATUSES:
        assert f"`{status.value}`" in written
    for flag in ("--date-order", "--create-categories", "--skip-existing", "--save-mapping"):
        assert flag in written
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    assert "docs/import.md" in capsys.readouterr().out
