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
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.action_form import ActionFormDialog
from ceo_desk.ui.dialogs.conflict import ConflictChoice, ConflictDialog


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
        self._busy = True  # until the person has chosen
        db, unit_id = self._db, unit.id

        def read() -> UnitRow:
            with db.reading() as uow:
                return directory.get_unit(uow, unit_id)

        run_in_background(read, self._on_conflict_loaded, super()._on_operation_failed)

    def _on_conflict_loaded(self, theirs: UnitRow) -> None:
        """Their version beside mine (the fields changed here on top of theirs)."""
        self._busy = False
        self.submit_button.setEnabled(True)
        unit = self._unit
        assert unit is not None
        started = {"Name": unit.name, "Kind": unit.kind.label}
        their_values = {"Name": theirs.name, "Kind": theirs.kind.label}
        typed = {"Name": self.name_edit.text(), "Kind": self.kind_combo.currentText()}
        mine = their_values | {k: v for k, v in typed.items() if v != started[k]}
        choice = ConflictDialog.ask(self, mine, their_values, what="this department or partner")
        if choice is ConflictChoice.CANCEL:
            self.general_error.show_message(
                "Not saved: your edit is still here. Save again to choose."
            )
            return
        values = mine if choice is ConflictChoice.KEEP_MINE else their_values
        self._unit = theirs
        self.name_edit.setText(values["Name"])
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findText(values["Kind"]), 0))
        if choice is ConflictChoice.KEEP_MINE:
            self.submit()
        else:
            self.general_error.show_message("Showing the details as saved by someone else.")
