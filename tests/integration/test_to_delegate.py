"""Complaints logged and not yet delegated: on the To delegate list, with an intake due time by
severity, overdue after it in the lists and the counters, and through `list --to-delegate`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest

from ceo_desk.cli import main
from ceo_desk.core import page_counts, queries, to_delegate
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.enums import Severity
from ceo_desk.store.db import Database
from tests.builders import days_ago, delegate, log, office


def _waiting(db: Database) -> tuple[str, str, str]:
    """One critical call a week old (late), one low one just logged (in time), one delegated."""
    staff = office(db)
    late = log(
        db, "Farah Novák", "No heating", "+12025550121", when=days_ago(7), severity="critical"
    )
    fresh = log(db, "Bea Cruz", "Wrong bill", "+12025550122", severity="low")
    taken = log(db, "Ana Lima", "Rude driver", "+12025550123", when=days_ago(7))
    delegate(db, taken, staff.chen)
    return late, fresh, taken


def test_waiting_complaints_are_listed_with_their_time_and_the_late_ones_counted(
    sqlite_db: Database,
) -> None:
    late, fresh, _taken = _waiting(sqlite_db)
    with sqlite_db.reading() as uow:
        rows = to_delegate.to_delegate(uow)
        counts = queries.counters(uow)
        overdue_refs = {
            r.reference for r in queries.list_complaints(uow, queries.ComplaintFilter(overdue=True))
        }
    assert [r.reference for r in rows] == [late, fresh]  # the one due soonest first
    assert rows[0].severity is Severity.CRITICAL
    assert rows[0].is_overdue(SYSTEM_CLOCK.now())
    assert not rows[1].is_overdue(SYSTEM_CLOCK.now())
    assert (counts.to_delegate, counts.to_delegate_overdue) == (2, 1)
    assert counts.overdue >= 1
    assert late in overdue_refs and fresh not in overdue_refs
    with sqlite_db.reading() as uow:
        all_count = page_counts.open_complaints(uow, SYSTEM_CLOCK.today())
    assert all_count.overdue == len(overdue_refs)  # the sidebar counts what the filter lists


def test_the_intake_time_follows_the_setting_by_severity(sqlite_db: Database) -> None:
    from ceo_desk.core.services import office as office_settings

    _late, fresh, _taken = _waiting(sqlite_db)
    with sqlite_db.transaction() as uow:
        current = office_settings.load_settings(uow)
        hours = dict(current.intake_due_hours)
        hours[Severity.LOW] = 80
        office_settings.save_settings(uow, replace(current, intake_due_hours=hours))
    with sqlite_db.reading() as uow:
        [row] = [r for r in to_delegate.to_delegate(uow) if r.reference == fresh]
    assert (row.due_at - row.received_at).days >= 7  # 80 business hours: two weeks of days


def test_list_to_delegate_on_the_command_line(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    late, fresh, _taken = _waiting(sqlite_db)
    url = str(sqlite_db.url)
    assert main(["list", "--to-delegate", "--db", url, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["reference"] for r in listed] == [late, fresh]
    assert [r["overdue"] for r in listed] == [True, False]
    assert main(["list", "--to-delegate", "--overdue", "--db", url]) == 0
    out = capsys.readouterr().out
    assert late in out and "OVERDUE" in out and fresh not in out
    assert main(["list", "--to-delegate", "--status", "new", "--db", url]) == 2
    assert "goes with --overdue and --limit only" in capsys.readouterr().err


def test_the_offices_business_hours_move_the_intake_due_time(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """A normal complaint has 4 business hours: received Monday 10:00, due 14:00 on a 09:00 to
    17:00 day; due Tuesday 11:00 once the day ends at 12:00, and 10:00 once it starts at 08:00."""
    monday_ten = datetime(2026, 3, 2, 10, 0).astimezone()  # this computer's wall clock
    ref = log(sqlite_db, "Farah Novák", "No heating", "+12025550121", when=monday_ten)
    url = str(sqlite_db.url)

    def due() -> datetime:
        with sqlite_db.reading() as uow:
            [row] = [r for r in to_delegate.to_delegate(uow) if r.reference == ref]
        return SYSTEM_CLOCK.local(row.due_at).replace(tzinfo=None)

    assert due() == datetime(2026, 3, 2, 14, 0)
    assert main(["settings", "set", "business_day_end", "12:00", "--db", url]) == 0
    assert "Business day ends: 12:00" in capsys.readouterr().out
    assert due() == datetime(2026, 3, 3, 11, 0)
    assert main(["settings", "set", "business-day-start", "8", "--db", url]) == 0
    assert due() == datetime(2026, 3, 3, 10, 0)
    # An end before the start is refused, saying what to do, and changes nothing.
    capsys.readouterr()
    assert main(["settings", "set", "business_day_end", "07:30", "--db", url]) == 2
    refused = capsys.readouterr().err
    assert "start at 08:00 and end at 07:30" in refused and "Traceback" not in refused
    assert main(["settings", "set", "business_day_start", "25:00", "--db", url]) == 2
    assert "a time of day on the 24-hour clock such as 09:00" in capsys.readouterr().err
    assert main(["settings", "get", "business_day_end", "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == "12:00"
    assert due() == datetime(2026, 3, 3, 10, 0)
