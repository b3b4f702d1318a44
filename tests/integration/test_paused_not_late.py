"""A complaint whose clock is paused is late nowhere while it waits: not in "Overdue only", the
counters, Chase or its sidebar count; once resumed its moved dates decide again."""

from __future__ import annotations

from datetime import timedelta

from ceo_desk.core import page_counts, queries
from ceo_desk.core.queries import ComplaintFilter
from ceo_desk.core.services import pauses
from ceo_desk.store.db import Database
from tests.builders import MONDAY, delegate, log, office

# Delegated on Monday 9 March, a normal complaint's report is due Monday 16 March.
LATER = (MONDAY + timedelta(days=10)).date()


def _late(db: Database) -> tuple[set[str], int, set[str], int]:
    with db.reading() as uow:
        overdue = queries.list_complaints(uow, ComplaintFilter(overdue=True), today=LATER)
        chase = queries.reports_to_chase(uow, today=LATER)
        return (
            {row.reference for row in overdue},
            queries.counters(uow, today=LATER).overdue,
            {row.reference for row in chase if row.report_due_on < LATER},
            page_counts.chase(uow, LATER, horizon_business_days=2).overdue,
        )


def test_a_paused_complaint_is_late_nowhere_while_it_waits(db: Database) -> None:
    staff = office(db)
    waiting, late = log(db, when=MONDAY), log(db, "Bo Li", phone="+442079460002", when=MONDAY)
    for ref in (waiting, late):
        delegate(db, ref, staff.ortiz, MONDAY)
    assert _late(db) == ({waiting, late}, 2, {waiting, late}, 2)

    with db.transaction() as uow:
        pauses.pause(uow, waiting, "The customer is sending the bank's statement", now=MONDAY)
    assert _late(db) == ({late}, 1, {late}, 1)
