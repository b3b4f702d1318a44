"""Today's "To countersign" section: satisfied callbacks the assistant recorded on the CEO's
word, each resolved by one click of the CEO's countersignature."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QPushButton, QVBoxLayout, QWidget

from ceo_desk.core import permissions
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.permissions import Action
from ceo_desk.core.services import countersign
from ceo_desk.core.services.countersign import AwaitingCountersign
from ceo_desk.enums import Role
from ceo_desk.ui import formatting
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.reloader import Reloader
from ceo_desk.ui.widgets.list_page import heading_label, single_row_table, subheading_label

# Rows shown before the table scrolls: the section stays a strip above the callbacks.
VISIBLE_ROWS = 3


def _load(db: Database) -> list[AwaitingCountersign]:
    with db.reading() as uow:
        if not permissions.allows(uow.roles, Action.COUNTERSIGN):
            return []
        return countersign.awaiting_countersign(uow)


def _score(row: AwaitingCountersign) -> str:
    return f"{row.satisfaction}/5" if row.satisfaction else ""


class CountersignModel(SnapshotTableModel[AwaitingCountersign]):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(
            [
                Column("Reference", lambda r: r.reference),
                Column("Customer", lambda r: r.customer_name),
                Column("Summary", lambda r: r.summary, tooltip=lambda r: r.customer_words or None),
                Column("Score", _score, align_right=True),
                Column(
                    "Recorded",
                    lambda r: (
                        f"{formatting.long_day(SYSTEM_CLOCK.local_day(r.reported_at))}, "
                        f"by {r.reported_by}"
                    ),
                ),
            ],
            parent,
            key=lambda r: r.reference,
        )


class CountersignPanel(QWidget):
    """Hidden while nothing waits or the person is not the CEO.

    Signals:
        complaint_changed(str): a countersignature resolved this complaint.
        refreshed(): the list was loaded.
    """

    complaint_changed = Signal(str)
    refreshed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._busy = False
        self._reloader = Reloader(self, partial(_load, db), self._on_loaded, self._on_failed)
        self.heading = heading_label(self, "To countersign")
        self.heading.setAccessibleName("To countersign")
        self.subheading = subheading_label(
            self,
            "Recorded by the assistant on your word; each is resolved once you countersign it.",
        )
        self.model = CountersignModel(self)
        self.table = single_row_table(self.model, "Satisfied callbacks to countersign", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.countersign_button = QPushButton("C&ountersign", self)
        self.countersign_button.setAccessibleName("Countersign the chosen callback")
        self.countersign_button.clicked.connect(self._on_countersign_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_button)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.countersign_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.hide()
        self._update_button()

    def refresh(self) -> None:
        self._reloader.request()

    def set_roles(self, roles: frozenset[Role]) -> None:
        if not permissions.allows(roles, Action.COUNTERSIGN):
            self.hide()
        self.refresh()

    def _on_loaded(self, rows: list[AwaitingCountersign]) -> None:
        self.model.set_rows(rows)
        self.heading.setText(f"To countersign: {len(rows)}")
        shown = min(max(len(rows), 1), VISIBLE_ROWS)
        row_height = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(self.table.horizontalHeader().height() + shown * row_height + 4)
        if rows and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)
        self.setVisible(bool(rows))
        self._update_button()
        self.refreshed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.hide()
        show_error(self, exc)

    def chosen(self) -> AwaitingCountersign | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    @Slot()
    def _update_button(self) -> None:
        self.countersign_button.setEnabled(self.chosen() is not None and not self._busy)

    @Slot()
    def _on_countersign_button_clicked(self) -> None:
        row = self.chosen()
        if row is None:
            return
        db, reference, version = self._db, row.reference, row.version

        def sign() -> None:
            with db.transaction() as uow:
                countersign.countersign(uow, reference, expected_version=version)

        def done(_result: object) -> None:
            self._busy = False
            self.complaint_changed.emit(reference)
            self.refresh()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._update_button()
            show_error(self, exc)
            self.refresh()

        self._busy = True
        self._update_button()
        run_in_background(sign, done, failed, owner=self)
