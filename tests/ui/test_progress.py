"""Work the person waits for runs in the background under a progress dialog; what only reads can
be cancelled; the import shows its progress and a cancelled import leaves nothing behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QPushButton, QWizard
from pytestqt.qtbot import QtBot

from ceo_desk.core import queries
from ceo_desk.ui import background, progress
from ceo_desk.ui.dialogs.import_wizard import ImportWizard
from tests.builders import Office

GOOD_CSV = (
    "Ref,Received,Customer,Phone,Summary,Status\r\n"
    "OLD-1,14/03/2025,Ann Lee,+12025550111,Late parcel,resolved\r\n"
    "OLD-2,15/03/2025,Bob Ray,+12025550112,Wrong invoice,new\r\n"
)


def _wizard_on_mapping(qtbot: QtBot, office: Office, tmp_path: Path) -> ImportWizard:
    source = tmp_path / "old.csv"
    source.write_text(GOOD_CSV, encoding="utf-8")
    wizard = ImportWizard(office.db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.file_edit.setText(str(source))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    return wizard


def _count(office: Office) -> int:
    with office.db.reading() as uow:
        return queries.count_complaints(uow, queries.ComplaintFilter())


def test_a_cancelled_preview_goes_back_and_imports_nothing(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    wizard = _wizard_on_mapping(qtbot, office, tmp_path)
    wizard.next()
    dialog = progress.open_dialogs[-1]
    assert dialog.cancellable
    [cancel] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel"]
    cancel.click()  # before the check can answer: the answer is dropped
    assert wizard.currentPage() is wizard.mapping_page
    qtbot.waitUntil(lambda: background.pending() == 0)
    assert wizard.currentPage() is wizard.mapping_page, "the late answer did not move the wizard"
    assert "cancelled" in wizard.preview_page.summary.text()
    assert _count(office) == 0


def test_the_import_shows_its_progress_and_a_cancel_leaves_nothing_behind(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    wizard = _wizard_on_mapping(qtbot, office, tmp_path)
    wizard.next()
    page = wizard.preview_page
    qtbot.waitUntil(lambda: not page.checking)
    # Another writer holds the log, so the import waits at its start until released.
    path = office.db.sqlite_path
    assert path is not None
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        wizard.next()
        assert page.progress.isVisible() and page.cancel.isVisible()
        assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
        page.cancel.click()
    finally:
        blocker.rollback()
        blocker.close()
    qtbot.waitUntil(lambda: background.pending() == 0, timeout=30_000)
    assert "cancelled; nothing was imported" in page.summary.text()
    assert wizard.currentPage() is page and not page.progress.isVisible()
    assert _count(office) == 0
    wizard.next()  # imported after all, this time to the end
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=30_000)
    assert _count(office) == 2
