"""Lists that keep several statuses (open, overdue, due today) read each status on its own and
merge them: the merged list holds the same complaints in the same order as the whole list."""

from __future__ import annotations

from datetime import date, timedelta

from ceo_desk.core import queries
from ceo_desk.core.queries import ComplaintFilter
from ceo_desk.enums import Status
from ceo_desk.store.db import Database
from tests.builders import add_staff, at, awaiting_callback, delegate, log

TODAY = date(2026, 3, 20)


def _references(
    db: Database, flt: ComplaintFilter, *, descending: bool = True, limit: int = 200
) -> list[str]:
    with db.reading() as uow:
        rows = queries.list_complaints(uow, flt, descending=descending, limit=limit, today=TODAY)
    return [row.reference for row in rows]


def test_statuses_read_apart_come_back_in_the_order_received(db: Database) -> None:
    staff = add_staff(db)
    first_new = log(db, "Ann One", "First", when=at(0))
    late_report = log(db, "Bob Two", "Second", when=at(1))
    delegate(db, late_report, staff, at(1), due_on=TODAY - timedelta(days=2))
    late_callback = awaiting_callback(
        db, staff, "Cy Three", "Third", logged_at=at(2), reported_at=at(2)
    )
    report_due_today = log(db, "Di Four", "Fourth", when=at(3))
    delegate(db, report_due_today, staff, at(3), due_on=TODAY)
    report_not_due = log(db, "Ed Five", "Fifth", when=at(4))
    delegate(db, report_not_due, staff, at(4), due_on=TODAY + timedelta(days=5))
    last_new = log(db, "Flo Six", "Sixth", when=at(5))

    newest_first = [
        last_new,
        report_not_due,
        report_due_today,
        late_callback,
        late_report,
        first_new,
    ]
    assert _references(db, ComplaintFilter(open_only=True)) == newest_first
    assert _references(db, ComplaintFilter(open_only=True), descending=False) == newest_first[::-1]
    assert _references(db, ComplaintFilter(open_only=True), limit=3) == newest_first[:3]
    # Calls logged days ago and still not delegated are late too (past their time to delegate).
    late = [last_new, late_callback, late_report, first_new]
    assert _references(db, ComplaintFilter(overdue=True)) == late
    assert _references(db, ComplaintFilter(overdue=True), descending=False) == late[::-1]
    assert _references(db, ComplaintFilter(open_only=True, overdue=True), limit=1) == [last_new]
    delegated_and_late = ComplaintFilter(statuses=frozenset({Status.DELEGATED}), overdue=True)
    assert _references(db, delegated_and_late) == [late_report]
    resolved_and_late = ComplaintFilter(statuses=frozenset({Status.RESOLVED}), overdue=True)
    assert _references(db, resolved_and_late) == []
    assert _references(db, ComplaintFilter(due_today=True)) == [report_due_today]
