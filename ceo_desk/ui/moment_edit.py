"""A date and time typed as text ("09:30", "yesterday 16:00", "30 Nov 09:30"), read the way
Log a call reads Received, with the reading shown beside it so a slip shows before saving."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from ceo_desk.core import validation
from ceo_desk.errors import ValidationError
from ceo_desk.ui import formatting

HINT = "Type 09:30, yesterday 16:00, 30 Nov 09:30 or 2026-11-30 09:30"


class MomentEdit(QLineEdit):
    """The text field; `reading` is the label that says how the text is read."""

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self.setPlaceholderText(HINT)
        self.setToolTip(HINT)
        self.reading = QLabel(parent)
        self.reading.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.reading.setAccessibleName("As read")
        self.textChanged.connect(self._on_text_changed)

    def set_moment(self, moment: datetime) -> None:
        """Show a saved moment in local time, as it can be typed back."""
        self.setText(f"{moment.astimezone():%Y-%m-%d %H:%M}")
        self.setCursorPosition(0)
        self._on_text_changed(self.text())

    def moment(self) -> datetime | str:
        """The moment typed (local, aware), or the text itself when it cannot be read, for the
        service to refuse with its sentence beside the field."""
        try:
            read = validation.moment(self.text(), self._field)
        except ValidationError:
            return self.text()
        return read.astimezone() if read is not None else self.text()

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        read = self.moment()
        if not text.strip():
            self.reading.setText("")
        elif isinstance(read, str):
            self.reading.setText("Not a date and time yet")
        else:
            self.reading.setText(f"Read as {formatting.long_day(read.date())}, {read:%H:%M}")
