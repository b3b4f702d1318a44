"""Signing in to the office: a login's password comes from this computer's keyring, or is typed
at a terminal; without either, the command says what to do and changes nothing."""

from __future__ import annotations

import getpass

import pytest
from sqlalchemy import text

from ceo_desk import cli, secrets
from ceo_desk.cli import sign_in
from ceo_desk.core.database import open_database
from ceo_desk.enums import Role
from ceo_desk.errors import PasswordNeeded
from tests.memory_keyring import MemoryKeyring
from tests.office_logins import Office, office_db

__all__ = ["office_db"]

pytestmark = pytest.mark.postgres


def _without_password(url: str) -> str:
    """The URL as a person gives it: the login, never its password."""
    head, tail = url.split("@", 1)
    return head.rsplit(":", 1)[0] + "@" + tail


def _service(office: Office) -> str:
    port = int(office.admin.rsplit(":", 1)[1].split("/", 1)[0])
    return secrets.database_service("127.0.0.1", port)


def test_the_password_kept_in_the_keyring_signs_the_login_in(
    office_db: Office, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.set_password(_service(office_db), "sam", "sam-secret")
    db = open_database(_without_password(office_db.urls[Role.ASSISTANT]))
    try:
        with db.reading() as uow:
            assert uow.session.scalar(text("SELECT current_user")) == "sam"
    finally:
        db.close()


def test_without_a_kept_password_the_command_says_what_to_do(
    office_db: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _without_password(office_db.urls[Role.ASSISTANT])
    assert cli.main(["--db", url, "list"]) == 2
    said = capsys.readouterr().err
    assert "asks for the password of sam" in said
    assert "keyring has none" in said
    assert "Run the command in a terminal" in said
    assert "Traceback" not in said


def test_a_refused_password_is_told_as_such(
    office_db: Office, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.set_password(_service(office_db), "sam", "not-the-password")
    with pytest.raises(PasswordNeeded) as needed:
        open_database(_without_password(office_db.urls[Role.ASSISTANT]))
    assert needed.value.refused
    assert "refused the password for sam" in str(needed.value)


def test_at_a_terminal_the_password_is_asked_and_may_be_kept(
    office_db: Office,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    typed = iter(["wrong-guess", "sam-secret"])
    monkeypatch.setattr(sign_in, "interactive", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    monkeypatch.setattr(sign_in, "_yes", lambda question: True)
    url = _without_password(office_db.urls[Role.ASSISTANT])
    assert cli.main(["--db", url, "list"]) == 0
    assert "that password was refused" in capsys.readouterr().err
    assert memory_keyring.passwords == {(_service(office_db), "sam"): "sam-secret"}
