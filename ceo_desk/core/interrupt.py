"""A read that another thread can cut short: the list's query when a newer one replaces it.

Typing in the search box starts a query per keystroke; the one before it is stopped where it is
(SQLite's `interrupt()`, PostgreSQL's cancel request) instead of being waited out. The connection
is only ever interrupted while the read that registered it is running, never after it went back to
the pool for someone else's work.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ceo_desk.errors import CeoDeskError
from ceo_desk.store.db import UnitOfWork

# How many SQLite virtual-machine steps between two looks at whether the read was cancelled
# (a few milliseconds of work). The look needs the interpreter lock: taken every 20,000 steps it
# made a long read take the lock from the GUI thread about every half millisecond while that
# thread painted. The statement running at the cancel is stopped at once by interrupt().
_SQLITE_STEPS = 500_000


class Interrupted(CeoDeskError):
    """The read was stopped because a newer one replaced it; nobody is waiting for its answer."""


class Interruptible:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connection: Any = None
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    @contextmanager
    def running(self, uow: UnitOfWork) -> Iterator[None]:
        """Make the reads inside this block interruptible by `cancel()` from another thread."""
        raw = uow.session.connection().connection.driver_connection
        with self._lock:
            if self._cancelled:
                raise Interrupted("replaced by a newer query")
            self._connection = raw
        if isinstance(raw, sqlite3.Connection):
            # interrupt() stops only the statement running at that moment; this also stops
            # the ones this read starts after it was cancelled.
            raw.set_progress_handler(self._stop_sqlite, _SQLITE_STEPS)
        try:
            yield
        except Exception as exc:
            if self._cancelled:
                raise Interrupted("replaced by a newer query") from exc
            raise
        finally:
            with self._lock:
                self._connection = None
            if isinstance(raw, sqlite3.Connection):
                raw.set_progress_handler(None, _SQLITE_STEPS)

    def _stop_sqlite(self) -> int:
        return 1 if self._cancelled else 0

    def cancel(self) -> None:
        """Stop the read now if it is running, and refuse to start it if it has not."""
        with self._lock:
            self._cancelled = True
            connection = self._connection
            if connection is None:
                return
            if isinstance(connection, sqlite3.Connection):
                connection.interrupt()
            else:
                # psycopg: sends the server a cancel request and waits until it is delivered,
                # so it cannot reach a later query on the same connection.
                connection.cancel_safe()
