"""The shell: background work, error dialogs, start-up, the main window and its status bar."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from ceo_desk.errors import LifecycleError
from ceo_desk.ui import background, error_dialogs


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
    from ceo_desk import crashlog

    assert "KeyError" in crashlog.log_path().read_text(encoding="utf-8")


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
