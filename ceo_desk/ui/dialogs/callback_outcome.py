"""The questions a callback can raise: to whom to re-delegate when the customer is not satisfied,
why a report goes back before calling, and whether to give up on an unreachable customer.

Each is asked through a small function or classmethod that tests can replace.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import presenting
from ceo_desk.core.database import Database
from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.core.services import complaints
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.base import Dialog, RequiredTextDialog
from ceo_desk.ui.dialogs.delegate import (
    DelegationChoices,
    StaffPicker,
    from_qdate,
    load_choices,
    to_qdate,
)
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import DateField, FieldError, save_shortcuts
from ceo_desk.ui.report_html import section_html


@dataclass(frozen=True)
class Reassignment:
    """Who takes a reopened complaint, by when, and what the CEO asks them to do."""

    staff_id: int
    due_on: date
    instructions: str


class NotSatisfiedDialog(Dialog):
    """Reopen: who takes it again (the same person pre-selected), by when, and what they are to
    do this time."""

    choices_loaded = Signal()

    def __init__(self, db: Database, detail: ComplaintDetail, parent: QWidget | None = None):
        super().__init__(parent)
        self._detail = detail
        self.choice: Reassignment | None = None
        self.setWindowTitle(f"Not satisfied — {detail.reference}")
        intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setText(
            f"<b>{html.escape(detail.customer_name)}</b> says {html.escape(detail.reference)} is "
            "not resolved. It will be reopened and delegated again."
        )
        self.staff = StaffPicker(self)
        self.staff.setAccessibleName("Re-delegate to")
        self.due = DateField(self)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("ddd d MMM yyyy")
        self.due.setMinimumDate(QDate.currentDate())
        self.due.setAccessibleName("New report due")
        self.instructions = QPlainTextEdit(self)
        self.instructions.setTabChangesFocus(True)
        self.instructions.setPlaceholderText(
            "What the customer still wants, and what to do differently this time"
        )
        self.instructions.setAccessibleName("Instructions for the delegate")
        self.instructions.setMaximumHeight(90)
        self.error = FieldError(self)
        self.instructions_error = FieldError(self)
        self.instructions.textChanged.connect(self.instructions_error.clear_message)
        form = QFormLayout()
        form.addRow("&Re-delegate to:", self.staff)
        form.addRow("", self.error)
        form.addRow("New report &due:", self.due)
        form.addRow("&Instructions:", self.instructions)
        form.addRow("", self.instructions_error)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("Reopen", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.setEnabled(False)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        save_shortcuts(self, self._on_buttons_accepted)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 300)
        run_in_background(
            lambda: load_choices(db),
            self._on_choices_loaded,
            self._on_load_failed,
            owner=self,
        )

    def _on_choices_loaded(self, choices: DelegationChoices) -> None:
        self.staff.set_staff(choices.staff, self._detail.current_delegate_id)
        self.due.setDate(
            to_qdate(complaints.default_report_due(choices.settings, self._detail.severity))
        )
        self.ok_button.setEnabled(True)
        self.staff.setFocus()
        self.choices_loaded.emit()

    def _on_load_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if not self.ok_button.isEnabled():
            return
        staff_id = self.staff.staff_id()
        instructions = self.instructions.toPlainText().strip()
        if staff_id is None:
            self.error.show_message("Choose who takes it: type part of a name and pick one.")
        if not instructions:
            self.instructions_error.show_message(
                "Tell the delegate what to do this time: what the customer still wants."
            )
        if staff_id is None or not instructions:
            (self.staff if staff_id is None else self.instructions).setFocus()
            return
        self.choice = Reassignment(staff_id, from_qdate(self.due.date()), instructions)
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, db: Database, detail: ComplaintDetail
    ) -> Reassignment | None:
        dialog = cls(db, detail, parent)
        try:
            return dialog.choice if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class SendBackDialog(RequiredTextDialog):
    """Why the report goes back to its delegate (required; the delegate reads it), with the
    report itself in view, since the comment answers it."""

    def __init__(self, detail: ComplaintDetail, parent: QWidget | None = None) -> None:
        super().__init__(detail, parent)
        self.setWindowTitle(f"Send report back — {detail.reference}")
        who = detail.current_delegate or "the delegate"
        intro = QLabel(
            f"The report goes back to {html.escape(who)} with your comment, before you call the "
            "customer.",
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.report = QTextBrowser(self)
        self.report.setAccessibleName("The report being sent back")
        self.report.setHtml(section_html(presenting.latest_report_section(detail)))
        self.report.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.comment = self.answer = QPlainTextEdit(self)
        self.missing = "Say what the delegate should add or change."
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText("What is missing or not good enough")
        self.comment.setAccessibleName("Comment for the delegate")
        self.error = FieldError(self)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("Send back", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        save_shortcuts(self, self._on_buttons_accepted)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.report, 3)
        comment_label = QLabel("Your &comment for the delegate:", self)
        comment_label.setBuddy(self.comment)
        layout.addWidget(comment_label)
        layout.addWidget(self.comment, 2)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.comment.textChanged.connect(self.error.clear_message)
        self.comment.setFocus()
        self.resize(620, 520)


def confirm_unreachable(parent: QWidget | None, detail: ComplaintDetail) -> bool:
    """Ask before closing a complaint without having reached the customer."""
    answer = QMessageBox.question(
        parent,
        "Mark unreachable",
        f"{detail.customer_name} did not answer {detail.unanswered_attempts} calls. Close "
        f"{detail.reference} as unreachable? It cannot be reopened; if the customer calls again, "
        "a new complaint is logged and linked.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class CameBackDialog(Dialog):
    """ "It came back": what came back, for the delegate the reopened complaint goes to."""

    def __init__(self, reference: str, customer_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"It came back — {reference}")
        intro = QLabel(
            f"<b>{html.escape(customer_name)}</b> says the problem came back. "
            f"{html.escape(reference)} will be reopened and go back to its last delegate.",
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.answer = QPlainTextEdit(self)
        self.answer.setTabChangesFocus(True)
        self.answer.setPlaceholderText("What happened again, in the customer's words")
        self.answer.setAccessibleName("What came back")
        self.error = FieldError(self)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("Reopen", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        save_shortcuts(self, self._on_buttons_accepted)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        label = QLabel("&What came back:", self)
        label.setBuddy(self.answer)
        layout.addWidget(label)
        layout.addWidget(self.answer, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.answer.textChanged.connect(self.error.clear_message)
        self.answer.setFocus()
        self.resize(520, 300)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if not self.answer.toPlainText().strip():
            self.error.show_message("Say what came back: the delegate needs to know.")
            self.answer.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, reference: str, customer_name: str) -> str | None:
        """What came back, or None when the person cancelled."""
        dialog = cls(reference, customer_name, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.answer.toPlainText().strip()
            return None
        finally:
            dialog.deleteLater()
