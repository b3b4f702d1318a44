"""How long the monthly summary takes for a busy month, against a bare table of the same rows.

Builds a demo history (default 60,000 complaints over 12 months, about 5,000 a month), then times
`render_monthly` for the last complete month: statistics from the database plus the whole PDF.
The floor is a plain reportlab table of the month's appendix rows, built in the same run.

Usage: uv run python benchmarks/monthly_pdf.py [--complaints 60000] [--months 12] [--keep DIR]
Last line: pdf_s=… bare_table_s=… ratio=… pages=…
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path


def bare_table_seconds(rows: list[tuple[str, ...]]) -> float:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import LongTable, SimpleDocTemplate, TableStyle

    from ceo_desk.reports.common import FONT_NARROW, register_fonts

    register_fonts()
    started = time.perf_counter()
    table = LongTable(
        [("Reference", "Received", "Closed", "Customer", "Category", "Delegate", "Outcome"), *rows],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [("FONTNAME", (0, 0), (-1, -1), FONT_NARROW), ("FONTSIZE", (0, 0), (-1, -1), 7.5)]
        )
    )
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build([table])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=60_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--keep", type=Path, help="also save the PDF in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["CEO_DESK_DATA_DIR"] = str(folder / "data")
        os.environ["CEO_DESK_CONFIG_DIR"] = str(folder / "config")
        from ceo_desk.core import demo, policy, stats
        from ceo_desk.core.clock import SYSTEM_CLOCK
        from ceo_desk.core.database import open_database
        from ceo_desk.reports.monthly import render_monthly

        db = open_database(str(folder / "bench.sqlite3"))
        started = time.perf_counter()
        with db.transaction() as uow:
            demo.generate(uow, complaints=args.complaints, months=args.months, seed=7)
        print(
            f"demo history of {args.complaints:,} complaints: {time.perf_counter() - started:.1f}s"
        )
        now = datetime.now(UTC)
        month = policy.last_complete_month(SYSTEM_CLOCK.local_day(now))
        with db.reading() as uow:
            started = time.perf_counter()
            summary = stats.monthly_summary(uow, month, now=now)
            stats_s = time.perf_counter() - started
        print(
            f"{month.label}: {summary.headline.received:,} received, "
            f"{len(summary.appendix):,} appendix lines, {len(summary.slipping):,} slipping; "
            f"statistics {stats_s:.2f}s"
        )
        out = (args.keep or folder) / f"monthly-{month.iso}.pdf"
        started = time.perf_counter()
        result = render_monthly(db, month, out, now=now)
        pdf_s = time.perf_counter() - started
        rows = [
            (
                a.reference,
                a.received_on.isoformat(),
                a.closed_on.isoformat() if a.closed_on else "",
                a.customer,
                a.category,
                a.delegate,
                a.outcome.label,
            )
            for a in summary.appendix
        ]
        bare_s = bare_table_seconds(rows)
        db.close()
        print(
            f"pdf_s={pdf_s:.2f} bare_table_s={bare_s:.2f} ratio={pdf_s / bare_s:.2f} "
            f"pages={result.pages}"
        )


if __name__ == "__main__":
    main()
