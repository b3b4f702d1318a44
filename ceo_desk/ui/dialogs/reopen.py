"""Reopening a resolved complaint: why it is not resolved after all (required; the delegate
reads it with the complaint)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.ui.dialogs.base import RequiredTextDialog
from ceo_desk.ui.form_helpers import FieldError, save_shortcuts


class ReopenDialog(RequiredTextDialog):
    """The reason a resolved complaint goes back to its last delegate."""

    def __init__(self, detail: ComplaintDetail, parent: QWidget | None = None) -> None:
        super().__init__(detail, parent)
        self.setWindowTitle(f"Reopen — {detail.reference}")
        who = detail.current_delegate or "its last delegate"
        intro = QLabel(
            f"<b>{html.escape(detail.customer_name)}</b>: {html.escape(detail.summary)}<br>"
            f"{html.escape(detail.reference)} goes back to {html.escape(who)}, with a new report "
            "due by the usual rule, and counts as reopened.",
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        label = QLabel("&Why is it not resolved after all?", self)
        self.reason = self.answer = QPlainTextEdit(self)
        self.missing = "Say why it is not resolved: the delegate starts from this."
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("What the customer says is still wrong")
        self.reason.setAccessibleName("Reason for reopening")
        label.setBuddy(self.reason)
        self.error = FieldError(self)
        self.reason.textChanged.connect(self.error.clear_message)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("Reopen", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        save_shortcuts(self, self._on_buttons_accepted)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.reason.setFocus()
        self.resize(480, 260)
