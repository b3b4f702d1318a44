"""A large import builds the indexes after its rows, and the log's schema is exactly as before,
whether the import goes in or is refused part-way."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from ceo_desk.core.intake import sheet_import
from ceo_desk.store.db import Database
from ceo_desk.store.models import Complaint

HEADER = "Ref,Received,Customer,Phone,Summary,Status\r\n"


def _rows(first: int, count: int) -> str:
    return "".join(
        f"OLD-{n},2025-03-{1 + n % 28:02d},Caller {n},+4420794{n:05d},Late parcel {n},new\r\n"
        for n in range(first, first + count)
    )


def _indexes(db: Database) -> list[tuple[str, str]]:
    with db.reading() as uow:
        return [
            (name, sql)
            for name, sql in uow.session.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
            )
        ]


def _import(db: Database, path: Path) -> sheet_import.ImportResult:
    with db.transaction() as uow:
        return sheet_import.import_file(uow, path)


def _complaints(db: Database) -> int:
    with db.reading() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Complaint)) or 0)


def test_indexes_are_the_same_after_imports_in_and_refused(
    sqlite_db: Database, tmp_path: Path
) -> None:
    before = _indexes(sqlite_db)
    assert any(name == "ix_complaint_status_received" for name, _sql in before)

    # More rows than one batch: the first batches are written before the bad last line is read.
    refused = tmp_path / "refused.csv"
    refused.write_text(HEADER + _rows(0, 2_100) + "OLD-X,not a date,Ann,,Lost,new\r\n")
    assert not _import(sqlite_db, refused).ok
    assert _complaints(sqlite_db) == 0
    assert _indexes(sqlite_db) == before

    accepted = tmp_path / "accepted.csv"
    accepted.write_text(HEADER + _rows(0, 2_100))
    assert _import(sqlite_db, accepted).imported == 2_100
    assert _indexes(sqlite_db) == before

    # Fewer rows than the log holds: the indexes stay in place while the rows go in.
    small = tmp_path / "small.csv"
    small.write_text(HEADER + _rows(10_000, 10))
    assert _import(sqlite_db, small).imported == 10
    assert _indexes(sqlite_db) == before
    with sqlite_db.reading() as uow:
        plan = " ".join(
            str(row[-1])
            for row in uow.session.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT id FROM complaint WHERE status = 'new' "
                    "ORDER BY received_at"
                )
            )
        )
    assert "ix_complaint_status_received" in plan
