"""The forms behind the complaint window's actions: file a report, record a callback, withdraw."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ceo_desk.core.database import Database, UnitOfWork
from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.core.services import complaints
from ceo_desk.core.services.directory import StaffRow
from ceo_desk.enums import Loyalty, Outcome
from ceo_desk.errors import ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.ui.complaint_change import change_at_loaded_version
from ceo_desk.ui.dialogs.delegate import StaffPicker, from_qdate, to_qdate
from ceo_desk.ui.widgets.action_form import ActionFormDialog, escape


def _text_box(placeholder: str, height: int = 70) -> QPlainTextEdit:
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


class FileReportDialog(ComplaintActionDialog):
    """The delegate's written report, typed in by the assistant when it arrives by email."""

    def __init__(
        self,
        db: Database,
        detail: ComplaintDetail,
        staff: list[StaffRow],
        settings: OfficeSettings,
        parent: QWidget | None = None,
    ) -> None:
        who = detail.current_delegate or "the delegate"
        super().__init__(
            db,
            detail,
            "File report",
            f"{escape(detail.summary)}<br>"
            f"The report from {escape(who)}. Filing it schedules the CEO's call to the customer.",
            "File report",
            parent,
        )
        self._currency = settings.currency
        # Named *_box: an attribute called `done` would hide QDialog.done() from Qt.
        self.said_box = _text_box("What the delegate told the customer")
        self.done_box = _text_box("What was actually done to put it right")
        self.accommodation = _text_box("Refund, voucher, free repair… (optional)", 50)
        self.cost = QLineEdit()
        self.cost.setPlaceholderText(f"0.00 ({settings.currency})")
        self.root_cause = _text_box("Why it happened (optional)", 50)
        self.filed_by = StaffPicker()
        self.filed_by.set_staff(staff, detail.current_delegate_id)
        self.add_field("said", "What was &said:", self.said_box)
        self.add_field("done", "What was &done:", self.done_box)
        self.add_field("accommodation", "&Accommodation:", self.accommodation)
        self.add_field("cost", f"&Cost ({settings.currency}):", self.cost, "currency")
        self.add_field("root_cause", "&Root cause:", self.root_cause)
        self.add_field("filed_by", "Report &from:", self.filed_by)
        self.resize(620, 560)
        self.said_box.setFocus()

    def operation(self) -> Callable[[], Any]:
        staff_id = self.filed_by.staff_id()
        if staff_id is None:
            raise ValidationError(
                "Choose who wrote the report: type part of a name and pick one.",
                field="filed_by",
            )
        report = complaints.ReportInput(
            said=self.said_box.toPlainText(),
            done=self.done_box.toPlainText(),
            accommodation=self.accommodation.toPlainText(),
            cost=self.cost.text(),
            currency=self._currency,
            root_cause=self.root_cause.toPlainText(),
            filed_by_staff_id=staff_id,
        )
        return self.at_loaded_version(
            lambda uow, reference, version: complaints.file_report(
                uow, reference, report, expected_version=version
            ),
        )


class RecordCallbackDialog(ComplaintActionDialog):
    """One confirmation call by the CEO: only a satisfied customer resolves the complaint."""

    def __init__(
        self,
        db: Database,
        detail: ComplaintDetail,
        staff: list[StaffRow],
        settings: OfficeSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            db,
            detail,
            "Record callback",
            f"{escape(detail.customer_name)}: {escape(detail.summary)}",
            "Record callback",
            parent,
        )
        self.outcome = QComboBox()
        for outcome in Outcome:
            self.outcome.addItem(outcome.label, outcome.value)
        self.satisfaction = QComboBox()
        self.satisfaction.addItem("Not asked", None)
        for score, meaning in (
            (5, "very satisfied"),
            (4, "satisfied"),
            (3, "neutral"),
            (2, "dissatisfied"),
            (1, "very dissatisfied"),
        ):
            self.satisfaction.addItem(f"{score} — {meaning}", score)
        self.loyalty = QComboBox()
        self.loyalty.addItem("Not known", None)
        for loyalty in Loyalty:
            self.loyalty.addItem(loyalty.label, loyalty.value)
        self.customer_words = _text_box("What the customer said, in their words")
        self.notes = _text_box("Anything else (optional)", 50)
        self.reassign = StaffPicker()
        self.reassign.set_staff(staff, detail.current_delegate_id)
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("ddd d MMM yyyy")
        self.due.setMinimumDate(QDate.currentDate())
        self.due.setDate(to_qdate(complaints.default_report_due(settings, detail.severity)))
        self.add_field("outcome", "&Outcome:", self.outcome)
        self.add_field("satisfaction", "&Satisfaction:", self.satisfaction)
        self.add_field("loyalty", "&Loyalty:", self.loyalty)
        self.add_field("customer_words", "Customer's &words:", self.customer_words)
        self.add_field("notes", "&Notes:", self.notes)
        self.add_field("staff", "If not satisfied, &delegate to:", self.reassign)
        self.add_field("due_on", "New report d&ue:", self.due)
        self.outcome.currentIndexChanged.connect(self._on_outcome_current_index_changed)
        self._on_outcome_current_index_changed(0)
        self.resize(600, 520)

    def chosen_outcome(self) -> Outcome:
        return Outcome(self.outcome.currentData())

    @Slot(int)
    def _on_outcome_current_index_changed(self, _index: int) -> None:
        outcome = self.chosen_outcome()
        answered = not outcome.is_unanswered
        self.satisfaction.setEnabled(answered)
        self.loyalty.setEnabled(answered)
        self.customer_words.setEnabled(answered)
        reopening = outcome is Outcome.NOT_SATISFIED
        self.reassign.setEnabled(reopening)
        self.due.setEnabled(reopening)

    def operation(self) -> Callable[[], Any]:
        outcome = self.chosen_outcome()
        answered = not outcome.is_unanswered
        staff_id: int | None = None
        if outcome is Outcome.NOT_SATISFIED:
            staff_id = self.reassign.staff_id()
            if staff_id is None:
                raise ValidationError(
                    "Choose who takes it again: type part of a name and pick one.",
                    field="staff",
                )
        loyalty = self.loyalty.currentData() if answered else None
        data = complaints.CallbackInput(
            outcome=outcome,
            satisfaction=self.satisfaction.currentData() if answered else None,
            customer_words=self.customer_words.toPlainText() if answered else "",
            loyalty=Loyalty(loyalty) if loyalty else None,
            notes=self.notes.toPlainText(),
            reassign_to_staff_id=staff_id,
            report_due_on=from_qdate(self.due.date()) if staff_id is not None else None,
        )
        return self.at_loaded_version(
            lambda uow, reference, version: complaints.record_callback(
                uow, reference, data, expected_version=version
            ),
        )


class WithdrawDialog(ComplaintActionDialog):
    """Close an open complaint the customer withdrew, or one that duplicates another."""

    def __init__(
        self, db: Database, detail: ComplaintDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            db,
            detail,
            "Withdraw",
            f"{escape(detail.summary)}<br>Withdrawing closes the complaint for good.",
            "Withdraw complaint",
            parent,
        )
        self.reason = _text_box("Why it is withdrawn (the customer's words, or 'duplicate')")
        self.is_duplicate = QCheckBox("It duplicates another complaint")
        self.duplicate_of = QLineEdit()
        self.duplicate_of.setPlaceholderText("Reference, for example C-2026-0042")
        self.duplicate_of.setEnabled(False)
        self.is_duplicate.toggled.connect(self.duplicate_of.setEnabled)
        self.add_field("reason", "&Reason:", self.reason)
        self.add_field("is_duplicate", "", self.is_duplicate)
        self.add_field("duplicate_of", "D&uplicate of:", self.duplicate_of, "reference")
        self.is_duplicate.setAccessibleName("It duplicates another complaint")
        self.resize(520, 320)

    def operation(self) -> Callable[[], Any]:
        reason = self.reason.toPlainText()
        duplicate = self.duplicate_of.text().strip() if self.is_duplicate.isChecked() else None
        if self.is_duplicate.isChecked() and not duplicate:
            raise ValidationError(
                "Give the reference of the complaint this one duplicates.", field="duplicate_of"
            )
        return self.at_loaded_version(
            lambda uow, reference, version: complaints.withdraw(
                uow, reference, reason, duplicate_of=duplicate, expected_version=version
            ),
        )
