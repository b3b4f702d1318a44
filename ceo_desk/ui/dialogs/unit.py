"""Add or rename a department or an outside partner, and name its head."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ceo_desk.core.database import Database
from ceo_desk.core.services import directory
from ceo_desk.core.services.directory import StaffRow, UnitRow
from ceo_desk.enums import UnitKind
from ceo_desk.errors import ConflictError
from ceo_desk.ui.dialogs.action_form import ActionFormDialog

NO_HEAD = "Nobody (overdue reports are not escalated)"


class UnitDialog(ActionFormDialog):
    """Add or rename a department or partner, and choose who heads it."""

    def __init__(
        self,
        db: Database,
        unit: UnitRow | None,
        kind: UnitKind,
        parent: QWidget | None = None,
        *,
        staff: list[StaffRow] | None = None,
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
        self.head_combo = QComboBox()
        self.head_combo.addItem(NO_HEAD, None)
        current_head = unit.head_staff_id if unit else None
        # The unit's own people first, then everyone else: a head may work elsewhere.
        people = sorted(
            (p for p in staff or [] if p.active or p.id == current_head),
            key=lambda p: (unit is None or p.unit_id != unit.id, p.name.lower()),
        )
        for person in people:
            self.head_combo.addItem(f"{person.name} ({person.unit_name})", person.id)
        self.head_combo.setCurrentIndex(max(self.head_combo.findData(current_head), 0))
        self.add_field("unit", "&Name:", self.name_edit, "name")
        self.add_field("unit_kind", "&Kind:", self.kind_combo)
        self.add_field("head", "&Head:", self.head_combo)
        self.head_combo.setToolTip(
            "Who a report overdue for too long is escalated to (Settings: Reminders)."
        )
        self.resize(520, 240)
        self.name_edit.setFocus()

    def operation(self) -> Callable[[], Any]:
        db, unit = self._db, self._unit
        name = self.name_edit.text()
        kind = UnitKind(self.kind_combo.currentData())
        head = self.head_combo.currentData()
        head_id = None if head is None else int(head)

        def op() -> int:
            with db.transaction() as uow:
                if unit is None:
                    unit_id = directory.add_unit(uow, name, kind)
                else:
                    unit_id = unit.id
                    directory.update_unit(uow, unit_id, name, kind, expected_version=unit.version)
                directory.set_unit_head(uow, unit_id, head_id)
                return unit_id

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
        started = {"Name": unit.name, "Kind": unit.kind.label, "Head": self._head_text(unit)}
        their_values = {
            "Name": theirs.name,
            "Kind": theirs.kind.label,
            "Head": self._head_text(theirs),
        }
        typed = {
            "Name": self.name_edit.text(),
            "Kind": self.kind_combo.currentText(),
            "Head": self.head_combo.currentText(),
        }
        chosen = self.choose_over_theirs(
            started, typed, their_values, what="this department or partner"
        )
        if chosen is None:
            return
        keep, values = chosen
        self._unit = theirs
        self.name_edit.setText(values["Name"])
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findText(values["Kind"]), 0))
        self.head_combo.setCurrentIndex(max(self.head_combo.findText(values["Head"]), 0))
        self.finish_conflict(keep)

    def _head_text(self, unit: UnitRow) -> str:
        """The head as the combo shows them."""
        index = self.head_combo.findData(unit.head_staff_id)
        return self.head_combo.itemText(index) if index >= 0 else (unit.head_name or NO_HEAD)
