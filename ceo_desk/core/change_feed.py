"""Hearing of changes other processes and computers commit to the same log.

SQLite: `PRAGMA data_version` on a connection of our own changes whenever another connection
commits. Reading it costs a few microseconds and never waits for a lock, so the screens poll it
on a timer. It cannot say what changed, only that something did (`Changes(unknown=True)`), and it
also moves for this process's own writes made through the engine's other connections; those
were already announced precisely, and one more refresh of the open lists is harmless.

PostgreSQL: every write sends a NOTIFY in its own transaction (see `core.changes`); a connection
of our own LISTENs, and its socket becomes readable when a notification arrives, so the screens
watch the socket instead of polling. Notifications this process sent are skipped: it announced
them itself.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import make_url

from ceo_desk.core import changes
from ceo_desk.core.changes import Changes
from ceo_desk.errors import StorageError
from ceo_desk.store.db import sqlite_path


class Feed(Protocol):
    def fileno(self) -> int | None:
        """A socket to watch for readability, or None when the feed must be polled."""

    def read(self) -> Changes:
        """What changed since the last read (empty when nothing did); never blocks."""

    def close(self) -> None: ...


class SqliteFeed:
    """Polls `PRAGMA data_version` on a read-only connection of its own."""

    def __init__(self, path: Path) -> None:
        # timeout=0: a poll that would wait for a lock reports "no change" and tries again later.
        self._connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0, check_same_thread=False
        )
        self._version = self._data_version()

    def _data_version(self) -> int | None:
        try:
            row = self._connection.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0]) if row else None

    def fileno(self) -> int | None:
        return None

    def read(self) -> Changes:
        version = self._data_version()
        if version is None or version == self._version:
            return Changes()
        self._version = version
        return changes.EVERYTHING

    def close(self) -> None:
        self._connection.close()


class PostgresFeed:
    """LISTENs on the change channel over a connection of its own."""

    def __init__(self, url: str) -> None:
        import psycopg  # loaded for a PostgreSQL log only: a SQLite log opens without it

        self._failure = psycopg.Error
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._connection = psycopg.connect(conninfo, autocommit=True)
        self._connection.execute(f"LISTEN {changes.CHANNEL}")

    def fileno(self) -> int | None:
        return self._connection.fileno()

    def read(self) -> Changes:
        found = Changes()
        try:
            for notify in self._connection.notifies(timeout=0):
                origin, heard = Changes.from_payload(notify.payload)
                if origin != changes.ORIGIN:
                    found = found | heard
        except self._failure:
            return changes.EVERYTHING  # the connection broke: assume anything may have changed
        return found

    def close(self) -> None:
        self._connection.close()


def open_feed(url: str) -> Feed | None:
    """The feed for the log at `url`, or None when there is nothing to watch (in memory).

    Raises StorageError when the feed cannot be opened; the log itself still works.
    """
    try:
        if make_url(url).get_backend_name() == "postgresql":
            import psycopg

            try:
                return PostgresFeed(url)
            except psycopg.Error as exc:
                raise _cannot_follow(exc) from exc
        path = sqlite_path(url)
        return None if path is None else SqliteFeed(path)
    except (OSError, sqlite3.Error) as exc:
        raise _cannot_follow(exc) from exc


def _cannot_follow(exc: Exception) -> StorageError:
    return StorageError(
        f"Changes made on other computers cannot be followed ({exc}); use Refresh to see them."
    )
