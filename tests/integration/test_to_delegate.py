"""Complaints logged and not yet delegated: on the To delegate list, with an intake due time by
severity, overdue after it in the lists and the counters, and through `list --to-delegate`."""

from __future__ import annotations

import json
from dataclasses import replace

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
