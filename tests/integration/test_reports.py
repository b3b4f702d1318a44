"""The printed documents, checked through the text a reader (pypdf) extracts from the PDF."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from ceo_desk.cli import main
from ceo_desk.core import policy, stats
from ceo_desk.core.services import complaints as svc
from ceo_desk.enums import Status
from ceo_desk.reports.brief import render_call_brief
from ceo_desk.reports.common import MARGIN
from ceo_desk.reports.fonts import string_width
from ceo_desk.reports.monthly import FRAME_PADDING, monthly_pdf, render_monthly
from ceo_desk.store.db import Database
from tests.integration.pdf_text import read_pages
from tests.march_history import AFTER_MARCH, MARCH, History, at, build_history

HOSTILE = '<b>bold</b> & <img src="http://127.0.0.1:9/x.png"/> <font color="red">red</font>'


def pages_text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def history(sqlite_db: Database) -> History:
    return build_history(sqlite_db)


def test_monthly_pdf_prints_the_statistics(
    sqlite_db: Database, history: History, tmp_path: Path
) -> None:
    out = tmp_path / "march.pdf"
    result = render_monthly(sqlite_db, MARCH, out, now=AFTER_MARCH)
    pages = pages_text(out)
    assert result.pages == len(pages)
    everything = flat(" ".join(pages))
    with sqlite_db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    h = summary.headline
    assert f"Complaints received {h.received} 3 +6" in everything
    assert f"Resolved (confirmed by the CEO's call) {h.resolved} 1 +5" in everything
    assert f"Open at month end {h.open_at_end}" in everything
    assert f"Overdue at month end {h.overdue_at_end}" in everything
    assert "Median days from receipt to report 3.0" in everything
    assert "Resolved at the first callback 67% (4 of 6)" in everything
    assert "Total cost of accommodations USD 205.50 USD 0.00 +USD 205.50" in everything
    # The regulator's buckets: cumulative (3 business days, 8 weeks), then the split, per kind.
    assert "Resolved 1 5 1 3 1 1 6 Withdrawn 1 1 1 0 0 0 1 Unreachable 0 1 0 1 0 0 1" in everything
    assert "All closed this month 2 7 2 4 1 1 8 Share of all closed 25% 88% 25%" in everything
    assert "Closed this month: 7 by the deadline, 1 after it." in everything
    # Only a unit with enough cases is ranked, with its shares, score and trend; slipping items
    # are listed oldest first with days overdue.
    assert "1 Billing Dept 5 2 60% (3/5) 60% (3/5) 100% 0 60% –→–→60" in everything
    assert "– FastShip Ltd (P) 3 2 67% (2/3) 60% (3/5) 67% 1 – –→–→–" in everything
    assert "at least 5 cases is ranked" in everything
    slipping = [history.refs[k] for k in ("M3", "M4", "M8")]
    section = everything[everything.index("7. Follow-throughs") : everything.index("8. Warnings")]
    positions = [section.index(f"{ref} ") for ref in slipping]
    assert positions == sorted(positions)
    # Days over in business days, as the pack's header says: 16 calendar days, 12 business.
    assert re.search(rf"{slipping[0]} .*? 2026-03-16 12 {slipping[1]} .*? 2026-03-20 8 ", section)
    assert "can't, policy" in everything
    assert "I am thinking of leaving." in everything
    # One appendix line per complaint received or closed in March.
    appendix = everything[everything.index("9. Appendix") :]
    assert len(re.findall(r"C-2026-\d{4} 2026-", appendix)) == len(summary.appendix) == 12


def test_accented_and_cyrillic_names_survive_in_the_embedded_font(
    sqlite_db: Database, history: History, tmp_path: Path
) -> None:
    out = tmp_path / "march.pdf"
    render_monthly(sqlite_db, MARCH, out, now=AFTER_MARCH)
    everything = " ".join(pages_text(out))
    for name in ("Łukasz Nowak", "Jürgen Weiß", "Ольга Петрова", "Zoë Martin", "Zoë Ångström"):
        assert name in everything
    raw = out.read_bytes()
    assert b"/FontFile2" in raw  # TrueType programs are embedded, not referenced


def test_every_page_has_period_page_count_and_generation_time(
    sqlite_db: Database, history: History, tmp_path: Path
) -> None:
    out = tmp_path / "march.pdf"
    render_monthly(sqlite_db, MARCH, out, now=AFTER_MARCH)
    pages = pages_text(out)
    generated = AFTER_MARCH.astimezone().strftime("%Y-%m-%d %H:%M")
    for number, page in enumerate(pages, start=1):
        assert "Period: 1–31 March 2026" in page
        assert f"Page {number} of {len(pages)}" in page
        assert f"Generated {generated}" in page


def test_user_text_prints_literally_and_fetches_nothing(
    sqlite_db: Database, history: History, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib.request

    from reportlab.lib import utils

    fetched: list[str] = []

    def refuse(name: object, *args: object, **kwargs: object) -> None:
        fetched.append(str(name))
        raise AssertionError(f"tried to open {name}")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(utils, "open_for_read", refuse)
    ref = history.log("X", at(3, 25), "<i>Eve</i> & Co", summary=HOSTILE, unit="Billing Dept")
    history.delegate("X", "L", at(3, 25))
    history.report("X", at(3, 26), said=HOSTILE, cost="1.00")

    brief = tmp_path / "brief.pdf"
    render_call_brief(sqlite_db, ref, brief, now=AFTER_MARCH)
    brief_text = flat(" ".join(pages_text(brief)))
    assert flat(HOSTILE) in brief_text
    assert "<i>Eve</i> & Co" in brief_text

    monthly = tmp_path / "march.pdf"
    render_monthly(sqlite_db, MARCH, monthly, now=AFTER_MARCH)
    monthly_text = flat(" ".join(pages_text(monthly)))
    assert "<i>Eve</i> & Co" in monthly_text
    assert "<b>bold</b> &" in monthly_text
    assert fetched == []


def test_call_brief_is_one_page_with_what_the_ceo_needs(
    sqlite_db: Database, history: History, tmp_path: Path
) -> None:
    out = tmp_path / "brief.pdf"
    with sqlite_db.transaction() as uow:
        svc.edit(
            uow,
            history.refs["M4"],
            svc.ComplaintEdit({"ceo_promised": "A call back by Friday", "details": "x" * 5000}),
            expected_version=svc.load(uow, history.refs["M4"]).version,
            now=at(3, 20),
        )
    result = render_call_brief(sqlite_db, history.refs["M4"], out, paper="letter")
    pages = pages_text(out)
    assert result.pages == len(pages) == 1
    text = flat(pages[0])
    assert "Barbara Liskov" in text
    assert "+1 212-555-" in text  # the number, formatted for dialling
    assert "A call back by Friday" in text
    assert "Apologised." in text and "Put it right." in text
    assert "USD 30.00" in text
    assert "Voicemail" in text and "Report sent back: Please add what was refunded." in text
    assert "Notes from the call" in text
    width, height = PdfReader(str(out)).pages[0].mediabox.upper_right
    assert (round(float(width)), round(float(height))) == (612, 792)


def test_empty_month_gives_a_short_correct_report(sqlite_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    result = render_monthly(sqlite_db, MARCH, out, now=AFTER_MARCH)
    text = flat(" ".join(pages_text(out)))
    assert result.pages <= 2
    assert "Complaints received 0 0 no change" in text
    assert "No complaints were received in March 2026." in text
    assert "Nothing was overdue at month end." in text


def test_the_league_prints_the_whole_trend_and_the_weakest_link_in_its_column(
    sqlite_db: Database, history: History
) -> None:
    with sqlite_db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    billing = next(u for u in summary.units if u.name == "Billing Dept")
    weakest = replace(billing, weakest=True, trend=(0.73, 0.69, 0.71))
    best = replace(billing, name="Customer Service", rank=1, trend=(1.0, 1.0, 1.0))
    pdf, _ = monthly_pdf(replace(summary, units=[best, weakest]), generated_at=AFTER_MARCH)
    text = flat(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    league = text.split("4. Departments and partners")[1].split("Cost of failure")[0]
    assert "Customer Service 5 2 60% (3/5) 60% (3/5) 100% 0 60% 100→100→100" in league
    assert "Billing Dept 5 2 60% (3/5) 60% (3/5) 100% 0 60% 73→69→71 Weakest link" in league
    assert "…" not in league
    (page,) = [p for p in read_pages(pdf) if any(r.text == "Weakest link" for r in p.runs)]
    heading = next(r for r in page.runs if r.text == "Marked")
    (mark,) = [r for r in page.runs if r.text == "Weakest link"]
    assert mark.x == pytest.approx(heading.x, abs=0.5), "the mark stands under its heading"
    rule_end = page.width - MARGIN - FRAME_PADDING
    assert mark.x + string_width(mark.text, mark.font, mark.size) <= rule_end, "inside the rule"


def test_long_tables_repeat_their_headers_on_every_page(sqlite_db: Database) -> None:
    with sqlite_db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    rows = [
        stats.AppendixRow(
            f"C-2026-{n:04d}", date(2026, 3, 2), None, f"Customer {n}", "Billing", "Zoë", status
        )
        for n, status in zip(range(1, 301), list(Status) * 50, strict=False)
    ]
    pdf, pages = monthly_pdf(replace(summary, appendix=rows), generated_at=AFTER_MARCH)
    texts = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    appendix_pages = [t for t in texts if "C-2026-0" in t]
    assert len(appendix_pages) >= 4
    for page in appendix_pages:
        assert "Reference Received Closed Customer Category Delegate At month end" in flat(page)
    assert "C-2026-0300" in texts[-1]
    assert pages == len(texts)


def run_cli(*args: str) -> int:
    return main(list(args))


def test_cli_writes_both_documents(
    sqlite_db: Database, history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_db.url
    out = tmp_path / "m.pdf"
    assert run_cli("report", "monthly", "2026-03", "-o", str(out), "--db", url) == 0
    assert "March 2026" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")
    brief = tmp_path / "b.pdf"
    ref = history.refs["M8"].lower()
    assert run_cli("report", "brief", ref, "-o", str(brief), "--paper", "letter", "--db", url) == 0
    assert history.refs["M8"] in capsys.readouterr().out
    assert len(pages_text(brief)) == 1


def test_cli_defaults_to_the_last_complete_month(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m.pdf"
    assert run_cli("report", "monthly", "-o", str(out), "--db", sqlite_db.url) == 0
    expected = policy.last_complete_month(datetime.now(UTC).astimezone().date())
    assert expected.label in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "monthly", "2026-13"), "is not a month"),
        (("report", "monthly", "2999-01"), "has not begun"),
        (("report", "brief", "C-2026-9999"), "There is no complaint C-2026-9999"),
    ],
)
def test_cli_errors_are_clear_and_exit_2(
    sqlite_db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    out = tmp_path / "x.pdf"
    assert run_cli(*args, "-o", str(out), "--db", sqlite_db.url) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_cli_refuses_a_missing_folder_and_a_bad_paper(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing" / "m.pdf"
    assert run_cli("report", "monthly", "2026-03", "-o", str(out), "--db", sqlite_db.url) == 2
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        run_cli("report", "monthly", "2026-03", "-o", "x.pdf", "--paper", "a3")
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
