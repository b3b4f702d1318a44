"""The tray's message names the customers whose callbacks became due."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ceo_desk.enums import Role
from tests.builders import Office, awaiting_callback
from tests.ui.screens import show_main_window


def test_the_tray_names_the_customers_due_not_only_references(qtbot: QtBot, office: Office) -> None:
    window = show_main_window(qtbot, office, Role.CEO)
    farah = awaiting_callback(office.db, office.chen, "Farah Novák", phone="+12025550111")
    bea = awaiting_callback(office.db, office.chen, "Bea Cruz", phone="+12025550112")
    with qtbot.waitSignal(window.counters_updated):
        window.refresh_counters()
    assert window.last_due_message is not None
    title, text = window.last_due_message
    assert title == "Callbacks due"
    assert f"Farah Novák ({farah})" in text
    assert f"Bea Cruz ({bea})" in text


def test_one_callback_due_reads_as_a_call_to_make() -> None:
    from ceo_desk.ui.due_notice import due_message

    assert due_message(["C-1"], {"C-1": "Farah Novák"}) == (
        "Callback due",
        "Call back Farah Novák (C-1).",
    )
    many = [f"C-{n}" for n in range(6)]
    _title, text = due_message(many, {r: f"Person {r}" for r in many})
    assert text.endswith("; and 2 more.")
