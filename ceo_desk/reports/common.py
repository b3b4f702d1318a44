"""What every printed document shares: the embedded fonts, paper, styles, escaping and footer.

User text is never handed to reportlab's paragraph markup unescaped: `text()` escapes it (run by
run, the runs the main font lacks wrapped in the fallback font's tag), and table cells take plain
strings, which are drawn literally. So a summary reading `<img src=...>` prints those characters
and nothing is fetched.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from ceo_desk.core.safety import output
from ceo_desk.errors import ValidationError
from ceo_desk.reports.fonts import FONT as FONT
from ceo_desk.reports.fonts import FONT_BOLD as FONT_BOLD
from ceo_desk.reports.fonts import FONT_FALLBACK as FONT_FALLBACK
from ceo_desk.reports.fonts import FONT_NARROW as FONT_NARROW
from ceo_desk.reports.fonts import FONT_NARROW_BOLD as FONT_NARROW_BOLD
from ceo_desk.reports.fonts import escaped_runs, string_width, wraps_anywhere
from ceo_desk.reports.fonts import font_dirs as font_dirs
from ceo_desk.reports.fonts import register_fonts as register_fonts

if TYPE_CHECKING:  # the wording rules are not needed to print the board pack
    from ceo_desk.core.presenting import Marked

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 16 * mm
FOOTER_BASELINE = MARGIN - 8 * mm

INK = colors.black
GREY_DARK = colors.Color(0.25, 0.25, 0.25)
GREY_MID = colors.Color(0.55, 0.55, 0.55)
GREY_LIGHT = colors.Color(0.85, 0.85, 0.85)
GREY_PALE = colors.Color(0.94, 0.94, 0.94)


def page_size(paper: str) -> tuple[float, float]:
    key = (paper or "").strip().lower()
    if key not in PAPERS:
        raise ValidationError(f"Paper '{paper}' is not one of: a4, letter.", field="paper")
    size: tuple[float, float] = PAPERS[key]
    return size


# ---------------------------------------------------------------- styles and text


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    right: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=INK)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=21),
        h1=ParagraphStyle(
            "h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=5,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=6,
            spaceAfter=3,
        ),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=GREY_DARK),
        label=ParagraphStyle("label", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10),
        cell=ParagraphStyle("cell", parent=body, fontName=FONT_NARROW, fontSize=8, leading=10),
        right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    )


def text(value: str | None, style: ParagraphStyle, *, max_chars: int | None = None) -> Paragraph:
    """A paragraph of user text: escaped, line breaks kept, optionally shortened.

    Characters the style's font lacks (Chinese, Japanese, Korean) are set in the fallback font,
    and such text may break between characters, as those scripts have no spaces to break at.
    """
    raw = value or ""
    if max_chars is not None and len(raw) > max_chars:
        raw = raw[: max_chars - 1].rstrip() + "…"
    safe = escaped_runs(raw, style.fontName).replace("\n", "<br/>")
    if wraps_anywhere(raw):
        style = _wrapping_anywhere(style)
    return Paragraph(safe, style)


def marked_text(value: Marked, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text with each flagged phrase underlined and bold where it stands."""
    parts = []
    for piece, flagged in value.pieces():
        safe = escaped_runs(piece, style.fontName).replace("\n", "<br/>")
        parts.append(f"<u><b>{safe}</b></u>" if flagged else safe)
    if wraps_anywhere(value.text):
        style = _wrapping_anywhere(style)
    return Paragraph("".join(parts), style)


def _wrapping_anywhere(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")


def markup(trusted: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of our own wording; any user text inside must already be escaped."""
    return Paragraph(trusted, style)


def fit(value: str | None, width: float, font: str = FONT_NARROW, size: float = 8) -> str:
    """Shorten plain text with an ellipsis so it fits `width` points on one line."""
    if not value:
        return ""
    return _fit(value, width, font, size)


@lru_cache(maxsize=65_536)
def _fit(value: str, width: float, font: str, size: float) -> str:
    # Cached: dates, categories, delegates and outcomes repeat on thousands of lines.
    raw = " ".join(value.split())
    if string_width(raw, font, size) <= width:
        return raw
    low, high = 0, len(raw)
    while low < high:
        middle = (low + high + 1) // 2
        if string_width(raw[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return raw[:low].rstrip() + "…"


# ---------------------------------------------------------------- numbers


def count_change(now: int, before: int) -> str:
    diff = now - before
    return "no change" if diff == 0 else f"{diff:+,d}".replace("-", "−")


def decimal_change(now: float | None, before: float | None, unit: str = "") -> str:
    if now is None or before is None:
        return "–"
    diff = round(now - before, 1)
    if diff == 0:
        return "no change"
    return f"{diff:+.1f}{unit}".replace("-", "−")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def points_change(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "–"
    diff = round((now - before) * 100)
    return "no change" if diff == 0 else f"{diff:+d} pts".replace("-", "−")


def one_decimal(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


# ---------------------------------------------------------------- pages


def numbered_canvas(draw_frame: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas class that draws each page's header/footer once the page count is known."""

    class _Canvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw_frame(self, number, total)
                super().showPage()
            super().save()

    return _Canvas


@dataclass(frozen=True)
class RenderedReport:
    path: Path
    pages: int


def write_pdf(
    pdf: bytes,
    out_path: str | os.PathLike[str],
    *,
    force: bool = False,
    log: Path | None = None,
) -> Path:
    """Write the finished document in one step through the output rules (never onto the log or
    a file of another kind; an existing PDF only with `force`; private)."""
    return output.write_bytes(Path(out_path), output.Kind.PDF, pdf, force=force, log=log)


def build(
    story: Sequence[Any], make_doc: Callable[[io.BytesIO], Any], canvas_class: type[Canvas]
) -> bytes:
    buffer = io.BytesIO()
    doc = make_doc(buffer)
    doc.build(list(story), canvasmaker=canvas_class)
    return buffer.getvalue()


def pdf_document(
    buffer: io.BytesIO,
    size: tuple[float, float],
    *,
    title: str,
    subject: str | None = None,
    top_margin: float = MARGIN,
) -> SimpleDocTemplate:
    """A document with the house margins, titled and signed as CEO Desk in its properties."""
    return SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=top_margin,
        bottomMargin=MARGIN,
        title=title,
        author="CEO Desk",
        subject=subject,
        creator="CEO Desk",
    )


def draw_footer(
    canvas: Canvas,
    page_width: float,
    label: str,
    generated: datetime,
    number: int,
    total: int,
) -> None:
    """The foot of a page: what the document is, when it was generated, page n of m."""
    canvas.drawString(MARGIN, FOOTER_BASELINE, label)
    canvas.drawCentredString(page_width / 2, FOOTER_BASELINE, f"Generated {stamp(generated)}")
    canvas.drawRightString(page_width - MARGIN, FOOTER_BASELINE, f"Page {number} of {total}")


def stamp(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
