"""The data-safety screens: back up, restore, import wizard, export, erase a customer."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ceo_desk import paths
from ceo_desk.core import queries
from ceo_desk.core.intake import sheet_mapping
from ceo_desk.core.safety import backups
from ceo_desk.store import backup
from ceo_desk.store.db import Database
from ceo_desk.store.models import Customer
from ceo_desk.ui import customer_data, error_dialogs, file_menu
from ceo_desk.ui.dialogs import ask, choose_backup
from ceo_desk.ui.dialogs.ask import Ask
from ceo_desk.ui.dialogs.export_range import ExportRangeDialog
from ceo_desk.ui.dialogs.import_wizard import ImportWizard
from tests.builders import Office, awaiting_callback, log
from tests.ui.screens import cell_text

GOOD_CSV = (
    "Exported from OldCRM\r\n"
    "Ref,Received,Customer,Phone,Summary,Status\r\n"
    'OLD-1,14/03/2025,Ann Lee,+12025550111,"Late parcel\r\nsecond line",resolved\r\n'
    "OLD-2,15/03/2025,Bob Ray,+12025550112,Wrong invoice,new\r\n"
)
BAD_CSV = GOOD_CSV + "OLD-3,31/02/2025,Cleo Fox,+12025550113,Rude driver,new\r\n"


@pytest.fixture(autouse=True)
def _close_notices() -> Iterator[None]:
    yield
    for box in list(ask.notices):
        if shiboken6.isValid(box):
            box.close()
    ask.notices.clear()


def _notice_titles() -> list[str]:
    return [box.windowTitle() for box in ask.notices]


def _references(db: Database) -> list[str]:
    with db.reading() as uow:
        rows = queries.list_complaints(uow, queries.ComplaintFilter(), limit=100)
    return sorted(r.reference for r in rows)


def test_backup_now_takes_a_verified_backup(qtbot: QtBot, office: Office) -> None:
    log(office.db, "Ann Lee", "Late parcel", "+12025550111")
    file_menu.backup_now(None, office.db)
    qtbot.waitUntil(lambda: "Backup taken" in _notice_titles())
    assert office.db.sqlite_path is not None
    [made] = backup.list_backups(paths.backups_dir(office.db.sqlite_path))
    assert backup.integrity_problems(made.path) == []
    assert str(made.path) in ask.notices[-1].text()


def test_restore_puts_the_backup_back_after_confirmation(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = log(office.db, "Ann Lee", "Late parcel", "+12025550111")
    made = backups.backup_now(office.db)
    later = log(office.db, "Bob Ray", "Wrong invoice", "+12025550112")
    monkeypatch.setattr(Ask, "choose_backup", classmethod(lambda cls, *a: choose_backup.OTHER_FILE))
    monkeypatch.setattr(Ask, "open_path", classmethod(lambda cls, *a: str(made)))
    questions: list[str] = []

    def confirm(cls: object, parent: object, title: str, text: str, action: str) -> bool:
        questions.append(text)
        return len(questions) > 1  # say no the first time, yes the second

    monkeypatch.setattr(Ask, "confirm", classmethod(confirm))
    restored: list[bool] = []
    file_menu.restore_backup(None, office.db, lambda: restored.append(True))
    qtbot.waitUntil(lambda: len(questions) == 1)
    assert _references(office.db) == sorted([kept, later])

    file_menu.restore_backup(None, office.db, lambda: restored.append(True))
    qtbot.waitUntil(lambda: restored == [True], timeout=10_000)
    assert "backed up first" in questions[-1]
    assert _references(office.db) == [kept]
    assert "Log restored" in _notice_titles()


def test_restore_refuses_a_file_that_is_not_a_backup(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    junk = tmp_path / "holiday.jpg"
    junk.write_bytes(b"\xff\xd8\xff" + b"0" * 5000)
    monkeypatch.setattr(Ask, "choose_backup", classmethod(lambda cls, *a: choose_backup.OTHER_FILE))
    monkeypatch.setattr(Ask, "open_path", classmethod(lambda cls, *a: str(junk)))
    monkeypatch.setattr(Ask, "confirm", classmethod(lambda cls, *a: pytest.fail("not asked")))
    file_menu.restore_backup(None, office.db, lambda: pytest.fail("not restored"))
    qtbot.waitUntil(lambda: bool(error_dialogs.shown))
    assert error_dialogs.shown and "nothing was restored" in error_dialogs.shown[-1].text()


def test_erase_customer_only_after_confirmation(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    log(office.db, "Ann Lee", "Late parcel", "+12025550111")
    with office.db.reading() as uow:
        customer_id = uow.session.scalar(select(Customer.id))
    assert customer_id is not None
    asked: list[bool] = []

    def answer(cls: object, *args: object) -> bool:
        asked.append(True)
        return len(asked) > 1  # no the first time, yes the second

    monkeypatch.setattr(Ask, "confirm", classmethod(answer))
    erased: list[bool] = []
    customer_data.erase_customer(None, office.db, customer_id, lambda: erased.append(True))
    qtbot.waitUntil(lambda: len(asked) == 1)
    with office.db.reading() as uow:
        customer = uow.session.get(Customer, customer_id)
        assert customer is not None and customer.erased_at is None
    customer_data.erase_customer(None, office.db, customer_id, lambda: erased.append(True))
    qtbot.waitUntil(lambda: erased == [True], timeout=10_000)
    with office.db.reading() as uow:
        customer = uow.session.get(Customer, customer_id)
        assert customer is not None and customer.erased_at is not None
        assert "Ann" not in customer.name


def test_export_complaints_writes_the_chosen_file(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = log(office.db, "=cmd|' /C calc'!A0", "Late parcel", "+12025550111")
    target = tmp_path / "out.csv"
    monkeypatch.setattr(Ask, "export_range", classmethod(lambda cls, parent: (None, None)))
    monkeypatch.setattr(Ask, "save_path", classmethod(lambda cls, *a: str(target)))
    file_menu.export_complaints(None, office.db)
    qtbot.waitUntil(lambda: "Exported" in _notice_titles())
    [row] = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert row["Reference"] == ref and row["Customer name"].startswith("'=")


def test_export_range_dialog_refuses_a_reversed_range(qtbot: QtBot) -> None:
    dialog = ExportRangeDialog()
    qtbot.addWidget(dialog)
    dialog.use_from.setChecked(True)
    dialog.use_to.setChecked(True)
    dialog.date_to.setDate(dialog.date_from.date().addDays(-3))
    dialog._on_buttons_accepted()
    assert dialog.error.isVisibleTo(dialog) and "after" in dialog.error.text()
    assert dialog.result() == 0


def test_export_callbacks_calendar(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    awaiting_callback(office.db, office.ortiz)
    target = tmp_path / "calls"
    monkeypatch.setattr(Ask, "save_path", classmethod(lambda cls, *a: str(target)))
    file_menu.export_callbacks_calendar(None, office.db)
    qtbot.waitUntil(lambda: "Callbacks exported" in _notice_titles())
    assert b"Call back Ana Lima" in (tmp_path / "calls.ics").read_bytes()


def _wizard_on(qtbot: QtBot, db: Database, csv_path: Path) -> ImportWizard:
    wizard = ImportWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.file_edit.setText(str(csv_path))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    return wizard


def test_import_wizard_maps_columns_previews_and_imports(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "old.csv"
    source.write_text(GOOD_CSV, encoding="utf-8")
    wizard = _wizard_on(qtbot, office.db, source)
    fields = [combo.currentData() for combo in wizard.mapping_page.combos]
    assert fields == ["reference", "received_at", "customer_name", "phone", "summary", "status"]

    saved = tmp_path / "oldcrm.toml"
    monkeypatch.setattr(Ask, "save_path", classmethod(lambda cls, *a: str(saved)))
    wizard.mapping_page._on_save_clicked()
    assert sheet_mapping.load_mapping(saved).fields["customer_name"] == ["Customer"]

    imported: list[int] = []
    wizard.complaints_imported.connect(imported.append)
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    qtbot.waitUntil(lambda: not wizard.preview_page.checking)
    assert wizard.preview_page.isComplete()
    assert "All 2 row(s) are ready" in wizard.preview_page.summary.text()
    assert wizard.preview_page.preview.rowCount() == 2
    assert _references(office.db) == []  # the preview imported nothing

    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    assert imported == [2]
    assert _references(office.db) == ["OLD-1", "OLD-2"]


def test_import_wizard_lists_bad_rows_and_imports_nothing(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(BAD_CSV, encoding="utf-8")
    wizard = _wizard_on(qtbot, office.db, source)
    wizard.next()
    page = wizard.preview_page
    qtbot.waitUntil(lambda: not page.checking)
    assert not page.isComplete()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert page.problems.rowCount() == 1
    assert cell_text(page.problems, 0, 0) == "6"  # counted across the two-line text above
    assert "not a date" in cell_text(page.problems, 0, 2)
    assert _references(office.db) == []


def test_import_wizard_needs_the_required_columns(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    source = tmp_path / "old.csv"
    source.write_text(GOOD_CSV, encoding="utf-8")
    wizard = _wizard_on(qtbot, office.db, source)
    wizard.mapping_page.combos[4].setCurrentIndex(0)  # Summary -> ignore
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    assert "summary" in wizard.mapping_page.error.text()


def test_file_page_explains_an_unreadable_file(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    source = tmp_path / "notes.csv"
    source.write_text("just,some\nnumbers,1\n", encoding="utf-8")
    wizard = ImportWizard(office.db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.file_edit.setText(str(source))
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert "No header row" in wizard.file_page.error.text()


def test_file_menu_actions_cover_every_operation(qtbot: QtBot, office: Office) -> None:
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    actions = file_menu.file_menu_actions(window, lambda: office.db, lambda: None)
    texts = [a.text() for a in actions]
    assert "Back up now" in texts and "Restore from a backup…" in texts
    assert "Import complaints…" in texts and "Export complaints…" in texts
