"""Every empty state says what to do next; Delegate with nobody in the directory says where
people are added, and Ctrl+Enter then changes nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ceo_desk.core.database import open_database
from ceo_desk.enums import Severity, Status
from ceo_desk.ui.dialogs.delegate import DelegateDialog
from ceo_desk.ui.views.all_complaints import AllComplaintsView
from ceo_desk.ui.views.directory import DirectoryView
from tests.builders import log, stored_detail


def test_delegate_with_nobody_in_the_directory_says_where_to_add_people(
    qtbot: QtBot, tmp_path: Path
) -> None:
    db = open_database(str(tmp_path / "empty.sqlite3"))
    try:
        ref = log(db, "Farah Novák", "No heating", "+12025550161")
        dialog = DelegateDialog(db, ref, "No heating", Severity.NORMAL)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.choices_loaded, timeout=10_000):
            dialog.show()
        hint = dialog.errors["staff"]
        assert hint.isVisible()
        assert "Directory (Ctrl+5)" in hint.text() and "To delegate" in hint.text()
        assert not dialog.save_button.isEnabled()
        QTest.keyClick(dialog.staff, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert "Directory (Ctrl+5)" in hint.text()  # not replaced by "choose who"
        assert stored_detail(db, ref).status is Status.NEW
    finally:
        db.close()


def test_the_empty_log_and_the_empty_directory_point_to_the_next_step(
    qtbot: QtBot, tmp_path: Path
) -> None:
    db = open_database(str(tmp_path / "empty.sqlite3"))
    try:
        complaints = AllComplaintsView(db)
        qtbot.addWidget(complaints)
        complaints.show()
        qtbot.waitUntil(lambda: complaints.count_label.text().startswith("No complaints yet"))
        assert "Log a call (Ctrl+N)" in complaints.count_label.text()
        assert "Import complaints" in complaints.count_label.text()

        directory = DirectoryView(db)
        qtbot.addWidget(directory)
        with qtbot.waitSignal(directory.loaded, timeout=10_000):
            directory.show()
        assert "Add a department" in directory.summary_label.text()
    finally:
        db.close()
