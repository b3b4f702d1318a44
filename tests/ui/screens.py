"""Opening screens in tests: show a widget and wait until its first load has arrived."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from ceo_desk.enums import Role
from ceo_desk.store.db import Database
from tests.builders import Office

if TYPE_CHECKING:
    from ceo_desk.ui.complaint_window import ComplaintWindow
    from ceo_desk.ui.main_window import MainWindow


def show_and_wait(
    qtbot: QtBot,
    widget: QWidget,
    signal: SignalInstance,
    size: tuple[int, int] | None = None,
) -> None:
    """Show `widget` and wait until it says its first load arrived (`signal`)."""
    qtbot.addWidget(widget)
    if size is not None:
        widget.resize(*size)
    with qtbot.waitSignal(signal, timeout=10_000):
        widget.show()


def show_main_window(qtbot: QtBot, office: Office, role: Role = Role.ASSISTANT) -> MainWindow:
    """The main window for `role`, shown and ready."""
    from ceo_desk.ui.main_window import MainWindow

    window = MainWindow(office.db, role)
    show_and_wait(qtbot, window, window.ready)
    return window


def open_complaint_window(qtbot: QtBot, db: Database, reference: str) -> ComplaintWindow:
    """The complaint window for `reference`, shown with its complaint loaded."""
    from ceo_desk.ui.complaint_window import ComplaintWindow

    window = ComplaintWindow(db, reference)
    show_and_wait(qtbot, window, window.loaded)
    return window


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    """The text of one cell of `table`, which must exist."""
    item = table.item(row, column)
    assert item is not None, f"no cell at row {row}, column {column}"
    return item.text()
