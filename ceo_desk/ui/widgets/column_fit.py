"""Columns as wide as their content, one rule for every working list.

Each column says, with a sample of its widest usual text, how wide it needs to be; the one
column without a sample (the summary) takes the spare width, so fixed columns never hold room
the summary needs. Measured in the table's own fonts, so it holds at 100% and at 150%.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView


def padding(header: QHeaderView) -> int:
    """The room a cell or heading needs beside its text: the header's margins and a little air."""
    return 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 12


def fit_columns(table: QTableView, samples: Sequence[str]) -> None:
    """Size each column of `table` to the wider of its sample (in the cells' font) and its
    heading (in the header's); a column whose sample is empty stretches over the rest."""
    header = table.horizontalHeader()
    cells, titles = table.fontMetrics(), header.fontMetrics()
    model = table.model()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for number, sample in enumerate(samples):
        if not sample:
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
            continue
        title = str(model.headerData(number, Qt.Orientation.Horizontal) or "")
        width = max(cells.horizontalAdvance(sample), titles.horizontalAdvance(title))
        header.resizeSection(number, width + padding(header))
