"""Dropping a returned report form onto a complaint window: the File report form opens filled
with what the delegate wrote, for the assistant to check and file. A form that may not be filed
here (another complaint's, altered, of an earlier hand-off, empty) is refused with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from ceo_desk.core import report_form_reader
from ceo_desk.core.database import Database
from ceo_desk.core.safety.input_file import read_regular
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error

if TYPE_CHECKING:
    from ceo_desk.ui.complaint_window.window import ComplaintWindow


@dataclass(frozen=True)
class ReturnedForm:
    """A returned form accepted for this complaint: its bytes and what it holds."""

    name: str
    data: bytes
    transcription: report_form_reader.Transcription


def read_returned_form(db: Database, reference: str, path: Path) -> ReturnedForm:
    """Read and check the dropped file (worker thread); refusals are ValidationErrors."""
    data = read_regular(path, report_form_reader.MAX_FORM_BYTES, what="returned report form")
    with db.reading() as uow:
        transcription = report_form_reader.transcribe(uow, reference, data)
    return ReturnedForm(path.name, data, transcription)


def _one_pdf(event: QDragEnterEvent | QDropEvent) -> Path | None:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() == ".pdf" else None


class FormDrop(QObject):
    """Accepts one PDF dropped onto the complaint window and opens File report with it."""

    def __init__(self, window: ComplaintWindow, db: Database) -> None:
        super().__init__(window)
        self._window = window
        self._db = db
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if isinstance(event, QDragEnterEvent):
            if _one_pdf(event) is not None:
                event.acceptProposedAction()
                return True
            return False
        if isinstance(event, QDropEvent):
            path = _one_pdf(event)
            if path is not None:
                event.acceptProposedAction()
                self.take(path)
                return True
        return False

    def take(self, path: Path) -> None:
        """Check the form off the GUI thread, then open File report filled from it."""
        run_in_background(
            partial(read_returned_form, self._db, self._window.reference, path),
            self._on_form_read,
            self._on_form_refused,
            owner=self._window,
        )

    def _on_form_read(self, form: ReturnedForm) -> None:
        self._window.action_controller.open_file_report(form)

    def _on_form_refused(self, exc: BaseException) -> None:
        show_error(self._window, exc)
