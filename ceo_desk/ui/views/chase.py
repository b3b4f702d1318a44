"""Chasing: reports overdue or due within two business days, and a reminder mail per delegate.

Each chase goes through the outbox: with a mail server it is queued and sent in the background;
without one the message opens in the person's mail program and is recorded as handed over. Both
appear on the complaint's timeline, and the list shows when each report was last chased."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QColor, QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import queries, to_delegate, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.mail import chasing, outbox
from ceo_desk.core.mail.outbox import OutboxRow, Outgoing
from ceo_desk.core.queries import ReportToChase
from ceo_desk.core.services import office
from ceo_desk.errors import CeoDeskError
from ceo_desk.ui import final_response, formatting, qsettings_store
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import warning_colour, warning_colour_on
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.reloader import Reloader
from ceo_desk.ui.views.more_time_requests import MoreTimeRequests
from ceo_desk.ui.widgets import colours
from ceo_desk.ui.widgets.column_fit import fit_columns
from ceo_desk.ui.widgets.list_page import heading_label, single_row_table, subheading_label

HORIZON_BUSINESS_DAYS = 2


def open_url(url: QUrl) -> bool:
    """Hand a link to the desktop (the mail client for mailto:); replaced in tests."""
    return QDesktopServices.openUrl(url)


@dataclass(frozen=True)
class ChaseList:
    rows: list[ReportToChase]
    today: date
    server: bool  # a mail server is set up: chases are sent, not opened in a mail program
    late_to_delegate: tuple[str, ...] = ()  # references past their time to be delegated


def overdue_text(row: ReportToChase, today: date) -> str:
    """'4 days', or when not yet late 'due today' / 'due tomorrow' / 'due in 2 days'."""
    if row.days_overdue > 0:
        return formatting.plural(row.days_overdue, "day")
    return f"due {formatting.due(row.report_due_on, today).lower()}"


def _load_chase_list(db: Database) -> ChaseList:
    """The reports to chase as of today, and whether chases go by the mail server (worker
    thread)."""
    today = SYSTEM_CLOCK.today()
    with db.reading() as uow:
        rows = queries.reports_to_chase(
            uow, today=today, horizon_business_days=HORIZON_BUSINESS_DAYS
        )
        server = outbox.mail_server_configured(office.load_settings(uow))
        now = SYSTEM_CLOCK.now()
        late = tuple(r.reference for r in to_delegate.to_delegate(uow) if r.is_overdue(now))
    return ChaseList(rows, today, server, late)


def last_chased_text(row: ReportToChase) -> str:
    return formatting.moment(row.last_chased_at) if row.last_chased_at else "Not yet"


class ChaseModel(SnapshotTableModel[ReportToChase]):
    def __init__(self, view: QWidget) -> None:
        self.today = SYSTEM_CLOCK.today()

        # Read from the palette at each paint, so a switch to dark or light shows at once.
        def due_colour(row: ReportToChase) -> QColor | None:
            return QColor(warning_colour(view)) if row.days_overdue > 0 else None

        super().__init__(
            [
                Column(
                    "Report due",
                    lambda r: formatting.day(r.report_due_on),
                    tooltip=lambda r: formatting.long_day(r.report_due_on),
                    foreground=due_colour,
                    sample="30 Sept 2026",
                ),
                Column(
                    "Overdue",
                    lambda r: overdue_text(r, self.today),
                    foreground=due_colour,
                    sample="due tomorrow",
                ),
                Column("Reference", lambda r: r.reference, sample="C-2026-00000"),
                Column("Customer", lambda r: r.customer, sample="Oluwaseun Adeyemi"),
                Column("Summary", lambda r: r.summary),
                Column(
                    "Delegate",
                    lambda r: r.delegate,
                    tooltip=lambda r: r.delegate_email or "No email on file",
                    sample="Jamie Ortiz",
                ),
                Column("Severity", lambda r: r.severity.label, sample="Critical"),
                Column(
                    "Last chased",
                    last_chased_text,
                    tooltip=lambda r: "The last reminder sent or opened in a mail program",
                    sample="30 Sept 2026, 23:59",
                ),
                final_response.column(lambda r: r.final_response, lambda: self.today),
            ],
            view,
            key=lambda r: r.reference,
        )


class ChaseView(QWidget):
    """Reports to chase, most overdue first, with a "Chase" button that writes the reminder.

    Signals:
        open_requested(str): the person wants the whole complaint.
        chased(str): a reminder for this reference was queued, or handed to the mail program.
    """

    open_requested = Signal(str)
    chased = Signal(str)
    status_message = Signal(str)
    refreshed = Signal()
    to_delegate_requested = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._server = False
        self._chasing = False
        self._reloader = Reloader(
            self, partial(_load_chase_list, db), self._on_list_loaded, self._on_list_failed
        )
        self.heading = heading_label(self, "Reports to chase")
        self.subheading = subheading_label(self, "Loading…")

        self.model = ChaseModel(self)
        self.table = single_row_table(self.model, "Reports overdue or due soon", self)
        header = self.table.horizontalHeader()
        fit_columns(self.table, self.model.samples())
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

        self.chase_button = QPushButton("&Chase by email", self)
        self.chase_button.setIcon(QIcon.fromTheme("mail-send"))
        self.chase_button.setAccessibleName("Chase by email")
        self.chase_button.setToolTip(
            "Send the delegate a reminder (reference, summary, what the CEO promised, the due "
            "date): through the mail server when one is set up, else in your mail program. It "
            "is recorded on the complaint's timeline."
        )
        self.chase_button.clicked.connect(self._on_chase_clicked)
        self.open_button = QPushButton("&Open complaint", self)
        self.open_button.setAccessibleName("Open complaint")
        self.open_button.clicked.connect(self._on_open_clicked)
        self.contact = QLabel(self)
        self.contact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons.addWidget(self.chase_button)
        buttons.addWidget(self.open_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.contact, 1)

        # Complaints nobody has taken yet, past their time: chased by delegating them.
        self.late_intake = QLabel(self)
        self.late_intake.setWordWrap(True)
        colours.set_text_colour(self.late_intake, warning_colour_on)
        self.late_intake_button = QPushButton("Show To &delegate", self)
        self.late_intake_button.setAccessibleName("Show To delegate")
        self.late_intake_button.clicked.connect(self.to_delegate_requested)
        late_row = QHBoxLayout()
        late_row.addWidget(self.late_intake, 1)
        late_row.addWidget(self.late_intake_button)
        self._late_row = (self.late_intake, self.late_intake_button)
        for widget in self._late_row:
            widget.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addLayout(late_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.more_time = MoreTimeRequests(db, self)  # delegates asking for a later due date
        self.more_time.answered.connect(lambda _reference: self.refresh())
        layout.addWidget(self.more_time)
        qsettings_store.remember("chase/table", header)
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        """Reload the list in the background, keeping the selection where possible."""
        self._reloader.request()
        self.more_time.refresh()

    def _on_list_loaded(self, listing: ChaseList) -> None:
        previous = self.selected()
        self._server = listing.server
        self.model.today = listing.today
        self.model.set_rows(listing.rows)
        overdue = sum(1 for r in listing.rows if r.days_overdue > 0)
        count = len(listing.rows)
        self.heading.setText(f"Reports to chase: {count}")
        if count == 0:
            self.subheading.setText(
                "No report is overdue or due in the next two business days. Calls not yet "
                "handed to anyone wait on To delegate (Ctrl+2)."
            )
        else:
            self.subheading.setText(
                f"{overdue} overdue; the rest are due within two business days. Most overdue first."
            )
        late = listing.late_to_delegate
        if late:
            shown = ", ".join(late[:5]) + (", …" if len(late) > 5 else "")
            self.late_intake.setText(
                f"Not yet delegated and past the time to delegate: {len(late)} ({shown})."
            )
        for widget in self._late_row:
            widget.setVisible(bool(late))
        if previous is not None:
            row = self.model.row_of(lambda r: r.reference == previous.reference)
            if row >= 0:
                self.table.selectRow(row)
        if not self.table.selectionModel().hasSelection() and count:
            self.table.selectRow(0)
        self._update_buttons()
        self.refreshed.emit()

    def _on_list_failed(self, exc: BaseException) -> None:
        self.subheading.setText("The list could not be loaded.")
        show_error(self, exc)

    def selected(self) -> ReportToChase | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        row = self.selected()
        self.chase_button.setEnabled(row is not None and not self._chasing)
        self.open_button.setEnabled(row is not None)
        if row is None:
            self.contact.clear()
        elif row.delegate_email:
            phone = (
                f" · {validation.phone_for_display(row.delegate_phone)}"
                if row.delegate_phone
                else ""
            )
            self.contact.setText(f"{row.delegate}: {row.delegate_email}{phone}")
        else:
            self.contact.setText(
                f"No email on file for {row.delegate}; the reminder opens without an address. "
                "Add it in the Directory."
            )

    def chase(self, row: ReportToChase) -> None:
        """Chase the delegate: queue the reminder for the mail server, or open it in the mail
        program and record it. `chased` is emitted once it is recorded."""
        if self._chasing:
            return
        self._chasing = True
        self._update_buttons()
        db, reference, now = self._db, row.reference, SYSTEM_CLOCK.now()
        if self._server:

            def queue() -> OutboxRow:
                with db.transaction() as uow:
                    return chasing.chase(uow, reference, now=now)

            run_in_background(
                queue, partial(self._on_chase_recorded, row), self._on_chase_failed, owner=self
            )
            return

        def compose() -> Outgoing:
            with db.reading() as uow:
                return chasing.chase_message(uow, reference, now=now)

        run_in_background(
            compose, partial(self._on_chase_composed, row), self._on_chase_failed, owner=self
        )

    def _on_chase_composed(self, row: ReportToChase, message: Outgoing) -> None:
        if not open_url(QUrl(outbox.message_mailto(message))):
            self._chasing = False
            self._update_buttons()
            show_error(
                self,
                _NoMailClient(
                    "No mail client opened. Set a default email program in your system settings, "
                    f"or write to {row.delegate_email or row.delegate} about {row.reference}."
                ),
            )
            return
        db, reference, now = self._db, row.reference, SYSTEM_CLOCK.now()

        def record() -> OutboxRow:
            with db.transaction() as uow:
                return chasing.chase(uow, reference, now=now, opened_in_mail_program=message)

        run_in_background(
            record, partial(self._on_chase_recorded, row), self._on_chase_failed, owner=self
        )

    def _on_chase_recorded(self, row: ReportToChase, message: OutboxRow) -> None:
        self._chasing = False
        if self._server:
            self.status_message.emit(
                f"Reminder to {row.delegate} queued; the mail server sends it in a moment."
            )
        else:
            self.status_message.emit(
                f"Reminder to {row.delegate} opened in your mail client and recorded."
            )
        self.chased.emit(row.reference)
        self.refresh()

    def _on_chase_failed(self, exc: BaseException) -> None:
        self._chasing = False
        self._update_buttons()
        show_error(self, exc)

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_buttons()

    @Slot()
    def _on_chase_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.chase(row)

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


class _NoMailClient(CeoDeskError):
    """The desktop has no program for mailto: links."""
