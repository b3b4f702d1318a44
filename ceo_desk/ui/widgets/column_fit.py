"""Columns as wide as their content, one rule for every list.

Each column says, with a sample of its widest usual text, how wide it needs to be; the one
column without a sample (the summary) takes the spare width, so fixed columns never hold room
the summary needs. When the table is too narrow for all of them the summary keeps room for a
readable start (`SUMMARY_FLOOR`) and the list scrolls sideways, rather than shrinking the summary
to a few letters. Measured in the table's own fonts, so it holds at 100% and at 150%.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

# The start of a summary that is always shown, however narrow the table.
SUMMARY_FLOOR = "Invoice charged twice"


def padding(header: QHeaderView) -> int:
    """The room a cell or heading needs beside its text: the header's margins and a little air."""
    return 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 12


class _SpareWidth(QObject):
    """Gives the summary column what the other columns leave of the viewport, never less than
    the floor; follows each resize of the table and of the other columns."""

    def __init__(self, table: QTableView, column: int, floor: int) -> None:
        super().__init__(table)
        self._table = table
        self._column = column
        self._floor = floor
        self._sharing = False
        table.viewport().installEventFilter(self)
        table.horizontalHeader().sectionResized.connect(self._on_header_section_resized)

    def share(self) -> None:
        header = self._table.horizontalHeader()
        others = sum(
            header.sectionSize(n)
            for n in range(header.count())
            if n != self._column and not header.isSectionHidden(n)
        )
        width = max(self._floor, self._table.viewport().width() - others)
        if width != header.sectionSize(self._column):
            self._sharing = True
            header.resizeSection(self._column, width)
            self._sharing = False

    def _on_header_section_resized(self, section: int, _old: int, _new: int) -> None:
        if section != self._column and not self._sharing:
            self.share()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.share()
        return False


def give_spare_width(table: QTableView, column: int) -> None:
    """Let `column` (the summary) take the width the other columns leave, never less than a
    readable start of a summary; the other columns keep their widths."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    floor = table.fontMetrics().horizontalAdvance(SUMMARY_FLOOR) + padding(header)
    _SpareWidth(table, column, floor).share()


def fit_columns(table: QTableView, samples: Sequence[str]) -> None:
    """Size each column of `table` to the wider of its sample (in the cells' font) and its
    heading (in the header's); the column whose sample is empty takes the rest."""
    header = table.horizontalHeader()
    cells, titles = table.fontMetrics(), header.fontMetrics()
    model = table.model()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    spare: int | None = None
    for number, sample in enumerate(samples):
        if not sample:
            spare = number
            continue
        title = str(model.headerData(number, Qt.Orientation.Horizontal) or "")
        width = max(cells.horizontalAdvance(sample), titles.horizontalAdvance(title))
        header.resizeSection(number, width + padding(header))
    if spare is not None:
        give_spare_width(table, spare)
