"""A filter combo as wide as the choice it shows, so its text is never cut off.

A combo sized to a fixed number of characters clips a longer choice ("Any department ("); sized
to its longest choice it would take a row of the filter bar for a rare long name. Here the combo
asks for the width of its current text, up to a bound; a choice longer than that is elided with
"…" and shown whole in the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter

# The widest a combo grows, in characters of its font.
MAX_CHARS = 40


class FittedComboBox(QComboBox):
    """A combo whose width follows its current text (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(6)
        # Choices replaced with signals blocked still reach the model's signals.
        self.currentIndexChanged.connect(self._refit)
        self.model().rowsInserted.connect(self._refit)
        self.model().rowsRemoved.connect(self._refit)
        self.model().modelReset.connect(self._refit)

    def width_for(self, text: str) -> int:
        """The width that shows `text` whole, the arrow and frame included."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        metrics = self.fontMetrics()
        contents = QSize(metrics.horizontalAdvance(text), metrics.height())
        return (
            self.style()
            .sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, contents, self)
            .width()
        )

    def text_is_whole(self) -> bool:
        """Whether the current text is shown whole (neither cut off nor elided)."""
        return self.width_for(self.currentText()) <= self.width()

    def setCurrentIndex(self, index: int) -> None:
        super().setCurrentIndex(index)
        self._refit()

    def _refit(self, *_changed: object) -> None:
        text = self.currentText()
        self.setToolTip(text if self.width_for(text) > self._widest() else "")
        self.updateGeometry()

    def _widest(self) -> int:
        return self.width_for("x" * MAX_CHARS)

    # Qt widget interface

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        wanted = min(self.width_for(self.currentText()), self._widest())
        return QSize(max(hint.width(), wanted), hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, field.width()
        )
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
