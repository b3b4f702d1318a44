"""Requests for more time waiting for the office's answer, under Chase: accept or decline."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core.database import Database
from ceo_desk.core.services import more_time
from ceo_desk.core.services.more_time import MoreTimeView
from ceo_desk.ui import formatting
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.reloader import Reloader
from ceo_desk.ui.widgets.list_page import single_row_table


def _waiting(db: Database) -> list[MoreTimeView]:
    with db.reading() as uow:
        return more_time.waiting_requests(uow)


def ask_decline_reason(parent: QWidget, request: MoreTimeView) -> str | None:
    """Why the request is declined (the delegate reads it); None when cancelled. Replaced in
    tests."""
    text, ok = QInputDialog.getText(
        parent,
        f"Decline more time — {request.reference}",
        f"Why {request.staff_name} cannot have until {request.proposed_due_on.isoformat()}:",
    )
    return text if ok else None


class MoreTimeRequests(QGroupBox):
    """The waiting requests, oldest first, with Accept and Decline.

    Signals:
        answered(str): a request on this reference was accepted or declined.
    """

    answered = Signal(str)
    refreshed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__("Requests for more time", parent)
        self._db = db
        self._reloader = Reloader(self, partial(_waiting, db), self._on_loaded, self._on_failed)
        self.model: SnapshotTableModel[MoreTimeView] = SnapshotTableModel(
            [
                Column("Reference", lambda r: r.reference),
                Column("Delegate", lambda r: r.staff_name),
                Column("Due now", lambda r: formatting.day(r.due_on_before)),
                Column("Asks until", lambda r: formatting.day(r.proposed_due_on)),
                Column("Reason", lambda r: r.reason, tooltip=lambda r: r.reason),
            ],
            self,
            key=lambda r: r.id,
        )
        self.table = single_row_table(self.model, "Requests for more time", self)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMaximumHeight(150)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.empty = QLabel("No delegate is waiting for an answer.", self)
        self.accept_button = QPushButton("&Accept", self)
        self.accept_button.setToolTip("Move the report due date to the date asked for")
        self.accept_button.clicked.connect(self._on_accept_clicked)
        self.decline_button = QPushButton("D&ecline…", self)
        self.decline_button.clicked.connect(self._on_decline_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.decline_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._update()
        self.refresh()

    def refresh(self) -> None:
        self._reloader.request()

    def selected(self) -> MoreTimeView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_loaded(self, rows: list[MoreTimeView]) -> None:
        self.model.set_rows(rows)
        if rows and self.selected() is None:
            self.table.selectRow(0)
        self._update()
        self.refreshed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    @Slot()
    def _on_selection_changed(self) -> None:
        self._update()

    def _update(self) -> None:
        has_rows = bool(self.model.rows())
        self.table.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        chosen = self.selected() is not None
        self.accept_button.setEnabled(chosen)
        self.decline_button.setEnabled(chosen)

    @Slot()
    def _on_accept_clicked(self) -> None:
        request = self.selected()
        if request is not None:
            self._answer(request, lambda uow: more_time.accept_more_time(uow, request.reference))

    @Slot()
    def _on_decline_clicked(self) -> None:
        request = self.selected()
        if request is None:
            return
        reason = ask_decline_reason(self, request)
        if reason is None:
            return
        self._answer(
            request, lambda uow: more_time.decline_more_time(uow, request.reference, reason)
        )

    def _answer(self, request: MoreTimeView, work: Callable[..., MoreTimeView]) -> None:
        def run() -> MoreTimeView:
            return self._db.write(work)

        def done(_answer: MoreTimeView) -> None:
            self.answered.emit(request.reference)
            self.refresh()

        run_in_background(run, done, self._on_failed, owner=self)
