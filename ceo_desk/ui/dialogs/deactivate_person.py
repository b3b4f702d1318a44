"""Deactivating a person who still holds open complaints: the dialog names them and hands them
over to someone else in the same step (one transaction: `core.services.hand_over`)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core.database import Database
from ceo_desk.core.services import hand_over
from ceo_desk.core.services.directory import StaffRow
from ceo_desk.core.services.hand_over import Deactivated, OpenAssignment
from ceo_desk.errors import CeoDeskError
from ceo_desk.ui import formatting
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.base import Dialog
from ceo_desk.ui.dialogs.delegate import StaffPicker
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import FieldError, save_shortcuts


class DeactivatePersonDialog(Dialog):
    """Signals:
    deactivated(object): done (a `hand_over.Deactivated`).
    """

    deactivated = Signal(object)

    def __init__(
        self,
        db: Database,
        person: StaffRow,
        assignments: list[OpenAssignment],
        colleagues: list[StaffRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._person = person
        self._saving = False
        self.setWindowTitle(f"Deactivate {person.name}")
        self.setAccessibleName("Deactivate a person with open complaints")
        count = len(assignments)
        complaints = formatting.plural(count, "open complaint")
        heading = QLabel(
            f"<b>{escape(person.name)}</b> still has {complaints}. Hand "
            f"{'it' if count == 1 else 'them'} over now, or nobody will be reporting on "
            f"{'it' if count == 1 else 'them'}.",
            self,
        )
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.assignments = QListWidget(self)
        self.assignments.setAccessibleName("Open complaints")
        for item in assignments:
            due = f", report due {formatting.day(item.report_due_on)}" if item.report_due_on else ""
            self.assignments.addItem(
                f"{item.reference} — {item.summary} ({item.customer_name}){due}"
            )
        self.assignments.setMaximumHeight(140)
        self.staff = StaffPicker(self)
        self.staff.setAccessibleName("Hand over to")
        self.staff.set_staff([c for c in colleagues if c.id != person.id])
        self.error = FieldError(self)
        hint = QLabel(
            "They keep their report due dates (today's policy if a date has passed); the "
            "trail records the hand-over.",
            self,
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)

        form = QFormLayout()
        form.addRow("Hand &over to:", self.staff)
        form.addRow("", self.error)

        self.buttons = QDialogButtonBox(self)
        self.hand_over_button = self.buttons.addButton(
            "Hand over and deactivate (Ctrl+Enter)", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.hand_over_button.setAccessibleName("Hand over and deactivate")
        self.keep_button = self.buttons.addButton(
            f"Deactivate, keep {'it' if count == 1 else 'them'} with {person.name.split()[0]}",
            QDialogButtonBox.ButtonRole.DestructiveRole,
        )
        self.keep_button.setToolTip("Someone must re-delegate each of them later.")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.hand_over_button.clicked.connect(self._on_hand_over_clicked)
        self.keep_button.clicked.connect(self._on_keep_clicked)
        self.buttons.rejected.connect(self.reject)
        save_shortcuts(self, self._on_hand_over_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.assignments)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.resize(620, 380)
        self.staff.setFocus()

    @Slot()
    def _on_hand_over_clicked(self) -> None:
        target = self.staff.staff_id()
        if target is None:
            self.error.show_message(
                "Choose who takes them over: type part of a name or department."
                if self.staff.currentText().strip()
                else "Choose who takes them over."
            )
            self.staff.setFocus()
            return
        self._run(target, keep_open=False)

    @Slot()
    def _on_keep_clicked(self) -> None:
        self._run(None, keep_open=True)

    def _run(self, target: int | None, *, keep_open: bool) -> None:
        if self._saving:
            return
        self._saving = True
        self.error.clear_message()
        db, staff_id, version = self._db, self._person.id, self._person.version

        def op() -> Deactivated:
            with db.transaction() as uow:
                return hand_over.deactivate(
                    uow,
                    staff_id,
                    hand_over_to=target,
                    keep_open=keep_open,
                    expected_version=version,
                )

        run_in_background(op, self._on_done, self._on_failed, owner=self)

    def _on_done(self, result: Deactivated) -> None:
        self._saving = False
        self.deactivated.emit(result)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._saving = False
        if isinstance(exc, CeoDeskError):
            self.error.show_message(exc.message)
        else:
            show_error(self, exc)
