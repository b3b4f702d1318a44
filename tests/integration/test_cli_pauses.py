"""`ceo-desk pause` and `resume` from the command line: said back plainly, refused clearly."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ceo_desk.cli import main
from ceo_desk.store.db import Database
from tests.builders import days_ago, delegate, log, office, stored_detail


def test_pause_then_resume_says_what_moved(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = office(sqlite_db)
    ref = log(sqlite_db)
    delegate(sqlite_db, ref, staff.ortiz, due_on=date(2099, 1, 5))
    url = sqlite_db.url
    assert main(["pause", ref, "--reason", "Waiting for the meter reading", "--db", url]) == 0
    said = capsys.readouterr().out
    assert f"{ref}: clock paused (Waiting for the meter reading)" in said
    assert stored_detail(sqlite_db, ref).paused_for == "Waiting for the meter reading"

    assert main(["pause", ref, "--reason", "Again", "--db", url]) == 2
    assert "already paused" in capsys.readouterr().err

    assert main(["resume", ref, "--db", url]) == 0
    said = capsys.readouterr().out
    assert f"{ref}: clock resumed after 0 business days paused" in said
    detail = stored_detail(sqlite_db, ref)
    assert detail.paused_for is None
    assert detail.events[-2].description == "Clock paused: Waiting for the meter reading"

    assert main(["resume", ref, "--db", url]) == 2
    assert "is not paused" in capsys.readouterr().err


def test_pause_needs_a_reason(sqlite_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    office(sqlite_db)
    ref = log(sqlite_db)
    assert main(["pause", ref, "--reason", "   ", "--db", sqlite_db.url]) == 2
    assert "reason" in capsys.readouterr().err.lower()
    assert stored_detail(sqlite_db, ref).events[-1].action == "logged"


def test_list_marks_and_show_names_the_final_response_deadline(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    office(sqlite_db)
    late = log(sqlite_db, received_at=days_ago(60))
    log(sqlite_db, "Bo Lund", "Parcel lost", "+442079460002")
    capsys.readouterr()
    assert main(["list", "--db", sqlite_db.url]) == 0
    lines = capsys.readouterr().out.splitlines()
    marked = [line for line in lines if "[final response" in line]
    assert len(marked) == 1 and marked[0].startswith(late) and "days late)]" in marked[0]
    assert main(["show", late, "--db", sqlite_db.url]) == 0
    assert re.search(
        r"Final response: +due \d{4}-\d\d-\d\d \(\d+ days late\)", capsys.readouterr().out
    )


def test_resume_on_a_closed_complaint_says_why_not(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    office(sqlite_db)
    ref = log(sqlite_db)
    url = sqlite_db.url
    assert main(["pause", ref, "--reason", "Waiting for the customer", "--db", url]) == 0
    assert main(["withdraw", ref, "--reason", "The customer withdrew it", "--db", url]) == 0
    capsys.readouterr()
    assert main(["resume", ref, "--db", url]) == 2
    said = capsys.readouterr().err
    assert f"{ref} is withdrawn: its clock stopped for good when it closed" in said
    assert "Traceback" not in said
    assert stored_detail(sqlite_db, ref).events[-1].action == "withdrawn"
