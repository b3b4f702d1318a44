"""The delegate's written report, typed in by the assistant when it arrives by email."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLineEdit, QWidget

from ceo_desk.core import report_form_reader
from ceo_desk.core.database import Database
from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.core.services import complaints
from ceo_desk.core.services.directory import StaffRow
from ceo_desk.errors import ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.ui.dialogs.action_form import escape
from ceo_desk.ui.dialogs.complaint_action import ComplaintActionDialog, text_box
from ceo_desk.ui.dialogs.delegate import StaffPicker

if TYPE_CHECKING:
    from ceo_desk.ui.report_form_drop import ReturnedForm


class FileReportDialog(ComplaintActionDialog):
    """The delegate's written report, typed in by the assistant when it arrives by email."""

    def __init__(
        self,
        db: Database,
        detail: ComplaintDetail,
        staff: list[StaffRow],
        settings: OfficeSettings,
        parent: QWidget | None = None,
        *,
        form: ReturnedForm | None = None,
    ) -> None:
        who = detail.current_delegate or "the delegate"
        source = (
            f"<br><i>Transcribed from {escape(form.transcription.form_source)}: check it, "
            "then file it. The form is kept with the complaint.</i>"
            if form
            else ""
        )
        super().__init__(
            db,
            detail,
            "File report",
            f"{escape(detail.summary)}<br>"
            f"The report from {escape(who)}. Filing it schedules the CEO's call to the customer."
            + source,
            "File report",
            parent,
        )
        self._form = form
        self._currency = settings.currency
        # Named *_box: an attribute called `done` would hide QDialog.done() from Qt.
        self.said_box = text_box("What the delegate told the customer")
        self.done_box = text_box("What was actually done to put it right")
        self.accommodation = text_box("Refund, voucher, free repair… (optional)", 50)
        self.cost = QLineEdit()
        self.cost.setPlaceholderText(f"0.00 ({settings.currency})")
        self.root_cause = text_box("Why it happened (optional)", 50)
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
        if form is not None:
            typed = form.transcription.report
            self.said_box.setPlainText(typed.said)
            self.done_box.setPlainText(typed.done)
            self.accommodation.setPlainText(typed.accommodation)
            self.cost.setText(str(typed.cost or ""))
            self.root_cause.setPlainText(typed.root_cause)
            self.filed_by.setEnabled(False)  # the form says whose it is

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
        form = self._form
        if form is not None:
            return self.at_loaded_version(
                lambda uow, reference, version: (
                    report_form_reader.file_form(
                        uow,
                        reference,
                        form.data,
                        file_name=form.name,
                        checked=report,
                        expected_version=version,
                    ).result
                ),
            )
        return self.at_loaded_version(
            lambda uow, reference, version: complaints.file_report(
                uow, reference, report, expected_version=version
            ),
        )
