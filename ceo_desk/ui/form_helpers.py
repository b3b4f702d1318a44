"""Small pieces every form shares: the error line beside a field, and Ctrl+Enter to save."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLabel, QSizePolicy, QWidget

# Both Return keys: Ctrl+Return on the main block, Ctrl+Enter on the keypad.
SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")


def warning_colour(widget: QWidget) -> str:
    """A red that stays readable on the widget's palette (light or dark)."""
    palette = widget.palette()
    dark = (
        palette.color(QPalette.ColorRole.Window).lightness()
        < palette.color(QPalette.ColorRole.WindowText).lightness()
    )
    return "#ff8a80" if dark else "#b3261e"


class FieldError(QLabel):
    """The message shown under a field that was refused; hidden while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        # Only as tall as its text: spare height in a form must not open a gap above it.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setAccessibleName("Error")
        self.setStyleSheet(f"color: {warning_colour(self)};")
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setAccessibleDescription(message)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


def save_shortcuts(widget: QWidget, on_save: Callable[[], None]) -> list[QShortcut]:
    """Ctrl+Enter (either Enter key) anywhere in `widget` calls `on_save`."""
    shortcuts = []
    for keys in SAVE_KEYS:
        shortcut = QShortcut(QKeySequence(keys), widget)
        shortcut.activated.connect(on_save)
        shortcuts.append(shortcut)
    return shortcuts


class DateField(QDateEdit):
    """A date field that Tab leaves (Qt's moves between day, month and year instead, which
    costs a keyboard user three presses per date); arrows still pick the part to change."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class DateTimeField(QDateTimeEdit):
    """A date and time field that Tab leaves, like DateField."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)
