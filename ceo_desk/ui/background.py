"""The one way the GUI runs slow work: off the GUI thread, results delivered back on it.

`run_in_background(op, on_done, on_error)` runs `op()` on a worker thread of a small shared pool
and calls `on_done(result)` or `on_error(exception)` on the GUI thread. The operation must not
touch widgets and must open its own unit of work (`with db.reading() as uow: ...`), so no session
is ever shared between threads. When `owner` is given and is destroyed before the work finishes,
the result is dropped instead of being delivered to a widget that no longer exists.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

T = TypeVar("T")

# SQLite allows one writer at a time; two workers keep the GUI responsive without piling up
# writers that would only queue on the database lock.
MAX_WORKERS = 2

_pool: QThreadPool | None = None
_home: QObject | None = None
_in_flight: set[_Relay] = set()


def pool() -> QThreadPool:
    """The shared worker pool, created on first use (never at import time)."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(MAX_WORKERS)
    return _pool


def _relay_parent() -> QObject:
    """The GUI-thread parent of every relay.

    A relay owned by its parent (not by Python) is never deleted when a worker thread drops the
    last Python reference to it; it is deleted with deleteLater() on the GUI thread instead, after
    its result has been delivered.
    """
    global _home
    if _home is None:
        _home = QObject()
    return _home


class _Relay(QObject):
    """Lives on the GUI thread; receives the worker's signals through queued connections.

    Its owner's destruction only marks the result unwanted: the relay itself lives until the
    result arrives, so a worker never emits on a deleted object.
    """

    finished = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
        owner: QObject | None,
    ) -> None:
        super().__init__(_relay_parent())
        self._on_done = on_done
        self._on_error = on_error
        self._owner = owner
        self._owner_gone = False
        self.task: _Task | None = None
        if owner is not None:
            owner.destroyed.connect(self._on_owner_destroyed)
        self.finished.connect(self._on_task_finished, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._on_task_failed, Qt.ConnectionType.QueuedConnection)

    @property
    def owner(self) -> QObject | None:
        return self._owner

    @Slot()
    def _on_owner_destroyed(self) -> None:
        self._owner_gone = True
        self._owner = None

    def _release(self) -> None:
        _in_flight.discard(self)
        if self._owner is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self._owner.destroyed.disconnect(self._on_owner_destroyed)
        self.deleteLater()

    @Slot(object)
    def _on_task_finished(self, result: object) -> None:
        self._release()
        if not self._owner_gone:
            self._on_done(result)

    @Slot(object)
    def _on_task_failed(self, exc: object) -> None:
        self._release()
        assert isinstance(exc, BaseException)
        if self._owner_gone:
            return
        if self._on_error is not None:
            self._on_error(exc)
            return
        from PySide6.QtWidgets import QWidget

        from ceo_desk.ui.error_dialogs import show_error

        owner = self._owner
        show_error(owner if isinstance(owner, QWidget) else None, exc)


class _Task(QRunnable):
    """Runs the operation on a worker thread and emits its outcome through the relay."""

    def __init__(self, op: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        # Python keeps the runnable alive; Qt reads autoDelete before run() and never after.
        self.setAutoDelete(False)
        self._op = op
        self._relay = relay
        relay.task = self

    def run(self) -> None:
        relay = self._relay
        try:
            result = self._op()
        except BaseException as exc:  # delivered to on_error on the GUI thread
            relay.failed.emit(exc)
            return
        relay.finished.emit(result)


def run_in_background(
    op: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None] | None = None,
    *,
    owner: QObject | None = None,
) -> None:
    """Run `op()` on a worker thread; deliver its result or exception on the GUI thread.

    Args:
        op: the work; opens its own unit of work and never touches widgets.
        on_done: called with the result on the GUI thread.
        on_error: called with the exception on the GUI thread; by default the error is shown in
            a dialog (a domain error's message, or a logged "something unexpected" line).
        owner: when destroyed first, the result is silently dropped.
    """
    relay = _Relay(on_done, on_error, owner)
    _in_flight.add(relay)
    pool().start(_Task(op, relay))


def pending() -> int:
    """How many operations have not yet delivered their result (for shutdown and tests)."""
    return len(_in_flight)


def in_flight(owner: QObject) -> int:
    """How many operations owned by `owner` have not yet delivered their result."""
    return sum(1 for relay in _in_flight if relay.owner is owner)


def wait_for_workers(timeout_ms: int = 30_000) -> bool:
    """Block until the workers are idle (used on quit so no write is cut short)."""
    deadline = time.monotonic() + timeout_ms / 1000
    # waitForDone() keeps the interpreter lock while it blocks, so a worker still running Python
    # (opening the log, say) could never finish; wait in short steps and sleep between them.
    while not pool().waitForDone(10):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
