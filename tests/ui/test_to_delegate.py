"""To delegate: a page of the calls logged and not yet delegated, reached with Ctrl+2, each
delegated with Enter; the late ones stand out there, in Chase and in the status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ceo_desk.enums import Role
from ceo_desk.ui.dialogs.delegate import DelegateDialog
from tests.builders import Office, days_ago, log
from tests.ui.screens import show_main_window


def test_ctrl_2_shows_the_calls_to_delegate_and_enter_delegates_the_late_one_first(
    qtbot: QtBot, office: Office
) -> None:
    late = log(office.db, "Farah Novák", "No heating", "+12025550131", when=days_ago(5))
    fresh = log(office.db, "Bea Cruz", "Wrong bill", "+12025550132", severity="low")
    window = show_main_window(qtbot, office, Role.ASSISTANT)
    qtbot.waitUntil(lambda: "To delegate: 2 (1 late)" in window.counters_label.text())

    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "to_delegate"
    view = window.to_delegate
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    assert [r.reference for r in view.model.rows()] == [late, fresh]
    assert view.model.data(view.model.index(0, 1)).endswith("late")
    assert view.model.data(view.model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is not None
    assert view.model.data(view.model.index(1, 1)).startswith("in ")
    assert "1 past the time to delegate" in view.subheading.text()

    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    dialog = window.delegate_dialog
    assert isinstance(dialog, DelegateDialog)
    assert late in dialog.windowTitle()
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.activateWindow()  # its Ctrl+Enter is a shortcut of the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    line = dialog.staff.lineEdit()
    assert line is not None
    QTest.keyClicks(line, "ortiz")
    with qtbot.waitSignal(dialog.complaint_delegated):
        QTest.keyClick(dialog.staff, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: [r.reference for r in view.model.rows()] == [fresh])
    qtbot.waitUntil(lambda: "To delegate: 1   ·" in window.counters_label.text())


def test_chase_names_the_calls_past_their_time_to_delegate(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    late = log(office.db, "Farah Novák", "No heating", "+12025550131", when=days_ago(5))
    window = show_main_window(qtbot, office, Role.ASSISTANT)
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    chase = window.chase_view
    qtbot.waitUntil(lambda: chase.late_intake.isVisible())
    assert late in chase.late_intake.text()
    QTest.mouseClick(chase.late_intake_button, Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "to_delegate"


def test_an_empty_list_says_how_calls_arrive(qtbot: QtBot, office: Office) -> None:
    window = show_main_window(qtbot, office, Role.ASSISTANT)
    window.show_page("to_delegate")
    view = window.to_delegate
    qtbot.waitUntil(lambda: "Nothing waits to be delegated" in view.subheading.text())
    assert "Ctrl+N" in view.subheading.text()
    assert not view.table.isVisible()
