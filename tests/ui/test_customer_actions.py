"""The customer block of the complaint window: edit the details, export them, erase the customer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ceo_desk.core.safety import erase
from ceo_desk.ui import error_dialogs
from ceo_desk.ui.complaint_window import ComplaintWindow
from ceo_desk.ui.complaint_window import window as window_module
from ceo_desk.ui.dialogs import ask
from ceo_desk.ui.dialogs.ask import Ask
from ceo_desk.ui.dialogs.customer_details import CustomerDetailsDialog
from tests.builders import Office, log, stored_detail
from tests.ui.screens import open_complaint_window

PHONE = "+12025550150"


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(
        window_module, "ask_unsaved", lambda parent, reference: window_module.UnsavedChoice.DISCARD
    )
    yield
    for box in list(ask.notices):
        if shiboken6.isValid(box):
            box.close()
    ask.notices.clear()


def _two_complaints(office: Office) -> tuple[str, str]:
    first = log(
        office.db,
        "Dana Fox",
        "Boiler still broken",
        PHONE,
        email="dana.fox@example.com",
        organisation="Fox Plumbing",
    )
    second = log(office.db, "Dana Fox", "Engineer did not come", PHONE)
    return first, second


def _edit_dialog(window: ComplaintWindow) -> CustomerDetailsDialog:
    window.edit_customer_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, CustomerDetailsDialog)
    return dialog


def test_editing_the_customer_saves_and_the_window_shows_it(qtbot: QtBot, office: Office) -> None:
    first, second = _two_complaints(office)
    window = open_complaint_window(qtbot, office.db, second)
    dialog = _edit_dialog(window)
    assert dialog.name_edit.text() == "Dana Fox"
    assert dialog.phone_edit.text() == "+1 202-555-0150"
    assert dialog.email_edit.text() == "dana.fox@example.com"
    assert dialog.organisation_edit.text() == "Fox Plumbing"
    assert "every complaint of this customer (2 complaints" in dialog.intro.text()

    dialog.name_edit.setText("Dana Fox-Reyes")
    dialog.email_edit.setText("Dana@FoxReyes.example.com")
    dialog.account_ref_edit.setText("AC-7781")
    with qtbot.waitSignal(window.complaint_changed, timeout=10_000) as changed:
        dialog.submit()
    assert changed.args == [second]
    qtbot.waitUntil(lambda: window.customer_labels["name"].text() == "Dana Fox-Reyes")
    assert window.customer_labels["email"].text() == "dana@foxreyes.example.com"
    assert window.customer_labels["account_ref"].text() == "AC-7781"
    assert window.active_dialog is None, "the dialog closed after saving"
    for reference in (first, second):  # the customer is shared by both complaints
        detail = stored_detail(office.db, reference)
        assert detail.customer_name == "Dana Fox-Reyes"
        assert detail.customer_account_ref == "AC-7781"


def test_a_bad_phone_is_answered_beside_it_and_nothing_changes(
    qtbot: QtBot, office: Office
) -> None:
    reference, _ = _two_complaints(office)
    window = open_complaint_window(qtbot, office.db, reference)
    dialog = _edit_dialog(window)
    dialog.name_edit.setText("Someone Else")
    dialog.phone_edit.setText("12")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors["phone"].isVisible(), timeout=5_000)
    assert "'12' is not a phone number" in dialog.errors["phone"].text()
    assert dialog.isVisible(), "the dialog stays open for correcting"
    assert not dialog.errors["customer_name"].isVisible()
    detail = stored_detail(office.db, reference)
    assert (detail.customer_name, detail.customer_phone) == ("Dana Fox", PHONE)
    assert window.customer_labels["name"].text() == "Dana Fox"

    dialog.phone_edit.setText(PHONE)
    dialog.name_edit.setText("  ")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors["customer_name"].isVisible(), timeout=5_000)
    assert "Customer name is required" in dialog.errors["customer_name"].text()
    assert not dialog.errors["phone"].isVisible()
    assert stored_detail(office.db, reference).customer_name == "Dana Fox"


def test_removing_both_phone_and_email_is_refused(qtbot: QtBot, office: Office) -> None:
    reference, _ = _two_complaints(office)
    window = open_complaint_window(qtbot, office.db, reference)
    dialog = _edit_dialog(window)
    dialog.phone_edit.clear()
    dialog.email_edit.clear()
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors["phone"].isVisible(), timeout=5_000)
    assert "Keep a phone number or an email" in dialog.errors["phone"].text()
    assert stored_detail(office.db, reference).customer_phone == PHONE


def test_unsaved_complaint_edits_come_first(qtbot: QtBot, office: Office) -> None:
    reference, _ = _two_complaints(office)
    window = open_complaint_window(qtbot, office.db, reference)
    window.summary.setText("Changed but not saved")
    window.edit_customer_action.trigger()
    assert window.active_dialog is None
    assert error_dialogs.shown and "Save or undo" in error_dialogs.shown[-1].text()


def test_export_writes_the_customers_data_to_the_chosen_file(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference, _ = _two_complaints(office)
    window = open_complaint_window(qtbot, office.db, reference)
    target = tmp_path / "dana.json"
    asked: list[str] = []

    def save_path(cls: object, parent: object, title: str, suggested: str, filters: str) -> str:
        asked.append(suggested)
        return str(target)

    monkeypatch.setattr(Ask, "save_path", classmethod(save_path))
    window.customer_buttons[window.export_customer_action].click()
    qtbot.waitUntil(target.exists, timeout=10_000)
    customer_id = stored_detail(office.db, reference).customer_id
    assert asked and asked[0].endswith(f"customer-{customer_id}.json")
    assert "Dana Fox" in json.dumps(json.loads(target.read_text(encoding="utf-8")))


def test_erasing_asks_first_then_reloads_and_disables_the_actions(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference, _ = _two_complaints(office)
    window = open_complaint_window(qtbot, office.db, reference)
    questions: list[str] = []

    def refuse(cls: object, parent: object, title: str, text: str, action: str) -> bool:
        questions.append(text)
        return False

    monkeypatch.setattr(Ask, "confirm", classmethod(refuse))
    with qtbot.assertNotEmitted(window.complaint_changed):
        window.erase_customer_action.trigger()
        qtbot.waitUntil(lambda: bool(questions))
    assert questions and "Erase Dana Fox everywhere?" in questions[0]
    assert stored_detail(office.db, reference).customer_name == "Dana Fox"

    monkeypatch.setattr(Ask, "confirm", classmethod(lambda cls, *a: True))
    with qtbot.waitSignal(window.complaint_changed, timeout=10_000) as changed:
        window.customer_buttons[window.erase_customer_action].click()
    assert changed.args == [reference]
    qtbot.waitUntil(lambda: window.customer_labels["name"].text().startswith("Erased customer"))
    assert window.customer_labels["phone"].text() == "—"
    assert "Dana" not in stored_detail(office.db, reference).customer_name
    assert not window.edit_customer_action.isEnabled()
    assert not window.erase_customer_action.isEnabled()
    assert not window.customer_buttons[window.edit_customer_action].isEnabled()
    assert "erased" in window.edit_customer_action.toolTip()
    assert window.export_customer_action.isEnabled(), "what is left can still be exported"


def test_an_already_erased_customer_offers_no_edit_or_erase(qtbot: QtBot, office: Office) -> None:
    reference, _ = _two_complaints(office)
    erase.erase_customer_everywhere(office.db, stored_detail(office.db, reference).customer_id)
    window = open_complaint_window(qtbot, office.db, reference)
    assert not window.edit_customer_action.isEnabled()
    assert not window.erase_customer_action.isEnabled()
    assert window.export_customer_action.isEnabled()


def test_a_customer_erased_meanwhile_is_explained_in_the_dialog(
    qtbot: QtBot, office: Office
) -> None:
    reference, _ = _two_complaints(office)
    window = open_complaint_window(qtbot, office.db, reference)
    dialog = _edit_dialog(window)
    customer_id = stored_detail(office.db, reference).customer_id
    erase.erase_customer_everywhere(office.db, customer_id)
    dialog.name_edit.setText("Dana Fox-Reyes")
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        dialog.submit()
    assert dialog.general_error.isVisible()
    assert f"There is no customer #{customer_id}" in dialog.general_error.text()
    assert not dialog.submit_button.isEnabled()
    assert not window.edit_customer_action.isEnabled()
    assert "Dana" not in stored_detail(office.db, reference).customer_name


def test_the_customer_actions_are_in_a_menu_and_named_for_assistive_technology(
    qtbot: QtBot, office: Office
) -> None:
    reference, _ = _two_complaints(office)
    window = open_complaint_window(qtbot, office.db, reference)
    menu = window.customer_menu
    assert window.menuBar().actions() == [menu.menuAction()]
    assert menu.title() == "&Customer", "Alt+C opens it"
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts == ["&Edit customer details…", "E&xport customer's data…", "E&rase customer…"]
    names = [button.accessibleName() for button in window.customer_buttons.values()]
    assert names == ["Edit customer details", "Export customer's data", "Erase customer"]
    for button in window.customer_buttons.values():
        assert button.isEnabled()
        assert button.focusPolicy() == Qt.FocusPolicy.StrongFocus, "reachable with Tab"


def test_a_stale_customer_edit_shows_both_versions_and_keeps_theirs_unless_asked(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceo_desk.core.services import customers
    from ceo_desk.ui.dialogs.conflict import ConflictChoice, ConflictDialog

    reference, _ = _two_complaints(office)
    window = open_complaint_window(qtbot, office.db, reference)
    dialog = _edit_dialog(window)
    customer_id = stored_detail(office.db, reference).customer_id
    with office.db.transaction() as uow:  # meanwhile, on another computer
        customers.update(
            uow, customer_id, customers.CustomerEdit("Dana Fox", PHONE, "dana@newmail.example.com")
        )
    asked: list[tuple[dict[str, str], dict[str, str]]] = []
    choices = iter([ConflictChoice.CANCEL, ConflictChoice.KEEP_MINE])

    def choose(
        parent: object, mine: dict[str, str], theirs: dict[str, str], **_: object
    ) -> ConflictChoice:
        asked.append((mine, theirs))
        return next(choices)

    monkeypatch.setattr(ConflictDialog, "ask", choose)
    dialog.name_edit.setText("Dana Fox-Reyes")
    dialog.submit()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10_000)
    mine, theirs = asked[0]
    assert (mine["Name"], theirs["Name"]) == ("Dana Fox-Reyes", "Dana Fox")
    assert theirs["Email"] == "dana@newmail.example.com"
    assert stored_detail(office.db, reference).customer_name == "Dana Fox", "nothing overwritten"
    assert dialog.isVisible()

    with qtbot.waitSignal(window.complaint_changed, timeout=10_000):
        dialog.submit()  # saving again asks again; this time the person keeps their edit
    assert len(asked) == 2
    assert asked[1][0]["Email"] == "dana@newmail.example.com", "mine is my change on theirs"
    saved = stored_detail(office.db, reference)
    assert saved.customer_name == "Dana Fox-Reyes"
    assert saved.customer_email == "dana@newmail.example.com", "their change survives"


def test_a_customer_marked_vulnerable_stays_so_on_every_complaint(
    qtbot: QtBot, office: Office
) -> None:
    first, second = _two_complaints(office)
    window = open_complaint_window(qtbot, office.db, second)
    dialog = _edit_dialog(window)
    assert not dialog.vulnerable.isChecked()
    dialog.vulnerable.click()
    with qtbot.waitSignal(window.complaint_changed, timeout=10_000):
        dialog.submit_button.click()
    assert all(stored_detail(office.db, ref).customer_vulnerable for ref in (first, second))
    qtbot.waitUntil(lambda: window.active_dialog is None)
    # Read back with the window's reload: the next edit starts from the flag as saved.
    qtbot.waitUntil(lambda: bool((shown := window.customer_shown()) and shown.vulnerable))
    assert _edit_dialog(window).vulnerable.isChecked()
