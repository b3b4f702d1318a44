"""The shell: background work, error dialogs, start-up, the main window and its status bar."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from ceo_desk.enums import Role
from ceo_desk.errors import LifecycleError, StorageError
from ceo_desk.ui import background, error_dialogs
from ceo_desk.ui.main_window import MainWindow
from tests.builders import Office, awaiting_callback, log
from tests.ui.screens import show_main_window


def test_background_work_runs_off_the_gui_thread_and_reports_back_on_it(qtbot: QtBot) -> None:
    gui_thread = threading.get_ident()
    seen: dict[str, object] = {}

    def op() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["delivered_on"] = threading.get_ident()

    background.run_in_background(op, done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == 42
    assert seen["worker"] != gui_thread
    assert seen["delivered_on"] == gui_thread


def test_background_failure_reaches_on_error(qtbot: QtBot) -> None:
    errors: list[BaseException] = []

    def op() -> None:
        raise LifecycleError("C-2026-0001 is already closed.")

    background.run_in_background(op, lambda _: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert str(errors[0]) == "C-2026-0001 is already closed."


def test_background_failure_without_handler_shows_the_message(qtbot: QtBot) -> None:
    def op() -> None:
        raise LifecycleError("C-2026-0001 is already closed.")

    background.run_in_background(op, lambda _: None)
    qtbot.waitUntil(lambda: bool(error_dialogs.shown))
    assert error_dialogs.shown[-1].text() == "C-2026-0001 is already closed."


def test_unexpected_error_is_logged_not_shown_as_traceback(qtbot: QtBot) -> None:
    box = error_dialogs.show_error(None, KeyError("boom"))
    assert "Traceback" not in box.text()
    assert "details were saved" in box.text()
    from ceo_desk import logs

    assert "KeyError" in logs.log_path().read_text(encoding="utf-8")


def test_result_for_a_destroyed_owner_is_dropped(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    release = threading.Event()
    delivered: list[int] = []

    def op() -> int:
        release.wait(5)
        return 1

    background.run_in_background(op, delivered.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    release.set()
    qtbot.waitUntil(lambda: background.pending() == 0)
    assert delivered == []


def _alive(widget: object) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(widget))


# ---------------------------------------------------------------- start-up


def test_database_that_cannot_be_opened_is_explained_not_raised(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceo_desk.ui import app

    broken = tmp_path / "not-a-log.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    explained: list[BaseException] = []
    monkeypatch.setattr(app, "explain_startup_failure", explained.append)
    assert app.run_app(db_option=str(broken), demo=False) == 2
    assert len(explained) == 1
    assert isinstance(explained[0], StorageError)
    message = error_dialogs.message_for(explained[0])
    assert "Traceback" not in message
    assert str(broken) in message


def test_run_app_opens_the_main_window_on_the_given_database(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ceo_desk.core import identity
    from ceo_desk.ui import app

    seen: list[str] = []

    def close_when_ready() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or not windows[0].identity:  # named once the log is open
            QTimer.singleShot(20, close_when_ready)
            return
        window = windows[0]
        seen.append(window.windowTitle())
        window.close()

    QTimer.singleShot(0, close_when_ready)
    assert app.run_app(db_option=str(tmp_path / "new.sqlite3"), demo=False) == 0
    assert seen == [f"{identity.os_account()} — CEO Desk"]
    assert (tmp_path / "new.sqlite3").exists()


def test_uncaught_exception_is_logged_and_shown(qtbot: QtBot) -> None:
    previous = error_dialogs.install_excepthook()
    try:
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = previous
    box = error_dialogs.shown[-1]
    assert box.windowTitle() == "Something went wrong"
    assert "ZeroDivisionError" in box.text() and "Traceback" not in box.text()
    from ceo_desk import logs

    assert "Traceback" in logs.log_path().read_text(encoding="utf-8")


# ---------------------------------------------------------------- the main window


def test_ceo_opens_on_today_with_counters_and_role_shown(qtbot: QtBot, office: Office) -> None:
    awaiting_callback(office.db, office.ortiz)
    log(office.db, "Bea Cruz", "Late delivery", "+12025550102")
    window = show_main_window(qtbot, office, Role.CEO)
    assert window.current_page_key() == "today"
    assert "CEO" in window.role_label.text()
    assert "CEO" in window.windowTitle()
    text = window.counters_label.text()
    assert "Open: 2" in text and "Callbacks today: 1" in text


def test_assistant_opens_on_the_log(qtbot: QtBot, office: Office) -> None:
    window = show_main_window(qtbot, office, Role.ASSISTANT)
    assert window.current_page_key() == "all"
    assert "Assistant" in window.role_label.text()


def test_every_action_has_a_name_and_standard_shortcuts(qtbot: QtBot, office: Office) -> None:
    from PySide6.QtGui import QKeySequence

    window = show_main_window(qtbot, office, Role.CEO)
    assert window.log_call_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.refresh_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Refresh)
    assert window.quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    for button in window.findChildren(QPushButton):
        assert button.accessibleName() or button.text(), button.objectName()


def test_counters_follow_a_change(qtbot: QtBot, office: Office) -> None:
    window = show_main_window(qtbot, office, Role.CEO)
    assert "Open: 0" in window.counters_label.text()
    ref = log(office.db, "Bea Cruz", "Late delivery", "+12025550102")
    with qtbot.waitSignal(window.counters_updated):
        window._on_view_complaint_changed(ref)
    assert "Open: 1" in window.counters_label.text()


def test_newly_due_callbacks_are_announced_once(qtbot: QtBot, office: Office) -> None:
    window = show_main_window(qtbot, office, Role.CEO)
    assert window.newly_due(frozenset({"C-1", "C-2"})) == ["C-1", "C-2"]
    assert window.newly_due(frozenset({"C-1", "C-2"})) == []
    assert window.newly_due(frozenset({"C-2", "C-3"})) == ["C-3"]


def test_the_title_names_the_person_and_only_allowed_actions_are_offered(
    qtbot: QtBot, office: Office
) -> None:
    from ceo_desk.core import identity
    from ceo_desk.core.database import OpenedLog
    from ceo_desk.ui.app import Shell

    shell = Shell()
    qtbot.addWidget(shell.window)
    with qtbot.waitSignal(shell.window.ready, timeout=10_000):
        shell.attach(OpenedLog(office.db, []))
    me = identity.os_account()
    assert shell.window.windowTitle() == f"{me} — CEO Desk"
    assert shell.window.windowTitle().count("CEO Desk") == 1
    assert me in shell.window.role_label.text()
    assert shell.window.log_call_action.isVisible()
    assert not any("Act as" in a.text() for a in shell.window.file_menu.actions())
    shell.window.set_person("visitor", frozenset())
    assert not shell.window.log_call_action.isVisible()


def test_window_layout_is_remembered(qtbot: QtBot, office: Office) -> None:
    from ceo_desk.ui import qsettings_store

    window = show_main_window(qtbot, office, Role.CEO)
    window.today.splitter.setSizes([300, 800])
    window.today.table.horizontalHeader().resizeSection(1, 222)
    window.close()
    qsettings_store.reset()
    assert qsettings_store.settings().value("main_window/geometry") is not None
    again = show_main_window(qtbot, office, Role.CEO)
    assert again.today.table.horizontalHeader().sectionSize(1) == 222
    first, second = again.today.splitter.sizes()
    assert first < second  # the narrow list came back (the default puts the list first)


def test_print_call_brief_writes_the_pdf_and_opens_it(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceo_desk.ui import main_window

    ref = awaiting_callback(office.db, office.ortiz)
    opened: list[Path] = []
    monkeypatch.setattr(main_window, "choose_pdf_path", lambda parent, r: tmp_path / f"{r}.pdf")

    def open_file(path: Path) -> bool:
        opened.append(path)
        return True

    monkeypatch.setattr(main_window, "open_file", open_file)
    window = show_main_window(qtbot, office, Role.CEO)
    qtbot.waitUntil(lambda: window.today.brief.reference == ref)
    with qtbot.waitSignal(window.brief_written, timeout=10_000) as written:
        window.today.brief._print.click()
    pdf = Path(written.args[0])
    assert pdf == tmp_path / f"{ref}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert opened == [pdf]


def test_open_complaint_shows_one_window_per_complaint(qtbot: QtBot, office: Office) -> None:
    ref = awaiting_callback(office.db, office.ortiz)
    window = show_main_window(qtbot, office, Role.CEO)
    first = window.open_complaint(ref)
    qtbot.addWidget(first)
    assert window.open_complaint(ref) is first
    assert first.isVisible()
    assert ref in first.windowTitle()
