"""Restore: the log's backups by the local day and time they were taken, with what each holds
(how many complaints, the newest), so the right one is chosen without opening files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Slot
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core.safety.backups import OfferedBackup
from ceo_desk.ui import formatting
from ceo_desk.ui.dialogs.base import Dialog
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.widgets.list_page import single_row_table

# The answer of `ask` when the person wants to pick a file elsewhere.
OTHER_FILE = "\0another file"

KINDS = {
    "": "Backup",
    "before-restore": "Before a restore",
    "before-migration": "Before an upgrade",
}


def taken_text(row: OfferedBackup) -> str:
    local = row.taken_at.astimezone()
    return f"{formatting.long_day(local.date())}, {local:%H:%M}"


def holds_text(row: OfferedBackup) -> str:
    if row.holding is None:
        return "Cannot be read"
    return formatting.plural(row.holding.complaints, "complaint")


def newest_text(row: OfferedBackup) -> str:
    held = row.holding
    if held is None or held.newest_reference is None or held.newest_received_at is None:
        return "—"
    local = held.newest_received_at.astimezone()
    return f"{held.newest_reference}, received {formatting.day(local.date())} {local:%H:%M}"


class BackupModel(SnapshotTableModel[OfferedBackup]):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(
            [
                Column("Taken", taken_text, tooltip=lambda r: r.path.name),
                Column("Holds", holds_text, align_right=True),
                Column("Newest complaint", newest_text),
                Column(
                    "Kind", lambda r: KINDS.get(r.label, r.label.replace("-", " ").capitalize())
                ),
            ],
            parent,
        )


class ChooseBackupDialog(Dialog):
    """The backups, newest first; Enter or Restore… takes the chosen one, "Another file…"
    lets the person pick a file elsewhere."""

    def __init__(self, backups: list[OfferedBackup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore the log from a backup")
        self.setAccessibleName("Choose a backup to restore")
        self.chosen: Path | None = None
        self.wants_other_file = False
        intro = QLabel(
            "Backups of this log, newest first, in this computer's time. The log is backed up "
            "again before it is replaced, so a restore can itself be undone."
            if backups
            else "This log has no backups yet. Choose a backup file kept elsewhere, or take "
            "one now with File, Back up now.",
            self,
        )
        intro.setWordWrap(True)
        self.model = BackupModel(self)
        self.model.set_rows(backups)
        self.table = single_row_table(self.model, "Backups", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.setVisible(bool(backups))

        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton("Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setAccessibleName("Restore the chosen backup")
        self.restore_button.setEnabled(bool(backups))
        self.restore_button.setDefault(True)
        self.other_button = QPushButton("Another &file…", self)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_restore_clicked)
        buttons.rejected.connect(self.reject)
        self.other_button.clicked.connect(self._on_other_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)
        if backups:
            self.table.selectRow(0)
            self.table.setFocus()

    @Slot()
    def _on_restore_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        chosen = self.model.row_at(rows[0].row()) if rows else None
        if chosen is None:
            return
        self.chosen = chosen.path
        self.accept()

    @Slot()
    def _on_other_clicked(self) -> None:
        self.wants_other_file = True
        self.accept()

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.table.selectRow(index.row())
        self._on_restore_clicked()


def ask(parent: QWidget | None, backups: list[OfferedBackup]) -> str:
    """The chosen backup's path, OTHER_FILE, or "" when cancelled."""
    dialog = ChooseBackupDialog(backups, parent)
    try:
        if not dialog.exec():
            return ""
        return OTHER_FILE if dialog.wants_other_file else str(dialog.chosen or "")
    finally:
        dialog.deleteLater()
