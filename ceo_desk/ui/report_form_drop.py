"""Dropping a returned report form onto a complaint window: the File report form opens filled
with what the delegate wrote, for the assistant to check and file. A form that may not be filed
here (another complaint's, altered, of an earlier hand-off, empty) is refused with the reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

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


class FormDrop(QObject):
    """Takes a single PDF dropped on the complaint window when it is a returned report form,
    and opens File report with it; any other file goes on to be attached."""

    def __init__(self, window: ComplaintWindow, db: Database) -> None:
        super().__init__(window)
        self._window = window
        self._db = db

    def offer(self, paths: list[Path], otherwise: Callable[[list[Path]], None]) -> bool:
        """Take `paths` if they may be a returned form (one PDF): True when taken. A PDF that
        turns out not to be a report form is handed to `otherwise` after all."""
        if len(paths) != 1 or paths[0].suffix.lower() != ".pdf":
            return False
        self.take(paths[0], lambda: otherwise(paths))
        return True

    def take(self, path: Path, otherwise: Callable[[], None] | None = None) -> None:
        """Check the form off the GUI thread, then open File report filled from it."""

        def refused(exc: BaseException) -> None:
            if isinstance(exc, report_form_reader.NotAReportForm) and otherwise is not None:
                otherwise()
            else:
                show_error(self._window, exc)

        run_in_background(
            partial(read_returned_form, self._db, self._window.reference, path),
            self._on_form_read,
            refused,
            owner=self._window,
        )

    def _on_form_read(self, form: ReturnedForm) -> None:
        self._window.action_controller.open_file_report(form)
