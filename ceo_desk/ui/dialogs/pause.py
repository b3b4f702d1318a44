"""Pausing a complaint's clock: what the office is waiting for (required; it shows on the
timeline and beside the final-response deadline)."""

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


class PauseDialog(RequiredTextDialog):
    """Why the clock stands still: waiting for the customer or a third party."""

    def __init__(self, detail: ComplaintDetail, parent: QWidget | None = None) -> None:
        super().__init__(detail, parent)
        self.setWindowTitle(f"Pause the clock — {detail.reference}")
        intro = QLabel(
            f"<b>{html.escape(detail.customer_name)}</b>: {html.escape(detail.summary)}<br>"
            "While the clock is paused, the report and callback due dates and the "
            "final-response deadline stand still; resuming moves them on by the days it was "
            "paused.",
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        label = QLabel("&What are you waiting for?", self)
        self.reason = self.answer = QPlainTextEdit(self)
        self.missing = "Say what the office is waiting for, and from whom."
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("The customer's bank statement; the installer's visit")
        self.reason.setAccessibleName("What the office is waiting for")
        label.setBuddy(self.reason)
        self.error = FieldError(self)
        self.reason.textChanged.connect(self.error.clear_message)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("Pause", QDialogButtonBox.ButtonRole.AcceptRole)
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
