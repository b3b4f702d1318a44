"""Promises as they are typed: a row each (what, and the day it is due by), added with a button.

Log a call and Add a promise use it; the service checks what was typed (core/services/promises.py)
and names a row by its number, as this widget numbers them."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services.promises import MAX_PROMISE_LENGTH, PromiseInput


class PromiseRows(QWidget):
    """Zero or more promise rows and an "Add a promise" button.

    Signals:
        edited(): a row was added, removed or typed in.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(0, 1)
        self.rows: list[tuple[QLineEdit, QDateEdit, QPushButton]] = []
        self.add_button = QPushButton("Add a &promise", self)
        self.add_button.setAutoDefault(False)
        self.add_button.setToolTip("Something the CEO promised, and the day it is due by")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        layout.addLayout(buttons)

    def add_row(self, what: str = "", due: date | None = None) -> QLineEdit:
        """A new row, focused on its "what"; due by default in two days."""
        number = len(self.rows) + 1
        text = QLineEdit(self)
        text.setMaxLength(MAX_PROMISE_LENGTH)
        text.setPlaceholderText("What the CEO promised")
        text.setAccessibleName(f"Promise {number}")
        text.setText(what)
        text.setMinimumWidth(120)
        day = QDateEdit(self)
        day.setCalendarPopup(True)
        day.setDisplayFormat("d MMM yyyy")
        day.setAccessibleName(f"Promise {number} due by")
        chosen = due or SYSTEM_CLOCK.today() + timedelta(days=2)
        day.setDate(QDate(chosen.year, chosen.month, chosen.day))
        remove = QPushButton("✕", self)
        remove.setToolTip("Remove this promise")
        remove.setFixedWidth(remove.sizeHint().height() + 8)
        remove.setAutoDefault(False)
        remove.setAccessibleName(f"Remove promise {number}")
        remove.clicked.connect(lambda: self._remove(text))
        text.textChanged.connect(self.edited)
        day.dateChanged.connect(self.edited)
        self.rows.append((text, day, remove))
        self._lay_out()
        text.setFocus()
        self.edited.emit()
        return text

    def _remove(self, text: QLineEdit) -> None:
        for row in self.rows:
            if row[0] is text:
                self.rows.remove(row)
                for widget in row:
                    widget.deleteLater()
                break
        self._lay_out()
        self.edited.emit()

    def _lay_out(self) -> None:
        for number, (text, day, remove) in enumerate(self.rows):
            self._grid.addWidget(text, number, 0)
            self._grid.addWidget(day, number, 1)
            self._grid.addWidget(remove, number, 2)
            text.setAccessibleName(f"Promise {number + 1}")
            day.setAccessibleName(f"Promise {number + 1} due by")

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self.add_row()

    def promises(self) -> tuple[PromiseInput, ...]:
        """What was typed; a row left empty is no promise."""
        given = []
        for text, day, _ in self.rows:
            if not text.text().strip():
                continue
            picked = day.date()
            given.append(
                PromiseInput(text.text(), date(picked.year(), picked.month(), picked.day()))
            )
        return tuple(given)

    def has_input(self) -> bool:
        return any(text.text().strip() for text, _, _ in self.rows)

    def first_editor(self) -> QWidget:
        return self.rows[0][0] if self.rows else self.add_button
