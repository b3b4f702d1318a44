"""The base of the forms that change one complaint (file a report, record a callback, withdraw):
the heading, and the save at the version the person was looking at."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ceo_desk.core.database import Database, UnitOfWork
from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.ui.complaint_change import change_at_loaded_version
from ceo_desk.ui.dialogs.action_form import ActionFormDialog, escape


def text_box(placeholder: str, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    box.setMinimumHeight(height)
    return box


class ComplaintActionDialog(ActionFormDialog):
    """A form that changes one complaint, refused if someone changed it since it was loaded."""

    def __init__(
        self,
        db: Database,
        detail: ComplaintDetail,
        title: str,
        intro: str,
        submit_text: str,
        parent: QWidget | None,
    ) -> None:
        super().__init__(
            f"{title} — {detail.reference}",
            f"<b>{escape(detail.reference)}</b> — {intro}",
            submit_text,
            parent,
        )
        self._db = db
        self._detail = detail

    def at_loaded_version(self, action: Callable[[UnitOfWork, str, int], Any]) -> Callable[[], Any]:
        return change_at_loaded_version(self._db, self._detail, action)
