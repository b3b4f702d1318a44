"""A tel: link with no phone app says so and copies the number; Ctrl+P prints the brief of the
complaint in front of the person, not the one chosen on Today."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from ceo_desk.enums import Role
from ceo_desk.ui.views import call_brief
from ceo_desk.ui.views.today import TodayView
from tests.builders import Office, awaiting_callback, days_ago
from tests.ui.screens import show_and_wait, show_main_window


def test_a_tel_link_with_no_phone_app_says_so_and_copies_the_number(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(call_brief, "open_url", lambda url: False)
    ref = awaiting_callback(office.db, office.ortiz, phone="+12025550101")
    view = TodayView(office.db)
    show_and_wait(qtbot, view, view.refreshed, (1366, 768))
    qtbot.waitUntil(lambda: view.brief.reference == ref)
    QGuiApplication.clipboard().clear()
    with qtbot.waitSignal(view.status_message) as said:
        view.brief._browser.anchorClicked.emit(QUrl("tel:+12025550101"))
    assert QGuiApplication.clipboard().text() == "+12025550101"
    assert "No phone app" in said.args[0] and "+1 202-555-0101 is copied" in said.args[0]
    assert view.brief._link_note.isVisible()


def test_ctrl_p_prints_the_brief_of_the_complaint_window_in_front(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceo_desk.ui import main_window

    on_today = awaiting_callback(office.db, office.ortiz, "Ana Lima", reported_at=days_ago(5))
    in_window = awaiting_callback(office.db, office.ortiz, "Bea Cruz", phone="+12025550102")
    asked: list[str] = []

    def choose(parent: object, reference: str) -> Path:
        asked.append(reference)
        return tmp_path / f"{reference}.pdf"

    monkeypatch.setattr(main_window, "choose_pdf_path", choose)
    monkeypatch.setattr(main_window, "open_file", lambda path: True)
    window = show_main_window(qtbot, office, Role.CEO)
    qtbot.waitUntil(lambda: window.today.brief.reference == on_today)
    complaint = window.open_complaint(in_window)
    qtbot.waitUntil(lambda: complaint.loaded_data() is not None)
    complaint.activateWindow()
    qtbot.waitUntil(complaint.isActiveWindow)
    with qtbot.waitSignal(window.brief_written, timeout=10_000) as written:
        qtbot.keyClick(complaint, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert asked == [in_window]
    assert Path(written.args[0]).read_bytes().startswith(b"%PDF")
    complaint.close()
