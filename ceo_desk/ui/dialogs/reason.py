"""A dialog that asks one required reason about a complaint, above its Accept and Cancel buttons:
the reopening's "why not resolved after all", the paused clock's "what are we waiting for"."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.ui.dialogs.base import RequiredTextDialog
from ceo_desk.ui.form_helpers import FieldError, save_shortcuts


@dataclass(frozen=True)
class Asking:
    """What the dialog says: `title` before the reference, `explained` (HTML) after the
    customer and summary, the `question` with its mnemonic, and the accept button's text."""

    title: str
    explained: str
    question: str
    placeholder: str
    accessible_name: str
    missing: str
    accept_text: str


class ReasonDialog(RequiredTextDialog):
    """Subclasses give `asking(detail)`."""

    @classmethod
    def asking(cls, detail: ComplaintDetail) -> Asking:
        raise NotImplementedError

    def __init__(self, detail: ComplaintDetail, parent: QWidget | None = None) -> None:
        super().__init__(detail, parent)
        said = self.asking(detail)
        self.setWindowTitle(f"{said.title} — {detail.reference}")
        intro = QLabel(
            f"<b>{html.escape(detail.customer_name)}</b>: {html.escape(detail.summary)}<br>"
            + said.explained,
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        label = QLabel(said.question, self)
        self.reason = self.answer = QPlainTextEdit(self)
        self.missing = said.missing
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(said.placeholder)
        self.reason.setAccessibleName(said.accessible_name)
        label.setBuddy(self.reason)
        self.error = FieldError(self)
        self.reason.textChanged.connect(self.error.clear_message)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(said.accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
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
