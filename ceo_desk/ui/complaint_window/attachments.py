"""The complaint window's files: the list, opening one in the system's viewer, attaching more by
dropping them on the window (or choosing them), and a delegate's reply dropped on a delegated
complaint opening the report form filled from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import attachments, private_copies
from ceo_desk.core.attachments import AttachmentInfo
from ceo_desk.core.database import Database
from ceo_desk.core.intake.proposal import Intake
from ceo_desk.core.intake.reader import Dropped
from ceo_desk.core.intake.reply import ReportDraft, draft_from_reply
from ceo_desk.core.lifecycle import Action
from ceo_desk.enums import Channel, Status
from ceo_desk.errors import CeoDeskError
from ceo_desk.ui import formatting
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.complaint_window.data import Loaded
from ceo_desk.ui.dialogs.file_report import FileReportDialog
from ceo_desk.ui.dialogs.log_call_intake import read_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.file_drop import FileDropFilter
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel

if TYPE_CHECKING:
    from ceo_desk.ui.complaint_window.window import ComplaintWindow

COLUMNS: tuple[Column[AttachmentInfo], ...] = (
    Column("Name", lambda a: a.name, tooltip=lambda a: a.media_type),
    Column("Size", lambda a: a.size_text, align_right=True),
    Column("Added", lambda a: formatting.moment(a.added_at)),
    Column("By", lambda a: a.added_by),
)


def open_in_viewer(path: Path) -> bool:
    """Hand a file to the system's viewer (tests replace this)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def choose_files(parent: QWidget) -> list[Path]:
    """Ask for files to attach (tests replace this)."""
    names, _filter = QFileDialog.getOpenFileNames(parent, "Attach files", "")
    return [Path(name) for name in names]


class AttachmentsTab(QWidget):
    """The list of the complaint's files with Open and Attach."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: SnapshotTableModel[AttachmentInfo] = SnapshotTableModel(
            COLUMNS, self, key=lambda a: a.id
        )
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Attachments")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.open_button = QPushButton("&Open", self)
        self.open_button.setEnabled(False)
        self.attach_button = QPushButton("&Attach files…", self)
        self.hint = QLabel(
            "Drop files on this window to keep them with the complaint. A delegate's reply "
            "dropped here while the report is awaited opens the report form, filled from it.",
            self,
        )
        self.hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.attach_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def show_files(self, files: list[AttachmentInfo]) -> None:
        self.model.set_rows(files)
        self._on_selection_changed()

    def selected(self) -> AttachmentInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    @Slot()
    def _on_selection_changed(self) -> None:
        self.open_button.setEnabled(self.selected() is not None)


@dataclass(frozen=True)
class _Attached:
    dropped: Dropped
    names: list[str]


class AttachmentsController(QObject):
    """Opening, attaching and the delegate's reply, for one complaint window.

    Signals:
        attached(list): files were attached (their names as listed).
        report_form_opened(object): the report form opened from a reply (the dialog).
    """

    attached = Signal(list)
    report_form_opened = Signal(object)

    def __init__(self, window: ComplaintWindow, db: Database, tab: AttachmentsTab) -> None:
        super().__init__(window)
        self._window = window
        self._db = db
        self.tab = tab
        tab.open_button.clicked.connect(self.open_selected)
        tab.attach_button.clicked.connect(self._on_attach_button_clicked)
        tab.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.drop_filter = FileDropFilter(window)
        self.drop_filter.files_dropped.connect(self.attach_paths)

    @Slot()
    def open_selected(self) -> None:
        chosen = self.tab.selected()
        if chosen is None:
            return
        db = self._db

        def copy() -> Path:
            with db.reading() as uow:
                data = attachments.content(uow, chosen.sha256)
            return private_copies.private_copy(chosen.name, chosen.sha256, data)

        def opened(path: Path) -> None:
            if not open_in_viewer(path):
                show_error(
                    self._window,
                    CeoDeskError(
                        f"No program on this computer opens {chosen.name}. Save it with "
                        "`ceo-desk attachment get` and open it yourself."
                    ),
                )

        run_in_background(copy, opened, self._on_failed, owner=self)

    @Slot()
    def _on_attach_button_clicked(self) -> None:
        paths = choose_files(self._window)
        if paths:
            self.attach_paths(paths)

    @Slot(list)
    def attach_paths(self, paths: list[Path]) -> None:
        """Attach the files; a delegate's reply to a delegated complaint opens the report form,
        and so does a returned report form (`ui.report_form_drop`)."""
        if self._window.form_drop.offer(paths, self._attach):
            return
        self._attach(paths)

    def _attach(self, paths: list[Path]) -> None:
        data = self._window.loaded_data()
        if data is None:
            return
        db, reference = self._db, data.detail.reference

        def attach() -> _Attached:
            dropped = read_in_background(db, list(paths))
            with db.transaction() as uow:
                made = attachments.attach_incoming(uow, reference, dropped.files)
            return _Attached(dropped, [m.info.name for m in made])

        run_in_background(attach, self._on_attached, self._on_failed, owner=self)

    def _on_failed(self, exc: BaseException) -> None:
        show_error(self._window, exc)

    def _on_attached(self, result: _Attached) -> None:
        window = self._window
        dropped = result.dropped
        if result.names:
            window.statusBar().showMessage(f"Attached {', '.join(result.names)}.", 8000)
            self.attached.emit(result.names)
        if dropped.problems:
            show_error(window, CeoDeskError(" ".join(dropped.problems)))
        reply = next((i for i in dropped.intakes if i.channel is Channel.EMAIL), None)
        data = window.loaded_data()
        if result.names:
            if window.is_dirty():
                self._refresh_files()  # a reload now would throw away the unsaved edits
            else:
                window.after_action()
        if reply is None or data is None or data.detail.status is not Status.DELEGATED:
            return
        if Action.FILE_REPORT not in window.enabled_actions():
            return
        if window.is_dirty():
            window.statusBar().showMessage(
                f"Attached {reply.source}. Save or undo your changes to the fields, then file "
                "the report.",
                15000,
            )
            return
        self._open_report_form(reply)

    def _refresh_files(self) -> None:
        db, reference = self._db, self._window.reference

        def listed() -> list[AttachmentInfo]:
            with db.reading() as uow:
                return attachments.list_for(uow, reference)

        run_in_background(listed, self.show_files, self._on_failed, owner=self)

    def show_files(self, files: list[AttachmentInfo]) -> None:
        """The Files tab and its count as `files` says."""
        self.tab.show_files(files)
        tabs = self._window.tabs
        tabs.setTabText(tabs.indexOf(self.tab), f"Files ({len(files)})")

    def _open_report_form(self, reply: Intake) -> None:
        data = self._window.loaded_data()
        assert data is not None
        draft = draft_from_reply(reply.new_text)
        dialog = FileReportDialog(self._db, data.detail, data.staff, data.settings, self._window)
        fill_report_form(dialog, draft, reply, sender_staff=_staff_by_email(data, reply.email))
        dialog.saved.connect(self._window.after_action)
        self._window.action_controller.open_dialog(dialog)
        self.report_form_opened.emit(dialog)


def _staff_by_email(data: Loaded, email: str) -> int | None:
    """The staff member who sent the reply, when their address is in the directory."""
    for row in data.staff:
        if email and (row.email or "").lower() == email.lower():
            return row.id
    return None


def fill_report_form(
    dialog: FileReportDialog, draft: ReportDraft, reply: Intake, *, sender_staff: int | None
) -> None:
    """Put the reply's words in the report form, for the assistant to check before filing."""
    dialog.said_box.setPlainText(draft.said)
    dialog.done_box.setPlainText(draft.done)
    dialog.accommodation.setPlainText(draft.accommodation)
    dialog.cost.setText(draft.cost)
    dialog.root_cause.setPlainText(draft.root_cause)
    if sender_staff is not None:
        dialog.filed_by.select_staff(sender_staff)
    dialog.setWindowTitle(f"File report — from {reply.source}")
    dialog.said_box.setFocus(Qt.FocusReason.OtherFocusReason)
