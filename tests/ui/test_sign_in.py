"""Sign in: the app asks for the office login's password when the keyring has none, opens the
log with it, and keeps it in the keyring when asked to."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ceo_desk import secrets
from ceo_desk.enums import Role
from ceo_desk.errors import PasswordNeeded
from ceo_desk.ui.dialogs.sign_in import SignIn, SignInDialog
from ceo_desk.ui.main_window import MainWindow
from tests.integration.test_office_sign_in import _service, _without_password
from tests.memory_keyring import MemoryKeyring
from tests.office_logins import Office, office_db

__all__ = ["office_db"]


def _needed(refused: bool = False) -> PasswordNeeded:
    return PasswordNeeded(
        "asks",
        service=secrets.database_service("db.example.com", 5432),
        login="sam",
        refused=refused,
    )


def test_sign_in_is_only_possible_with_a_password(qtbot: QtBot) -> None:
    dialog = SignInDialog(_needed())
    qtbot.addWidget(dialog)
    assert not dialog.sign_in_button.isEnabled()
    dialog.password.setText("sam-secret")
    assert dialog.sign_in_button.isEnabled()
    assert dialog.answer() == SignIn("sam-secret", remember=True)
    dialog.remember.setChecked(False)
    assert dialog.answer() == SignIn("sam-secret", remember=False)


def test_a_refused_password_is_said_to_be_refused(qtbot: QtBot) -> None:
    asked, refused = SignInDialog(_needed()), SignInDialog(_needed(refused=True))
    qtbot.addWidget(asked)
    qtbot.addWidget(refused)
    assert "does not hold it yet" in asked.intro.text()
    assert "refused the password for <b>sam</b>" in refused.intro.text()


@pytest.mark.postgres
def test_the_app_asks_for_the_password_and_keeps_it_when_asked(
    qtbot: QtBot,
    office_db: Office,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ceo_desk.ui import app

    asked: list[PasswordNeeded] = []

    def type_password(parent: object, needed: PasswordNeeded) -> SignIn:
        asked.append(needed)
        return SignIn("sam-secret", remember=True)

    monkeypatch.setattr(SignInDialog, "ask", type_password)
    opened: list[bool] = []

    def close_when_ready() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or not windows[0].is_attached:
            QTimer.singleShot(20, close_when_ready)
            return
        opened.append(True)
        windows[0].close()

    QTimer.singleShot(0, close_when_ready)
    url = _without_password(office_db.urls[Role.ASSISTANT])
    assert app.run_app(db_option=url, demo=False) == 0
    assert opened == [True]
    assert [(n.login, n.refused) for n in asked] == [("sam", False)]
    assert memory_keyring.passwords == {(_service(office_db), "sam"): "sam-secret"}
