"""The cost of failure by causing unit in the board pack, and a partner's monthly statement:
its own cases only, without customers' names or words or another unit's people."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from ceo_desk.cli import main
from ceo_desk.core import cost_stats, stats
from ceo_desk.core.intake import sheet_import
from ceo_desk.core.services import directory
from ceo_desk.enums import UnitKind
from ceo_desk.reports.monthly import render_monthly
from ceo_desk.store.db import Database
from tests.march_history import AFTER_MARCH, MARCH, build_history


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def test_costs_by_causing_unit_add_up_to_the_months_total_and_print_in_the_pack(
    sqlite_db: Database, tmp_path: Path
) -> None:
    build_history(sqlite_db)
    with sqlite_db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
        costs = cost_stats.cost_by_unit(uow, summary.period, "USD")
    # O2 25.50 + M1 100.00 for Billing; M2 50.00 + M4 30.00 for FastShip (M4's first report,
    # 20.00, was sent back and does not count).
    assert [(c.name, c.complaints, c.cost_minor) for c in costs] == [
        ("Billing Dept", 2, {"USD": 12550}),
        ("FastShip Ltd", 2, {"USD": 8000}),
    ]
    assert sum(c.in_currency("USD") for c in costs) == summary.headline.cost_minor["USD"]
    out = tmp_path / "march.pdf"
    render_monthly(sqlite_db, MARCH, out, now=AFTER_MARCH)
    everything = text_of(out)
    assert "Cost of failure by causing unit" in everything
    assert "Billing Dept 2 USD 125.50 61%" in everything
    assert "FastShip Ltd (partner) 2 USD 80.00 39%" in everything
    assert "All units 4 USD 205.50 100%" in everything


def test_a_partner_statement_lists_its_own_cases_and_nothing_private(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = build_history(sqlite_db)
    r = history.refs
    out = tmp_path / "fastship.pdf"
    args = ["report", "partner", "fastship ltd", "2026-03", "-o", str(out), "--db", sqlite_db.url]
    assert main(args) == 0
    assert "statement for March 2026" in capsys.readouterr().out
    pages = PdfReader(str(out)).pages
    assert len(pages) == 1
    text = text_of(out)
    assert "Complaints statement: FastShip Ltd 1–31 March 2026" in text
    # F2 (caused in February, handled in March), M2 and M4 (caused and handled in March).
    assert f"{r['F2']} 2026-02-24 Delivery Caused, handled Jürgen Weiß Resolved 2026-03-06" in text
    assert f"{r['M4']} 2026-03-10 Delivery Caused, handled Jürgen Weiß Awaiting" in text
    listed = {ref for ref in r.values() if ref in text}
    assert listed == {r["F2"], r["M2"], r["M4"]}
    assert "Cost of accommodations on your cases USD 80.00" in text
    assert "Cases resolved this month 67% (2 of 3)" in text
    # No customer's name or words, no complaint wording, nobody outside FastShip.
    private = ("Edsger Dijkstra", "Jürgen Schmidt", "Barbara Liskov", "Complaint M2",
               "thinking of leaving", "can't refund", "Łukasz Nowak", "Billing Dept")  # fmt: skip
    assert [word for word in private if word in text] == []

    missing = tmp_path / "nobody.pdf"
    assert main(["report", "partner", "Nobody Ltd", "2026-03", "-o", str(missing),
                 "--db", sqlite_db.url]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "There is no department or partner 'Nobody Ltd'" in err and "Traceback" not in err
    assert not missing.exists()


def test_a_busy_partners_statement_stays_on_one_page_and_states_the_totals(
    sqlite_db: Database, tmp_path: Path
) -> None:
    with sqlite_db.transaction() as uow:
        directory.add_unit(uow, "Busy Couriers", UnitKind.PARTNER)
    # 160 complaints the partner caused in March 2026: every fourth still open at the month's
    # end, the rest resolved within it. The oldest open one is C-2026-0001.
    rows = ["Reference,Status,Received,Closed,Summary,Caused by"]
    for n in range(1, 161):
        received = datetime(2026, 3, 1 + n % 28, 9, n % 60)
        closed = "" if n % 4 == 1 else f"{received + timedelta(days=1):%Y-%m-%d %H:%M}"
        status = "new" if n % 4 == 1 else "resolved"
        rows.append(
            f"C-2026-{n:04d},{status},{received:%Y-%m-%d %H:%M},{closed},Parcel {n},Busy Couriers"
        )
    sheet = tmp_path / "busy.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with sqlite_db.transaction() as uow:
        assert sheet_import.import_file(uow, sheet).ok
    out = tmp_path / "busy.pdf"

    args = ["report", "partner", "Busy Couriers", "2026-03", "-o", str(out), "--db", sqlite_db.url]
    assert main(args) == 0

    assert len(PdfReader(str(out)).pages) == 1
    text = text_of(out)
    assert "Your cases this month 160" in text and "Complaints you caused 160" in text
    assert "Still open at the month's end 40" in text
    listed = re.findall(r"C-2026-\d{4}", text)
    assert 10 < len(listed) < 160 and len(set(listed)) == len(listed)
    more = re.search(r"…and (\d+) more of your cases \((\d+) closed, (\d+) open", text)
    assert more is not None and int(more[1]) == 160 - len(listed)
    # The open ones that have waited longest come first: the first listed is the oldest open.
    assert listed[0] == "C-2026-0001"
    assert int(more[3]) == 40 - min(len(listed), 40)
