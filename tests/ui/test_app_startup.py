"""Start-up: the window first, the log on a worker thread, the daily backup after that."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ceo_desk import paths
from ceo_desk.store import backup
from ceo_desk.ui.app import FIRST_SCREEN_ENV, FIRST_SCREEN_LINE
from ceo_desk.ui.main_window import MainWindow
from tests.builders import count_rows
from tests.integration.test_daily_backup_later import entry_point, sound_backups


def _close_when(condition: str, seen: list[str]) -> None:
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    window = windows[-1] if windows else None
    if window is None or not window.isVisible():
        QTimer.singleShot(10, lambda: _close_when(condition, seen))
        return
    seen.append("shown" if not window.is_attached else "attached")
    if condition == "attached" and not window.is_attached:
        QTimer.singleShot(10, lambda: _close_when(condition, seen))
        return
    window.close()


def test_the_window_shows_before_the_log_is_open_and_the_backup_follows(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from ceo_desk.ui import app

    seen: list[str] = []
    QTimer.singleShot(0, lambda: _close_when("attached", seen))
    database = tmp_path / "office.sqlite3"
    assert app.run_app(db_option=str(database), demo=False) == 0
    assert seen[0] == "shown"  # on screen, answering, while the log was still opening
    assert seen[-1] == "attached"
    [daily] = backup.list_backups(paths.backups_dir(database))
    assert backup.integrity_problems(daily.path) == []


def test_the_app_says_when_its_first_screen_is_painted_and_still_takes_the_backup(
    tmp_path: Path,
) -> None:
    database = tmp_path / "log.sqlite3"
    done = entry_point("--db", str(database), **{FIRST_SCREEN_ENV: "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [FIRST_SCREEN_LINE]
    [daily] = sound_backups(database)
    assert count_rows(daily, "complaint") == 0
