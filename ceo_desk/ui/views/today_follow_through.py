"""Today's follow-through, below the callbacks: the CEO's promises falling due, and the
"did it stick?" calls, with "It stuck" and "It came back…" for the chosen one."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import permissions
from ceo_desk.core.database import Database
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.services import follow_ups
from ceo_desk.core.services.follow_ups import FollowUpDue
from ceo_desk.core.services.promises import PromiseDue, short_day
from ceo_desk.enums import FollowUpOutcome, Role
from ceo_desk.ui import formatting
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.callback_outcome import CameBackDialog
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import warning_colour
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.widgets.list_page import single_row_table, subheading_label

# The small lists stay small: the callbacks above are the day's work.
VISIBLE_ROWS = 3


def _fit_rows(table: QTableView, rows: int) -> None:
    """As tall as its rows, up to VISIBLE_ROWS; more scroll."""
    header = table.horizontalHeader().sizeHint().height()
    row_height = table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(header + row_height * max(1, min(rows, VISIBLE_ROWS)) + 4)


class PromisesDuePanel(QWidget):
    """Promises not yet ticked that are due soon or overdue; double-click opens the complaint."""

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = date.today()

        def red() -> QColor:  # read at each paint: a switch to dark or light shows at once
            return QColor(warning_colour(self))

        self.title = subheading_label(self)
        self.model: SnapshotTableModel[PromiseDue] = SnapshotTableModel(
            [
                Column(
                    "Due",
                    lambda p: formatting.due(p.due_on, self.today),
                    foreground=lambda p: red() if p.due_on < self.today else None,
                ),
                Column("Customer", lambda p: p.customer_name),
                Column("Promised", lambda p: p.what, tooltip=lambda p: f"{p.reference}: {p.what}"),
            ],
            self,
            key=lambda p: str(p.promise_id),
        )
        self.table = single_row_table(self.model, "Promises due", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 100)
        header.resizeSection(1, 130)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        self.hide()

    def set_rows(self, rows: list[PromiseDue], today: date) -> None:
        self.today = today
        self.model.set_rows(rows)
        overdue = sum(1 for p in rows if p.due_on < today)
        self.title.setText(
            f"<b>Your promises due: {len(rows)}</b>"
            + (f" ({overdue} overdue)" if overdue else "")
            + " — tick each kept or broken at the callback"
        )
        _fit_rows(self.table, len(rows))
        self.setVisible(bool(rows))

    @Slot()
    def _on_table_double_clicked(self) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        if row is not None:
            self.open_requested.emit(row.reference)


class FollowUpsPanel(QWidget):
    """The "did it stick?" calls due: the chosen one answered with It stuck / It came back.

    Signals:
        complaint_changed(str): an answer was saved on the reference.
    """

    complaint_changed = Signal(str)
    status_message = Signal(str)
    open_requested = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._busy = False
        self._roles: frozenset[Role] | None = None
        self.title = subheading_label(self)
        self.model: SnapshotTableModel[FollowUpDue] = SnapshotTableModel(
            [
                Column("Resolved", lambda f: f"{short_day(f.closed_at.astimezone().date())}"),
                Column("Customer", lambda f: f.customer_name),
                Column("Summary", lambda f: f.summary, tooltip=lambda f: f.reference),
            ],
            self,
            key=lambda f: f.reference,
        )
        self.table = single_row_table(self.model, "Follow-up calls due", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 100)
        header.resizeSection(1, 130)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.stuck = QPushButton("It s&tuck", self)
        self.stuck.setToolTip("The fix held: the follow-up call is done.")
        self.came_back = QPushButton("It &came back…", self)
        self.came_back.setToolTip("It happened again: reopens the complaint for its last delegate.")
        for button in (self.stuck, self.came_back):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            button.setAutoDefault(False)
        self.stuck.clicked.connect(self._on_stuck_clicked)
        self.came_back.clicked.connect(self._on_came_back_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stuck)
        buttons.addWidget(self.came_back)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._update_buttons()
        self.hide()

    def set_rows(self, rows: list[FollowUpDue]) -> None:
        self.model.set_rows(rows)
        self.title.setText(
            f"<b>Did it stick? {len(rows)} follow-up call{'s' if len(rows) != 1 else ''}</b>"
            " — ring and ask whether the fix held"
        )
        _fit_rows(self.table, len(rows))
        if rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self.setVisible(bool(rows))
        self._update_buttons()

    def set_roles(self, roles: frozenset[Role]) -> None:
        self._roles = roles
        self._update_buttons()

    def selected(self) -> FollowUpDue | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    @Slot()
    def _update_buttons(self) -> None:
        may = self._roles is None or permissions.allows(self._roles, Allow.RECORD_FOLLOW_UP)
        usable = may and not self._busy and self.selected() is not None
        self.stuck.setVisible(may)
        self.came_back.setVisible(may)
        self.stuck.setEnabled(usable)
        self.came_back.setEnabled(usable)

    @Slot()
    def _on_stuck_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self._record(row, FollowUpOutcome.STUCK, "")

    @Slot()
    def _on_came_back_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason = CameBackDialog.ask(self, row.reference, row.customer_name)
        if reason is not None:
            self._record(row, FollowUpOutcome.CAME_BACK, reason)

    def _record(self, row: FollowUpDue, outcome: FollowUpOutcome, reason: str) -> None:
        db, reference = self._db, row.reference

        def save() -> follow_ups.FollowUpResult:
            with db.transaction() as uow:
                return follow_ups.record(uow, reference, outcome, reason=reason)

        def done(result: follow_ups.FollowUpResult) -> None:
            self._busy = False
            self._update_buttons()
            if result.delegated_to:
                self.status_message.emit(
                    f"{reference} came back: reopened and delegated to {result.delegated_to}."
                )
            else:
                self.status_message.emit(f"{reference}: it stuck.")
            self.complaint_changed.emit(reference)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._update_buttons()
            show_error(self, exc)

        self._busy = True
        self._update_buttons()
        run_in_background(save, done, failed, owner=self)

    @Slot()
    def _on_table_double_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_requested.emit(row.reference)
