"""The File menu's data-safety actions: back up, restore, check, import and export.

Each action asks its questions through `Ask`, then runs the database work in the background under
a progress dialog (`run_with_progress`). What only reads (the check) can be cancelled; a backup,
a restore and an import cannot be stopped halfway, and their dialog says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from ceo_desk import paths
from ceo_desk.core.database import Database
from ceo_desk.errors import CeoDeskError, StorageError
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.ask import Ask, error_to, notice, notify
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.progress import ProgressDialog, run_with_progress

# The menu is built with the main window; what its actions do (backups, restore, the check,
# exports) loads when one is chosen, so none of it delays the first screen.
if TYPE_CHECKING:
    from ceo_desk.core.safety import backups, check

KEPT = "Backups are kept for 7 days, 4 weeks and 12 months."


def backup_now(parent: QWidget | None, db: Database) -> None:
    """Take a verified backup into the backups folder, in the background."""
    from ceo_desk.core.safety import backups

    run_with_progress(
        parent,
        "Backing up",
        "Copying the log and checking the copy.",
        lambda: backups.backup_now(db),
        lambda made: notify(
            parent, "Backup taken", f"The log was backed up and verified:\n{made}\n\n{KEPT}"
        ),
        error_to(parent),
        cancellable=False,
    )


def backup_to_file(parent: QWidget | None, db: Database) -> None:
    """Save a verified copy wherever the person chooses (a USB stick, another disk)."""
    from ceo_desk.core.safety import backups

    chosen = Ask.save_in_home(
        parent,
        "Save a copy of the log",
        backups.backup_file_name(label="copy"),
        "CEO Desk database (*.sqlite3)",
    )
    if chosen is None:
        return
    run_with_progress(
        parent,
        "Saving a copy",
        f"Copying the log to {chosen} and checking the copy.",
        lambda: backups.backup_now(db, chosen, force=True),  # the dialog asked
        lambda made: notify(parent, "Copy saved", f"A verified copy of the log is at\n{made}"),
        error_to(parent),
        cancellable=False,
    )


def restore_backup(
    parent: QWidget | None, db: Database, on_restored: Callable[[], None] | None = None
) -> None:
    """Replace the log with a backup the person picks; `on_restored` runs once it is back."""
    from ceo_desk.core.safety import backups

    path = db.sqlite_path
    if path is None:
        show_error(
            parent,
            StorageError(
                "This log is on a PostgreSQL server; restore it with the server's own tools."
            ),
        )
        return
    # Asked before the file dialog, so nobody picks a backup only to be refused.
    run_in_background(
        lambda: backups.require_may_restore(db),
        lambda _allowed: _choose_and_restore(parent, db, path, on_restored),
        error_to(parent),
        owner=parent,
    )


def _choose_and_restore(
    parent: QWidget | None, db: Database, path: Path, on_restored: Callable[[], None] | None
) -> None:
    from ceo_desk.core.safety import backups
    from ceo_desk.ui.dialogs import choose_backup

    paths.ensure_private_dir(paths.backups_dir(path))
    database = path

    def chosen_backup(offered: list[backups.OfferedBackup]) -> None:
        chosen = Ask.choose_backup(parent, offered)
        if chosen == choose_backup.OTHER_FILE:
            chosen = Ask.open_path(
                parent,
                "Restore the log from a backup",
                str(paths.backups_dir(database)),
                "CEO Desk database (*.sqlite3 *.db);;All files (*)",
            )
        if chosen:
            _restore_chosen(parent, db, database, Path(chosen), on_restored)

    run_with_progress(
        parent,
        "Reading the backups",
        "Reading what each backup of this log holds.",
        lambda: backups.offered_backups(database),
        chosen_backup,
        error_to(parent),
        cancellable=True,
    )


def _restore_chosen(
    parent: QWidget | None,
    db: Database,
    path: Path,
    candidate: Path,
    on_restored: Callable[[], None] | None,
) -> None:
    """Check the chosen file, ask, then put it in place of the log."""
    from ceo_desk.core.safety import backups

    def confirm_and_restore(_checked: object) -> None:
        taken = backups.parse_backup_name(candidate.name)
        when = f" taken {taken.astimezone():%d %b %Y at %H:%M}" if taken else ""
        if not Ask.confirm(
            parent,
            "Restore from a backup?",
            f"Replace the log with the backup {candidate.name}{when}?\n\nEverything entered "
            "since then will no longer be in the log. The current log is backed up first, so "
            "this can be undone by restoring that copy.",
            "Restore",
        ):
            return
        assert path is not None
        run_with_progress(
            parent,
            "Restoring the log",
            f"Backing up the current log, then putting {candidate.name} in its place.",
            lambda: backups.restore(path, candidate),
            restored,
            error_to(parent),
            cancellable=False,
        )

    def restored(result: backups.RestoreResult) -> None:
        db.engine.dispose()  # pooled connections start afresh on the restored file
        kept = result.previous_copy or result.moved_aside
        notify(
            parent,
            "Log restored",
            f"The log was restored from {candidate.name}.\nThe previous log was kept at\n{kept}",
        )
        if on_restored is not None:
            on_restored()

    run_with_progress(
        parent,
        "Checking the backup",
        f"Checking that {candidate.name} is a sound CEO Desk backup.",
        lambda: backups.validate_backup_file(candidate),
        confirm_and_restore,
        error_to(parent),
        cancellable=True,
    )


class _CheckSteps(QObject):
    """Carries the check's steps from its worker thread to the progress dialog (a queued
    signal: it lives on the GUI thread, the check emits from the worker)."""

    moved = Signal(int, int, str)

    def __init__(self) -> None:
        super().__init__()
        self.dialog: ProgressDialog | None = None
        self.moved.connect(self._on_moved)

    @Slot(int, int, str)
    def _on_moved(self, done_steps: int, total: int, text: str) -> None:
        dialog = self.dialog
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.setLabelText(f"{text} (step {done_steps + 1} of {total})")
            dialog.setRange(0, total)
            dialog.setValue(done_steps)


def check_database(parent: QWidget | None, db: Database) -> ProgressDialog:
    """Run the integrity, reference and audit-trail checks in the background, showing each
    step as it starts, and say in plain words what they found."""
    from ceo_desk.core.safety import check

    def done(report: check.CheckReport) -> None:
        box = notice(
            parent,
            "The log is sound" if report.ok else "Check found problems",
            report.headline + "\n\n" + "\n".join(report.plain_lines()),
        )
        if not report.ok:
            box.setIcon(QMessageBox.Icon.Warning)

    steps = _CheckSteps()  # kept alive by the work below until it is delivered
    steps.dialog = run_with_progress(
        parent,
        "Checking the log",
        "Checking the file, the references between records and the audit trail.",
        lambda: check.run_check(db, on_step=steps.moved.emit),
        done,
        error_to(parent),
        cancellable=True,
    )
    return steps.dialog


def show_open_warnings(parent: QWidget | None, warnings: list[str]) -> QMessageBox | None:
    """Warnings found while opening (shared folder, unclean shutdown, backup not taken)."""
    if not warnings:
        return None
    box = notice(parent, "About this log", "\n\n".join(warnings))
    box.setIcon(QMessageBox.Icon.Warning)
    return box


def offer_backup_after_damage(database: Path, moved_to: Path, offered: Path | None) -> bool:
    """Before any window exists: the log was damaged and moved aside; restore the newest backup?

    Returns True when the backup was restored and the app can open the log again. There is no
    window to keep responsive yet, so the restore runs here while the person waits.
    """
    from ceo_desk.core.safety import backups

    if offered is None:
        show_error(
            None,
            StorageError(
                f"The log was damaged and moved to {moved_to}. There is no sound backup; a new, "
                "empty log will be started."
            ),
        )
        return False
    if not Ask.confirm(
        None,
        "The log was damaged",
        f"CEO Desk was not closed properly and the log is damaged. It was moved to\n{moved_to}\n"
        f"(nothing was deleted).\n\nRestore the newest sound backup, {offered.name}?",
        "Restore the backup",
    ):
        return False
    try:
        backups.restore(database, offered)
    except CeoDeskError as exc:
        show_error(None, exc)
        return False
    return True


def export_complaints(parent: QWidget | None, db: Database) -> None:
    """Ask for a range and a file, then write the CSV or XLSX in the background."""
    from ceo_desk.core.safety import exporter

    chosen_range = Ask.export_range(parent)
    if chosen_range is None:
        return
    target = Ask.save_in_home(
        parent,
        "Export complaints",
        f"complaints-{date.today().isoformat()}.xlsx",
        "Excel workbook (*.xlsx);;CSV (*.csv)",
    )
    if target is None:
        return
    path = target
    if path.suffix.lower() not in (".csv", ".xlsx"):
        path = path.with_suffix(".xlsx")
    start, end = chosen_range

    def export() -> int:
        with db.reading() as uow:
            return exporter.export_complaints(
                # Replacing is agreed only for the very name the save dialog asked about.
                uow,
                path,
                date_from=start,
                date_to=end,
                force=path == target,
            )

    run_in_background(
        export,
        lambda count: notify(parent, "Exported", f"{count:,} complaint(s) written to\n{path}"),
        error_to(parent),
        owner=parent,
    )


def export_callbacks_calendar(parent: QWidget | None, db: Database) -> None:
    """Save the scheduled confirmation calls as an .ics file for any calendar program."""
    from ceo_desk.core.safety import calendar

    target = Ask.save_in_home(
        parent, "Export callbacks to a calendar", "ceo-desk-callbacks.ics", "Calendar (*.ics)"
    )
    if target is None:
        return
    ics = target.name.lower().endswith(".ics")
    path = target if ics else target.with_name(target.name + ".ics")

    def export() -> int:
        with db.reading() as uow:
            return calendar.export_callbacks(uow, path, force=path == target)

    run_in_background(
        export,
        lambda count: notify(
            parent, "Callbacks exported", f"{count} scheduled callback(s) written to\n{path}"
        ),
        error_to(parent),
        owner=parent,
    )


def file_menu_actions(
    parent: QWidget, database: Callable[[], Database], on_changed: Callable[[], None]
) -> list[QAction]:
    """Actions for the main window's File menu; `on_changed` reloads the views."""

    def action(text: str, slot: Callable[[], object]) -> QAction:
        item = QAction(text, parent)
        item.triggered.connect(lambda _checked=False: slot())
        return item

    def import_csv() -> None:
        # Imported when chosen: the importer is a large module no start-up needs.
        from ceo_desk.ui.dialogs.import_wizard import ImportWizard

        if ImportWizard.run(parent, database()):
            on_changed()

    return [
        action("Back up now", lambda: backup_now(parent, database())),
        action("Save a copy as…", lambda: backup_to_file(parent, database())),
        action("Restore from a backup…", lambda: restore_backup(parent, database(), on_changed)),
        action("Check the log", lambda: check_database(parent, database())),
        action("Import complaints…", import_csv),
        action("Export complaints…", lambda: export_complaints(parent, database())),
        action(
            "Export callbacks to a calendar…",
            lambda: export_callbacks_calendar(parent, database()),
        ),
    ]
