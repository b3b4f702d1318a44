"""Settings → People: who holds which role, and (for an owner) granting and revoking them.

Built on the same services as `ceo-desk users`; a grant or revocation is saved at once, in its
own transaction, and a refusal (the last owner, a delegate without a staff member) is shown
under the form with nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import permissions
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.permissions import Action
from ceo_desk.core.services import directory, people
from ceo_desk.core.services.directory import StaffRow
from ceo_desk.core.services.people import GrantRow
from ceo_desk.enums import GRANTABLE_ROLES, Role
from ceo_desk.errors import CeoDeskError
from ceo_desk.ui import formatting
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import FieldError
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.widgets.list_page import single_row_table, subheading_label


@dataclass(frozen=True)
class PeopleListing:
    grants: list[GrantRow]
    staff: list[StaffRow]
    identity: str
    may_manage: bool


def load_people(db: Database) -> PeopleListing:
    """Everything the page shows (worker thread)."""
    with db.reading() as uow:
        return PeopleListing(
            people.list_grants(uow),
            directory.list_staff(uow),
            uow.identity,
            permissions.allows(uow.roles, Action.MANAGE_PEOPLE),
        )


class GrantsModel(SnapshotTableModel[GrantRow]):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(
            [
                Column("Person", lambda g: g.identity),
                Column("Role", lambda g: g.role.label),
                Column("For the work of", lambda g: g.staff_name or ""),
                Column("Granted by", lambda g: g.granted_by),
                Column(
                    "Granted", lambda g: formatting.long_day(SYSTEM_CLOCK.local_day(g.granted_at))
                ),
            ],
            parent,
            key=lambda g: (g.identity, g.role),
        )


class PeoplePage(QWidget):
    """Signals:
    loaded(): the grants are shown.
    people_changed(): a grant or revocation was saved.
    """

    loaded = Signal()
    people_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._busy = False
        self.listing: PeopleListing | None = None
        self.intro = subheading_label(
            self,
            "Who may do what in this log. The person is the account they sign in with (on this "
            "computer, or the database login). Only an owner grants and revokes roles; changes "
            "here are saved at once.",
        )
        self.model = GrantsModel(self)
        self.table = single_row_table(self.model, "Roles granted", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((0, 150), (1, 90), (3, 120), (4, 170)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.identity = QLineEdit()
        self.identity.setPlaceholderText("account or login, e.g. mwang")
        self.identity.setAccessibleName("Person to grant a role to")
        self.role = QComboBox()
        self.role.setAccessibleName("Role to grant")
        for role in GRANTABLE_ROLES:
            self.role.addItem(role.label, role.value)
        self.role.setCurrentIndex(self.role.findData(Role.ASSISTANT.value))
        self.staff = QComboBox()
        self.staff.setAccessibleName("Staff member whose work the delegate files")
        self.grant_button = QPushButton("&Grant")
        self.revoke_button = QPushButton("&Revoke the chosen role")
        self.error = FieldError(self)
        self.done_label = subheading_label(self)
        self.role.currentIndexChanged.connect(self._on_role_current_index_changed)
        self.grant_button.clicked.connect(self._on_grant_button_clicked)
        self.revoke_button.clicked.connect(self._on_revoke_button_clicked)

        form = QFormLayout()
        form.addRow("&Person:", self.identity)
        form.addRow("R&ole:", self.role)
        form.addRow("&Delegate for:", self.staff)
        buttons = QHBoxLayout()
        buttons.addWidget(self.grant_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revoke_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.done_label)
        self._update_enabled()
        self.refresh()

    def refresh(self) -> None:
        run_in_background(
            lambda: load_people(self._db), self._on_loaded, self._on_failed, owner=self
        )

    def _on_loaded(self, listing: PeopleListing) -> None:
        self.listing = listing
        self.model.set_rows(listing.grants)
        chosen = self.staff.currentData()
        self.staff.clear()
        for row in listing.staff:
            self.staff.addItem(f"{row.name} ({row.unit_name})", row.id)
        if chosen is not None:
            self.staff.setCurrentIndex(max(self.staff.findData(chosen), 0))
        if not listing.may_manage:
            self.intro.setText(
                f"Who may do what in this log. You are signed in as {listing.identity}; only an "
                "owner grants and revokes roles."
            )
        self._update_enabled()
        self.loaded.emit()

    def _on_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def chosen_grant(self) -> GrantRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_enabled(self) -> None:
        manage = self.listing is not None and self.listing.may_manage and not self._busy
        for widget in (self.identity, self.role, self.grant_button):
            widget.setEnabled(manage)
        delegate = Role(self.role.currentData()) is Role.DELEGATE
        self.staff.setEnabled(manage and delegate)
        self.revoke_button.setEnabled(manage and self.chosen_grant() is not None)

    @Slot()
    def _on_selection_changed(self) -> None:
        self._update_enabled()

    @Slot(int)
    def _on_role_current_index_changed(self, _index: int) -> None:
        self._update_enabled()

    @Slot()
    def _on_grant_button_clicked(self) -> None:
        who = self.identity.text()
        role = Role(self.role.currentData())
        staff = self.staff.currentData() if role is Role.DELEGATE else None

        def grant() -> None:
            with self._db.transaction() as uow:
                people.grant(uow, who, role, staff=staff)

        self._save(grant, f"{who.strip()} now holds the {role.label} role.")

    @Slot()
    def _on_revoke_button_clicked(self) -> None:
        chosen = self.chosen_grant()
        if chosen is None:
            return

        def revoke() -> None:
            with self._db.transaction() as uow:
                people.revoke(uow, chosen.identity, chosen.role)

        self._save(revoke, f"{chosen.identity} no longer holds the {chosen.role.label} role.")

    def _save(self, op: object, done_text: str) -> None:
        assert callable(op)
        self._busy = True
        self.error.clear_message()
        self.done_label.clear()
        self._update_enabled()

        def done(_result: object) -> None:
            self._busy = False
            self.identity.clear()
            self.done_label.setText(done_text)
            self.people_changed.emit()
            self.refresh()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._update_enabled()
            if isinstance(exc, CeoDeskError):
                self.error.show_message(exc.message)
            else:
                show_error(self, exc)

        run_in_background(op, done, failed, owner=self)
