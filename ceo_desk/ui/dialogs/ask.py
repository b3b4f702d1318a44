"""The questions and notices of the data-safety actions (backup, restore, import, export, erase).

Every question goes through `Ask`, whose classmethods tests replace; every notice is kept in
`notices` while it is open, so tests read it instead of blocking on exec().
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from ceo_desk.ui.error_dialogs import show_error

# Notices shown by the data-safety actions, newest last.
notices: list[QMessageBox] = []

if TYPE_CHECKING:
    from ceo_desk.core.safety.backups import OfferedBackup


class Ask:
    """Every question the data-safety actions ask; tests patch these classmethods."""

    @classmethod
    def save_path(cls, parent: QWidget | None, title: str, suggested: str, filters: str) -> str:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return path

    @classmethod
    def save_in_home(
        cls, parent: QWidget | None, title: str, file_name: str, filters: str
    ) -> Path | None:
        """Where to save, suggesting `file_name` in the home folder; None when cancelled."""
        chosen = cls.save_path(parent, title, str(Path.home() / file_name), filters)
        return Path(chosen) if chosen else None

    @classmethod
    def open_path(cls, parent: QWidget | None, title: str, folder: str, filters: str) -> str:
        path, _ = QFileDialog.getOpenFileName(parent, title, folder, filters)
        return path

    @classmethod
    def choose_backup(cls, parent: QWidget | None, offered: list[OfferedBackup]) -> str:
        """Restore's list of backups: a path, `choose_backup.OTHER_FILE`, or "" (cancelled)."""
        from ceo_desk.ui.dialogs import choose_backup

        return choose_backup.ask(parent, offered)

    @classmethod
    def confirm(cls, parent: QWidget | None, title: str, text: str, action: str) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(text)
        go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is go

    @classmethod
    def export_range(cls, parent: QWidget | None) -> tuple[date | None, date | None] | None:
        from ceo_desk.ui.dialogs.export_range import ExportRangeDialog

        dialog = ExportRangeDialog(parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.chosen_range()
        finally:
            dialog.deleteLater()


def notify(parent: QWidget | None, title: str, text: str) -> None:
    """An information box that does not block the caller."""
    notice(parent, title, text)


def notice(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """`notify`, returning the box (to change its icon)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.finished.connect(lambda _result: notices.remove(box) if box in notices else None)
    notices.append(box)
    box.open()
    return box


def error_to(parent: QWidget | None) -> Callable[[BaseException], None]:
    """An `on_error` for background work: the error shown over `parent`."""

    def show(exc: BaseException) -> None:
        show_error(parent, exc)

    return show
