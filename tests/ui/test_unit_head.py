"""The unit dialog names the unit's head; the directory lists it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ceo_desk.core.services import directory
from ceo_desk.ui.dialogs.unit import NO_HEAD, UnitDialog
from ceo_desk.ui.views.directory import DirectoryView
from tests.builders import Office


def _view(qtbot: QtBot, office: Office) -> DirectoryView:
    view = DirectoryView(office.db)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    qtbot.waitSignal(view.loaded, timeout=10_000).wait()
    qtbot.waitUntil(lambda: view.staff_model.rowCount() == 3, timeout=10_000)
    return view


def test_choose_a_head_in_the_unit_dialog_and_see_it_listed(qtbot: QtBot, office: Office) -> None:
    view = _view(qtbot, office)
    row = view.unit_model.row_of(lambda u: u.name == "Customer Service")
    view.unit_table.setCurrentIndex(view.unit_model.index(row, 0))
    view.edit_unit_button.click()
    dialog = view.active_dialog
    assert isinstance(dialog, UnitDialog)
    assert dialog.head_combo.currentText() == NO_HEAD
    offered = [dialog.head_combo.itemText(i) for i in range(dialog.head_combo.count())]
    # The unit's own people come first; someone from elsewhere may head it too.
    assert offered[1:3] == ["Jamie Ortiz (Customer Service)", "Sam Baker (Customer Service)"]
    assert "Wei Chen (Billing)" in offered
    dialog.head_combo.setCurrentIndex(dialog.head_combo.findText("Jamie Ortiz (Customer Service)"))
    with qtbot.waitSignal(view.directory_changed, timeout=10_000):
        dialog.submit()
    qtbot.waitUntil(lambda: view.unit_model.rows()[row].head_name == "Jamie Ortiz", timeout=10_000)
    model = view.unit_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    head_column = headers.index("Head")
    assert view.unit_model.index(row, head_column).data() == "Jamie Ortiz"


def test_a_new_partner_can_be_added_with_its_head(qtbot: QtBot, office: Office) -> None:
    view = _view(qtbot, office)
    view.add_partner_button.click()
    dialog = view.active_dialog
    assert isinstance(dialog, UnitDialog)
    dialog.name_edit.setText("Northwind Resellers")
    dialog.head_combo.setCurrentIndex(dialog.head_combo.findText("Wei Chen (Billing)"))
    with qtbot.waitSignal(view.directory_changed, timeout=10_000):
        dialog.submit()
    with office.db.reading() as uow:
        added = directory.get_unit(uow, directory.find_unit(uow, "Northwind Resellers").id)
    assert added.head_staff_id == office.chen
