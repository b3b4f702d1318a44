"""A complaint's status drawn as a small label: its words always, in a tinted chip.

Colour helps but never carries the meaning alone, so the labels read the same printed in black
and white or seen without colour: open statuses are filled chips and closed ones outlines; the
ones waiting on the office (new: to delegate; awaiting callback: the CEO's call) are bold; a
complaint closed without the customer's word (unreachable, withdrawn) has a dashed outline.
Every colour is mixed from the palette, so the labels are readable in light and dark.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ceo_desk.enums import Status
from ceo_desk.ui.widgets import colours

# The model answers this role with the row's Status (complaints_table.STATUS_ROLE).
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3

_PAD_X = 7
_MARGIN = 3
# What a label adds around its words: padding inside, a margin and its border outside.
CHIP_SPACE = 2 * (_PAD_X + _MARGIN) + 2


@dataclass(frozen=True)
class Look:
    """How one status is drawn; `filled`, `bold` and `dashed` carry the meaning without colour."""

    hue: QColor
    filled: bool
    bold: bool
    dashed: bool


LOOKS: dict[Status, Look] = {
    Status.NEW: Look(QColor(40, 110, 220), filled=True, bold=True, dashed=False),
    Status.DELEGATED: Look(QColor(220, 150, 20), filled=True, bold=False, dashed=False),
    Status.AWAITING_CALLBACK: Look(QColor(140, 70, 200), filled=True, bold=True, dashed=False),
    Status.RESOLVED: Look(QColor(30, 150, 70), filled=False, bold=False, dashed=False),
    Status.UNREACHABLE: Look(QColor(120, 120, 120), filled=False, bold=False, dashed=True),
    Status.WITHDRAWN: Look(QColor(120, 120, 120), filled=False, bold=False, dashed=True),
}


def chip_colours(status: Status, palette: QPalette) -> tuple[QColor | None, QColor, QColor]:
    """The chip's fill (None: an outline), border and text, mixed from the palette."""
    look = LOOKS[status]
    dark = colours.is_dark(palette)
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    fill = colours.blend(base, look.hue, 0.38 if dark else 0.20) if look.filled else None
    border = colours.blend(text, look.hue, 0.55)
    return fill, border, text


class _Chip:
    """One status's label in one palette and font: its colours, pen, font and measures, and its
    words elided to each width asked."""

    def __init__(
        self,
        label: str,
        fill: QColor | None,
        pen: QPen,
        ink: QColor,
        font: QFont,
        metrics: QFontMetrics,
    ) -> None:
        self.label, self.fill, self.pen, self.ink, self.font = label, fill, pen, ink, font
        self._metrics = metrics
        self.text_width = metrics.horizontalAdvance(label)
        self.text_height = metrics.height()
        self._elided: dict[int, str] = {}

    def text(self, width: int) -> str:
        elided = self._elided.get(width)
        if elided is None:
            elided = self._elided[width] = self._metrics.elidedText(
                self.label, Qt.TextElideMode.ElideRight, width
            )
        return elided


def status_of(index: QModelIndex | QPersistentModelIndex) -> Status | None:
    """The cell's status (it arrives as its text value: Qt hands a str enum over as a str)."""
    value = index.data(STATUS_ROLE)
    try:
        return Status(value) if value else None
    except ValueError:
        return None


class StatusLabelDelegate(QStyledItemDelegate):
    """Paints the status column's cells as labels (the row's selection is kept behind them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chips: dict[tuple[Status, int, str], _Chip] = {}

    @staticmethod
    def _font(base: QFont, look: Look) -> QFont:
        font = QFont(base)
        font.setBold(look.bold)
        return font

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        status = status_of(index)
        if status is None:
            return size
        metrics = QFontMetrics(self._font(option.font, LOOKS[status]))
        width = metrics.horizontalAdvance(status.label) + CHIP_SPACE
        return QSize(max(size.width(), width), size.height())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        status = status_of(index)
        if status is None:
            super().paint(painter, option, index)
            return
        # The cell's own background first (selection, an overdue row's tint), without its text.
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        cell.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, option.widget)

        chip = self._chip(status, option)
        rect: QRect = option.rect
        width = min(chip.text_width + 2 * _PAD_X, rect.width() - 2)
        height = min(chip.text_height + 4, rect.height() - 2)
        box = QRect(rect.left() + _MARGIN, rect.center().y() - height // 2, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(chip.pen)
        painter.setBrush(chip.fill if chip.fill is not None else Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box, 4, 4)
        painter.setFont(chip.font)
        ink = chip.ink
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected and chip.fill is None:  # an outline over the selection: the selection's text
            ink = option.palette.color(QPalette.ColorRole.HighlightedText)
        painter.setPen(ink)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, chip.text(box.width() - 4))
        painter.restore()

    def _chip(self, status: Status, option: QStyleOptionViewItem) -> _Chip:
        """How the status is drawn in this palette and font, made once for both (a list paints
        a label in every row, each paint again)."""
        key = (status, option.palette.cacheKey(), option.font.key())
        chip = self._chips.get(key)
        if chip is None:
            look = LOOKS[status]
            fill, border, ink = chip_colours(status, option.palette)
            font = self._font(option.font, look)
            pen = QPen(border, 1.4)
            if look.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            chip = self._chips[key] = _Chip(status.label, fill, pen, ink, font, QFontMetrics(font))
        return chip
