"""Add a person complaints can be delegated to, or change their details."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ceo_desk.core import validation
from ceo_desk.core.database import Database
from ceo_desk.core.services import directory
from ceo_desk.core.services.directory import StaffInput, StaffRow, UnitRow
from ceo_desk.errors import ValidationError
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
