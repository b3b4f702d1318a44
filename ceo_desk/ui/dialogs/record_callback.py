"""One confirmation call by the CEO: only a satisfied customer resolves the complaint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import QComboBox, QDateEdit, QWidget

from ceo_desk.core import permissions
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.core.services import complaints, countersign
from ceo_desk.core.services.directory import StaffRow
from ceo_desk.enums import Loyalty, Outcome, Role
from ceo_desk.errors import ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.ui.dialogs.action_form import escape
from ceo_desk.ui.dialogs.complaint_action import ComplaintActionDialog, text_box
from ceo_desk.ui.dialogs.delegate import StaffPicker, from_qdate, to_qdate
from ceo_desk.ui.widgets.next_try import fill_next_try
from ceo_desk.ui.widgets.promise_ticks import PromiseTicks, settle_with


class RecordCallbackDialog(ComplaintActionDialog):
    """One confirmation call by the CEO: only a satisfied customer resolves the complaint."""

    def __init__(
        self,
        db: Database,
        detail: ComplaintDetail,
        staff: list[StaffRow],
        settings: OfficeSettings,
        parent: QWidget | None = None,
        *,
        roles: frozenset[Role] | None = None,
    ) -> None:
        super().__init__(
            db,
            detail,
            "Record callback",
            f"{escape(detail.customer_name)}: {escape(detail.summary)}",
            "Record callback",
            parent,
        )
        # Without the CEO role, a satisfied call is recorded on the CEO's word, to countersign.
        self.ceo_reports = roles is not None and not permissions.allows(
            roles, Allow.RESOLVE_BY_CALLBACK
        )
        self.outcome = QComboBox()
        for outcome in Outcome:
            label = outcome.label
            if outcome is Outcome.SATISFIED and self.ceo_reports:
                label = "The CEO reports: satisfied (the CEO countersigns it)"
            self.outcome.addItem(label, outcome.value)
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
        self.customer_words = text_box("What the customer said, in their words")
        self.notes = text_box("Anything else (optional)", 50)
        self.next_try = QComboBox()
        self.next_try.setAccessibleName("Try again")
        fill_next_try(self.next_try, settings)
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
        self.promise_ticks = PromiseTicks()
        self.promise_ticks.setAccessibleName("Promises to tick")
        self.promise_ticks.set_promises(detail.promises, SYSTEM_CLOCK.today())
        if any(p.is_open for p in detail.promises):
            self.add_field("promises", "&Promises kept?", self.promise_ticks)
        self.add_field("next_attempt_at", "&Try again:", self.next_try)
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
        self.next_try.setEnabled(not answered)
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
            next_attempt_at=None if answered else self.next_try.currentData(),
        )
        ticks = self.promise_ticks.ticks() if answered else {}
        if outcome is Outcome.SATISFIED and self.ceo_reports:
            return self.at_loaded_version(
                settle_with(
                    lambda uow, reference, version: countersign.report_ceo_satisfied(
                        uow, reference, data, expected_version=version
                    ),
                    ticks,
                ),
            )
        return self.at_loaded_version(
            settle_with(
                lambda uow, reference, version: complaints.record_callback(
                    uow, reference, data, expected_version=version
                ),
                ticks,
            ),
        )
