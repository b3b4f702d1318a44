"""Directory: departments, partners and staff; add, edit, deactivate and reactivate."""

from __future__ import annotations

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ceo_desk.core.services import directory
from ceo_desk.enums import UnitKind
from ceo_desk.ui.dialogs.staff import StaffDialog
from ceo_desk.ui.dialogs.unit import UnitDialog
from ceo_desk.ui.views.directory import DirectoryView
from tests.builders import Office


@pytest.fixture
def view(qtbot: QtBot, office: Office) -> DirectoryView:
    widget = DirectoryView(office.db)
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    qtbot.waitSignal(widget.loaded, timeout=10_000).wait()
    qtbot.waitUntil(lambda: widget.staff_model.rowCount() == 3, timeout=10_000)
    return widget


def _names(view: DirectoryView) -> list[str]:
    return [row.name for row in view.staff_model.rows()]


def _select_person(view: DirectoryView, name: str) -> None:
    row = view.staff_model.row_of(lambda s: s.name == name)
    assert row >= 0, name
    view.staff_table.setCurrentIndex(view.staff_model.index(row, 0))


def _select_unit(view: DirectoryView, name: str) -> None:
    row = view.unit_model.row_of(lambda u: u.name == name)
    assert row >= 0, name
    view.unit_table.setCurrentIndex(view.unit_model.index(row, 0))


def test_shows_departments_and_people(view: DirectoryView, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(view.staff_model)
    qtmodeltester.check(view.unit_model)
    assert [u.name for u in view.unit_model.rows()] == ["Billing", "Customer Service"]
    assert _names(view) == ["Jamie Ortiz", "Sam Baker", "Wei Chen"]
    assert view.summary_label.text().startswith("2 departments, 0 partners, 3 people")
    assert not view.edit_staff_button.isEnabled(), "nothing selected yet"


def test_add_a_partner_and_refuse_a_duplicate_name(qtbot: QtBot, view: DirectoryView) -> None:
    view.add_partner_button.click()
    dialog = view.active_dialog
    assert isinstance(dialog, UnitDialog)
    dialog.name_edit.setText("billing")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors["unit"].isVisible(), timeout=5_000)
    assert "already in the directory" in dialog.errors["unit"].text()

    dialog.name_edit.setText("Northwind Resellers")
    with qtbot.waitSignal(view.directory_changed):
        dialog.submit()
    qtbot.waitUntil(lambda: view.unit_model.row_of(lambda u: u.name == "Northwind Resellers") >= 0)
    row = view.unit_model.rows()[view.unit_model.row_of(lambda u: u.name == "Northwind Resellers")]
    assert row.kind is UnitKind.PARTNER


def test_add_a_person_with_bad_input_answered_beside_the_field(
    qtbot: QtBot, view: DirectoryView, office: Office
) -> None:
    _select_unit(view, "Billing")
    view.add_staff_button.click()
    dialog = view.active_dialog
    assert isinstance(dialog, StaffDialog)
    assert dialog.unit_combo.currentText().startswith("Billing"), "the selected unit is offered"
    dialog.name_edit.setText("Rosa Martínez")
    dialog.email_edit.setText("rosa@@example")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors["email"].isVisible(), timeout=5_000)
    assert "not a valid email" in dialog.errors["email"].text()

    dialog.email_edit.setText("rosa@example.com")
    dialog.phone_edit.setText("202 555 0144")
    with qtbot.waitSignal(view.directory_changed):
        dialog.submit()
    qtbot.waitUntil(lambda: "Rosa Martínez" in _names(view), timeout=5_000)
    with office.db.reading() as uow:
        added = next(s for s in directory.list_staff(uow) if s.name == "Rosa Martínez")
    assert added.phone == "+12025550144"
    assert added.unit_name == "Billing"


def test_edit_a_person(qtbot: QtBot, view: DirectoryView) -> None:
    _select_person(view, "Sam Baker")
    view.edit_staff_button.click()
    dialog = view.active_dialog
    assert isinstance(dialog, StaffDialog)
    assert dialog.name_edit.text() == "Sam Baker"
    dialog.name_edit.setText("Samantha Baker")
    with qtbot.waitSignal(view.directory_changed):
        dialog.submit()
    qtbot.waitUntil(lambda: "Samantha Baker" in _names(view), timeout=5_000)


def test_deactivate_and_reactivate_a_person(qtbot: QtBot, view: DirectoryView) -> None:
    _select_person(view, "Wei Chen")
    assert view.toggle_staff_button.text() == "Deactivate"
    with qtbot.waitSignal(view.directory_changed):
        view.toggle_staff_button.click()
    qtbot.waitUntil(lambda: "Wei Chen" not in _names(view), timeout=5_000)
    assert "1 deactivated hidden" in view.summary_label.text()

    view.show_inactive.setChecked(True)
    assert "Wei Chen" in _names(view)
    _select_person(view, "Wei Chen")
    assert view.toggle_staff_button.text() == "Reactivate"
    with qtbot.waitSignal(view.directory_changed):
        view.toggle_staff_button.click()
    qtbot.waitUntil(
        lambda: any(s.name == "Wei Chen" and s.active for s in view.staff_model.rows()),
        timeout=5_000,
    )


def test_people_of_a_deactivated_unit_are_unavailable(qtbot: QtBot, view: DirectoryView) -> None:
    _select_unit(view, "Customer Service")
    with qtbot.waitSignal(view.directory_changed):
        view.toggle_unit_button.click()
    qtbot.waitUntil(lambda: _names(view) == ["Wei Chen"], timeout=5_000)
    view.show_inactive.setChecked(True)
    row = view.staff_model.row_of(lambda s: s.name == "Jamie Ortiz")
    assert view.staff_model.data(view.staff_model.index(row, 4)) == "Unit deactivated"


def test_a_stale_edit_of_a_person_shows_both_versions_and_keeps_their_change(
    qtbot: QtBot, view: DirectoryView, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceo_desk.ui.dialogs.conflict import ConflictChoice, ConflictDialog

    _select_person(view, "Sam Baker")
    view.edit_staff_button.click()
    dialog = view.active_dialog
    assert isinstance(dialog, StaffDialog)
    with office.db.transaction() as uow:  # meanwhile, on another computer
        seen = directory.get_staff(uow, office.baker)
        directory.update_staff(
            uow, office.baker, directory.StaffInput("Sam Baker", seen.unit_id, "sam@example.com")
        )
    asked: list[tuple[dict[str, str], dict[str, str]]] = []

    def keep_mine(
        parent: object, mine: dict[str, str], theirs: dict[str, str], **_: object
    ) -> ConflictChoice:
        asked.append((mine, theirs))
        return ConflictChoice.KEEP_MINE

    monkeypatch.setattr(ConflictDialog, "ask", keep_mine)
    dialog.name_edit.setText("Samantha Baker")
    with qtbot.waitSignal(view.directory_changed, timeout=10_000):
        dialog.submit()
    mine, theirs = asked[0]
    assert (mine["Name"], theirs["Name"]) == ("Samantha Baker", "Sam Baker")
    assert mine["Email"] == theirs["Email"] == "sam@example.com"
    with office.db.reading() as uow:
        saved = directory.get_staff(uow, office.baker)
    assert (saved.name, saved.email) == ("Samantha Baker", "sam@example.com")


def test_a_stale_rename_of_a_unit_can_take_the_saved_version(
    qtbot: QtBot, view: DirectoryView, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceo_desk.ui.dialogs.conflict import ConflictChoice, ConflictDialog

    unit = view.unit_model.rows()[0]
    _select_unit(view, unit.name)
    view.edit_unit_button.click()
    dialog = view.active_dialog
    assert isinstance(dialog, UnitDialog)
    with office.db.transaction() as uow:  # meanwhile, on another computer
        directory.update_unit(uow, unit.id, "Renamed elsewhere", unit.kind)
    monkeypatch.setattr(ConflictDialog, "ask", lambda *args, **kwargs: ConflictChoice.TAKE_THEIRS)
    dialog.name_edit.setText("Renamed here")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.name_edit.text() == "Renamed elsewhere", timeout=10_000)
    assert dialog.isVisible()
    with office.db.reading() as uow:
        assert directory.get_unit(uow, unit.id).name == "Renamed elsewhere"
