"""Offering an email at once when there is no mail server: right after a person delegates,
re-delegates or sends a report back, the delegate's email is offered to open in their mail
program (and recorded as handed over when it opens). Declined, it waits in the Outbox.

The offer does not block: it is a small window beside the main one, so work goes on.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.mail import outbox
from ceo_desk.core.mail.outbox import OutboxRow
from ceo_desk.errors import CeoDeskError
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error

# Offers shown and not yet answered, newest last (tests read them instead of clicking).
offers: list[QMessageBox] = []


def open_url(url: QUrl) -> bool:
    """Hand a mailto: link to the desktop's mail program; replaced in tests."""
    from ceo_desk.ui.views import outbox as outbox_view

    return outbox_view.open_url(url)


class DraftOffer(QObject):
    """Signals:
    handed_over(object): a draft was opened in the mail program and recorded (its OutboxRow).
    """

    handed_over = Signal(object)

    def __init__(self, db: Database, window: QWidget, *, since: datetime | None = None) -> None:
        super().__init__(window)
        self._db = db
        self._window = window
        self._since = since or SYSTEM_CLOCK.now()
        self._seen = 0
        self._checking = False
        self._again = False

    def check(self) -> None:
        """Look for drafts this person just queued, and offer each."""
        if self._checking:
            self._again = True
            return
        self._checking = True
        db, since, after = self._db, self._since, self._seen

        def op() -> list[OutboxRow]:
            with db.reading() as uow:
                return outbox.drafts_to_offer(uow, since=since, after_id=after)

        run_in_background(op, self._on_found, self._on_failed, owner=self)

    def _on_failed(self, _exc: BaseException) -> None:
        self._checking = False  # the Outbox still lists the drafts

    def _on_found(self, rows: list[OutboxRow]) -> None:
        self._checking = False
        for row in rows:
            self._seen = max(self._seen, row.id)
            self._offer(row)
        if self._again:
            self._again = False
            self.check()

    def _offer(self, row: OutboxRow) -> None:
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Email the delegate")
        to = row.recipients or "the delegate (no address is on file: type it there)"
        box.setText(f"{row.kind.label} for {row.reference or 'the complaint'} to {to}.")
        box.setInformativeText(
            "No mail server is set up, so it opens in your mail program to send from there. "
            "Not now: it waits in the Outbox."
        )
        send = box.addButton("Open in mail program", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(send)
        box.setModal(False)

        def answered() -> None:
            forget()
            if box.clickedButton() is send:
                self.open_in_mail_program(row)
            box.deleteLater()

        def forget() -> None:
            if box in offers:
                offers.remove(box)

        box.finished.connect(lambda _result: answered())
        box.destroyed.connect(lambda _obj=None: forget())  # closed with the main window
        offers.append(box)
        box.show()

    def open_in_mail_program(self, row: OutboxRow) -> None:
        if not open_url(QUrl(outbox.mailto(row))):
            show_error(
                self._window,
                _NoMailProgram(
                    "No mail program opened. Set a default email program in your system "
                    "settings; the message waits in the Outbox."
                ),
            )
            return
        db, message_id, now = self._db, row.id, SYSTEM_CLOCK.now()

        def op() -> OutboxRow:
            with db.transaction() as uow:
                return outbox.mark_handed_over(uow, message_id, now=now)

        run_in_background(op, self.handed_over.emit, self._on_hand_over_failed, owner=self)

    def _on_hand_over_failed(self, exc: BaseException) -> None:
        show_error(self._window, exc)


class _NoMailProgram(CeoDeskError):
    """The desktop has no program for mailto: links."""
