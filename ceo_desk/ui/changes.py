"""The change hub: one Qt signal, on the GUI thread, after every write to the log.

`core.changes` says what each commit in this process changed; `core.change_feed` hears of commits
made by other processes and computers. The hub turns both into `changed(Changes)`, delivered on
the GUI thread, and each screen decides for itself whether to refresh (Anki's
`operation_did_execute(changes)`). Nothing that writes has to remember to tell the screens.
"""

from __future__ import annotations

import contextlib

import shiboken6
from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal, Slot

from ceo_desk.core import change_feed, changes
from ceo_desk.core.changes import Changes
from ceo_desk.core.database import Database
from ceo_desk.errors import CeoDeskError

# How often a SQLite log is asked whether another process wrote to it.
POLL_INTERVAL_MS = 1_000


def _close_all(feeds: list[change_feed.Feed]) -> None:
    for feed in feeds:
        feed.close()
    feeds.clear()


class ChangeHub(QObject):
    """Announces every change to the log as `changed(Changes)` on the GUI thread.

    Signals:
        changed(object): something was written (a `Changes`).
    """

    changed = Signal(object)
    # Carries a commit from the worker thread that made it to the GUI thread.
    _committed = Signal(object)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._committed.connect(self._on_committed, Qt.ConnectionType.QueuedConnection)
        changes.subscribe(self._from_any_thread)
        subscriber = self._from_any_thread
        self.destroyed.connect(lambda *_: changes.unsubscribe(subscriber))
        self._feed: change_feed.Feed | None = None
        # The feed's connection closes with the hub even if stop() was never called.
        self._feeds: list[change_feed.Feed] = []
        feeds = self._feeds
        self.destroyed.connect(lambda *_: _close_all(feeds))
        self._notifier: QSocketNotifier | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.watch_other_processes()

    def _from_any_thread(self, found: Changes) -> None:
        # Called on the thread that committed; the hub may already be gone.
        with contextlib.suppress(RuntimeError):
            if shiboken6.isValid(self):
                self._committed.emit(found)

    @Slot(object)
    def _on_committed(self, found: object) -> None:
        assert isinstance(found, Changes)
        self.changed.emit(found)

    def announce(self, found: Changes) -> None:
        """Announce a change made outside the ORM (a restore puts a whole file in place)."""
        self.changed.emit(found)

    # ------------------------------------------------------------ other processes

    def watch_other_processes(self) -> None:
        """(Re)open the feed from other processes; without one the hub hears only this one."""
        self.stop()
        try:
            self._feed = change_feed.open_feed(self._db.url)
        except CeoDeskError:
            # Without the feed this window still hears its own changes; others show on Refresh.
            self._feed = None
        if self._feed is None:
            return
        self._feeds.append(self._feed)
        socket = self._feed.fileno()
        if socket is None:
            self._timer.start()
            return
        self._notifier = QSocketNotifier(socket, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)

    def stop(self) -> None:
        self._timer.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._feed is not None:
            self._feed.close()
            self._feeds.remove(self._feed)
            self._feed = None

    def poll(self) -> Changes:
        """Read the feed now and announce what it heard (the timer and tests call this)."""
        if self._feed is None:
            return Changes()
        heard = self._feed.read()
        if heard:
            self.changed.emit(heard)
        return heard

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.poll()

    @Slot()
    def _on_notifier_activated(self) -> None:
        self.poll()
