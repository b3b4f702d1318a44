"""Real-shaped exports import on the first try, and the monthly figures match a count of the file.

The counts here are made from the CSV itself with the csv module, independently of the import:
the header is found by its column names, the dates are read by hand.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ceo_desk.cli import main
from ceo_desk.core import policy, stats
from ceo_desk.enums import Channel
from ceo_desk.store.db import Database
from ceo_desk.store.models import Category, Complaint, Customer, Event

SAMPLES = Path(__file__).parent.parent / "samples"
CONSUMER = SAMPLES / "export_with_junk_lines.csv"
TELECOM = SAMPLES / "telecom_mixed_dates.csv"


def _rows_below(path: Path, first_column: str) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        lines = handle.readlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first_column))
    return list(csv.DictReader(lines[start:]))


def _consumer_months() -> Counter[tuple[int, int]]:
    months: Counter[tuple[int, int]] = Counter()
    for row in _rows_below(CONSUMER, "Date received"):
        month, _day, year = row["Date received"].split("/")
        months[(int(year), int(month))] += 1
    return months


def _telecom_months() -> Counter[tuple[int, int]]:
    months: Counter[tuple[int, int]] = Counter()
    for row in _rows_below(TELECOM, "Ticket #"):
        iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", row["Date"])
        if iso:
            months[(int(iso[1]), int(iso[2]))] += 1
        else:
            _day, month, year = row["Date"].split("-")
            months[(2000 + int(year), int(month))] += 1
    return months


def _import(db: Database, path: Path, *extra: str) -> int:
    return main(["import", str(path), "--db", db.url, *extra])


def _monthly(db: Database, months: Counter[tuple[int, int]]) -> dict[tuple[int, int], int]:
    with db.reading() as uow:
        return {
            key: stats.monthly_summary(uow, policy.Month(*key)).headline.received for key in months
        }


def test_a_consumer_export_imports_on_the_first_try_and_its_months_add_up(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(sqlite_db, CONSUMER, "--create-categories") == 0
    captured = capsys.readouterr()
    assert "imported 1200 complaint(s)" in captured.out
    assert "Proposed mapping" in captured.err and "Summary from Issue + Sub-issue" in captured.err
    assert "header on line 3" in captured.err

    months = _consumer_months()
    assert sum(months.values()) == 1200
    assert _monthly(sqlite_db, months) == dict(months)
    with sqlite_db.reading() as uow:
        session = uow.session
        categories = session.scalar(select(func.count()).select_from(Category))
        longest = session.scalar(select(func.max(func.length(Complaint.details))))
        channels = {
            channel: n
            for channel, n in session.execute(
                select(Complaint.channel, func.count()).group_by(Complaint.channel)
            )
        }
        faxes = session.scalar(select(func.count()).where(Complaint.channel_as_given == "Fax"))
        customers = session.scalar(select(func.count()).select_from(Customer))
        no_contact = session.scalar(
            select(func.count()).where(
                Event.action == "imported", Event.description.contains("no contact on file")
            )
        )
        june = stats.monthly_summary(uow, policy.Month(2019, 6))
    assert categories == 7 + 9  # the starting ones and the nine products
    assert longest is not None and longest > 20_000  # the long narrative is whole
    assert channels[Channel.WEB_FORM] == 184 and channels[Channel.REFERRAL] == 196
    assert channels[Channel.OTHER] == faxes == 184  # Fax kept as written
    assert customers == 1200 and no_contact == 1200  # no contact: nobody merged
    # Closed before CEO Desk, never the CEO's confirmations; no closing dates, no buckets.
    assert june.headline.resolved == 0 and june.headline.resolved_first_callback == 0
    assert june.headline.closed_before_ceo_desk > 0
    assert june.buckets.total() == 0
    assert main(["check", "--db", sqlite_db.url]) == 0


def test_a_telecom_export_with_mixed_dates_imports_on_the_first_try(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(sqlite_db, TELECOM, "--json") == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["imported"] == 600
    assert "Dates day first" in captured.err and "Received from Date + Time" in captured.err
    months = _telecom_months()
    assert _monthly(sqlite_db, months) == dict(months)
    with sqlite_db.reading() as uow:
        opened = uow.session.scalar(select(func.count()).where(Complaint.closed_at.is_(None)))
        by_phone = uow.session.scalar(
            select(func.count()).where(Complaint.channel == Channel.PHONE)
        )
    rows = _rows_below(TELECOM, "Ticket #")
    assert opened == sum(1 for r in rows if r["Status"] in ("Open", "Pending"))
    assert by_phone == sum(1 for r in rows if r["Received Via"] == "Customer Care Call")


def test_a_second_overlapping_export_imports_only_what_is_new(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = TELECOM.read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("".join(lines[:401]), encoding="utf-8")
    second.write_text(lines[0] + "".join(lines[301:]), encoding="utf-8")
    assert _import(sqlite_db, first) == 0
    capsys.readouterr()
    assert _import(sqlite_db, second) == 2  # the overlap is refused without the option
    assert "already in the log" in capsys.readouterr().err
    assert _import(sqlite_db, second, "--skip-existing", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["imported"], report["skipped"]) == (200, 100)
    with sqlite_db.reading() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Complaint)) == 600


def test_rows_without_a_reference_are_recognised_by_when_who_and_what(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "Received,Customer,Summary\n2026-03-02 09:00,Ann Lee,Late parcel\n"
    more = rows + "2026-03-03 09:00,Bob Ray,Wrong invoice\n"
    (tmp_path / "a.csv").write_text(rows, encoding="utf-8")
    (tmp_path / "b.csv").write_text(more.replace("Ann Lee", "ann  LEE"), encoding="utf-8")
    assert _import(sqlite_db, tmp_path / "a.csv") == 0
    assert _import(sqlite_db, tmp_path / "b.csv", "--skip-existing") == 0
    assert "imported 1 complaint(s), skipped 1 already in the log" in capsys.readouterr().out
