"""To delegate: complaints logged and not yet delegated, the one due to be delegated soonest
first, with the time each is due by and those past it in red."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import to_delegate
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.to_delegate import ToDelegate
from ceo_desk.ui import final_response, formatting, qsettings_store
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import warning_colour
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.reloader import Reloader
from ceo_desk.ui.widgets.column_fit import fit_columns
from ceo_desk.ui.widgets.list_page import heading_label, single_row_table, subheading_label

EMPTY_TEXT = (
    "Nothing waits to be delegated. A call logged with Log a call (Ctrl+N) waits here until "
    "someone takes it."
)


@dataclass(frozen=True)
class ToDelegateList:
    rows: list[ToDelegate]
    now: datetime


def _load(db: Database) -> ToDelegateList:
    with db.reading() as uow:
        return ToDelegateList(to_delegate.to_delegate(uow), SYSTEM_CLOCK.now())


def due_by_text(due_at: datetime, now: datetime) -> str:
    """'Today 14:30', 'Tomorrow 10:00', or the day and time ('Mon 30 Nov 10:00')."""
    local = SYSTEM_CLOCK.local(due_at)
    days = (SYSTEM_CLOCK.local_day(due_at) - SYSTEM_CLOCK.local_day(now)).days
    named = {0: "Today", 1: "Tomorrow", -1: "Yesterday"}.get(days)
    return f"{named} {local:%H:%M}" if named else f"{local:%a %d %b %H:%M}"


def late_text(row: ToDelegate, now: datetime) -> str:
    """'3 h late', '40 min late', '3 days late', or 'in 2 h' while there is still time."""
    seconds = int((now - row.due_at).total_seconds())
    span = abs(seconds)
    if span >= 2 * 86400:
        amount = formatting.plural(span // 86400, "day")
    elif span >= 3600:
        amount = f"{span // 3600} h"
    else:
        amount = f"{max(1, span // 60)} min"
    return f"{amount} late" if seconds > 0 else f"in {amount}"


class ToDelegateModel(SnapshotTableModel[ToDelegate]):
    def __init__(self, view: QWidget) -> None:
        self.now = SYSTEM_CLOCK.now()

        # Read from the palette at each paint, so a switch to dark or light shows at once.
        def late_colour(row: ToDelegate) -> QColor | None:
            return QColor(warning_colour(view)) if row.is_overdue(self.now) else None

        super().__init__(
            [
                Column(
                    "Delegate by",
                    lambda r: due_by_text(r.due_at, self.now),
                    tooltip=lambda r: f"{SYSTEM_CLOCK.local(r.due_at):%A %d %B %Y, %H:%M}",
                    foreground=late_colour,
                    sample="Wed 30 Sept 23:59",
                ),
                Column(
                    "Time left",
                    lambda r: late_text(r, self.now),
                    foreground=late_colour,
                    sample="10 days late",
                ),
                Column("Reference", lambda r: r.reference, sample="C-2026-00000"),
                Column("Customer", lambda r: r.customer_name, sample="Oluwaseun Adeyemi"),
                Column("Summary", lambda r: r.summary),
                Column("Severity", lambda r: r.severity.label, sample="Critical"),
                Column(
                    "Received",
                    lambda r: f"{SYSTEM_CLOCK.local(r.received_at):%d %b %H:%M}",
                    sample="30 Sept 23:59",
                ),
                final_response.column(
                    lambda r: r.final_response, lambda: SYSTEM_CLOCK.local_day(self.now)
                ),
            ],
            view,
            key=lambda r: r.reference,
        )


class ToDelegateView(QWidget):
    """The complaints waiting for a delegate; Enter or "Delegate…" hands the chosen one on.

    Signals:
        delegate_requested(object): the person wants to delegate this row (a `ToDelegate`).
        open_requested(str): the person wants the whole complaint.
        refreshed(): the list was loaded.
    """

    delegate_requested = Signal(object)
    open_requested = Signal(str)
    refreshed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reloader = Reloader(self, partial(_load, db), self._on_loaded, self._on_failed)
        self.heading = heading_label(self, "To delegate")
        self.subheading = subheading_label(self, "Loading…")
        self.model = ToDelegateModel(self)
        self.table = single_row_table(self.model, "Complaints to delegate", self)
        header = self.table.horizontalHeader()
        fit_columns(self.table, self.model.samples())
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self._on_delegate_clicked)

        self.delegate_button = QPushButton("&Delegate…", self)
        self.delegate_button.setAccessibleName("Delegate")
        self.delegate_button.setToolTip("Choose who takes the complaint and by when (Enter)")
        self.delegate_button.clicked.connect(self._on_delegate_clicked)
        self.open_button = QPushButton("&Open complaint", self)
        self.open_button.setAccessibleName("Open complaint")
        self.open_button.clicked.connect(self._on_open_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delegate_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        qsettings_store.remember("to_delegate/table", header)
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        self._reloader.request()

    def _on_loaded(self, listing: ToDelegateList) -> None:
        previous = self.selected()
        self.model.now = listing.now
        self.model.set_rows(listing.rows)
        count = len(listing.rows)
        overdue = sum(1 for r in listing.rows if r.is_overdue(listing.now))
        self.heading.setText(f"To delegate: {count}" if count else "To delegate")
        if count == 0:
            self.subheading.setText(EMPTY_TEXT)
        else:
            late = f"{overdue} past the time to delegate them; " if overdue else ""
            self.subheading.setText(
                f"{late}the one due soonest first. Enter delegates the chosen complaint."
            )
        if previous is not None:
            row = self.model.row_of(lambda r: r.reference == previous.reference)
            if row >= 0:
                self.table.selectRow(row)
        if not self.table.selectionModel().hasSelection() and count:
            self.table.selectRow(0)
        self.table.setVisible(count > 0)
        self._update_buttons()
        self.refreshed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.subheading.setText("The list could not be loaded.")
        show_error(self, exc)

    def selected(self) -> ToDelegate | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.delegate_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen)

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_buttons()

    @Slot()
    def _on_delegate_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.delegate_requested.emit(row)

    @Slot()
    def _on_open_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_requested.emit(row.reference)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_requested.emit(row.reference)
