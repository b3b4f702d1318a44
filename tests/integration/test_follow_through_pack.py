"""The board pack's follow-through section: promises made, kept and broken, and the relapse rate,
by causing unit."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from pypdf import PdfReader

from ceo_desk.core import policy
from ceo_desk.core.follow_through_stats import follow_through
from ceo_desk.core.services import follow_ups, office, promises
from ceo_desk.enums import FollowUpOutcome, Outcome, PromiseOutcome, UnitKind
from ceo_desk.reports.monthly import render_monthly
from ceo_desk.store.db import Database
from tests.builders import MONDAY, add_staff, at, callback, delegate_and_report, log

MARCH = policy.Month(2026, 3)
AFTER_MARCH = datetime(2026, 4, 2, 12, 0).astimezone()


def test_promises_and_relapses_are_counted_by_the_unit_that_caused_them(
    sqlite_db: Database, tmp_path: Path
) -> None:
    db = sqlite_db
    staff = add_staff(db, "Jo Ortiz", "Northwind", unit_kind=UnitKind.PARTNER)
    with db.transaction() as uow:
        office.save_settings(uow, replace(office.load_settings(uow), follow_up_weeks=1))
    ref = log(db, when=MONDAY, caused_by_unit="Northwind")
    other = log(db, "Bo Chan", phone="+442079460002", when=MONDAY, caused_by_unit="Northwind")
    with db.transaction() as uow:
        kept, broken = promises.add(
            uow,
            ref,
            [
                promises.PromiseInput("A refund", MONDAY.date()),
                promises.PromiseInput("A call back", MONDAY.date()),
            ],
            now=at(0.1),
        )
        promises.settle(
            uow, ref, {kept: PromiseOutcome.KEPT, broken: PromiseOutcome.BROKEN}, now=at(2)
        )
    for complaint in (ref, other):
        delegate_and_report(db, complaint, staff, at(1))
        callback(db, complaint, Outcome.SATISFIED, at(2), satisfaction=5)
    with db.transaction() as uow:
        follow_ups.record(uow, ref, FollowUpOutcome.CAME_BACK, reason="Again", now=at(10))
        follow_ups.record(uow, other, FollowUpOutcome.STUCK, now=at(10))
    with db.reading() as uow:
        figures = follow_through(uow, policy.Period.of(MARCH, AFTER_MARCH))
    (row,) = figures.units
    assert (row.name, row.promises_made, row.promises_kept, row.promises_broken) == (
        "Northwind",
        2,
        1,
        1,
    )
    assert (row.follow_ups, row.came_back, row.relapse_rate) == (2, 1, 0.5)
    out = tmp_path / "march.pdf"
    render_monthly(db, MARCH, out, now=AFTER_MARCH)
    text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(str(out)).pages
    )
    assert "The CEO's word, and whether fixes held" in text
    assert "Northwind (partner) 2 1 1 2 50% (1/2)" in text
