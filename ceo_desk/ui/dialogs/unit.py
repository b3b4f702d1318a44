"""Add or rename a department or an outside partner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ceo_desk.core.database import Database
from ceo_desk.core.services import directory
from ceo_desk.core.services.directory import UnitRow
from ceo_desk.enums import UnitKind
from ceo_desk.ui.dialogs.action_form import ActionFormDialog


class UnitDialog(ActionFormDialog):
    """Add or rename a department or partner."""

    def __init__(
        self, db: Database, unit: UnitRow | None, kind: UnitKind, parent: QWidget | None = None
    ) -> None:
        noun = (unit.kind if unit else kind).label.lower()
        super().__init__(
            f"Add {noun}" if unit is None else f"Edit {unit.name}",
            "A department of the company, or an outside partner (reseller, contractor, agency) "
            "that complaints can be caused by and delegated to.",
            f"Add {noun}" if unit is None else "Save",
            parent,
        )
        self._db = db
        self._unit = unit
        self.name_edit = QLineEdit(unit.name if unit else "")
        self.kind_combo = QComboBox()
        for choice in UnitKind:
            self.kind_combo.addItem(choice.label, choice.value)
        self.kind_combo.setCurrentIndex(
            self.kind_combo.findData((unit.kind if unit else kind).value)
        )
        self.add_field("unit", "&Name:", self.name_edit, "name")
        self.add_field("unit_kind", "&Kind:", self.kind_combo)
        self.resize(460, 200)
        self.name_edit.setFocus()

    def operation(self) -> Callable[[], Any]:
        db, unit = self._db, self._unit
        name = self.name_edit.text()
        kind = UnitKind(self.kind_combo.currentData())

        def op() -> int:
            with db.transaction() as uow:
                if unit is None:
                    return directory.add_unit(uow, name, kind)
                directory.update_unit(uow, unit.id, name, kind, expected_version=unit.version)
                return unit.id

        return op
