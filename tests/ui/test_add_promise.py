"""A promise made after the call: added in the complaint window, then on the ledger."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.ui.dialogs.add_promise import AddPromiseDialog
from tests.builders import Office, log, stored_detail
from tests.ui.screens import open_complaint_window


def test_a_promise_added_in_the_complaint_window_is_on_the_ledger(
    qtbot: QtBot, office: Office
) -> None:
    ref = log(office.db)
    window = open_complaint_window(qtbot, office.db, ref)
    assert window.action_controller.add_promise.isEnabled()
    window.action_controller.add_promise.trigger()
    dialog = window.action_controller.active_dialog
    assert isinstance(dialog, AddPromiseDialog)
    # Nothing typed: refused beside the rows, nothing saved.
    dialog.submit_button.click()
    assert dialog.errors["promise"].text() == "Say what the CEO promised."
    monday = SYSTEM_CLOCK.today() + timedelta(days=6)
    what, due, _ = dialog.rows.rows[0]
    what.setText("A written apology from the director")
    due.setDate(QDate(monday.year, monday.month, monday.day))
    with qtbot.waitSignal(window.complaint_changed, timeout=10_000):
        dialog.submit_button.click()
    promised = stored_detail(office.db, ref).promises
    assert [(p.what, p.due_on) for p in promised] == [
        ("A written apology from the director", monday)
    ]
