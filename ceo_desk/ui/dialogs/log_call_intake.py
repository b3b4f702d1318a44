"""Log a call from an email or a letter: drop it on the form (or choose it) and the form fills in.

The sender, the subject, the body and the date are put in the empty fields for the assistant to
check; nothing is saved until Save. The email or letter itself, and the files it carried, are
listed under the form and attached in the same transaction as the complaint.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import (
    QBoxLayout,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import attachments
from ceo_desk.core.database import Database
from ceo_desk.core.intake.proposal import IncomingFile, Intake
from ceo_desk.core.intake.reader import Dropped, read_dropped
from ceo_desk.core.services.office import load_settings
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.file_drop import FileDropFilter
from ceo_desk.ui.form_helpers import FieldError

if TYPE_CHECKING:
    from ceo_desk.ui.dialogs.log_call import LogCallDialog

FILE_FILTER = "Emails and letters (*.eml *.msg *.pdf *.png *.jpg *.jpeg *.tif *.tiff);;All (*)"
HINT = (
    "Drop an email (.eml or .msg) or a letter (PDF or a picture) anywhere on this form to fill "
    "it in. It is kept with the complaint."
)


def choose_files(parent: QWidget) -> list[Path]:
    """Ask for files to take (tests replace this)."""
    names, _filter = QFileDialog.getOpenFileNames(
        parent, "Log a call from an email or letter", "", FILE_FILTER
    )
    return [Path(name) for name in names]


def read_in_background(db: Database, paths: list[Path]) -> Dropped:
    with db.reading() as uow:
        limit = attachments.limit_bytes(uow)
        region = load_settings(uow).phone_region
    return read_dropped(paths, limit, region)


class LogCallIntake(QObject):
    """The drop target and file list of one Log a call dialog.

    Signals:
        files_read(): the dropped files were read and the form filled (or the problem shown).
    """

    files_read = Signal()

    def __init__(self, dialog: LogCallDialog, db: Database, layout: QBoxLayout) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        self._db = db
        self._files: list[IncomingFile] = []
        self.panel = QGroupBox("Email or letter", dialog)
        self.panel.setAccessibleName("Email or letter")
        self.hint = QLabel(HINT, self.panel)
        self.hint.setWordWrap(True)
        self.listing = QLabel("", self.panel)
        self.listing.setWordWrap(True)
        self.listing.setAccessibleName("Files kept with the complaint")
        self.listing.hide()
        self.problem = FieldError(self.panel)
        self.choose_button = QPushButton("Fill from a &file…", self.panel)
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.hint, 1)
        row.addWidget(self.choose_button)
        column = QVBoxLayout(self.panel)
        column.setContentsMargins(8, 4, 8, 4)
        column.addLayout(row)
        column.addWidget(self.listing)
        column.addWidget(self.problem)
        layout.insertWidget(layout.count() - 1, self.panel)  # above the buttons
        self.drop_filter = FileDropFilter(dialog)
        self.drop_filter.files_dropped.connect(self.add_paths)

    def files(self) -> list[IncomingFile]:
        """The files to attach when the complaint is saved."""
        return list(self._files)

    @Slot()
    def _on_choose_button_clicked(self) -> None:
        paths = choose_files(self._dialog)
        if paths:
            self.add_paths(paths)

    @Slot(list)
    def add_paths(self, paths: list[Path]) -> None:
        """Read the files in the background, then fill the form from the first email or letter."""
        self.problem.clear_message()
        db = self._db
        run_in_background(
            lambda: read_in_background(db, list(paths)),
            self._on_read,
            self._on_read_failed,
            owner=self,
        )

    def _on_read(self, dropped: Dropped) -> None:
        known = {(f.name, len(f.data)) for f in self._files}
        for incoming in dropped.files:
            if (incoming.name, len(incoming.data)) not in known:
                self._files.append(incoming)
                known.add((incoming.name, len(incoming.data)))
        notes = [note for intake in dropped.intakes for note in intake.notes]
        if dropped.intakes:
            self._fill(dropped.intakes[0])
        self._show_listing(notes)
        if dropped.problems:
            self.problem.show_message(" ".join(dropped.problems))
        self.files_read.emit()

    def _on_read_failed(self, exc: BaseException) -> None:
        show_error(self._dialog, exc)
        self.files_read.emit()

    def _show_listing(self, notes: list[str]) -> None:
        if not self._files:
            self.listing.hide()
            return
        names = ", ".join(f"{f.name} ({attachments.size_text(len(f.data))})" for f in self._files)
        text = f"Kept with the complaint: {names}."
        if notes:
            text += " " + " ".join(notes)
        self.listing.setText(text)
        self.listing.show()

    def _fill(self, intake: Intake) -> None:
        """Put what the file gave into the fields still empty; the channel and date always."""
        dialog = self._dialog
        for editor, value in (
            (dialog.customer_name, intake.customer_name),
            (dialog.phone, intake.phone),
            (dialog.email, intake.email),
            (dialog.summary, intake.summary),
        ):
            if value and not editor.text().strip():
                editor.setText(value)
        if intake.details and not dialog.details.toPlainText().strip():
            dialog.details.setPlainText(intake.details)
        index = dialog.channel.findData(intake.channel)
        if index >= 0:
            dialog.channel.setCurrentIndex(index)
        if intake.received_at is not None:
            # Received is typed text, read as local time (see LogCallDialog).
            local = intake.received_at.astimezone()
            dialog.received_at.setText(f"{local:%Y-%m-%d %H:%M:%S}")
