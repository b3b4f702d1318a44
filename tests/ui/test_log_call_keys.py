"""Log a call without accidents, by the keys a person presses: Enter moves on, only Ctrl+Enter
saves, Escape asks before losing a typed call, a typed time stays in its field, every problem
shows at once and goes when fixed, and the caller's history opens their earlier complaints."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ceo_desk.core import queries
from ceo_desk.core.services import office as office_settings
from ceo_desk.ui.dialogs import log_call
from ceo_desk.ui.dialogs.log_call import LogCallDialog
from ceo_desk.ui.form_helpers import DateTimeField
from tests.builders import Office, delegate, log, stored_detail

CTRL = Qt.KeyboardModifier.ControlModifier


def _dialog(qtbot: QtBot, office: Office) -> LogCallDialog:
    dialog = LogCallDialog(office.db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.choices_loaded):
        dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.customer_name.setFocus()
    qtbot.waitUntil(dialog.customer_name.hasFocus)
    return dialog


def _count(office: Office) -> int:
    with office.db.reading() as uow:
        return queries.count_complaints(uow, queries.ComplaintFilter())


def _key(qtbot: QtBot, dialog: LogCallDialog, key: Qt.Key, modifier: object = None) -> None:
    target = dialog.focusWidget()
    assert isinstance(target, QWidget)
    if modifier is None:
        qtbot.keyClick(target, key)
    else:
        qtbot.keyClick(target, key, modifier)


def test_enter_moves_to_the_next_field_and_only_ctrl_enter_saves(
    qtbot: QtBot, office: Office
) -> None:
    dialog = _dialog(qtbot, office)
    qtbot.keyClicks(dialog.customer_name, "Ana Lima")
    _key(qtbot, dialog, Qt.Key.Key_Return)
    assert dialog.phone.hasFocus()
    qtbot.keyClicks(dialog.phone, "202 555 0101")
    _key(qtbot, dialog, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert dialog.email.hasFocus()
    _key(qtbot, dialog, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.summary, "Invoice charged twice")
    _key(qtbot, dialog, Qt.Key.Key_Return)
    assert dialog.details.hasFocus()
    assert _count(office) == 0 and dialog.isVisible()
    with qtbot.waitSignal(dialog.complaint_logged):
        _key(qtbot, dialog, Qt.Key.Key_Return, CTRL)
    assert _count(office) == 1


def test_a_date_and_time_typed_into_received_stays_there_and_is_saved(
    qtbot: QtBot, office: Office
) -> None:
    dialog = _dialog(qtbot, office)
    dialog.customer_name.setText("Ana Lima")
    dialog.phone.setText("202 555 0101")
    dialog.summary.setText("Invoice charged twice")
    dialog.received_at.setFocus()
    yesterday = (datetime.now().astimezone() - timedelta(days=1)).date()
    typed = f"{yesterday.day} {yesterday:%b %Y} 16:05"
    for character in typed + "  ":  # spaces, a colon, and spaces after it
        qtbot.keyClick(dialog.received_at, character)
        assert dialog.received_at.hasFocus(), f"focus left the field after {character!r}"
    assert _count(office) == 0, "no space ever pressed Save"
    assert dialog.received_reading.text().endswith("16:05")
    with qtbot.waitSignal(dialog.complaint_logged) as saved:
        _key(qtbot, dialog, Qt.Key.Key_Return, CTRL)
    received = stored_detail(office.db, saved.args[0]).received_at.astimezone()
    assert (received.date(), received.hour, received.minute) == (yesterday, 16, 5)


def test_spaces_typed_in_a_date_field_stay_in_it_and_tab_leaves(qtbot: QtBot) -> None:
    """Qt moves between a date field's parts on a typed separator through the same call as
    Tab; the field leaves on Tab only."""
    holder = QWidget()
    field = DateTimeField(holder)
    field.setDisplayFormat("d MMM yyyy HH:mm")
    save = QPushButton("Save", holder)
    layout = QVBoxLayout(holder)
    layout.addWidget(field)
    layout.addWidget(save)
    qtbot.addWidget(holder)
    holder.show()
    holder.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    for _ in range(6):
        qtbot.keyClick(field, " ")
        assert field.hasFocus()
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert save.hasFocus(), "Tab still leaves the field"


def test_escape_asks_before_throwing_away_a_typed_call(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    answer = {"discard": False}

    def confirm(parent: object) -> bool:
        asked.append(True)
        return answer["discard"]

    monkeypatch.setattr(log_call, "confirm_discard_call", confirm)
    empty = _dialog(qtbot, office)
    _key(qtbot, empty, Qt.Key.Key_Escape)
    assert not empty.isVisible() and asked == [], "an empty form closes without a question"

    dialog = _dialog(qtbot, office)
    qtbot.keyClicks(dialog.customer_name, "Ana")
    _key(qtbot, dialog, Qt.Key.Key_Escape)
    assert asked == [True] and dialog.isVisible()
    assert dialog.customer_name.text() == "Ana"
    answer["discard"] = True
    _key(qtbot, dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_every_problem_shows_at_once_and_each_goes_when_fixed(qtbot: QtBot, office: Office) -> None:
    dialog = _dialog(qtbot, office)
    dialog.phone.setText("12")
    dialog.received_at.setText("last week sometime")
    _key(qtbot, dialog, Qt.Key.Key_Return, CTRL)
    shown = {key for key, label in dialog.errors.items() if label.isVisible()}
    assert shown == {"customer_name", "phone", "summary", "received_at"}
    assert dialog.customer_name.hasFocus(), "the first problem has the focus"
    qtbot.keyClicks(dialog.customer_name, "Ana Lima")
    assert not dialog.errors["customer_name"].isVisible()
    assert dialog.errors["summary"].isVisible() and dialog.errors["phone"].isVisible()
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "202 555 0101")
    assert not dialog.errors["phone"].isVisible()
    dialog.received_at.clear()
    assert not dialog.errors["received_at"].isVisible()
    qtbot.keyClicks(dialog.summary, "Charged twice")
    assert not any(label.isVisible() for label in dialog.errors.values())
    assert _count(office) == 0


def test_the_callers_history_lists_each_earlier_complaint_and_fills_the_customer(
    qtbot: QtBot, office: Office
) -> None:
    first = log(
        office.db,
        "Ana Lima",
        "Delivery late",
        "+12025550101",
        organisation="Lima Bakery",
        account_ref="ACC-77",
    )
    delegate(office.db, first, office.chen)
    second = log(office.db, "Ana Lima", "Charged twice", "+12025550101")
    dialog = _dialog(qtbot, office)
    _key(qtbot, dialog, Qt.Key.Key_Tab)
    with qtbot.waitSignal(dialog.earlier_found, timeout=5000):
        qtbot.keyClicks(dialog.phone, "202 555 0101")
    text = dialog.history_text.text()
    assert f"href='complaint:{first}'" in text and f"href='complaint:{second}'" in text
    assert "delegated · Wei Chen" in text and "· new" in text
    assert text.index(second) < text.index(first), "newest first"
    assert dialog.customer_name.text() == "Ana Lima"
    assert dialog.organisation.text() == "Lima Bakery"
    assert dialog.account_ref.text() == "ACC-77"
    with qtbot.waitSignal(dialog.open_requested) as opened:
        dialog.history_text.linkActivated.emit(f"complaint:{first}")
    assert opened.args == [first]


def test_a_local_number_the_region_refuses_suggests_the_country(
    qtbot: QtBot, office: Office
) -> None:
    with office.db.transaction() as uow:
        settings = office_settings.load_settings(uow)
        office_settings.save_settings(uow, replace(settings, phone_region="GB"))
    dialog = _dialog(qtbot, office)
    qtbot.keyClicks(dialog.customer_name, "Ana Lima")
    dialog.phone.setText("202 555 0101")
    dialog.summary.setText("Invoice charged twice")
    _key(qtbot, dialog, Qt.Key.Key_Return, CTRL)
    message = dialog.errors["phone"].text()
    assert message.startswith("This is not a valid GB number. Did you mean +1 202-555-0101? (US)")
    assert _count(office) == 0
    dialog.phone.setText("+1 202 555 0101")
    assert not dialog.errors["phone"].isVisible()
    with qtbot.waitSignal(dialog.complaint_logged) as saved:
        _key(qtbot, dialog, Qt.Key.Key_Return, CTRL)
    assert stored_detail(office.db, saved.args[0]).customer_phone == "+12025550101"
