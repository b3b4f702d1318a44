"""Small pieces every form shares: the error line beside a field, and Ctrl+Enter to save."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLabel, QSizePolicy, QWidget

from ceo_desk.ui.widgets import colours

# Both Return keys: Ctrl+Return on the main block, Ctrl+Enter on the keypad.
SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")


def warning_colour(widget: QWidget) -> str:
    """A red that stays readable on the widget's palette (light or dark)."""
    return warning_colour_on(widget.palette())


def warning_colour_on(palette: QPalette) -> str:
    """`warning_colour` for a palette: the one warning red of `colours`, as a style sheet name."""
    return colours.warning_text(palette).name()


class FieldError(QLabel):
    """The message shown under a field that was refused; hidden while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        # Only as tall as its text: spare height in a form must not open a gap above it.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setAccessibleName("Error")
        colours.set_text_colour(self, warning_colour_on)  # mixed again after a theme switch
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


class _TabLeaves:
    """Tab and Shift+Tab leave a date (or date and time) field, while the keys typed inside it
    stay inside it.

    Qt's date fields move between their parts on Tab (three presses per date for a keyboard
    user) and on a typed separator such as the space in "1 Dec 2026 14:30"; both ask
    `focusNextPrevChild`, so making that leave the field sent a typed space to the next widget
    (the Save button) and the next space pressed it. Here Tab leaves before Qt sees it, and a
    separator typed in the last part stays in the field instead of moving focus on.
    """

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not control:
                forward = event.key() == Qt.Key.Key_Tab and not (
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                )
                QWidget.focusNextPrevChild(cast(QWidget, self), forward)
                return True
        return cast(QDateTimeEdit, super()).event(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        edit = cast(QDateTimeEdit, self)
        last = edit.sectionCount() - 1
        if (next and edit.currentSectionIndex() >= last) or (
            not next and edit.currentSectionIndex() <= 0
        ):
            return True  # a separator typed at the end: stay in the field
        return cast(QDateTimeEdit, super()).focusNextPrevChild(next)


class DateField(_TabLeaves, QDateEdit):
    """A date field that Tab leaves; arrows and typed separators pick the part to change."""


class DateTimeField(_TabLeaves, QDateTimeEdit):
    """A date and time field that Tab leaves, like DateField."""
