"""Passwords, kept in this computer's keyring (never in a file), or typed for this run only.

Every password CEO Desk needs goes through here: the office's database logins, and anything
later that signs in somewhere (a mail server). A keyring that is missing or locked is reported
in a person's words; reading then simply finds nothing, so the person is asked instead.
"""

from __future__ import annotations

import logging

from ceo_desk.errors import StorageError

_log = logging.getLogger(__name__)

# Passwords typed during this run, consulted before the keyring: a person who signs in without
# remembering the password is not asked again until the program ends.
_typed: dict[tuple[str, str], str] = {}


def database_service(host: str, port: int | None) -> str:
    """The keyring's service name for a PostgreSQL server (its logins are server-wide)."""
    return f"CEO Desk: PostgreSQL at {host}:{port or 5432}"


def mail_service(host: str, port: int) -> str:
    """The keyring's service name for the office's mail server."""
    return f"CEO Desk: mail server at {host}:{port}"


def get_password(service: str, user: str) -> str | None:
    """The password typed this run, else the one in the keyring, else None."""
    if (service, user) in _typed:
        return _typed[(service, user)]
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(service, user)
    except KeyringError as exc:
        _log.info("The keyring could not be read: %s", type(exc).__name__)
        return None


def use_for_this_run(service: str, user: str, password: str) -> None:
    """Use `password` until the program ends, without keeping it anywhere."""
    _typed[(service, user)] = password


def forget_typed() -> None:
    """Forget every password typed this run (signing out)."""
    _typed.clear()


def set_password(service: str, user: str, password: str) -> None:
    """Keep the password in this computer's keyring (and use it at once)."""
    import keyring
    from keyring.errors import KeyringError

    use_for_this_run(service, user, password)
    try:
        keyring.set_password(service, user, password)
    except KeyringError as exc:
        raise StorageError(
            "This computer's keyring could not keep the password "
            f"({exc or type(exc).__name__}). It was not saved anywhere; unlock or set up the "
            "keyring (for example the desktop's password manager) and try again, or type the "
            "password each time."
        ) from exc


def delete_password(service: str, user: str) -> bool:
    """Forget the password (this run's and the keyring's); False if none was kept."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    typed = _typed.pop((service, user), None) is not None
    try:
        keyring.delete_password(service, user)
    except PasswordDeleteError:
        return typed
    except KeyringError as exc:
        raise StorageError(
            f"This computer's keyring could not be changed ({exc or type(exc).__name__})."
        ) from exc
    return True
