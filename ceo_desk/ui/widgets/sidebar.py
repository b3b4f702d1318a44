"""The main window's sidebar: each page with its icon, and its count when the page has one.

The count is drawn as a small outlined badge at the right ("11"); when some of them are overdue
a second, filled badge says how many in bold ("3 late"), so lateness stands out by shape, weight
and words as well as by colour, and reads the same in black and white.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QIcon, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ceo_desk.ui import theme
from ceo_desk.ui.widgets import colours

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
LISTED_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 3
ICON_ROLE = Qt.ItemDataRole.UserRole + 4

_PAD = 8
_GAP = 4
ICON_SIZE = 18


def overdue_text(overdue: int) -> str:
    return f"{overdue} late"


class _SidebarDelegate(QStyledItemDelegate):
    """Paints the title as usual (icon and text) and the count badges at the right."""

    def _badges(self, index: QModelIndex | QPersistentModelIndex) -> list[tuple[str, bool]]:
        listed = index.data(LISTED_ROLE)
        overdue = index.data(OVERDUE_ROLE) or 0
        badges: list[tuple[str, bool]] = []
        if listed is not None:
            badges.append((str(listed), False))
        if overdue:
            badges.append((overdue_text(int(overdue)), True))
        return badges

    @staticmethod
    def _badge_font(base: QFont, strong: bool) -> QFont:
        font = QFont(base)
        font.setBold(strong)
        return font

    def _badges_width(self, option: QStyleOptionViewItem, badges: list[tuple[str, bool]]) -> int:
        width = 0
        for text, strong in badges:
            metrics = QFontMetrics(self._badge_font(option.font, strong))
            width += metrics.horizontalAdvance(text) + 2 * _PAD - 2 + _GAP
        return width

    def _compact(self) -> bool:
        return bool(getattr(self.parent(), "compact", False))

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        if self._compact():
            size.setWidth(ICON_SIZE + 2 * _PAD)
        badges = self._badges(index)
        extra = self._badges_width(option, badges) + _PAD if badges else 0
        return QSize(size.width() + extra, max(size.height(), 30))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        badges = self._badges(index)
        rect: QRect = option.rect
        reserved = self._badges_width(option, badges) + _PAD if badges else 0
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        if self._compact():
            shown.text = ""  # the title is in the tooltip and the accessible text
        shown.rect = rect.adjusted(0, 0, -reserved, 0)
        # The row's background (selection, hover) spans the whole width, badges included.
        background = QStyleOptionViewItem(shown)
        background.rect = rect
        background.text = ""
        background.icon = QIcon()
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, option.widget)
        shown.backgroundBrush = QBrush(Qt.BrushStyle.NoBrush)
        shown.state &= ~QStyle.StateFlag.State_HasFocus
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, shown, painter, option.widget)
        if not badges:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        right = rect.right() - _PAD
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for text, strong in reversed(badges):
            font = self._badge_font(option.font, strong)
            metrics = QFontMetrics(font)
            width = metrics.horizontalAdvance(text) + 2 * _PAD - 2
            height = metrics.height() + 4
            box = QRect(right - width + 1, rect.center().y() - height // 2 + 1, width, height)
            painter.setFont(font)
            if strong:
                fill = colours.warning_text(palette)
                painter.setPen(QPen(fill, 1))
                painter.setBrush(fill)
                painter.drawRoundedRect(box, height / 2, height / 2)
                painter.setPen(palette.color(QPalette.ColorRole.Base))
            else:
                ink = palette.color(
                    QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
                )
                painter.setPen(QPen(ink, 1))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(box, height / 2, height / 2)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            right = box.left() - _GAP
        painter.restore()


class Sidebar(QListWidget):
    """The list of pages; `set_count(key, listed, overdue)` puts a count beside a page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Sections")
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setSpacing(1)
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setItemDelegate(_SidebarDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.compact = False
        self._widest = {False: 0, True: 0}

    def set_compact(self, compact: bool) -> None:
        """Icons and counts only (a narrow window), or with the pages' titles."""
        if compact != self.compact:
            self.compact = compact
            self.fit_width()
            self.viewport().update()

    def add_page(self, key: str, title: str, icon: str) -> QListWidgetItem:
        item = QListWidgetItem(title, self)
        item.setData(KEY_ROLE, key)
        item.setData(ICON_ROLE, icon)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        item.setToolTip(title)
        self._paint_icon(item)
        return item

    def item_of(self, key: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item is not None and item.data(KEY_ROLE) == key:
                return item
        return None

    def set_count(self, key: str, listed: int | None, overdue: int = 0) -> None:
        """Show how many items a page lists and how many are late (None: no count)."""
        item = self.item_of(key)
        if item is None:
            return
        item.setData(LISTED_ROLE, listed)
        item.setData(OVERDUE_ROLE, overdue)
        words = item.text() if listed is None else f"{item.text()}, {listed}"
        if overdue:
            words += f", {overdue} overdue"
        item.setData(Qt.ItemDataRole.AccessibleTextRole, words)
        item.setToolTip(words)
        self.fit_width()

    def count_of(self, key: str) -> tuple[int | None, int]:
        item = self.item_of(key)
        if item is None:
            return None, 0
        return item.data(LISTED_ROLE), int(item.data(OVERDUE_ROLE) or 0)

    def fit_width(self) -> None:
        """As wide as the widest title with its badges, leaving the rest to the page."""
        # The widest count badges seen so far are kept, so the pages do not jump as counts change.
        margins = 2 * (self.spacing() + self.frameWidth()) + 4
        widest = max(self._widest[self.compact], self.sizeHintForColumn(0) + margins)
        self._widest[self.compact] = widest
        self.setFixedWidth(widest)

    # Qt overrides

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # light to dark, or back
            self.repaint_icons()
        super().changeEvent(event)

    def repaint_icons(self) -> None:
        """Draw the icons again in the current palette's colours (light or dark)."""
        for row in range(self.count()):
            item = self.item(row)
            if item is not None:
                self._paint_icon(item)

    def _paint_icon(self, item: QListWidgetItem) -> None:
        item.setIcon(
            theme.page_icon(
                str(item.data(ICON_ROLE)), self.palette(), ICON_SIZE, self.devicePixelRatioF()
            )
        )
