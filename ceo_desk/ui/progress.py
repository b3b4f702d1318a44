"""Background work the person waits for, with a progress dialog over the window that asked.

`run_with_progress` runs the work through the shared background helper and shows a busy dialog
while it runs (only after a moment, so quick work does not flash a window). Work that only reads
can be cancelled: the dialog closes at once and the answer, when it comes, is dropped. Work that
writes cannot be stopped halfway; the dialog says so and has no Cancel button: it finishes, or
its transaction changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QProgressDialog, QWidget

from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.base import apply_modality
from ceo_desk.ui.error_dialogs import show_error

T = TypeVar("T")

# Work that answers sooner than this never shows the dialog.
SHOW_AFTER_MS = 300
CANNOT_STOP = "This cannot be interrupted halfway: it either finishes or changes nothing."

# Progress dialogs still open, newest last (tests and screenshots look at them).
open_dialogs: list[ProgressDialog] = []


class ProgressDialog(QProgressDialog):
    """A busy indicator that closes itself when the work is delivered."""

    def __init__(self, parent: QWidget | None, title: str, text: str, *, cancellable: bool) -> None:
        super().__init__(parent)
        apply_modality(self)
        self.cancellable = cancellable
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setLabelText(text if cancellable else f"{text}\n\n{CANNOT_STOP}")
        self.setRange(0, 0)  # how long it takes is not known: a busy bar
        self.setAutoClose(False)
        self.setAutoReset(False)
        # Shown by run_with_progress's timer, never by QProgressDialog's own.
        self.setMinimumDuration(2**31 - 1)
        if not cancellable:
            self.setCancelButton(None)  # no button: the work cannot be stopped
        self.setMinimumWidth(420)
        self.finished_work = False

    def finish(self) -> None:
        self.finished_work = True
        if self in open_dialogs:
            open_dialogs.remove(self)
        self.hide()
        self.deleteLater()

    def reject(self) -> None:
        # Escape cancels only what may be cancelled.
        if self.cancellable:
            super().reject()

    # Qt overrides

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.cancellable or self.finished_work:
            super().closeEvent(event)
        else:
            event.ignore()


def run_with_progress(
    parent: QWidget | None,
    title: str,
    text: str,
    op: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None] | None = None,
    *,
    cancellable: bool,
    on_cancelled: Callable[[], None] | None = None,
) -> ProgressDialog:
    """Run `op()` in the background under a progress dialog; see the module docstring.

    Args:
        cancellable: True only for work that changes nothing (a read, a preview, a check).
        on_cancelled: called on the GUI thread when the person cancels.
    """
    dialog = ProgressDialog(parent, title, text, cancellable=cancellable)
    open_dialogs.append(dialog)
    cancelled = False

    def show_late() -> None:
        if shiboken6.isValid(dialog) and not dialog.finished_work and not cancelled:
            dialog.show()

    def on_canceled() -> None:
        nonlocal cancelled
        if dialog.finished_work or cancelled:
            return
        cancelled = True
        dialog.finish()
        if on_cancelled is not None:
            on_cancelled()

    def done(result: T) -> None:
        if cancelled:
            return
        dialog.finish()
        on_done(result)

    def failed(exc: BaseException) -> None:
        if cancelled:
            return
        dialog.finish()
        if on_error is not None:
            on_error(exc)
        else:
            show_error(parent, exc)

    dialog.canceled.connect(on_canceled)
    QTimer.singleShot(SHOW_AFTER_MS, dialog, show_late)
    run_in_background(op, done, failed, owner=parent)
    dialog.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
    return dialog
