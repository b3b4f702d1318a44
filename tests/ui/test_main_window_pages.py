"""The main window hosts every screen: Directory, Reports, Settings and the data-safety actions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytestqt.qtbot import QtBot

from ceo_desk.enums import Role
from ceo_desk.ui.dialogs.settings_dialog import SettingsDialog
from tests.builders import Office, log, unclean_shutdown
from tests.ui.screens import show_main_window

if TYPE_CHECKING:
    from ceo_desk.ui.main_window import MainWindow


def test_directory_is_a_page_of_its_own(qtbot: QtBot, office: Office) -> None:
    window = show_main_window(qtbot, office)
    window.page_actions["directory"].trigger()
    assert window.current_page_key() == "directory"
    assert window.page_actions["directory"].shortcut().toString() == "Ctrl+5"


def test_settings_open_from_the_window_and_cancel_changes_nothing(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = show_main_window(qtbot, office)
    opened: list[object] = []

    def cancel(_parent: object, db: object) -> bool:
        opened.append(db)
        return False

    monkeypatch.setattr(SettingsDialog, "edit", classmethod(lambda cls, p, d: cancel(p, d)))
    assert not window.edit_settings()
    assert opened == [office.db]


def test_reports_page_is_built_when_first_shown(qtbot: QtBot, office: Office) -> None:
    from ceo_desk.ui.views.reports import ReportsView

    window = show_main_window(qtbot, office)
    assert window.reports.view is None  # nothing rendered at start-up
    window.page_actions["reports"].trigger()
    assert window.current_page_key() == "reports"
    view = window.reports.view
    assert isinstance(view, ReportsView)
    qtbot.waitUntil(lambda: bool(view.page_images()), timeout=20_000)
    assert window.page_actions["reports"].shortcut().toString() == "Ctrl+6"


def test_file_menu_offers_backup_restore_import_and_export(qtbot: QtBot, office: Office) -> None:
    window = show_main_window(qtbot, office)
    titles = [a.text() for a in window.file_menu.actions() if not a.isSeparator()]
    for wanted in (
        "Back up now",
        "Restore from a backup…",
        "Check the log",
        "Import complaints…",
        "Export complaints…",
        "Export callbacks to a calendar…",
    ):
        assert wanted in titles


def test_window_answers_before_the_log_is_open(qtbot: QtBot, office: Office) -> None:
    from ceo_desk.ui.main_window import MainWindow

    log(office.db)  # a log in use: no getting-started guide over the page chosen
    window = MainWindow(None, Role.CEO)
    qtbot.addWidget(window)
    window.show()
    assert not window.is_attached
    assert "Opening" in window.opening_label.text()
    assert not window.log_call_action.isEnabled()
    assert not any(a.text() == "Back up now" for a in window.file_menu.actions())
    window.page_actions["chase"].trigger()  # chosen while opening: shown once open
    assert window.current_page_key() == "chase"
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.attach(office.db)
    assert window.is_attached and window.log_call_action.isEnabled()
    assert window.stack.currentWidget() is window.chase_view
    assert any(a.text() == "Back up now" for a in window.file_menu.actions())


def test_the_window_says_why_opening_waits_after_an_unclean_shutdown(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from ceo_desk.core.database import OpenedLog, open_database
    from ceo_desk.core.safety import on_open
    from ceo_desk.ui.app import open_for_work
    from ceo_desk.ui.background import run_in_background
    from ceo_desk.ui.main_window import MainWindow

    path = tmp_path / "log.sqlite3"
    open_database(str(path)).close()
    unclean_shutdown(path)

    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    opened: list[OpenedLog] = []
    run_in_background(
        lambda: open_for_work(str(path), window.opening_note.emit), opened.append, owner=window
    )
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    try:
        assert window.opening_label.text() == on_open.CHECKING_AFTER_UNCLEAN_SHUTDOWN
        assert any("checked and is sound" in w for w in opened[0].warnings)
    finally:
        opened[0].db.close()


def test_only_the_opening_page_is_built_before_the_first_screen(
    qtbot: QtBot, office: Office
) -> None:
    from ceo_desk.ui.views.all_complaints import AllComplaintsView
    from ceo_desk.ui.views.chase import ChaseView
    from ceo_desk.ui.views.directory import DirectoryView
    from ceo_desk.ui.views.today import TodayView

    window = show_main_window(qtbot, office)  # the assistant opens on All complaints
    assert len(window.findChildren(AllComplaintsView)) == 1
    for later in (TodayView, ChaseView, DirectoryView):
        assert window.findChildren(later) == [], later.__name__
    window.page_actions["today"].trigger()
    [today] = window.findChildren(TodayView)
    assert window.stack.currentWidget() is today
    qtbot.waitUntil(lambda: today.subheading.text() != "Loading…", timeout=20_000)
    assert window.findChildren(ChaseView) == []


def _opened_as_ceo(qtbot: QtBot, office: Office) -> MainWindow:
    """The window as the app opens it: shown first, the log and its roles arriving after."""
    from ceo_desk.ui.main_window import MainWindow

    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.attach(office.db, frozenset({Role.CEO}))
    return window


def test_the_ceo_opens_on_today_then_on_the_page_last_chosen(qtbot: QtBot, office: Office) -> None:
    from ceo_desk.ui import qsettings_store
    from ceo_desk.ui.main_window import PAGE_TITLES

    log(office.db)  # past the first-run guide
    first = _opened_as_ceo(qtbot, office)
    assert first.current_page_key() == "today"
    assert first.stack.currentWidget() is first.page("today")
    first.nav.setCurrentRow([key for key, _title in PAGE_TITLES].index("chase"))  # a click
    first.close()
    qsettings_store.reset()  # the next launch reads the layout file afresh
    again = _opened_as_ceo(qtbot, office)
    assert again.current_page_key() == "chase"
    assert [p.key for p in again.pages if p.widget is not None] == ["chase"]  # no other built


@pytest.mark.parametrize(
    ("roles", "page"),
    [
        ({Role.CEO, Role.ASSISTANT}, "today"),
        ({Role.DELEGATE}, "my_work"),
        ({Role.DELEGATE, Role.ASSISTANT}, "all"),
        ({Role.ASSISTANT}, "all"),
        (set(), "all"),
    ],
)
def test_each_role_opens_on_its_own_page(roles: set[Role], page: str) -> None:
    from ceo_desk.ui.main_window import opening_page

    assert opening_page(frozenset(roles)) == page
