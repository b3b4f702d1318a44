"""While the app is open it sends the reminders due, as `ceo-desk reminders run` does.

A timer starts a run shortly after the log opens and then every few minutes, off the GUI thread;
a run never starts while the last one is still going. Only someone who may read the whole log
runs them (a delegate's app does not). Queuing is once per reminder whoever runs it, so the app
and a scheduled command on the same log never send a reminder twice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ceo_desk.core import permissions
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.permissions import Action
from ceo_desk.enums import Role
from ceo_desk.logs import user_message
from ceo_desk.ui.background import run_in_background

if TYPE_CHECKING:
    from ceo_desk.core.services.reminders import RunReport

_log = logging.getLogger(__name__)

FIRST_RUN_AFTER_MS = 60_000  # let the opening screens load first
EVERY_MS = 10 * 60_000


class ReminderRunner(QObject):
    """Runs the reminders now and then while the app is open.

    Signals:
        ran(RunReport): a run finished (what it queued and how the sending went).
        run_failed(str): a run could not finish; the sentence says why (it is tried again).
    """

    ran = Signal(object)
    run_failed = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._allowed = False
        self.running = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timer_timeout)

    def set_roles(self, roles: frozenset[Role]) -> None:
        """Who is signed in decides whether this app runs the reminders."""
        allowed = permissions.allows(roles, Action.READ_LOG)
        if allowed == self._allowed:
            return
        self._allowed = allowed
        if allowed:
            self.timer.start(FIRST_RUN_AFTER_MS)
        else:
            self.timer.stop()

    @property
    def allowed(self) -> bool:
        return self._allowed

    def run_now(self) -> bool:
        """Start a run unless one is going or this person does not run reminders."""
        if self.running or not self._allowed:
            return False
        self.running = True
        db = self._db

        def op() -> RunReport:
            # Loaded at the first run, not while the window opens: it brings in the mail code.
            from ceo_desk.core.services import reminders
            from ceo_desk.reports import mail_files

            return reminders.run(db, now=SYSTEM_CLOCK.now(), attach=mail_files.report_forms(db))

        run_in_background(
            op,
            self._on_run_done,
            self._on_run_error,
            owner=self,
        )
        return True

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.run_now()
        self.timer.start(EVERY_MS)

    def _on_run_done(self, report: RunReport) -> None:
        self.running = False
        self.ran.emit(report)

    def _on_run_error(self, exc: BaseException) -> None:
        self.running = False
        # Nobody asked for this run: no dialog. The next run tries again.
        _log.warning("Reminders could not be sent: %s", type(exc).__name__)
        self.run_failed.emit(user_message(exc))
