"""Our PDFs drawn as pixels for the preview and the printer: every page, with its ink in place."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from ceo_desk.errors import ValidationError
from ceo_desk.reports.brief import render_call_brief
from ceo_desk.reports.monthly import render_monthly
from ceo_desk.reports.pdf_pages import PageBitmap, PageSize, page_sizes, render_pages
from ceo_desk.store.db import Database
from tests.integration.pdf_text import read_pages
from tests.march_history import AFTER_MARCH, MARCH, build_history


def pixel(bitmap: PageBitmap, x: int, y: int) -> tuple[int, int, int]:
    at = y * bitmap.stride + 3 * x
    red, green, blue = bitmap.rgb[at : at + 3]
    return red, green, blue


def ink(bitmap: PageBitmap, left: int, top: int, right: int, bottom: int) -> int:
    """How many pixels in the box (pixels from the top left) are dark."""
    return sum(
        1
        for y in range(max(0, top), min(bitmap.height, bottom))
        for x in range(max(0, left), min(bitmap.width, right))
        if sum(pixel(bitmap, x, y)) < 3 * 110
    )


def filled_grey(bitmap: PageBitmap) -> int:
    """Pixels of the mid grey the charts' bars are filled with."""
    return sum(
        1
        for y in range(bitmap.height)
        for x in range(bitmap.width)
        if all(130 <= c <= 150 for c in pixel(bitmap, x, y))
    )


def test_every_page_is_drawn_at_its_size_with_the_words_where_the_pdf_puts_them(
    sqlite_db: Database, tmp_path: Path
) -> None:
    build_history(sqlite_db)
    out = tmp_path / "march.pdf"
    render_monthly(sqlite_db, MARCH, out, now=AFTER_MARCH)
    pdf = out.read_bytes()
    sizes = page_sizes(pdf)
    assert len(sizes) == len(PdfReader(io.BytesIO(pdf)).pages) > 1
    assert {(round(s.width), round(s.height)) for s in sizes} == {(595, 842)}

    dpi = 50
    bitmaps = render_pages(pdf, dpi)
    assert [(b.width, b.height) for b in bitmaps] == [s.pixels(dpi) for s in sizes]
    first = bitmaps[0]
    assert pixel(first, 2, 2) == (255, 255, 255)  # paper, not a transparent or black page
    assert filled_grey(first) > 2000  # the bars of the charts

    # Ink over the title, none in the margin beside it.
    [page, *_] = read_pages(pdf)
    title = next(r for r in page.runs if r.text.startswith("Complaints to the CEO"))
    scale = dpi / 72
    left, baseline = round(title.x * scale), round((page.height - title.y) * scale)
    height = round(title.size * scale)
    assert ink(first, left, baseline - height, left + 8 * height, baseline) > 2 * height
    assert ink(first, 0, baseline - height, left - 2, baseline) == 0


def test_only_the_pages_asked_for_are_drawn_and_the_resolution_is_honoured(
    sqlite_db: Database, tmp_path: Path
) -> None:
    history = build_history(sqlite_db)
    brief = tmp_path / "brief.pdf"
    render_call_brief(sqlite_db, history.refs["M8"], brief, paper="letter")
    pdf = brief.read_bytes()
    [size] = page_sizes(pdf)
    assert (round(size.width), round(size.height)) == (612, 792)
    [small] = render_pages(pdf, 36, [0])
    [large] = render_pages(pdf, 144, [0])
    assert (small.width, small.height) == (306, 396)
    assert (large.width, large.height) == (1224, 1584)
    assert ink(large, 0, 0, large.width, large.height) > 4 * ink(small, 0, 0, 306, 396)
    assert render_pages(pdf, 36, []) == []


def test_a_file_that_is_not_a_pdf_gets_a_sentence_not_a_crash() -> None:
    with pytest.raises(ValidationError, match="not a readable PDF"):
        page_sizes(b"not a pdf")
    with pytest.raises(ValidationError, match="not a readable PDF"):
        render_pages(b"%PDF-1.4 truncated", 72)


def test_page_size_in_pixels_rounds_up_like_the_drawing() -> None:
    assert PageSize(595.2756, 841.8898).pixels(72) == (596, 842)
    assert PageSize(612, 792).pixels(72) == (612, 792)
