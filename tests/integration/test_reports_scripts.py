"""Names and words in any script print as themselves: Chinese, Japanese and Korean included."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from ceo_desk.core.services import office
from ceo_desk.enums import Loyalty, Outcome, UnitKind
from ceo_desk.reports.brief import render_call_brief
from ceo_desk.reports.fonts import FONT_FALLBACK, pdf_names
from ceo_desk.reports.monthly import render_monthly
from ceo_desk.store.db import Database
from tests.integration.pdf_text import read_pages
from tests.march_history import AFTER_MARCH, MARCH, History, at, build_history

CUSTOMERS = ("李娜", "王伟", "김민준", "Ольга Смирнова", "Zoë Ångström", "Γιώργος Παπαδόπουλος")
LONG_CHINESE = "包裹在运输途中损坏，客户要求全额退款并希望我们改进包装方式。" * 6


def flat(text: str) -> str:
    return " ".join(text.split())


def embedded_fonts(pdf: bytes) -> list[set[str]]:
    """Per page, the base names (subset tag removed) of the fonts the page uses."""
    pages: list[set[str]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        fonts = resources.get("/Font", {})
        names = {str(f.get_object()["/BaseFont"]).lstrip("/") for f in fonts.values()}
        pages.append({pdf_names().get(n.split("+", 1)[-1], n.split("+", 1)[-1]) for n in names})
    return pages


@pytest.fixture
def world(sqlite_db: Database) -> History:
    history = build_history(sqlite_db)
    with sqlite_db.transaction() as uow:
        office.add_category(uow, "配送")
    history.add_staff("T", "田中 太郎", "配送センター", UnitKind.PARTNER)
    history.add_staff("K", "이서연", "Billing Dept", UnitKind.DEPARTMENT)
    for number, name in enumerate(CUSTOMERS):
        key = f"S{number}"
        history.log(key, at(3, 10 + number), name, category="配送", unit="配送センター")
        history.delegate(key, "T" if number % 2 else "K", at(3, 10 + number))
    history.log("LONG", at(3, 20), "李娜", summary=LONG_CHINESE, category="配送")
    history.delegate("LONG", "T", at(3, 20))
    history.report("LONG", at(3, 23), said="고객님께 사과드리고 전액 환불해 드렸습니다.")
    history.call(
        "LONG",
        at(3, 24),
        Outcome.NOT_SATISFIED,
        loyalty=Loyalty.AT_RISK,
        words="もう二度と使いません。",
    )
    history.report("S1", at(3, 16))
    return history


def test_monthly_summary_prints_every_script(
    sqlite_db: Database, world: History, tmp_path: Path
) -> None:
    out = tmp_path / "march.pdf"
    render_monthly(sqlite_db, MARCH, out, now=AFTER_MARCH)
    pdf = out.read_bytes()
    everything = flat(" ".join(p.extract_text() or "" for p in PdfReader(out).pages))
    for name in CUSTOMERS:
        assert name in everything
    for words in ("田中 太郎", "이서연", "配送センター", "もう二度と使いません。"):
        assert words in everything
    # The fallback is embedded where Chinese, Japanese or Korean is printed, and Latin text next
    # to it stays in DejaVu Sans.
    per_page = embedded_fonts(pdf)
    assert any(FONT_FALLBACK in fonts for fonts in per_page)
    items = [run for page in read_pages(pdf) for run in page.runs]
    for item in items:
        wide = any(ord(c) >= 0x2E80 for c in item.text)
        assert (item.font == FONT_FALLBACK) == wide, (item.font, item.text)
    assert any(i.text == "李娜" and i.font == FONT_FALLBACK for i in items)
    assert any("Ольга" in i.text and i.font.startswith("DejaVuSans") for i in items)


def test_fallback_font_is_embedded_only_where_needed(sqlite_db: Database, tmp_path: Path) -> None:
    build_history(sqlite_db)  # accented and Cyrillic names only
    out = tmp_path / "march.pdf"
    render_monthly(sqlite_db, MARCH, out, now=AFTER_MARCH)
    pdf = out.read_bytes()
    assert all(FONT_FALLBACK not in fonts for fonts in embedded_fonts(pdf))
    assert FONT_FALLBACK.encode() not in pdf


def test_call_brief_prints_a_chinese_name_and_wraps_chinese_text(
    sqlite_db: Database, world: History, tmp_path: Path
) -> None:
    out = tmp_path / "brief.pdf"
    render_call_brief(sqlite_db, world.refs["LONG"], out, now=AFTER_MARCH)
    pdf = out.read_bytes()
    [page_text] = [p.extract_text() or "" for p in PdfReader(out).pages]
    text = flat(page_text)
    assert "李娜" in text
    assert "고객님께 사과드리고 전액 환불해 드렸습니다." in text
    assert "包裹在运输途中损坏" in text
    [fonts] = embedded_fonts(pdf)
    assert FONT_FALLBACK in fonts and "DejaVuSans-Bold" in fonts
    # The long Chinese summary breaks into lines between characters, inside the page.
    [page] = read_pages(pdf)
    pieces = [run for run in page.runs if "运输" in run.text]
    assert len({round(run.y) for run in pieces}) >= 2
    scale = min(run.scale for run in pieces)
    assert scale > 0.9  # wrapped, not shrunk to fit as one long line
    name = next(run for run in page.runs if run.text == "李娜")
    assert name.font == FONT_FALLBACK and name.size > 10
    # The delegate's name heads the report, in glyphs of the fallback, not in empty boxes.
    heading = next(run for run in page.runs if run.text.startswith("Report from"))
    line = [run for run in page.runs if abs(run.y - heading.y) < 0.5]
    assert "".join(run.text for run in line) == "Report from 田中 太郎 (配送センター)"
    assert {run.font for run in line if any(ord(c) >= 0x2E80 for c in run.text)} == {FONT_FALLBACK}


@pytest.mark.parametrize("name", ["王伟", "김민준", "Ольга Смирнова", "Zoë Ångström"])
def test_call_brief_titles_the_customer_in_any_script(
    sqlite_db: Database, world: History, tmp_path: Path, name: str
) -> None:
    key = f"S{CUSTOMERS.index(name)}"
    out = tmp_path / "brief.pdf"
    render_call_brief(sqlite_db, world.refs[key], out, now=AFTER_MARCH)
    [page_text] = [p.extract_text() or "" for p in PdfReader(out).pages]
    assert name in page_text
    [page] = read_pages(out.read_bytes())
    title = max(page.runs, key=lambda run: run.size)
    assert title.text == name
    wide = any(ord(c) >= 0x2E80 for c in name)
    assert title.font == (FONT_FALLBACK if wide else "DejaVuSans-Bold")


def test_hostile_text_in_any_script_still_prints_literally(
    sqlite_db: Database, world: History, tmp_path: Path
) -> None:
    hostile = '<b>李娜</b> & <font name="Helvetica">王伟</font> <img src="x.png"/>'
    ref = world.log("H", at(3, 27), "<i>김민준</i> & Co", summary=hostile)
    out = tmp_path / "brief.pdf"
    render_call_brief(sqlite_db, ref, out, now=AFTER_MARCH)
    [page_text] = [p.extract_text() or "" for p in PdfReader(out).pages]
    assert flat(hostile) in flat(page_text)
    assert "<i>김민준</i> & Co" in page_text
    [page] = read_pages(out.read_bytes())
    drawn = {run.font for run in page.runs if run.text.strip()}
    assert drawn <= {"DejaVuSans", "DejaVuSans-Bold", FONT_FALLBACK}
