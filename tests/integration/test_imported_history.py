"""Complaints that arrive closed in an import are history, not the CEO's confirmations."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ceo_desk.core import policy, queries, stats
from ceo_desk.core.intake import sheet_import
from ceo_desk.enums import Outcome, Status
from ceo_desk.store.db import Database
from ceo_desk.store.models import Event
from tests.builders import add_staff, at, callback, delegate_and_report, log

MARCH = policy.Month(2026, 3)
OLD_ROWS = (
    "received_at,customer_name,phone,summary,status,closed_at\r\n"
    "2026-03-02 09:00,Ann Lee,+442079460000,Late parcel,resolved,2026-03-04 10:00\r\n"
    "2026-03-03 09:00,Bob Ray,+442079460002,Wrong invoice,unreachable,2026-03-05 10:00\r\n"
    "2026-03-04 09:00,Di Fox,,Slow refund,resolved,\r\n"
    "2026-03-05 09:00,Ed Hu,,Still waiting,new,\r\n"
)


def test_imported_closed_complaints_are_closed_before_ceo_desk(
    sqlite_db: Database, tmp_path: Path
) -> None:
    staff = add_staff(sqlite_db)
    live = log(sqlite_db, "Cy Twain", "Broken boiler", "+442079460003", when=at(1))
    delegate_and_report(sqlite_db, live, staff, at(1))
    callback(sqlite_db, live, Outcome.SATISFIED, at(2), satisfaction=5)
    source = tmp_path / "old.csv"
    source.write_text(OLD_ROWS, encoding="utf-8")
    with sqlite_db.transaction() as uow:
        assert sheet_import.import_file(uow, source).ok

    with sqlite_db.reading() as uow:
        figures = stats.monthly_summary(uow, MARCH, now=at(30)).headline
        described = list(
            uow.session.scalars(select(Event.description).where(Event.action == "imported"))
        )
        buckets = stats.monthly_summary(uow, MARCH, now=at(30)).buckets
    assert figures.resolved == 1  # only the one the CEO confirmed
    assert figures.unreachable == 0
    assert figures.closed_before_ceo_desk == 3
    assert figures.resolved_first_callback == 1  # never the imported ones
    assert figures.first_callback_share == 1.0
    # The regulator's buckets: the confirmed one, and Ann Lee's and Bob Ray's, whose file gave
    # their closing dates, each with how it closed; Di Fox's closing date is not known, so it is
    # in no bucket.
    assert buckets.total() == 3
    assert buckets.exclusive(Status.RESOLVED)[stats.WITHIN_3_BUSINESS_DAYS] == 2
    assert buckets.exclusive(Status.UNREACHABLE)[stats.WITHIN_3_BUSINESS_DAYS] == 1
    assert all("closed before CEO Desk" in d for d in described[:3])


def test_imported_open_complaints_wait_to_be_delegated(sqlite_db: Database, tmp_path: Path) -> None:
    source = tmp_path / "old.csv"
    source.write_text(OLD_ROWS, encoding="utf-8")
    with sqlite_db.transaction() as uow:
        assert sheet_import.import_file(uow, source).ok
    with sqlite_db.reading() as uow:
        waiting = queries.list_complaints(
            uow, queries.ComplaintFilter(statuses=frozenset({Status.NEW}))
        )
        detail = queries.complaint_detail(uow, waiting[0].reference)
    assert [row.customer_name for row in waiting] == ["Ed Hu"]  # logged, not yet delegated
    assert detail.current_delegate is None and detail.report_due_on is None
