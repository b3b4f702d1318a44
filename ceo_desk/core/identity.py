"""Who is acting: the operating-system account on a local log, the database login on PostgreSQL.

Taken from the real user id (never LOGNAME or USER, which anyone can set) and from the server's
`current_user`, so the name in every event is the account that really acted.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine


def account_name(uid: int) -> str:
    """The name of the account with user id `uid` (its number when it has no name)."""
    try:
        import pwd
    except ImportError:  # Windows has no user database: the login name is the account
        import getpass

        return getpass.getuser()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def os_account() -> str:
    """The operating-system account running this process."""
    getuid = getattr(os, "getuid", None)
    return account_name(getuid()) if getuid is not None else account_name(-1)


def file_owner(path: Path) -> str:
    """The account owning a file: the person an existing single-person log belongs to."""
    return account_name(path.stat().st_uid)


def database_login(engine: Engine) -> str:
    """The PostgreSQL login the engine connects as."""
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT current_user")).scalar_one())


def of_engine(engine: Engine) -> str:
    """The identity acting through `engine`: the database login, or this computer's account."""
    if engine.dialect.name == "postgresql":
        return database_login(engine)
    return os_account()


def first_owner(engine: Engine) -> str:
    """Who holds owner, CEO and assistant on a log that has no grants yet: the account owning
    the file on SQLite (an existing single-person log is theirs; a new one was just created by
    this account), the login opening it on PostgreSQL."""
    if engine.dialect.name == "postgresql":
        return database_login(engine)
    database = engine.url.database
    if database and database != ":memory:" and Path(database).exists():
        return file_owner(Path(database))
    return os_account()
