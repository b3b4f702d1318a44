"""A delegate's request for more time: the date they propose and why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QDateEdit, QWidget

from ceo_desk.core.database import Database
from ceo_desk.core.services import more_time
from ceo_desk.ui.dialogs.action_form import ActionFormDialog, escape
from ceo_desk.ui.dialogs.complaint_action import text_box
from ceo_desk.ui.dialogs.delegate import from_qdate, to_qdate


class MoreTimeDialog(ActionFormDialog):
    """Ask the office for a later report due date; they accept or decline it."""

    def __init__(
        self,
        db: Database,
        reference: str,
        summary: str,
        due_on: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            f"Ask for more time — {reference}",
            f"<b>{escape(reference)}</b> — {escape(summary)}<br>The report is due "
            f"{escape(due_on.isoformat())}. The office will accept or decline your request.",
            "Ask for more time",
            parent,
        )
        self._db = db
        self._reference = reference
        self.until = QDateEdit()
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("ddd d MMM yyyy")
        self.until.setMinimumDate(to_qdate(due_on + timedelta(days=1)))
        self.until.setDate(to_qdate(due_on + timedelta(days=3)))
        self.reason = text_box("Why the report needs more time")
        self.add_field("until", "&Until:", self.until)
        self.add_field("reason", "&Reason:", self.reason)
        self.resize(520, 300)
        self.reason.setFocus()

    def operation(self) -> Callable[[], Any]:
        until = from_qdate(self.until.date())
        reason = self.reason.toPlainText()
        reference = self._reference

        def ask() -> more_time.MoreTimeView:
            with self._db.transaction() as uow:
                return more_time.request_more_time(uow, reference, until, reason)

        return ask
