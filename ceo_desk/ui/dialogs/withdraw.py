"""Close an open complaint the customer withdrew, or one that duplicates another."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from ceo_desk.core.database import Database
from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.core.services import complaints
from ceo_desk.errors import ValidationError
from ceo_desk.ui.dialogs.action_form import escape
from ceo_desk.ui.dialogs.complaint_action import ComplaintActionDialog, text_box


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
        self.reason = text_box("Why it is withdrawn (the customer's words, or 'duplicate')")
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
