"""A fast table for long lists of one-line rows (the appendix of a busy month has thousands).

reportlab's Table measures every cell and re-measures what is left at each page split, which for
thousands of rows costs seconds. Here every row is one line of a known height, so a page split is
arithmetic, and the header (wrapped paragraphs) is drawn again at the top of every part.
Cells are plain strings drawn literally, already shortened to fit their column; characters the
condensed face lacks (a Chinese or Korean name) are drawn as runs in the fallback font.

The cells' text is written as PDF text operators directly, each distinct string encoded once per
document (dates, categories, names and outcomes repeat on thousands of lines), the way reportlab's
own text object writes a TrueType font's subsets.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph

from ceo_desk.reports.common import (
    FONT_NARROW,
    FONT_NARROW_BOLD,
    GREY_DARK,
    GREY_LIGHT,
    GREY_PALE,
    INK,
)
from ceo_desk.reports.fonts import runs, string_width

# Per document: (font, text) -> its (subset, escaped bytes) chunks; (font, subset) -> PDF name.
_ENCODED: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], list[tuple[int, str]]]] = (
    weakref.WeakKeyDictionary()
)
_NAMES: weakref.WeakKeyDictionary[Any, dict[tuple[str, int], str]] = weakref.WeakKeyDictionary()


class _CellText:
    """One text block of plain-string cells at absolute positions, in PDF operators."""

    def __init__(self, canvas: Any, size: float) -> None:
        self.canvas = canvas
        self.doc = canvas._doc
        self.size = fp_str(size)
        self.code: list[str] = []
        self.current: tuple[str, int] | None = None
        self.encoded = _ENCODED.setdefault(self.doc, {})
        self.names = _NAMES.setdefault(self.doc, {})

    def put(self, x: str, y: str, value: str, font: str) -> None:
        """`value` at (`x`, `y`), the coordinates already written as PDF numbers."""
        self.code.append(f"1 0 0 1 {x} {y} Tm")
        for run_font, run_text in runs(value, font):
            for subset, escaped in self._chunks(run_font, run_text):
                key = (run_font, subset)
                if key != self.current:
                    name = self.names.get(key)
                    if name is None:
                        face = pdfmetrics.getFont(run_font)
                        name = self.names[key] = face.getSubsetInternalName(subset, self.doc)
                    self.code.append(f"{name} {self.size} Tf")
                    self.current = key
                self.code.append(f"({escaped}) Tj")

    def _chunks(self, font: str, value: str) -> list[tuple[int, str]]:
        key = (font, value)
        found = self.encoded.get(key)
        if found is None:
            face = pdfmetrics.getFont(font)
            found = [
                (subset, escapePDF(chunk)) for subset, chunk in face.splitString(value, self.doc)
            ]
            self.encoded[key] = found
        return found

    def draw(self) -> None:
        if self.code:
            self.canvas._code.append("BT " + " ".join(self.code) + " ET")


class RowTable(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    def __init__(
        self,
        header: Sequence[Paragraph],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        numeric: Sequence[int] = (),
        highlight: frozenset[int] = frozenset(),
        size: float = 7.5,
        padding: float = 3,
        first_index: int = 0,
        header_heights: list[float] | None = None,
    ) -> None:
        super().__init__()
        self.header = list(header)
        self.rows = rows
        self.widths = list(widths)
        self.numeric = frozenset(numeric)
        self.highlight = highlight
        self.size = size
        self.padding = padding
        self.first_index = first_index  # for zebra stripes and highlights across splits
        self.row_height = size + 4
        self.header_height = 0.0
        # The header's paragraphs are wrapped once and shared by every part after a page split
        # (a long appendix has a part per page, each measured several times by the layout).
        self.header_heights = header_heights if header_heights is not None else []

    def _wrap_header(self) -> float:
        if not self.header_heights:
            self.header_heights.extend(
                p.wrap(w - 2 * self.padding, 10_000)[1]
                for p, w in zip(self.header, self.widths, strict=True)
            )
        self.header_height = max(self.header_heights, default=0.0) + 5
        return self.header_height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self._wrap_header() + len(self.rows) * self.row_height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        fit = int((availHeight - self._wrap_header()) // self.row_height)
        if fit < 1 or fit >= len(self.rows):
            return []
        return [self._part(0, fit), self._part(fit, len(self.rows))]

    def _part(self, start: int, stop: int) -> RowTable:
        return RowTable(
            self.header,
            self.rows[start:stop],
            self.widths,
            numeric=tuple(self.numeric),
            highlight=self.highlight,
            size=self.size,
            padding=self.padding,
            first_index=self.first_index + start,
            header_heights=self.header_heights,
        )

    def draw(self) -> None:
        canvas = self.canv
        width = sum(self.widths)
        top = self.height
        lefts = [sum(self.widths[:i]) for i in range(len(self.widths))]
        self._wrap_header()
        for paragraph, left, h in zip(self.header, lefts, self.header_heights, strict=True):
            paragraph.drawOn(canvas, left + self.padding, top - 2 - h)
        y = top - self.header_height
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8)
        canvas.line(0, y, width, y)
        for offset in range(len(self.rows)):
            index = self.first_index + offset
            row_top = y - offset * self.row_height
            if index in self.highlight:
                canvas.setFillColor(GREY_LIGHT)
            elif index % 2:
                canvas.setFillColor(GREY_PALE)
            else:
                continue
            canvas.rect(0, row_top - self.row_height, width, self.row_height, stroke=0, fill=1)
        canvas.setFillColor(INK)
        cells = _CellText(canvas, self.size)
        baseline = y - self.row_height + 3
        starts = [fp_str(left + self.padding) for left in lefts]
        for offset, row in enumerate(self.rows):
            bold = (self.first_index + offset) in self.highlight
            font = FONT_NARROW_BOLD if bold else FONT_NARROW
            line_y = fp_str(baseline - offset * self.row_height)
            for column, cell in enumerate(row):
                if not cell:
                    continue
                if column in self.numeric:
                    right = lefts[column] + self.widths[column] - self.padding
                    x = fp_str(right - string_width(cell, font, self.size))
                else:
                    x = starts[column]
                cells.put(x, line_y, cell, font)
        cells.draw()
        bottom = y - len(self.rows) * self.row_height
        canvas.setStrokeColor(GREY_DARK)
        canvas.setLineWidth(0.5)
        canvas.line(0, bottom, width, bottom)
