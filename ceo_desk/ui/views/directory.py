"""The directory: departments, external partners and the people complaints are delegated to.

Nothing referenced by a complaint is ever deleted; it is deactivated (and can be reactivated), so
the history keeps its names while new delegations only offer active people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import validation
from ceo_desk.core.database import Database
from ceo_desk.core.services import directory, hand_over
from ceo_desk.core.services.directory import StaffRow, UnitRow
from ceo_desk.enums import UnitKind
from ceo_desk.ui import qsettings_store
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.action_form import ActionFormDialog
from ceo_desk.ui.dialogs.deactivate_person import DeactivatePersonDialog
from ceo_desk.ui.dialogs.staff import StaffDialog
from ceo_desk.ui.dialogs.unit import UnitDialog
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.widgets import colours


@dataclass(frozen=True)
class DirectoryData:
    units: list[UnitRow]
    staff: list[StaffRow]


def load_directory(db: Database) -> DirectoryData:
    with db.reading() as uow:
        return DirectoryData(
            directory.list_units(uow, include_inactive=True),
            directory.list_staff(uow, include_inactive=True),
        )


def _muted(active: bool) -> QColor | None:
    return None if active else colours.muted_text()


UNIT_COLUMNS: tuple[Column[UnitRow], ...] = (
    Column("Name", lambda u: u.name, foreground=lambda u: _muted(u.active)),
    Column("Kind", lambda u: u.kind.label, foreground=lambda u: _muted(u.active)),
    Column(
        "Active staff",
        lambda u: str(u.staff_count),
        foreground=lambda u: _muted(u.active),
        align_right=True,
    ),
    Column("Head", lambda u: u.head_name or "", foreground=lambda u: _muted(u.active)),
    Column(
        "Status",
        lambda u: "Active" if u.active else "Deactivated",
        foreground=lambda u: _muted(u.active),
    ),
)


class StaffModel(SnapshotTableModel[StaffRow]):
    """Staff rows; a person in a deactivated unit reads as unavailable too."""

    def __init__(self, parent: QWidget) -> None:
        self.inactive_units: set[int] = set()
        super().__init__(
            (
                Column("Name", lambda s: s.name, foreground=self._ink),
                Column("Department or partner", self._unit, foreground=self._ink),
                Column("Email", lambda s: s.email or "", foreground=self._ink),
                Column(
                    "Phone",
                    lambda s: validation.phone_for_display(s.phone),
                    foreground=self._ink,
                ),
                Column("Status", self._status, foreground=self._ink),
            ),
            parent,
            key=lambda s: s.id,
        )

    def available(self, row: StaffRow) -> bool:
        return row.active and row.unit_id not in self.inactive_units

    def _ink(self, row: StaffRow) -> QColor | None:
        return _muted(self.available(row))

    def _unit(self, row: StaffRow) -> str:
        return f"{row.unit_name} ({row.unit_kind.label.lower()})"

    def _status(self, row: StaffRow) -> str:
        if not row.active:
            return "Deactivated"
        if row.unit_id in self.inactive_units:
            return "Unit deactivated"
        return "Active"


class DirectoryView(QWidget):
    """Departments and partners above, people below; add, edit, deactivate or reactivate.

    Signals:
        directory_changed(): something was added, edited, deactivated or reactivated.
    """

    directory_changed = Signal()
    loaded = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._data = DirectoryData([], [])
        self.active_dialog: ActionFormDialog | None = None
        self.unit_model: SnapshotTableModel[UnitRow] = SnapshotTableModel(
            UNIT_COLUMNS, self, key=lambda u: u.id
        )
        self.staff_model = StaffModel(self)
        self._build()
        self.refresh()

    # ------------------------------------------------------------ building

    def _build(self) -> None:
        self.show_inactive = QCheckBox("Show &deactivated")
        self.show_inactive.setAccessibleName("Show deactivated entries")
        self.show_inactive.toggled.connect(self._show_data)
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Directory size")

        self.unit_table = self._table(self.unit_model, "Departments and partners")
        self.add_department_button = self._button("Add de&partment…", self._on_add_department)
        self.add_partner_button = self._button("Add pa&rtner…", self._on_add_partner)
        self.edit_unit_button = self._button("Edit…", self._on_edit_unit)
        self.toggle_unit_button = self._button("Deactivate", self._on_toggle_unit)
        unit_buttons = QHBoxLayout()
        for button in (self.add_department_button, self.add_partner_button):
            unit_buttons.addWidget(button)
        unit_buttons.addStretch(1)
        unit_buttons.addWidget(self.edit_unit_button)
        unit_buttons.addWidget(self.toggle_unit_button)
        self.edit_unit_button.setAccessibleName("Edit department or partner")
        self.toggle_unit_button.setAccessibleName("Deactivate or reactivate department or partner")
        units_box = QGroupBox("Departments and partners")
        units_layout = QVBoxLayout(units_box)
        units_layout.addWidget(self.unit_table)
        units_layout.addLayout(unit_buttons)

        self.staff_table = self._table(self.staff_model, "Staff", stretch_column=2)
        self.add_staff_button = self._button("&Add person…", self._on_add_staff)
        self.edit_staff_button = self._button("&Edit…", self._on_edit_staff)
        self.toggle_staff_button = self._button("Deactivate", self._on_toggle_staff)
        self.edit_staff_button.setAccessibleName("Edit person")
        self.toggle_staff_button.setAccessibleName("Deactivate or reactivate person")
        staff_buttons = QHBoxLayout()
        staff_buttons.addWidget(self.add_staff_button)
        staff_buttons.addStretch(1)
        staff_buttons.addWidget(self.edit_staff_button)
        staff_buttons.addWidget(self.toggle_staff_button)
        staff_box = QGroupBox("People")
        staff_layout = QVBoxLayout(staff_box)
        staff_layout.addWidget(self.staff_table)
        staff_layout.addLayout(staff_buttons)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(units_box)
        self.splitter.addWidget(staff_box)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([440, 860])

        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.show_inactive)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.unit_table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.staff_table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.unit_table.activated.connect(lambda _index: self._on_edit_unit())
        self.staff_table.activated.connect(lambda _index: self._on_edit_staff())
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.refresh)
        new = QShortcut(QKeySequence(QKeySequence.StandardKey.New), self)
        new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.activated.connect(self._on_add_staff)
        qsettings_store.remember("directory/splitter", self.splitter)
        self._update_buttons()

    def _table(
        self, model: SnapshotTableModel[Any], name: str, stretch_column: int = 0
    ) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setAccessibleName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        return table

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # ------------------------------------------------------------ data

    @Slot()
    def refresh(self) -> None:
        db = self._db
        run_in_background(
            lambda: load_directory(db), self._on_loaded, lambda e: self._failed(e), owner=self
        )

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _on_loaded(self, data: DirectoryData) -> None:
        self._data = data
        self._show_data()
        self.loaded.emit()

    @Slot()
    def _show_data(self) -> None:
        data = self._data
        everything = self.show_inactive.isChecked()
        selected_unit = self.selected_unit()
        selected_staff = self.selected_staff()
        self.staff_model.inactive_units = {u.id for u in data.units if not u.active}
        self.unit_model.set_rows([u for u in data.units if everything or u.active])
        self.staff_model.set_rows(
            [s for s in data.staff if everything or self.staff_model.available(s)]
        )
        self._reselect(self.unit_table, self.unit_model, selected_unit)
        self._reselect(self.staff_table, self.staff_model, selected_staff)
        departments = sum(1 for u in data.units if u.active and u.kind is UnitKind.DEPARTMENT)
        partners = sum(1 for u in data.units if u.active and u.kind is UnitKind.PARTNER)
        people = sum(1 for s in data.staff if self.staff_model.available(s))
        inactive = len(data.units) + len(data.staff) - departments - partners - people
        text = (
            f"{departments} departments, {partners} partners, {people} people available "
            "for delegation"
        )
        if inactive and not everything:
            text += f" · {inactive} deactivated hidden"
        if not data.units:
            text = (
                "Nobody to delegate to yet. Add a department (your own teams) or a partner (an "
                "outside firm), then the people in it, with the buttons below."
            )
        self.summary_label.setText(text)
        self._update_buttons()

    @staticmethod
    def _reselect(table: QTableView, model: SnapshotTableModel[Any], row_id: int | None) -> None:
        if row_id is None:
            return
        current = model.row_at(table.currentIndex().row())
        if current is not None and current.id == row_id:
            return  # kept through the refresh, where it was
        row = model.row_of(lambda item: item.id == row_id)
        if row >= 0:
            table.setCurrentIndex(model.index(row, 0))

    def selected_unit(self) -> int | None:
        row = self.unit_model.row_at(self.unit_table.currentIndex().row())
        return row.id if row else None

    def selected_staff(self) -> int | None:
        row = self.staff_model.row_at(self.staff_table.currentIndex().row())
        return row.id if row else None

    def _current_unit(self) -> UnitRow | None:
        index = self.unit_table.currentIndex()
        return self.unit_model.row_at(index.row()) if index.isValid() else None

    def _current_staff(self) -> StaffRow | None:
        index = self.staff_table.currentIndex()
        return self.staff_model.row_at(index.row()) if index.isValid() else None

    @Slot(QModelIndex, QModelIndex)
    def _update_buttons(self, *_args: object) -> None:
        unit = self._current_unit()
        self.edit_unit_button.setEnabled(unit is not None)
        self.toggle_unit_button.setEnabled(unit is not None)
        self.toggle_unit_button.setText(
            "Reactivate" if unit is not None and not unit.active else "Deactivate"
        )
        person = self._current_staff()
        self.edit_staff_button.setEnabled(person is not None)
        self.toggle_staff_button.setEnabled(person is not None)
        self.toggle_staff_button.setText(
            "Reactivate" if person is not None and not person.active else "Deactivate"
        )

    # ------------------------------------------------------------ actions

    def _open(self, dialog: ActionFormDialog) -> None:
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._on_changed)
        dialog.finished.connect(lambda _result: self._forget(dialog))
        dialog.open()

    def _forget(self, dialog: ActionFormDialog) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None

    def _on_changed(self, _result: object = None) -> None:
        self.directory_changed.emit()
        self.refresh()

    def _on_add_department(self) -> None:
        self._open(UnitDialog(self._db, None, UnitKind.DEPARTMENT, self, staff=self._data.staff))

    def _on_add_partner(self) -> None:
        self._open(UnitDialog(self._db, None, UnitKind.PARTNER, self, staff=self._data.staff))

    def _on_edit_unit(self) -> None:
        unit = self._current_unit()
        if unit is not None:
            self._open(UnitDialog(self._db, unit, unit.kind, self, staff=self._data.staff))

    def _on_add_staff(self) -> None:
        unit = self._current_unit()
        self._open(
            StaffDialog(self._db, None, self._data.units, self, unit_id=unit.id if unit else None)
        )

    def _on_edit_staff(self) -> None:
        person = self._current_staff()
        if person is not None:
            self._open(StaffDialog(self._db, person, self._data.units, self))

    def _on_toggle_unit(self) -> None:
        unit = self._current_unit()
        if unit is None:
            return
        db, unit_id, active, version = self._db, unit.id, not unit.active, unit.version

        def op() -> None:
            with db.transaction() as uow:
                directory.set_unit_active(uow, unit_id, active, expected_version=version)

        run_in_background(op, self._on_changed, self._failed, owner=self)

    def _on_toggle_staff(self) -> None:
        person = self._current_staff()
        if person is None:
            return
        if not person.active:
            self._reactivate(person)
            return
        db = self._db

        def load() -> tuple[list[hand_over.OpenAssignment], list[StaffRow]]:
            with db.reading() as uow:
                return hand_over.open_assignments(uow, person.id), directory.list_staff(uow)

        def decide(found: tuple[list[hand_over.OpenAssignment], list[StaffRow]]) -> None:
            assignments, colleagues = found
            if not assignments:
                self._deactivate_now(person)
                return
            # Open complaints: warn, and offer to hand them over in the same step.
            dialog = DeactivatePersonDialog(db, person, assignments, colleagues, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.deactivated.connect(self._on_changed)
            self.deactivate_dialog = dialog
            dialog.open()

        run_in_background(load, decide, self._failed, owner=self)

    def _deactivate_now(self, person: StaffRow) -> None:
        db, staff_id, version = self._db, person.id, person.version

        def op() -> None:
            with db.transaction() as uow:
                hand_over.deactivate(uow, staff_id, expected_version=version)

        run_in_background(op, self._on_changed, self._failed, owner=self)

    def _reactivate(self, person: StaffRow) -> None:
        db, staff_id, version = self._db, person.id, person.version

        def op() -> None:
            with db.transaction() as uow:
                directory.set_staff_active(uow, staff_id, True, expected_version=version)

        run_in_background(op, self._on_changed, self._failed, owner=self)
