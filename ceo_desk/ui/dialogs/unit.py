"""Add or rename a department or an outside partner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ceo_desk.core.database import Database
from ceo_desk.core.services import directory
from ceo_desk.core.services.directory import UnitRow
from ceo_desk.enums import UnitKind
from ceo_desk.errors import ConflictError
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

    # ------------------------------------------------------------ a save on a stale copy

    def _on_operation_failed(self, exc: BaseException) -> None:
        unit = self._unit
        if not isinstance(exc, ConflictError) or unit is None:
            super()._on_operation_failed(exc)
            return
        db, unit_id = self._db, unit.id

        def read() -> UnitRow:
            with db.reading() as uow:
                return directory.get_unit(uow, unit_id)

        self.reload_theirs(read, self._on_conflict_loaded)

    def _on_conflict_loaded(self, theirs: UnitRow) -> None:
        unit = self._unit
        assert unit is not None
        started = {"Name": unit.name, "Kind": unit.kind.label}
        their_values = {"Name": theirs.name, "Kind": theirs.kind.label}
        typed = {"Name": self.name_edit.text(), "Kind": self.kind_combo.currentText()}
        chosen = self.choose_over_theirs(
            started, typed, their_values, what="this department or partner"
        )
        if chosen is None:
            return
        keep, values = chosen
        self._unit = theirs
        self.name_edit.setText(values["Name"])
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findText(values["Kind"]), 0))
        self.finish_conflict(keep)
