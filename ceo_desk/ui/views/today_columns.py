"""Which of Today's columns the list beside the brief shows, and how wide, at the width it has.

Each column is as wide as a sample of its usual content (or its heading). When the list is too
narrow for all of them, the least needed are folded into each row's tooltip (the brief shows
them too), then "Why first" shows only its heaviest reason, the rest in the tooltip; the
summary takes whatever width is left, so no column hides behind a horizontal scroll bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

DUE, CUSTOMER, SUMMARY, WHY, TRIES, DELEGATE, FINAL_RESPONSE = range(7)
COLUMN_SAMPLES = (
    "10 days overdue",
    "Oluwaseun Adeyemi",
    "Invoice charged twice",
    "High · vulnerable",
    "",
    "Jamie Ortiz",
    "2026-12-31 (10 days left)",
)
# The due day and the customer's name: the list is never narrower than them, at 100% or at
# 150% on a laptop screen.
KEY_COLUMNS = (DUE, CUSTOMER)
# Folded into the tooltip first when the list is narrow, in this order (the brief shows each).
FOLDED_FIRST = (TRIES, DELEGATE, FINAL_RESPONSE)
# Less than this and the summary is folded as well.
LEAST_SUMMARY = "Invoice charged"


@dataclass(frozen=True)
class Fit:
    """What the list shows: the columns folded away, and "Why first" whole or its first reason."""

    folded: tuple[int, ...] = ()
    short_why: bool = False


def _padding(table: QTableView) -> int:
    header = table.horizontalHeader()
    return 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 12


def _widest(metrics: QFontMetrics, texts: list[str]) -> int:
    # Each distinct text measured once: the reasons repeat across hundreds of rows.
    return max(map(metrics.horizontalAdvance, set(texts)), default=0)


def _title_width(table: QTableView, number: int) -> int:
    title = str(table.model().headerData(number, Qt.Orientation.Horizontal))
    return table.horizontalHeader().fontMetrics().horizontalAdvance(title)


def sample_widths(table: QTableView) -> list[int]:
    """Each column's width from its sample (or its heading) in the table's own font."""
    cells = table.fontMetrics()
    return [
        max(cells.horizontalAdvance(sample), _title_width(table, n)) + _padding(table)
        for n, sample in enumerate(COLUMN_SAMPLES)
    ]


def arrange_columns(table: QTableView) -> None:
    """The summary stretches over the spare width, the others are sized from their samples and
    may be dragged; the list stays at least as wide as its key columns (so a splitter never
    cuts the customer's name)."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    widths = sample_widths(table)
    for number, width in enumerate(widths):
        if number == SUMMARY:
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(number, width)
    scroll_bar = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    key = sum(widths[n] for n in KEY_COLUMNS)
    table.setMinimumWidth(key + scroll_bar + 2 * table.frameWidth())


def fit_columns(
    table: QTableView, widths: list[int], whole_why: list[str], short_why: list[str]
) -> Fit:
    """Show and fold the columns for the table's present width, and size "Why first".

    Args:
        widths: each column's width, from its sample or as the person dragged it; kept up to
            date here from the columns shown (a folded column keeps its last width).
        whole_why: every row's "Why first" in full; short_why: each one's first reason.

    Returns:
        What was chosen, for the model to show (short reasons, folded facts in the tooltip).
    """
    header = table.horizontalHeader()
    room = table.viewport().width()
    cells, padding = table.fontMetrics(), _padding(table)
    for number in range(len(widths)):
        if not header.isSectionHidden(number) and number not in (SUMMARY, WHY):
            widths[number] = header.sectionSize(number)
    why_title = _title_width(table, WHY)
    whole = max(_widest(cells, whole_why), why_title) + padding
    short = max(_widest(cells, short_why), why_title) + padding
    least_summary = cells.horizontalAdvance(LEAST_SUMMARY) + padding
    choices = [Fit(FOLDED_FIRST[:n]) for n in range(len(FOLDED_FIRST) + 1)]
    choices.append(Fit(FOLDED_FIRST, short_why=True))
    choices.append(Fit((*FOLDED_FIRST, SUMMARY), short_why=True))
    choices.append(Fit((*FOLDED_FIRST, SUMMARY, WHY), short_why=True))
    chosen = choices[-1]
    for fit in choices:
        why = short if fit.short_why else whole
        shown = [n for n in range(len(widths)) if n not in fit.folded and n != SUMMARY]
        needed = sum(why if n == WHY else widths[n] for n in shown)
        if SUMMARY not in fit.folded:
            needed += least_summary
        if needed <= room:
            chosen = fit
            break
    for number in range(len(widths)):
        header.setSectionHidden(number, number in chosen.folded)
    if WHY not in chosen.folded:
        header.resizeSection(WHY, short if chosen.short_why else whole)
    if SUMMARY in chosen.folded:  # the last shown column takes the spare width instead
        header.setStretchLastSection(True)
    else:
        header.setStretchLastSection(False)
    return chosen
