"""Reading our own PDFs back for the in-app preview: the words and their places survive."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from ceo_desk.reports.brief import render_call_brief
from ceo_desk.reports.monthly import render_monthly
from ceo_desk.reports.pdf_pages import PathItem, TextItem, read_pages
from ceo_desk.store.db import Database
from tests.integration.test_stats import AFTER_MARCH, MARCH, build_history


def _words(text: str) -> list[str]:
    return text.split()


def test_pages_read_back_hold_the_same_words_as_a_pdf_reader_sees(
    sqlite_db: Database, tmp_path: Path
) -> None:
    history = build_history(sqlite_db)
    out = tmp_path / "march.pdf"
    render_monthly(sqlite_db, MARCH, out, now=AFTER_MARCH)
    pdf = out.read_bytes()
    pages = read_pages(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(pages) == len(reader.pages)
    for page, theirs in zip(pages, reader.pages, strict=True):
        ours = " ".join(i.text for i in page.items if isinstance(i, TextItem))
        assert sorted(_words(ours)) == sorted(_words(theirs.extract_text() or ""))
        assert (round(page.width), round(page.height)) == (595, 842)
    first = pages[0]
    assert any(isinstance(i, PathItem) and i.fill is not None for i in first.items)  # chart bars
    names = " ".join(i.text for p in pages for i in p.items if isinstance(i, TextItem))
    for name in ("Łukasz Nowak", "Jürgen Weiß", "Ольга Петрова", "Zoë Martin"):
        assert name in names

    brief = tmp_path / "brief.pdf"
    render_call_brief(sqlite_db, history.refs["M8"], brief, paper="letter")
    [page] = read_pages(brief.read_bytes())
    assert (round(page.width), round(page.height)) == (612, 792)
    title = next(i for i in page.items if isinstance(i, TextItem) and "Call brief" in i.text)
    assert title.font == "DejaVuSans-Bold" and title.size > 10
    assert title.matrix[5] > page.height * 0.8  # at the top of the page


def test_text_outside_our_fonts_is_not_fatal() -> None:
    assert read_pages(b"not a pdf") == []
