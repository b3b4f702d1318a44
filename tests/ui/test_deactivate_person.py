"""Deactivating a person with open complaints warns and hands them over in one step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ceo_desk.core.services import directory
from ceo_desk.enums import Status
from ceo_desk.ui.dialogs.deactivate_person import DeactivatePersonDialog
from ceo_desk.ui.views.directory import DirectoryView
from tests.builders import Office, delegate, log, stored_detail


@pytest.fixture
def view(qtbot: QtBot, office: Office) -> DirectoryView:
    widget = DirectoryView(office.db)
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    qtbot.waitSignal(widget.loaded, timeout=10_000).wait()
    qtbot.waitUntil(lambda: widget.staff_model.rowCount() == 3, timeout=10_000)
    return widget


def _click_deactivate(qtbot: QtBot, view: DirectoryView, staff_id: int) -> DeactivatePersonDialog:
    row = view.staff_model.row_of(lambda s: s.id == staff_id)
    view.staff_table.setCurrentIndex(view.staff_model.index(row, 0))
    QTest.mouseClick(view.toggle_staff_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(view, "deactivate_dialog", None) is not None)
    dialog = view.deactivate_dialog
    assert isinstance(dialog, DeactivatePersonDialog)
    dialog.activateWindow()  # its Ctrl+Enter is a shortcut of the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_open_complaints_are_named_and_handed_over_with_the_deactivation(
    qtbot: QtBot, office: Office, view: DirectoryView
) -> None:
    first = log(office.db, "Farah Novák", "No heating", "+12025550141")
    second = log(office.db, "Bea Cruz", "Wrong bill", "+12025550142")
    for ref in (first, second):
        delegate(office.db, ref, office.chen)
    dialog = _click_deactivate(qtbot, view, office.chen)
    assert dialog.assignments.count() == 2
    assert first in dialog.assignments.item(0).text() + dialog.assignments.item(1).text()
    assert dialog.isVisible()

    line = dialog.staff.lineEdit()
    assert line is not None
    QTest.keyClicks(line, "baker")
    with qtbot.waitSignal(view.directory_changed):
        QTest.keyClick(line, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    for ref in (first, second):
        detail = stored_detail(office.db, ref)
        assert detail.status is Status.DELEGATED
        assert detail.delegations[-1].staff_id == office.baker
        assert "Handed over from" in detail.delegations[-1].instructions
    with office.db.reading() as uow:
        assert not directory.get_staff(uow, office.chen).active


def test_a_refused_hand_over_leaves_the_person_active_and_their_complaints_with_them(
    qtbot: QtBot, office: Office, view: DirectoryView
) -> None:
    ref = log(office.db, "Farah Novák", "No heating", "+12025550141")
    delegate(office.db, ref, office.chen)
    dialog = _click_deactivate(qtbot, view, office.chen)
    with office.db.transaction() as uow:  # meanwhile, the chosen colleague leaves
        directory.set_staff_active(uow, office.baker, False)
    line = dialog.staff.lineEdit()
    assert line is not None
    QTest.keyClicks(line, "baker")
    QTest.mouseClick(dialog.hand_over_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error.text()))
    assert dialog.isVisible()
    assert stored_detail(office.db, ref).delegations[-1].staff_id == office.chen
    with office.db.reading() as uow:
        assert directory.get_staff(uow, office.chen).active  # nothing half done


def test_nobody_chosen_is_answered_beside_the_field(
    qtbot: QtBot, office: Office, view: DirectoryView
) -> None:
    ref = log(office.db)
    delegate(office.db, ref, office.chen)
    dialog = _click_deactivate(qtbot, view, office.chen)
    QTest.keyClick(dialog.staff, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Choose who takes them over" in dialog.error.text()
