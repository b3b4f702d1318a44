"""The CEO's first screen: confirmation calls due today and overdue, oldest first, with the brief
of the selected one beside the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import (
    QHeaderView,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import presenting, queries
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.queries import CallbackDue
from ceo_desk.enums import Role
from ceo_desk.ui import formatting, qsettings_store
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import warning_colour
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.reloader import Reloader
from ceo_desk.ui.views.call_brief import CallBriefView
from ceo_desk.ui.views.countersign_panel import CountersignPanel
from ceo_desk.ui.widgets.list_page import heading_label, single_row_table, subheading_label


@dataclass(frozen=True)
class TodayList:
    rows: list[CallbackDue]
    today: date


def _load_today_list(db: Database) -> TodayList:
    """The callbacks due as of today (worker thread)."""
    today = SYSTEM_CLOCK.today()
    with db.reading() as uow:
        return TodayList(queries.callbacks_due(uow, today=today), today)


class CallbacksModel(SnapshotTableModel[CallbackDue]):
    """The Today list; flagged reports carry a warning icon on the summary."""

    def __init__(self, view: QWidget) -> None:
        self.today = SYSTEM_CLOCK.today()
        warning_icon = view.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        red = QColor(warning_colour(view))

        def due_text(row: CallbackDue) -> str:
            return formatting.due(row.callback_due_on, self.today)

        def due_colour(row: CallbackDue) -> QColor | None:
            return red if row.callback_due_on < self.today else None

        def flag_icon(row: CallbackDue) -> QIcon | None:
            return warning_icon if row.report_flagged else None

        def flag_tip(row: CallbackDue) -> str | None:
            return f"{presenting.FLAG_HEADLINE}." if row.report_flagged else None

        super().__init__(
            [
                Column("Due", due_text, foreground=due_colour),
                Column("Customer", lambda r: r.customer_name),
                Column("Summary", lambda r: r.summary, tooltip=flag_tip, icon=flag_icon),
                Column("Tries", lambda r: str(r.attempts), align_right=True),
                Column("Delegate", lambda r: r.delegate or ""),
            ],
            view,
            key=lambda r: r.reference,
        )


class TodayView(QWidget):
    """Callbacks due today and overdue; selecting one shows its call brief.

    Signals:
        complaint_changed(str): a callback outcome (or send-back) was saved.
        open_requested(str), print_requested(str): passed on from the brief.
        count_changed(int): how many callbacks are due now.
    """

    complaint_changed = Signal(str)
    open_requested = Signal(str)
    print_requested = Signal(str)
    status_message = Signal(str)
    count_changed = Signal(int)
    refreshed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reloader = Reloader(
            self, partial(_load_today_list, db), self._on_list_loaded, self._on_list_failed
        )
        self.heading = heading_label(self)
        self.heading.setAccessibleName("Callbacks due")
        self.subheading = subheading_label(self)

        self.model = CallbacksModel(self)
        self.table = single_row_table(self.model, "Callbacks due today and overdue", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.resizeSection(0, 100)
        header.resizeSection(1, 130)
        header.resizeSection(3, 44)
        header.resizeSection(4, 110)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)

        self.brief = CallBriefView(db, self)
        self.brief.complaint_changed.connect(self._on_brief_complaint_changed)
        self.brief.open_requested.connect(self.open_requested)
        self.brief.print_requested.connect(self.print_requested)
        self.brief.status_message.connect(self.status_message)

        self.countersign = CountersignPanel(db, self)
        self.countersign.complaint_changed.connect(self._on_brief_complaint_changed)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.countersign)
        left_layout.addWidget(self.heading)
        left_layout.addWidget(self.subheading)
        left_layout.addWidget(self.table, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.brief)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([620, 600])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        qsettings_store.remember("today/splitter", self.splitter)
        qsettings_store.remember("today/table", header)
        self._set_heading(None)
        self.refresh()

    def _set_heading(self, listing: TodayList | None) -> None:
        if listing is None:
            self.heading.setText("Callbacks due")
            self.subheading.setText("Loading…")
            return
        count = len(listing.rows)
        overdue = sum(1 for r in listing.rows if r.callback_due_on < listing.today)
        self.heading.setText(f"Callbacks due: {count}")
        if count == 0:
            self.subheading.setText("No callbacks are due. Nothing is waiting for you.")
        elif overdue:
            self.subheading.setText(
                f"{overdue} overdue, oldest first. Choose one to see its brief."
            )
        else:
            self.subheading.setText("All due today, oldest first. Choose one to see its brief.")

    def refresh(self) -> None:
        """Reload the list in the background, keeping the selection where possible."""
        self._reloader.request()
        self.countersign.refresh()

    def set_roles(self, roles: frozenset[Role]) -> None:
        """Offer only what the person's roles allow, here and in the brief."""
        self.brief.set_roles(roles)
        self.countersign.set_roles(roles)

    def _on_list_loaded(self, listing: TodayList) -> None:
        previous = self.selected_reference()
        previous_row = self.table.currentIndex().row()
        self.model.today = listing.today
        self.model.set_rows(listing.rows)
        self._set_heading(listing)
        row = self.model.row_of(lambda r: r.reference == previous) if previous else -1
        if row < 0 and listing.rows:
            row = min(max(previous_row, 0), len(listing.rows) - 1)
        if row >= 0:
            self.table.selectRow(row)
            item = listing.rows[row]
            shown = self.brief.detail
            if (
                shown is not None
                and shown.reference == item.reference
                and shown.version != item.version
            ):
                self.brief.show_complaint(item.reference)  # changed elsewhere meanwhile
        else:
            self.brief.clear()
        self.count_changed.emit(len(listing.rows))
        self.refreshed.emit()

    def _on_list_failed(self, exc: BaseException) -> None:
        self.subheading.setText("The list could not be loaded.")
        show_error(self, exc)

    def selected_reference(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.model.row_at(rows[0].row())
        return item.reference if item else None

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        reference = self.selected_reference()
        if reference is None:
            self.brief.clear()
        elif reference != self.brief.reference:
            self.brief.show_complaint(reference)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        item = self.model.row_at(index.row())
        if item is not None:
            self.open_requested.emit(item.reference)

    @Slot(str)
    def _on_brief_complaint_changed(self, reference: str) -> None:
        self.complaint_changed.emit(reference)
        self.refresh()
