"""Which complaints to export: all of them, or those received between two days."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.ui.dialogs.base import Dialog
from ceo_desk.ui.form_helpers import DateField, FieldError


class ExportRangeDialog(Dialog):
    """Which complaints to export: all, or those received between two days."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, geometry_key="export_range")
        self.setWindowTitle("Export complaints")
        today = QDate.currentDate()
        self.use_from = QCheckBox("Received on or after")
        self.date_from = DateField(today.addMonths(-1))
        self.use_to = QCheckBox("Received on or before")
        self.date_to = DateField(today)
        for field in (self.date_from, self.date_to):
            field.setCalendarPopup(True)
            field.setDisplayFormat("yyyy-MM-dd")
            field.setEnabled(False)
        self.use_from.toggled.connect(self.date_from.setEnabled)
        self.use_to.toggled.connect(self.date_to.setEnabled)
        self.error = FieldError(self)
        form = QFormLayout()
        form.addRow(self.use_from, self.date_from)
        form.addRow(self.use_to, self.date_to)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file…")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("One row per complaint with its current state (CSV or Excel)."))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen_range(self) -> tuple[date | None, date | None]:
        start = self.date_from.date().toPython() if self.use_from.isChecked() else None
        end = self.date_to.date().toPython() if self.use_to.isChecked() else None
        assert start is None or isinstance(start, date)
        assert end is None or isinstance(end, date)
        return start, end

    @Slot()
    def _on_buttons_accepted(self) -> None:
        start, end = self.chosen_range()
        if start and end and start > end:
            self.error.show_message("The first day is after the last day.")
            return
        self.accept()
