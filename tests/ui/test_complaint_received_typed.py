"""The complaint window's Received takes a date and time typed as Log a call's does."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.builders import Office, days_ago, log, stored_detail
from tests.ui.screens import open_complaint_window


def test_typing_yesterday_and_a_time_into_received_saves_that_moment(
    qtbot: QtBot, office: Office
) -> None:
    ref = log(office.db, when=days_ago(1))
    window = open_complaint_window(qtbot, office.db, ref)
    assert not window.is_dirty()  # shown as text, read back unchanged
    window.received.setFocus()
    window.received.selectAll()
    QTest.keyClicks(window.received, "yesterday 16:05")
    assert QApplication.focusWidget() is window.received  # the spaces stayed in the field
    yesterday = datetime.now().astimezone().date() - timedelta(days=1)
    assert window.received.reading.text().endswith(", 16:05")
    with qtbot.waitSignal(window.complaint_changed):
        QTest.keyClick(window.received, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    received = stored_detail(office.db, ref).received_at.astimezone()
    assert (received.date(), received.hour, received.minute) == (yesterday, 16, 5)


def test_a_time_that_cannot_be_read_is_answered_beside_the_field(
    qtbot: QtBot, office: Office
) -> None:
    ref = log(office.db, when=days_ago(1))
    window = open_complaint_window(qtbot, office.db, ref)
    window.received.selectAll()
    QTest.keyClicks(window.received, "around lunch")
    assert window.received.reading.text() == "Not a date and time yet"
    window.save_action.trigger()
    error = window.form.field_errors["received_at"]
    qtbot.waitUntil(lambda: error.isVisible())
    assert "is not a date and time" in error.text()
    window.revert()  # closing with the edit unsaved would ask first
