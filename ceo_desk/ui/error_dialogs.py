"""Telling a person what went wrong and what to do, never with a traceback.

A domain error (`CeoDeskError`) carries a message meant for the user and is shown as it is. Anything
else is logged with its traceback by `ceo_desk.logs` and shown as one clear line that says
where the details were saved.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ceo_desk import logs
from ceo_desk.errors import CeoDeskError, ConflictError, StorageError

# Every message box shown by this module, newest last; tests read it instead of blocking on exec().
shown: list[QMessageBox] = []


def message_for(exc: BaseException) -> str:
    """The sentence to show: the domain message, or the logged "something unexpected" line."""
    if isinstance(exc, CeoDeskError):
        return exc.message
    return logs.user_message(exc)


def title_for(exc: BaseException) -> str:
    if isinstance(exc, StorageError):
        return "The database cannot be used"
    if isinstance(exc, ConflictError):
        return "Changed by someone else"
    if isinstance(exc, CeoDeskError):
        return "Cannot do that"
    return "Something went wrong"


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Show the error without blocking the caller (window-modal over `parent`)."""
    box = QMessageBox(parent)
    expected = isinstance(exc, CeoDeskError)
    box.setIcon(QMessageBox.Icon.Warning if expected else QMessageBox.Icon.Critical)
    box.setWindowTitle(title_for(exc))
    box.setText(message_for(exc))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAccessibleName(title_for(exc))
    box.finished.connect(lambda _result: _forget(box))
    box.destroyed.connect(lambda *_: shown.remove(box) if box in shown else None)
    shown.append(box)
    box.open()
    return box


def _forget(box: QMessageBox) -> None:
    if box in shown:
        shown.remove(box)
    box.deleteLater()


def explain_startup_failure(exc: BaseException) -> None:
    """Before any window exists: explain, blocking, why the database could not be opened."""
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    # The app's name last: the desktop adds it to a title that does not already end with it.
    box.setWindowTitle(f"Cannot start — {QCoreApplication.applicationName() or 'CEO Desk'}")
    box.setText(title_for(exc) if isinstance(exc, StorageError) else "CEO Desk cannot start")
    box.setInformativeText(message_for(exc))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.exec()


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def install_excepthook() -> ExceptHook:
    """Route uncaught exceptions (for example in a slot) to the log and a dialog; returns the
    previous hook so it can be restored."""
    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        app = QApplication.instance()
        if app is None:
            logs.record_unexpected(exc)
            return
        show_error(QApplication.activeWindow(), exc)

    sys.excepthook = hook
    return previous
