"""Signing in on the command line: the password a PostgreSQL server asks for, typed in a terminal.

The password comes from the keyring when it holds one (see `ceo_desk.secrets`); otherwise a
person at a terminal is asked, and may keep it in the keyring. A command run without a terminal
(a script, a scheduled job) is told what to do instead of waiting for an answer nobody gives.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from typing import TypeVar

from ceo_desk import secrets
from ceo_desk.errors import PasswordNeeded, ValidationError

T = TypeVar("T")

TRIES = 3


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def opening(open_it: Callable[[], T]) -> T:
    """Run `open_it`, asking for the password while the server asks for one (up to 3 times)."""
    typed: tuple[str, str, str] | None = None
    for attempt in range(1, TRIES + 1):
        try:
            opened = open_it()
        except PasswordNeeded as needed:
            if not interactive() or attempt == TRIES:
                raise
            if needed.refused and typed is not None:
                print("ceo-desk: that password was refused.", file=sys.stderr)
            password = getpass.getpass(f"Password for {needed.login} ({_server(needed)}): ")
            if not password:
                raise
            secrets.use_for_this_run(needed.service, needed.login, password)
            typed = (needed.service, needed.login, password)
            continue
        if typed is not None and _yes("Keep this password in this computer's keyring? [y/N] "):
            secrets.set_password(*typed)
            print("ceo-desk: the password is kept in this computer's keyring.", file=sys.stderr)
        return opened
    raise AssertionError("unreachable: the last attempt returns or raises")


def _server(needed: PasswordNeeded) -> str:
    return needed.service.rsplit(" at ", 1)[-1]


def _yes(question: str) -> bool:
    print(question, end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return answer.strip().lower() in ("y", "yes")


def new_password(login: str, *, generate: bool) -> str:
    """A password for a new login: generated (to be shown once), or typed twice at a terminal."""
    from ceo_desk.store.office import generated_password

    if generate:
        return generated_password()
    if not interactive():
        raise ValidationError(
            f"A password for {login} is needed: run this in a terminal to type it, or add "
            "--generate-password to have one made and shown once. Nothing was changed.",
            field="password",
        )
    first = getpass.getpass(f"New password for {login}: ")
    if len(first) < 8:
        raise ValidationError(
            "A password needs at least 8 characters (or use --generate-password). Nothing was "
            "changed.",
            field="password",
        )
    if getpass.getpass("The same password again: ") != first:
        raise ValidationError(
            "The two passwords typed differ. Nothing was changed; try again.", field="password"
        )
    return first
