"""How long the monthly board pack takes for a busy month, as a whole process, against a bare
reportlab table of the same rows and LibreOffice printing them from CSV.

Builds (once per run) a demo log with about 5,000 complaints in the last complete month, writes
that month's appendix rows (the complaints the pack lists) to a CSV file, then times, pair by
pair:
* `ceo-desk report monthly YYYY-MM -o pack.pdf` through the real entry point: statistics from the
  log, charts, tables, the seal, the whole PDF;
* a process that reads the CSV and writes it as one plain reportlab table (same font and size;
  it imports only reportlab and the fonts module, not the database layer);
* `soffice --headless --convert-to pdf` of the CSV (installed with apt-get when missing; skipped
  with a note when it cannot be).

Usage: uv run python benchmarks/monthly_pdf.py [--complaints 10000] [--months 2] [--pairs 5]
       [--log FILE]  (a log built before with `ceo-desk demo --months 2 --seed 7`)
Last line: pdf_s=… bare_table_s=… libreoffice_s=… ratio_bare=… ratio_libreoffice=…
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import measure

HEADINGS = ("Reference", "Received", "Closed", "Customer", "Category", "Delegate", "Outcome")

BARE_TABLE = """
import csv, sys
from reportlab.lib.pagesizes import A4
from reportlab.platypus import LongTable, SimpleDocTemplate, TableStyle
from ceo_desk.reports.fonts import FONT_NARROW, register_fonts

register_fonts()
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    rows = list(csv.reader(handle))
table = LongTable(rows, repeatRows=1)
table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NARROW),
                           ("FONTSIZE", (0, 0), (-1, -1), 7.5)]))
SimpleDocTemplate(sys.argv[2], pagesize=A4).build([table])
"""


def libreoffice() -> str | None:
    """The soffice program, installed with apt-get when missing; None when it cannot be."""
    found = shutil.which("soffice")
    if found or not shutil.which("apt-get"):
        return found
    print("installing LibreOffice Calc with apt-get …", flush=True)
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", "libreoffice-calc"],
        capture_output=True,
        check=False,
    )
    return shutil.which("soffice")


def month_rows(folder: Path, log: Path) -> tuple[str, int, list[tuple[str, ...]]]:
    """The last complete month, how many complaints it received, and its appendix rows."""
    os.environ["CEO_DESK_DATA_DIR"] = str(folder / "data")
    os.environ["CEO_DESK_CONFIG_DIR"] = str(folder / "config")
    from ceo_desk.core import policy, stats
    from ceo_desk.core.clock import SYSTEM_CLOCK
    from ceo_desk.core.database import open_database

    db = open_database(str(log))
    now = SYSTEM_CLOCK.now()
    month = policy.last_complete_month(SYSTEM_CLOCK.local_day(now))
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, month, now=now)
    db.close()
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
    return month.iso, summary.headline.received, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=measure.PAIRS)
    parser.add_argument("--log", type=Path, help="reuse a demo log built before")
    args = parser.parse_args()
    soffice = libreoffice()
    with tempfile.TemporaryDirectory(prefix="ceo-desk-bench-") as tmp:
        folder = Path(tmp)
        log = measure.demo_log(folder, args.complaints, months=args.months, seed=7, reuse=args.log)
        month, received, rows = month_rows(folder, log)
        print(f"{month}: {received:,} complaints received, {len(rows):,} appendix rows", flush=True)
        sheet = folder / "rows.csv"
        with sheet.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([HEADINGS, *rows])
        env = measure.environment(folder)
        out = folder / "out"
        out.mkdir()

        def pack() -> float:
            command = [measure.ENTRY_POINT, "report", "monthly", month, "-o",
                       str(out / "pack.pdf"), "--force", "--db", str(log)]  # fmt: skip
            return measure.run(command, env).seconds

        def bare() -> float:
            command = [measure.PYTHON, "-c", BARE_TABLE, str(sheet), str(out / "bare.pdf")]
            return measure.run(command, env).seconds

        def office() -> float:
            assert soffice is not None
            profile = f"-env:UserInstallation=file://{folder / 'lo-profile'}"
            command = [soffice, profile, "--headless", "--convert-to", "pdf",
                       "--outdir", str(out), str(sheet)]  # fmt: skip
            return measure.run(command, env).seconds

        pack(), bare()
        if soffice:
            office()
        mine, theirs, office_s = [], [], []
        for _ in range(args.pairs):
            mine.append(pack())
            theirs.append(bare())
            if soffice:
                mine.append(pack())
                office_s.append(office())
        against_bare = measure.Pairs(mine[:: 2 if soffice else 1], theirs)
        print(against_bare.line("board pack against a bare reportlab table"), flush=True)
        if soffice:
            against_office = measure.Pairs(mine[1::2], office_s)
            print(against_office.line("board pack against LibreOffice from CSV"), flush=True)
            office_median = f"{against_office.floor_median:.2f}"
            office_ratio = f"{against_office.ratio:.2f}"
        else:
            print("LibreOffice is not installed and could not be: its pairs were skipped")
            office_median = office_ratio = "skipped"
        print(
            f"pdf_s={against_bare.product_median:.2f} bare_table_s={against_bare.floor_median:.2f} "
            f"libreoffice_s={office_median} ratio_bare={against_bare.ratio:.2f} "
            f"ratio_libreoffice={office_ratio}"
        )


if __name__ == "__main__":
    main()
