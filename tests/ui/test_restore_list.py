"""Restore lists the log's backups by local date and time with what each holds; the arrow keys
and Enter choose one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ceo_desk.core import queries
from ceo_desk.core.safety import backups
from ceo_desk.ui import file_menu
from ceo_desk.ui.dialogs import ask
from ceo_desk.ui.dialogs.ask import Ask
from ceo_desk.ui.dialogs.choose_backup import ChooseBackupDialog
from tests.builders import Office, days_ago, log


@pytest.fixture(autouse=True)
def _close_notices() -> Iterator[None]:
    yield
    for box in list(ask.notices):
        if shiboken6.isValid(box):
            box.close()
    ask.notices.clear()


def test_the_backups_are_listed_with_what_they_hold_and_enter_restores_the_chosen(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = log(office.db, "Ann Lee", "Late parcel", "+12025550111")
    older = backups.backup_now(office.db, now=days_ago(1))  # one a day is kept
    second = log(office.db, "Bob Ray", "Wrong invoice", "+12025550112")
    backups.backup_now(office.db)
    monkeypatch.setattr(Ask, "confirm", classmethod(lambda cls, *a: True))
    seen: list[list[tuple[str, str]]] = []

    def choose_with_keys() -> None:
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, ChooseBackupDialog)),
            None,
        )
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, choose_with_keys)
            return
        model = dialog.model
        seen.append(
            [(model.data(model.index(r, 1)), model.data(model.index(r, 2))) for r in range(2)]
        )
        QTest.keyClick(dialog.table, Qt.Key.Key_Down)  # the older backup
        QTest.keyClick(dialog.table, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose_with_keys)
    restored: list[bool] = []
    file_menu.restore_backup(None, office.db, lambda: restored.append(True))
    qtbot.waitUntil(lambda: restored == [True], timeout=20_000)

    [rows] = seen
    assert rows[0][0] == "2 complaints" and rows[0][1].startswith(f"{second}, received ")
    assert rows[1][0] == "1 complaint" and rows[1][1].startswith(f"{first}, received ")
    with office.db.reading() as uow:
        listed = queries.list_complaints(uow, queries.ComplaintFilter())
    assert [r.reference for r in listed] == [first]
    assert older.exists()


def test_the_list_says_taken_in_local_time() -> None:
    from datetime import UTC, datetime
    from pathlib import Path

    from ceo_desk.core.safety.backups import OfferedBackup
    from ceo_desk.store.backup import Holding
    from ceo_desk.ui.dialogs.choose_backup import taken_text

    taken = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    row = OfferedBackup(Path("b.sqlite3"), taken, "", Holding(3, "C-1", taken))
    local = taken.astimezone()
    assert taken_text(row).endswith(f", {local:%H:%M}")
    assert str(local.day) in taken_text(row)
