"""Add a person complaints can be delegated to, or change their details."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ceo_desk.core import validation
from ceo_desk.core.database import Database
from ceo_desk.core.services import directory
from ceo_desk.core.services.directory import StaffInput, StaffRow, UnitRow
from ceo_desk.errors import ConflictError, ValidationError
from ceo_desk.ui.dialogs.action_form import ActionFormDialog


class StaffDialog(ActionFormDialog):
    """Add a person or change their details."""

    def __init__(
        self,
        db: Database,
        person: StaffRow | None,
        units: list[UnitRow],
        parent: QWidget | None = None,
        *,
        unit_id: int | None = None,
    ) -> None:
        super().__init__(
            "Add person" if person is None else f"Edit {person.name}",
            "Someone a complaint can be delegated to, with full authority to resolve it.",
            "Add person" if person is None else "Save",
            parent,
        )
        self._db = db
        self._person = person
        self.name_edit = QLineEdit(person.name if person else "")
        self.unit_combo = QComboBox()
        current_unit = person.unit_id if person else unit_id
        for unit in units:
            if unit.active or unit.id == current_unit:
                label = f"{unit.name} ({unit.kind.label.lower()})"
                self.unit_combo.addItem(label if unit.active else f"{label}, deactivated", unit.id)
        if current_unit is not None:
            self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(current_unit), 0))
        self.email_edit = QLineEdit(person.email or "" if person else "")
        self.email_edit.setPlaceholderText("name@example.com")
        self.phone_edit = QLineEdit(validation.phone_for_display(person.phone) if person else "")
        self.phone_edit.setPlaceholderText("With area code, or +country code")
        self.add_field("name", "&Name:", self.name_edit)
        self.add_field("unit", "&Department or partner:", self.unit_combo)
        self.add_field("email", "&Email:", self.email_edit)
        self.add_field("phone", "&Phone:", self.phone_edit)
        self.resize(500, 280)
        self.name_edit.setFocus()

    def operation(self) -> Callable[[], Any]:
        unit_id = self.unit_combo.currentData()
        if unit_id is None:
            raise ValidationError(
                "Add a department or partner first: every person belongs to one.", field="unit"
            )
        data = StaffInput(
            name=self.name_edit.text(),
            unit_id=int(unit_id),
            email=self.email_edit.text(),
            phone=self.phone_edit.text(),
        )
        db, person = self._db, self._person

        def op() -> int:
            with db.transaction() as uow:
                if person is None:
                    return directory.add_staff(uow, data)
                directory.update_staff(uow, person.id, data, expected_version=person.version)
                return person.id

        return op

    # ------------------------------------------------------------ a save on a stale copy

    def _typed(self) -> dict[str, str]:
        return {
            "Name": self.name_edit.text(),
            "Department or partner": self.unit_combo.currentText(),
            "Email": self.email_edit.text(),
            "Phone": self.phone_edit.text(),
        }

    def _on_operation_failed(self, exc: BaseException) -> None:
        person = self._person
        if not isinstance(exc, ConflictError) or person is None:
            super()._on_operation_failed(exc)
            return
        db, staff_id = self._db, person.id

        def read() -> StaffRow:
            with db.reading() as uow:
                return directory.get_staff(uow, staff_id)

        self.reload_theirs(read, self._on_conflict_loaded)

    def _on_conflict_loaded(self, theirs: StaffRow) -> None:
        person = self._person
        assert person is not None
        changed_unit = self.unit_combo.currentData() != person.unit_id
        started = _shown(person, self._unit_label(person.unit_id))
        their_values = _shown(theirs, self._unit_label(theirs.unit_id))
        chosen = self.choose_over_theirs(
            started, self._typed(), their_values, what="this person's details"
        )
        if chosen is None:
            return
        keep, values = chosen
        unit_id = self.unit_combo.currentData() if keep and changed_unit else theirs.unit_id
        self._person = theirs
        self.name_edit.setText(values["Name"])
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(unit_id), 0))
        self.email_edit.setText(values["Email"])
        self.phone_edit.setText(values["Phone"])
        self.finish_conflict(keep)

    def _unit_label(self, unit_id: int) -> str:
        index = self.unit_combo.findData(unit_id)
        return self.unit_combo.itemText(index) if index >= 0 else ""


def _shown(person: StaffRow, unit_label: str) -> dict[str, str]:
    """A person's saved details as the form shows them."""
    return {
        "Name": person.name,
        "Department or partner": unit_label,
        "Email": person.email or "",
        "Phone": validation.phone_for_display(person.phone) if person.phone else "",
    }
