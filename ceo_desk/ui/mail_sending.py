"""The app sends the outbox by itself while it is open: every minute, and soon after a write
that may have queued a message. The sending runs off the GUI thread (`run_in_background`); one
run at a time, and a run asked for meanwhile follows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database

if TYPE_CHECKING:
    from ceo_desk.core.mail.sender import SendReport
from ceo_desk.ui.background import run_in_background

INTERVAL_MS = 60_000
# A write just happened: wait this long so its commit, and the next ones, are in.
SOON_MS = 1_500


class MailSending(QObject):
    """Signals:
    sent(object): a run finished; its `SendReport`.
    status_message(str): what a person should hear about it (sent, or why not).
    """

    sent = Signal(object)
    status_message = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._running = False
        self._again = False
        self._last_error = ""
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.send_now)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self.send_now)

    def start(self) -> None:
        self._timer.start()
        self.send_soon()

    def stop(self) -> None:
        self._timer.stop()
        self._soon.stop()

    def send_soon(self) -> None:
        """Send shortly (a write may have queued a message)."""
        self._soon.start()

    def send_now(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        db = self._db

        def op() -> SendReport:
            # Loaded on first use: SMTP and TLS are not needed to open the window.
            from ceo_desk.core.mail import sender
            from ceo_desk.reports import mail_files

            return sender.send_pending(
                db, now=SYSTEM_CLOCK.now(), attach=mail_files.report_forms(db)
            )

        run_in_background(op, self._on_done, self._on_failed, owner=self)

    def _on_done(self, report: SendReport) -> None:
        self._running = False
        if report.sent:
            noun = "email" if report.sent == 1 else "emails"
            self.status_message.emit(f"{report.sent} {noun} sent.")
        error = report.errors[0] if report.errors else ""
        if error and error != self._last_error:  # say it once, not every minute
            self.status_message.emit(f"Email waits in the Outbox: {error}")
        self._last_error = error
        self.sent.emit(report)
        self._next()

    def _on_failed(self, exc: BaseException) -> None:
        self._running = False
        message = getattr(exc, "message", "") or type(exc).__name__
        if message != self._last_error:
            self.status_message.emit(f"Email could not be sent now: {message}")
        self._last_error = message
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.send_now()
