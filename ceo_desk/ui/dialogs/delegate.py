"""Delegating a complaint: who takes it (type-ahead over the directory), by when, and how."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import stale
from ceo_desk.core.database import Database
from ceo_desk.core.services import complaints, directory, office
from ceo_desk.core.services.directory import StaffRow
from ceo_desk.enums import Severity
from ceo_desk.errors import CeoDeskError, ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.ui import formatting
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.base import Dialog
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import DateField, FieldError, save_shortcuts

NOBODY_YET = (
    "Nobody is in the directory yet. Add the departments, partners and people who take "
    "complaints in Directory (Ctrl+5): Add department, then Add person. Choose Later: the call "
    "stays logged and waits on To delegate (Ctrl+2)."
)


def staff_label(row: StaffRow) -> str:
    return f"{row.name} — {row.unit_name}"


class StaffPicker(QComboBox):
    """A combo box of active staff that completes on any part of a name or unit as you type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._rows: list[StaffRow] = []
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        line = self.lineEdit()
        assert line is not None
        line.setPlaceholderText("Type a name or department")

    def set_staff(self, rows: list[StaffRow], selected_id: int | None = None) -> None:
        self._rows = list(rows)
        labels = [staff_label(r) for r in rows]
        self.clear()
        self.addItems(labels)
        self._names.setStringList(labels)
        self.select_staff(selected_id)

    def select_staff(self, staff_id: int | None) -> None:
        for number, row in enumerate(self._rows):
            if row.id == staff_id:
                self.setCurrentIndex(number)
                return
        self.setCurrentIndex(-1)
        self.setEditText("")

    def staff_id(self) -> int | None:
        """The chosen person, read from the text (so typing a full name is enough)."""
        text = " ".join(self.currentText().split()).lower()
        if not text:
            return None
        for row in self._rows:
            if staff_label(row).lower() == text or row.name.lower() == text:
                return row.id
        matches = [r for r in self._rows if text in staff_label(r).lower()]
        return matches[0].id if len(matches) == 1 else None


@dataclass(frozen=True)
class DelegationChoices:
    staff: list[StaffRow]
    settings: OfficeSettings


def load_choices(db: Database) -> DelegationChoices:
    """Active staff and the office policy (runs on a worker thread)."""
    with db.reading() as uow:
        return DelegationChoices(directory.list_staff(uow), office.load_settings(uow))


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DelegateDialog(Dialog):
    """Offered right after a call is logged, and from a complaint: hand it to one person.

    Signals:
        complaint_delegated(str): the delegation was saved.
    """

    complaint_delegated = Signal(str)
    choices_loaded = Signal()

    def __init__(
        self,
        db: Database,
        reference: str,
        summary: str,
        severity: Severity,
        parent: QWidget | None = None,
        *,
        current_delegate_id: int | None = None,
        expected_version: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._reference = reference
        # The version the caller showed; a re-delegation by someone else meanwhile is refused
        # as a conflict rather than silently replaced.
        self._expected_version = expected_version
        self._severity = severity
        self._current = current_delegate_id
        self._saving = False
        self.setWindowTitle(f"Delegate {reference}")
        self.setAccessibleName("Delegate complaint")

        heading = QLabel(self)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setText(
            f"<b>{_escape(reference)}</b> — {_escape(summary)}<br>"
            "Who will resolve it, with full authority?"
        )

        self.staff = StaffPicker(self)
        self.staff.setAccessibleName("Delegate to")
        self.due = DateField(self)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("ddd d MMM yyyy")
        self.due.setAccessibleName("Report due")
        self.due.setMinimumDate(QDate.currentDate())
        self.instructions = QPlainTextEdit(self)
        self.instructions.setTabChangesFocus(True)
        self.instructions.setPlaceholderText("What to do, what the CEO expects, any limit")
        self.instructions.setAccessibleName("Instructions")
        self.instructions.setMinimumHeight(90)

        self.errors = {
            "staff": FieldError(self),
            "due_on": FieldError(self),
            "instructions": FieldError(self),
        }
        self.due_hint = QLabel(self)
        self.due_hint.setEnabled(False)

        form = QFormLayout()
        form.addRow("&Delegate to:", self.staff)
        form.addRow("", self.errors["staff"])
        form.addRow("Report &due:", self.due)
        form.addRow("", self.due_hint)
        form.addRow("", self.errors["due_on"])
        form.addRow("&Instructions:", self.instructions)
        form.addRow("", self.errors["instructions"])

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            "Delegate (Ctrl+Enter)", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.later_button = self.buttons.addButton("Later", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setAccessibleName("Delegate")
        self.later_button.setToolTip("Leave it new: it waits on To delegate (Ctrl+2).")
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        save_shortcuts(self, self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(560, 340)

        run_in_background(
            lambda: load_choices(db), self._on_choices_loaded, self._on_failed, owner=self
        )

    def _on_choices_loaded(self, choices: DelegationChoices) -> None:
        self.staff.set_staff(choices.staff, self._current)
        if not choices.staff:
            # Nobody to hand it to yet: say where people are added, and keep the call logged.
            self.errors["staff"].show_message(NOBODY_YET)
            self.later_button.setFocus()
            self.choices_loaded.emit()
            return
        due = complaints.default_report_due(choices.settings, self._severity)
        self.due.setDate(to_qdate(due))
        days = choices.settings.report_due_days[self._severity]
        self.due_hint.setText(
            f"Policy for {self._severity.label.lower()} severity: "
            f"{formatting.plural(days, 'business day')}."
        )
        self.save_button.setEnabled(True)
        self.staff.setFocus()
        self.choices_loaded.emit()

    def _on_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _show_error(self, exc: CeoDeskError) -> None:
        field = exc.field if exc.field in self.errors else "staff"
        self.errors[field].show_message(exc.message)

    @Slot()
    def save(self) -> None:
        if self._saving or not self.save_button.isEnabled():
            return
        for label in self.errors.values():
            label.clear_message()
        staff_id = self.staff.staff_id()
        if staff_id is None:
            self._show_error(
                ValidationError(
                    "Choose who will handle it: type part of a name and pick from the list.",
                    field="staff",
                )
            )
            self.staff.setFocus()
            return
        db, reference, version = self._db, self._reference, self._expected_version
        due = from_qdate(self.due.date())
        instructions = self.instructions.toPlainText()

        def save() -> complaints.DelegationResult:
            with db.transaction() as uow:
                if version is not None:
                    stale.require_unchanged(uow, reference, version)
                return complaints.delegate(
                    uow,
                    reference,
                    staff_id,
                    due_on=due,
                    instructions=instructions,
                    expected_version=version,
                )

        self._saving = True
        self.save_button.setEnabled(False)
        run_in_background(save, self._on_saved, self._on_save_failed, owner=self)

    def _on_saved(self, result: complaints.DelegationResult) -> None:
        self._saving = False
        self.result_text = (
            f"{result.reference} delegated to {result.staff_name}; "
            f"report due {formatting.day(result.report_due_on)}."
        )
        self.complaint_delegated.emit(result.reference)
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, CeoDeskError) and exc.field:
            self._show_error(exc)
        else:
            show_error(self, exc)


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)
