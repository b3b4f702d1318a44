"""Settings → Email: the mail server (password to the keyring only) and the templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ceo_desk import secrets
from ceo_desk.core.mail import templates
from ceo_desk.core.services import office
from ceo_desk.enums import MessageKind
from ceo_desk.store.db import Database
from ceo_desk.ui.dialogs.settings_dialog import SettingsDialog
from tests.memory_keyring import MemoryKeyring


@pytest.fixture
def dialog(qtbot: QtBot, sqlite_db: Database) -> SettingsDialog:
    widget = SettingsDialog(sqlite_db)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.show()
    widget.tabs.setCurrentWidget(widget.email)
    return widget


def test_the_mail_server_is_saved_and_its_password_goes_to_the_keyring_only(
    qtbot: QtBot,
    dialog: SettingsDialog,
    sqlite_db: Database,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    page = dialog.email
    page.host.setText(" smtp.example.com ")
    page.security.setCurrentIndex(page.security.findData("tls"))
    assert page.port.value() == 465  # the usual port follows the security chosen
    page.user.setText("ceo.office")
    page.password.setText("s3cret-Pa55")
    page.send_as.setText("ceo.office@example.com")
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000):
        dialog.save_button.click()
    with sqlite_db.reading() as uow:
        saved = office.load_settings(uow)
    assert (saved.smtp_host, saved.smtp_port, saved.smtp_security) == (
        "smtp.example.com",
        465,
        "tls",
    )
    assert (saved.smtp_user, saved.mail_from) == ("ceo.office", "ceo.office@example.com")
    secrets.forget_typed()
    kept = secrets.get_password(secrets.mail_service("smtp.example.com", 465), "ceo.office")
    assert kept == "s3cret-Pa55"
    # Nowhere in the log's file, or any other file the test's folders hold.
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"s3cret-Pa55" not in path.read_bytes(), path


def test_a_bad_server_name_is_answered_beside_its_field_and_nothing_is_saved(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    dialog.tabs.setCurrentIndex(0)
    dialog.email.host.setText("smtp example com")
    dialog.save_button.click()
    error = dialog.errors["smtp_host"]
    assert "is not a server name" in error.text() and error.isVisible()
    assert dialog.tabs.currentWidget() is dialog.email
    with sqlite_db.reading() as uow:
        assert office.load_settings(uow).smtp_host == ""


def test_a_template_is_edited_kept_across_kinds_and_saved(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    page = dialog.email
    page.kind.setCurrentIndex(page.kind.findData(MessageKind.SENT_BACK.value))
    page.subject.setText("Back to you: {reference}")
    page.body.setPlainText("{delegate_first_name}, the CEO says: {comment}")
    page.kind.setCurrentIndex(page.kind.findData(MessageKind.CHASE.value))
    assert page.subject.text() == templates.DEFAULTS[MessageKind.CHASE][0]
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000):
        dialog.save_button.click()
    with sqlite_db.reading() as uow:
        saved = templates.get(uow, MessageKind.SENT_BACK)
        untouched = templates.get(uow, MessageKind.CHASE)
    assert saved.edited and saved.subject == "Back to you: {reference}"
    assert saved.body == "{delegate_first_name}, the CEO says: {comment}"
    assert not untouched.edited


def test_an_unknown_value_in_a_template_is_refused_on_its_kind(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    page = dialog.email
    page.kind.setCurrentIndex(page.kind.findData(MessageKind.ESCALATION.value))
    page.body.setPlainText("Dear {head},")
    page.kind.setCurrentIndex(0)
    dialog.save_button.click()
    assert MessageKind(page.kind.currentData()) is MessageKind.ESCALATION
    assert "{head}" in page.template_error.text()
    with sqlite_db.reading() as uow:
        assert not templates.get(uow, MessageKind.ESCALATION).edited
