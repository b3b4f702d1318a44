"""The Outbox: every email CEO Desk sends, and the ones waiting for a person.

With a mail server set up (Settings → Email) the app sends on its own and this page shows what
went and what waits for another attempt. Without one, each message is a draft: "Open in mail
program" hands it to the desktop's mail program and records it as handed over, on the
complaint's timeline too, so it is never offered twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.mail import outbox
from ceo_desk.core.mail.outbox import OutboxRow
from ceo_desk.core.services import office
from ceo_desk.enums import OutboxState
from ceo_desk.errors import CeoDeskError
from ceo_desk.ui import formatting, qsettings_store
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import warning_colour
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.reloader import Reloader
from ceo_desk.ui.widgets.list_page import heading_label, single_row_table, subheading_label


def open_url(url: QUrl) -> bool:
    """Hand a mailto: link to the desktop's mail program; replaced in tests."""
    return QDesktopServices.openUrl(url)


@dataclass(frozen=True)
class OutboxList:
    rows: list[OutboxRow]
    server: str  # "" when no mail server is set up
    waiting: int


def _load(db: Database, show_all: bool) -> OutboxList:
    with db.reading() as uow:
        settings = office.load_settings(uow)
        rows = outbox.list_messages(uow, waiting_only=not show_all)
        waiting = sum(outbox.counts_waiting(uow).values())
    server = f"{settings.smtp_host}:{settings.smtp_port}" if settings.smtp_host else ""
    return OutboxList(rows, server, waiting)


def note_text(row: OutboxRow) -> str:
    """Why a message waits, or what the server answered."""
    if row.state is OutboxState.SENT:
        return row.server_reply or ""
    if row.state is OutboxState.QUEUED and row.next_attempt_at is not None and row.attempts:
        waited = row.last_error or "Not sent yet."
        return f"{waited} Next try {formatting.moment(row.next_attempt_at)}."
    return row.last_error or ""


class OutboxModel(SnapshotTableModel[OutboxRow]):
    def __init__(self, view: QWidget) -> None:
        # Read from the palette at each paint, so a switch to dark or light shows at once.
        def state_colour(row: OutboxRow) -> QColor | None:
            return QColor(warning_colour(view)) if row.waits_for_a_person else None

        super().__init__(
            [
                Column("Queued", lambda r: formatting.moment(r.queued_at)),
                Column("Reference", lambda r: r.reference or ""),
                Column("Customer", lambda r: r.customer or ""),
                Column("Message", lambda r: r.kind.label),
                Column("To", lambda r: r.recipients or "(no address)"),
                Column("State", lambda r: r.state.label, foreground=state_colour),
                Column("Subject", lambda r: r.subject, tooltip=lambda r: note_text(r) or None),
            ],
            view,
            key=lambda r: r.id,
        )


class OutboxView(QWidget):
    """Signals:
    open_requested(str): the person wants the complaint the message is about.
    send_requested(): the person asked to send what is due now.
    status_message(str): what happened, for the status bar.
    """

    open_requested = Signal(str)
    send_requested = Signal()
    status_message = Signal(str)
    refreshed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._server = ""
        self.show_all = QCheckBox("Show &sent messages too", self)
        self.show_all.setAccessibleName("Show sent messages too")
        self.show_all.toggled.connect(lambda _on: self.refresh())
        self._reloader = Reloader(
            self,
            lambda: _load(db, self.show_all.isChecked()),
            self._on_list_loaded,
            self._on_list_failed,
        )
        self.heading = heading_label(self, "Outbox")
        self.subheading = subheading_label(self, "Loading…")
        self.model = OutboxModel(self)
        self.table = single_row_table(self.model, "Outbox messages", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((0, 130), (1, 110), (2, 140), (3, 150), (4, 180), (5, 180)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("The selected message")
        self.preview.setPlaceholderText("Choose a message to read it here.")

        self.open_mail_button = QPushButton("Open in &mail program", self)
        self.open_mail_button.setAccessibleName("Open in mail program")
        self.open_mail_button.setToolTip(
            "Open the message in your mail program to send it from there; it is then recorded "
            "as handed over, on the complaint's timeline too."
        )
        self.open_mail_button.clicked.connect(self._on_open_mail_clicked)
        self.server_button = QPushButton("Send by mail &server", self)
        self.server_button.setAccessibleName("Send by mail server")
        self.server_button.setToolTip("Give this message to the office's mail server.")
        self.server_button.clicked.connect(self._on_server_clicked)
        self.send_now_button = QPushButton("Send &now", self)
        self.send_now_button.setAccessibleName("Send now")
        self.send_now_button.setToolTip("Try the mail server now for every message waiting.")
        self.send_now_button.clicked.connect(self.send_requested)
        self.open_button = QPushButton("Open &complaint", self)
        self.open_button.setAccessibleName("Open complaint")
        self.open_button.clicked.connect(self._on_open_clicked)

        buttons = QHBoxLayout()
        for button in (
            self.open_mail_button,
            self.server_button,
            self.send_now_button,
            self.open_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_all)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        qsettings_store.remember("outbox/table", header)
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        self._reloader.request()

    def _on_list_loaded(self, listing: OutboxList) -> None:
        previous = self.selected()
        self._server = listing.server
        self.model.set_rows(listing.rows)
        self.heading.setText(f"Outbox: {listing.waiting} waiting")
        if listing.server:
            self.subheading.setText(
                f"Messages go through the mail server {listing.server} on their own, and are "
                "tried again while it cannot be reached. A message the server refused can be "
                "opened in your mail program instead."
            )
        else:
            self.subheading.setText(
                "No mail server is set up (Settings → Email), so each message waits here: open "
                "it in your mail program and send it from there. It is then recorded as handed "
                "over, on the complaint's timeline too."
            )
        if previous is not None:
            row = self.model.row_of(lambda r: r.id == previous.id)
            if row >= 0:
                self.table.selectRow(row)
        if not self.table.selectionModel().hasSelection() and listing.rows:
            self.table.selectRow(0)
        self._update_buttons()
        self.refreshed.emit()

    def _on_list_failed(self, exc: BaseException) -> None:
        self.subheading.setText("The outbox could not be loaded.")
        show_error(self, exc)

    def selected(self) -> OutboxRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        row = self.selected()
        waits = row is not None and row.waits_for_a_person
        self.open_mail_button.setEnabled(waits)
        self.server_button.setVisible(bool(self._server))
        self.server_button.setEnabled(waits and bool(row and row.recipients))
        self.send_now_button.setVisible(bool(self._server))
        self.open_button.setEnabled(row is not None and row.reference is not None)
        if row is None:
            self.preview.clear()
            return
        lines = [f"To: {row.recipients or '(no address: type it in your mail program)'}"]
        if row.cc:
            lines.append(f"Cc: {row.cc}")
        lines += [f"Subject: {row.subject}", ""]
        note = note_text(row)
        if note:
            lines = [f"{row.state.label}: {note}", "", *lines]
        self.preview.setPlainText("\n".join([*lines, row.body]))

    def open_in_mail_program(self, row: OutboxRow) -> bool:
        """Hand the message to the mail program; when it opened, record it as handed over."""
        if not open_url(QUrl(outbox.mailto(row))):
            show_error(
                self,
                _NoMailProgram(
                    "No mail program opened. Set a default email program in your system "
                    "settings, or copy the message from this page."
                ),
            )
            return False
        db, message_id, now = self._db, row.id, SYSTEM_CLOCK.now()

        def op() -> OutboxRow:
            with db.transaction() as uow:
                return outbox.mark_handed_over(uow, message_id, now=now)

        run_in_background(op, self._on_handed_over, self._on_failed, owner=self)
        return True

    def _on_handed_over(self, row: OutboxRow) -> None:
        self.status_message.emit(
            f"{row.kind.label} to {row.recipients or 'the address you type'} opened in your "
            "mail program and recorded."
        )
        self.refresh()

    @Slot()
    def _on_open_mail_clicked(self) -> None:
        row = self.selected()
        if row is not None and row.waits_for_a_person:
            self.open_in_mail_program(row)

    @Slot()
    def _on_server_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        db, message_id, now = self._db, row.id, SYSTEM_CLOCK.now()

        def op() -> OutboxRow:
            with db.transaction() as uow:
                return outbox.send_by_mail_server(uow, message_id, now=now)

        def done(_row: OutboxRow) -> None:
            self.refresh()
            self.send_requested.emit()

        run_in_background(op, done, self._on_failed, owner=self)

    def _on_failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        self.refresh()

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_buttons()

    @Slot()
    def _on_open_clicked(self) -> None:
        row = self.selected()
        if row is not None and row.reference:
            self.open_requested.emit(row.reference)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None and row.reference:
            self.open_requested.emit(row.reference)


class _NoMailProgram(CeoDeskError):
    """The desktop has no program for mailto: links."""
