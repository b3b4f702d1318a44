"""A new, empty log opens on a short guide instead of an empty list; each step's button does it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ceo_desk.core.database import open_database
from ceo_desk.enums import Role
from ceo_desk.store.db import Database
from ceo_desk.ui import background
from ceo_desk.ui.dialogs.first_run import DONE, TO_DO, FirstRunGuide
from ceo_desk.ui.main_window import MainWindow
from tests.builders import add_staff, log


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(str(tmp_path / "new.sqlite3"))
    try:
        yield db
    finally:
        db.close()


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db, Role.ASSISTANT)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.show()
    qtbot.waitUntil(lambda: window.first_run_guide is not None, timeout=10_000)
    return window


def test_an_empty_log_opens_on_the_guide_and_its_buttons_lead_to_each_step(
    qtbot: QtBot, empty_db: Database
) -> None:
    window = _window(qtbot, empty_db)
    guide = window.first_run_guide
    assert isinstance(guide, FirstRunGuide)
    assert window.stack.currentWidget() is guide
    qtbot.waitUntil(lambda: "Phone region" in guide.texts["region"].text())
    assert guide.marks["staff"].text() == TO_DO
    assert "nobody yet" in guide.texts["staff"].text()

    QTest.mouseClick(guide.buttons["units"], Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "directory"
    assert window.stack.currentWidget() is window.directory

    add_staff(empty_db, "Wei Chen", "Billing")  # added meanwhile: the guide ticks it
    with qtbot.waitSignal(guide.refreshed, timeout=10_000):
        guide.refresh()
    assert guide.marks["staff"].text() == DONE and guide.marks["units"].text() == DONE


def test_hide_this_guide_shows_the_page_chosen(qtbot: QtBot, empty_db: Database) -> None:
    window = _window(qtbot, empty_db)
    guide = window.first_run_guide
    assert isinstance(guide, FirstRunGuide)
    QTest.mouseClick(guide.hide_button, Qt.MouseButton.LeftButton)
    assert window.first_run_guide is None
    assert window.stack.currentWidget() is window.page(window.current_page_key())


def _window_without_guide(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db, Role.ASSISTANT)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.show()
    qtbot.waitUntil(lambda: background.pending() == 0, timeout=10_000)  # the guide's read too
    return window


def test_a_log_already_in_use_opens_on_its_page(qtbot: QtBot, empty_db: Database) -> None:
    add_staff(empty_db, "Wei Chen", "Billing")
    log(empty_db)
    window = _window_without_guide(qtbot, empty_db)
    assert window.first_run_guide is None
    assert window.stack.currentWidget() is window.page(window.current_page_key())


def test_an_office_that_added_its_people_first_still_gets_the_guide_with_them_ticked(
    qtbot: QtBot, empty_db: Database
) -> None:
    add_staff(empty_db, "Wei Chen", "Billing")
    window = _window(qtbot, empty_db)
    guide = window.first_run_guide
    assert isinstance(guide, FirstRunGuide)
    assert window.stack.currentWidget() is guide
    qtbot.waitUntil(lambda: guide.marks["staff"].text() == DONE)
    assert guide.marks["units"].text() == DONE
    assert "People who take complaints</b>: 1." in guide.texts["staff"].text()
    assert guide.marks["names"].text() == TO_DO, "the company and the CEO are still to name"
    assert guide.intro.text().startswith("No complaint is in the log yet")

    log(empty_db)  # the first complaint: the guide goes, and the chosen page is back
    with qtbot.waitSignal(guide.dismissed, timeout=10_000):
        guide.refresh()
    assert window.first_run_guide is None
    assert window.stack.currentWidget() is window.page(window.current_page_key())


def test_a_hidden_guide_stays_hidden_for_that_log(
    qtbot: QtBot, empty_db: Database, tmp_path: Path
) -> None:
    window = _window(qtbot, empty_db)
    guide = window.first_run_guide
    assert isinstance(guide, FirstRunGuide)
    QTest.mouseClick(guide.hide_button, Qt.MouseButton.LeftButton)
    window.close()
    assert _window_without_guide(qtbot, empty_db).first_run_guide is None
    other = open_database(str(tmp_path / "other.sqlite3"))
    try:
        assert _window(qtbot, other).first_run_guide is not None, "another log still has it"
    finally:
        other.close()
