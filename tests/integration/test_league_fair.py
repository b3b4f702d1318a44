"""The league table is fair: a unit is ranked on what it did with its cases, never on a handful
of reports, and a weakest link is named only among units with enough cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ceo_desk.core import policy, stats
from ceo_desk.core.services import office
from ceo_desk.enums import Outcome, UnitKind
from ceo_desk.store.db import Database
from tests import builders

MAY = policy.Month(2026, 5)
AFTER_MAY = datetime(2026, 6, 10, 12).astimezone()


def at(day: int) -> datetime:
    return datetime(2026, 5, day, 12).astimezone()


def build_may(db: Database) -> None:
    good = builders.add_staff(db, "Ana Lima", "Billing Dept", unit_kind=UnitKind.DEPARTMENT)
    reseller = builders.add_staff(db, "Rob Hale", "QuickSell", unit_kind=UnitKind.PARTNER)
    small = builders.add_staff(db, "Sam Ruiz", "TinyParts", unit_kind=UnitKind.PARTNER)
    phone = iter(range(100, 200))

    def log(unit: str, day: int) -> str:
        return builders.log(
            db, "Customer", "Broken", f"+1212555{next(phone):04d}", when=at(day),
            received_at=at(day), caused_by_unit=unit,
        )  # fmt: skip

    # Billing causes and resolves five, reports on time: every case put right.
    for day in range(4, 9):
        ref = log("Billing Dept", day)
        builders.delegate_and_report(db, ref, good, at(day))
        builders.callback(db, ref, Outcome.SATISFIED, at(day + 1))
    # QuickSell causes thirteen and resolves three, though its three reports are on time.
    for day in range(4, 17):
        ref = log("QuickSell", day)
        if day < 7:
            builders.delegate_and_report(db, ref, reseller, at(day))
            builders.callback(db, ref, Outcome.SATISFIED, at(day + 1))
    # TinyParts: two late reports, too few cases to judge.
    for day in (4, 5):
        ref = log("TinyParts", day)
        builders.delegate(db, ref, small, at(day))
        builders.report(db, ref, at(day + 14))


def test_a_unit_that_resolves_little_of_what_it_causes_ranks_below_one_that_resolves_all(
    sqlite_db: Database,
) -> None:
    build_may(sqlite_db)
    with sqlite_db.reading() as uow:
        summary = stats.monthly_summary(uow, MAY, now=AFTER_MAY)
    league = [
        (u.name, u.rank, u.cases, u.caused, u.cases_resolved, u.reports_on_time, u.weakest)
        for u in summary.units
    ]
    assert league == [
        ("Billing Dept", 1, 5, 5, 5, 5, False),
        ("QuickSell", 2, 13, 13, 3, 3, True),
        ("TinyParts", 0, 2, 2, 0, 0, False),  # not ranked, not named on two reports
    ]
    quicksell = summary.units[1]
    assert quicksell.score == (3 / 13 + 3 / 3) / 2

    # The minimum is the office's setting: at two cases TinyParts is ranked, and last.
    with sqlite_db.transaction() as uow:
        office.save_settings(uow, replace(office.load_settings(uow), league_min_cases=2))
    with sqlite_db.reading() as uow:
        summary = stats.monthly_summary(uow, MAY, now=AFTER_MAY)
    assert [(u.name, u.rank, u.weakest) for u in summary.units] == [
        ("Billing Dept", 1, False),
        ("QuickSell", 2, False),
        ("TinyParts", 3, True),
    ]
