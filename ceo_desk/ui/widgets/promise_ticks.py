"""The promises still open on a complaint, each with "Kept" and "Broken" to tick at the callback.

Used by the Today brief and the Record callback dialog; what was ticked is saved with the call's
outcome, in the same transaction (`settle_with`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QGridLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from ceo_desk.core.database import UnitOfWork
from ceo_desk.core.services import promises
from ceo_desk.core.services.promises import PromiseView
from ceo_desk.enums import PromiseOutcome
from ceo_desk.ui.form_helpers import warning_colour_on
from ceo_desk.ui.widgets import colours

T = TypeVar("T")


class PromiseTicks(QWidget):
    """A row per open promise: what, by when, and a Kept / Broken pair (neither: not known)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(0, 1)
        self._rows: list[tuple[PromiseView, QButtonGroup]] = []
        self.buttons: dict[tuple[int, PromiseOutcome], QPushButton] = {}
        self.hide()

    def set_promises(self, all_promises: list[PromiseView], today: date) -> None:
        """Show the promises not yet ticked; hidden when there are none."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for _, group in self._rows:
            group.deleteLater()
        self._rows.clear()
        self.buttons.clear()
        open_ones = [p for p in all_promises if p.is_open]
        for row, promise in enumerate(open_ones):
            label = QLabel(f"{promise.what} <i>({promise.state_text(today)})</i>", self)
            label.setWordWrap(True)
            if promise.due_on < today:
                colours.set_text_colour(label, warning_colour_on)
            group = QButtonGroup(self)
            group.setExclusive(False)
            group.buttonToggled.connect(self._on_group_button_toggled)
            self._grid.addWidget(label, row, 0)
            for column, outcome in enumerate(PromiseOutcome, start=1):
                button = QPushButton(outcome.label, self)
                button.setCheckable(True)
                button.setAccessibleName(f"{outcome.label}: {promise.what}")
                button.setToolTip(f"The promise was {outcome.label.lower()}")
                group.addButton(button)
                self._grid.addWidget(button, row, column)
                self.buttons[(promise.id, outcome)] = button
            self._rows.append((promise, group))
        self.setVisible(bool(open_ones))

    def _on_group_button_toggled(self, button: QAbstractButton, checked: bool) -> None:
        """Kept and Broken exclude each other, and a second click takes a tick back."""
        if not checked:
            return
        group = button.group()
        if group is None:
            return
        for other in group.buttons():
            if other is not button and other.isChecked():
                other.setChecked(False)

    def ticks(self) -> dict[int, PromiseOutcome]:
        """What was ticked: promise id -> kept or broken."""
        return {
            promise_id: outcome
            for (promise_id, outcome), button in self.buttons.items()
            if button.isChecked()
        }


def settle_with(
    action: Callable[[UnitOfWork, str, int], T], ticks: dict[int, PromiseOutcome]
) -> Callable[[UnitOfWork, str, int], T]:
    """`action` (a callback outcome), then the ticked promises, in its transaction."""

    def both(uow: UnitOfWork, reference: str, version: int) -> T:
        result = action(uow, reference, version)
        promises.settle(uow, reference, ticks)
        return result

    return both
