"""Record callback (the complaint window's) offers "later today" as Today's No answer does."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ceo_desk.core import policy
from ceo_desk.core.lifecycle import Action
from ceo_desk.enums import Outcome
from ceo_desk.ui.dialogs.record_callback import RecordCallbackDialog
from tests.builders import Office, awaiting_callback, stored_detail
from tests.ui.screens import open_complaint_window


def test_no_answer_in_record_callback_can_be_tried_again_later_today_with_the_keys(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    if datetime.now().astimezone().time() >= time(23, 58):
        pytest.skip("the local day ends before a later time can be offered")
    monkeypatch.setattr(policy, "later_today", lambda now, settings: time(23, 59))
    ref = awaiting_callback(office.db, office.chen)
    window = open_complaint_window(qtbot, office.db, ref)
    window.action_buttons[Action.RECORD_CALLBACK].trigger()
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, RecordCallbackDialog))
    dialog = window.active_dialog
    assert isinstance(dialog, RecordCallbackDialog)
    assert not dialog.next_try.isEnabled()  # an answered call is not tried again

    dialog.outcome.setFocus()
    no_answer = dialog.outcome.findData(Outcome.NO_ANSWER.value)
    while dialog.outcome.currentIndex() != no_answer:
        QTest.keyClick(dialog.outcome, Qt.Key.Key_Down)
    assert dialog.next_try.isEnabled()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    QTest.keyClick(dialog.outcome, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.next_try
    assert dialog.next_try.currentText().startswith("Next business day")
    QTest.keyClick(dialog.next_try, Qt.Key.Key_Up)
    assert dialog.next_try.currentText() == "Later today, 23:59"
    with qtbot.waitSignal(window.complaint_changed):
        QTest.keyClick(dialog.next_try, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert stored_detail(office.db, ref).callback_due_time == time(23, 59)
