"""Data safety in the app: back up, restore, import, export, and erase or export a customer.

The main window's File menu calls the small functions at the bottom (`backup_now`,
`restore_backup`, `ImportWizard.run`, `export_complaints`, `export_callbacks_calendar`,
`export_customer_data`, `erase_customer`, `check_database`), or adds them all at once with
`file_menu_actions`. Every question to the person goes through `Ask`, which tests replace.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ceo_desk import paths
from ceo_desk.core.customer_summary import customer_summary
from ceo_desk.core.database import Database
from ceo_desk.core.safety import (
    backups,
    calendar,
    check,
    erase,
    export_customer,
    exporter,
    importer,
)
from ceo_desk.errors import CeoDeskError, StorageError, ValidationError
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import DateField, FieldError

IGNORE = "(ignore this column)"
PREVIEW_ROWS = 20

# Notices shown by this module, newest last; tests read them instead of blocking on exec().
notices: list[QMessageBox] = []


class Ask:
    """Every question this module asks; tests patch these classmethods."""

    @classmethod
    def save_path(cls, parent: QWidget | None, title: str, suggested: str, filters: str) -> str:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return path

    @classmethod
    def open_path(cls, parent: QWidget | None, title: str, folder: str, filters: str) -> str:
        path, _ = QFileDialog.getOpenFileName(parent, title, folder, filters)
        return path

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
        dialog = ExportRangeDialog(parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.chosen_range()
        finally:
            dialog.deleteLater()


def notify(parent: QWidget | None, title: str, text: str) -> None:
    """An information box that does not block the caller."""
    _notice(parent, title, text)


def _notice(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.finished.connect(lambda _result: notices.remove(box) if box in notices else None)
    notices.append(box)
    box.open()
    return box


def _error_to(parent: QWidget | None) -> Callable[[BaseException], None]:
    def show(exc: BaseException) -> None:
        show_error(parent, exc)

    return show


def _busy(work: Callable[[], object]) -> object:
    """Run short, modal work with a wait cursor (the person asked for it and waits for it)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return work()
    finally:
        QApplication.restoreOverrideCursor()


# ---------------------------------------------------------------- backup and restore


def backup_now(parent: QWidget | None, db: Database) -> None:
    """Take a verified backup into the backups folder, in the background."""
    run_in_background(
        lambda: backups.backup_now(db),
        lambda made: notify(
            parent,
            "Backup taken",
            f"The log was backed up and verified:\n{made}\n\nBackups are kept for 7 days, "
            "4 weeks and 12 months.",
        ),
        _error_to(parent),
        owner=parent,
    )


def backup_to_file(parent: QWidget | None, db: Database) -> None:
    """Save a verified copy wherever the person chooses (a USB stick, another disk)."""
    chosen = Ask.save_path(
        parent,
        "Save a copy of the log",
        str(Path.home() / backups.backup_file_name(label="copy")),
        "CEO Desk database (*.sqlite3)",
    )
    if not chosen:
        return
    run_in_background(
        lambda: backups.backup_now(db, Path(chosen)),
        lambda made: notify(parent, "Copy saved", f"A verified copy of the log is at\n{made}"),
        _error_to(parent),
        owner=parent,
    )


def restore_backup(parent: QWidget | None, db: Database) -> bool:
    """Replace the log with a backup the person picks. True when restored: reload every view."""
    path = db.sqlite_path
    if path is None:
        show_error(
            parent,
            StorageError(
                "This log is on a PostgreSQL server; restore it with the server's own tools."
            ),
        )
        return False
    paths.ensure_private_dir(paths.backups_dir(path))
    chosen = Ask.open_path(
        parent,
        "Restore the log from a backup",
        str(paths.backups_dir(path)),
        "CEO Desk database (*.sqlite3 *.db);;All files (*)",
    )
    if not chosen:
        return False
    candidate = Path(chosen)
    try:
        _busy(lambda: backups.validate_backup_file(candidate))
    except CeoDeskError as exc:
        show_error(parent, exc)
        return False
    taken = backups.parse_backup_name(candidate.name)
    when = f" taken {taken.astimezone():%d %b %Y at %H:%M}" if taken else ""
    if not Ask.confirm(
        parent,
        "Restore from a backup?",
        f"Replace the log with the backup {candidate.name}{when}?\n\nEverything entered since "
        "then will no longer be in the log. The current log is backed up first, so this can be "
        "undone by restoring that copy.",
        "Restore",
    ):
        return False
    try:
        result = _busy(lambda: backups.restore(path, candidate))
    except CeoDeskError as exc:
        show_error(parent, exc)
        return False
    assert isinstance(result, backups.RestoreResult)
    db.engine.dispose()  # pooled connections start afresh on the restored file
    kept = result.previous_copy or result.moved_aside
    notify(
        parent,
        "Log restored",
        f"The log was restored from {candidate.name}.\nThe previous log was kept at\n{kept}",
    )
    return True


def check_database(parent: QWidget | None, db: Database) -> None:
    """Run the integrity, reference and audit-chain checks in the background and show them."""

    def done(report: check.CheckReport) -> None:
        box = _notice(
            parent,
            "Check passed" if report.ok else "Check found problems",
            report.as_text(),
        )
        if not report.ok:
            box.setIcon(QMessageBox.Icon.Warning)

    run_in_background(lambda: check.run_check(db), done, owner=parent)


def show_open_warnings(parent: QWidget | None, warnings: list[str]) -> QMessageBox | None:
    """Warnings found while opening (shared folder, unclean shutdown, backup not taken)."""
    if not warnings:
        return None
    box = _notice(parent, "About this log", "\n\n".join(warnings))
    box.setIcon(QMessageBox.Icon.Warning)
    return box


def offer_backup_after_damage(database: Path, moved_to: Path, offered: Path | None) -> bool:
    """Before any window exists: the log was damaged and moved aside; restore the newest backup?

    Returns True when the backup was restored and the app can open the log again.
    """
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
        _busy(lambda: backups.restore(database, offered))
    except CeoDeskError as exc:
        show_error(None, exc)
        return False
    return True


# ---------------------------------------------------------------- export


class ExportRangeDialog(QDialog):
    """Which complaints to export: all, or those received between two days."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export complaints")
        today = QDate.currentDate()
        self.use_from = QCheckBox("Received on or after")
        self.date_from = DateField(today.addMonths(-1))
        self.use_to = QCheckBox("Received on or before")
        self.date_to = DateField(today)
        for field in (self.date_from, self.date_to):
            field.setCalendarPopup(True)
            field.setDisplayFormat("yyyy-MM-dd")
            field.setEnabled(False)
        self.use_from.toggled.connect(self.date_from.setEnabled)
        self.use_to.toggled.connect(self.date_to.setEnabled)
        self.error = FieldError(self)
        form = QFormLayout()
        form.addRow(self.use_from, self.date_from)
        form.addRow(self.use_to, self.date_to)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file…")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("One row per complaint with its current state (CSV or Excel)."))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen_range(self) -> tuple[date | None, date | None]:
        start = self.date_from.date().toPython() if self.use_from.isChecked() else None
        end = self.date_to.date().toPython() if self.use_to.isChecked() else None
        assert start is None or isinstance(start, date)
        assert end is None or isinstance(end, date)
        return start, end

    @Slot()
    def _on_buttons_accepted(self) -> None:
        start, end = self.chosen_range()
        if start and end and start > end:
            self.error.show_message("The first day is after the last day.")
            return
        self.accept()


def export_complaints(parent: QWidget | None, db: Database) -> None:
    """Ask for a range and a file, then write the CSV or XLSX in the background."""
    chosen_range = Ask.export_range(parent)
    if chosen_range is None:
        return
    target = Ask.save_path(
        parent,
        "Export complaints",
        str(Path.home() / f"complaints-{date.today().isoformat()}.xlsx"),
        "Excel workbook (*.xlsx);;CSV (*.csv)",
    )
    if not target:
        return
    path = Path(target)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        path = path.with_suffix(".xlsx")
    start, end = chosen_range
    run_in_background(
        lambda: exporter.export_complaints(db, path, date_from=start, date_to=end),
        lambda count: notify(parent, "Exported", f"{count:,} complaint(s) written to\n{path}"),
        _error_to(parent),
        owner=parent,
    )


def export_callbacks_calendar(parent: QWidget | None, db: Database) -> None:
    """Save the scheduled confirmation calls as an .ics file for any calendar program."""
    target = Ask.save_path(
        parent,
        "Export callbacks to a calendar",
        str(Path.home() / "ceo-desk-callbacks.ics"),
        "Calendar (*.ics)",
    )
    if not target:
        return
    path = Path(target) if target.lower().endswith(".ics") else Path(target + ".ics")
    run_in_background(
        lambda: calendar.export_callbacks(db, path),
        lambda count: notify(
            parent, "Callbacks exported", f"{count} scheduled callback(s) written to\n{path}"
        ),
        _error_to(parent),
        owner=parent,
    )


# ---------------------------------------------------------------- one customer


def export_customer_data(parent: QWidget | None, db: Database, customer_id: int) -> None:
    """Everything held about one customer, as a JSON file (a subject access request)."""
    target = Ask.save_path(
        parent,
        "Export everything held about this customer",
        str(Path.home() / f"customer-{customer_id}.json"),
        "JSON (*.json)",
    )
    if not target:
        return
    path = Path(target)
    run_in_background(
        lambda: export_customer.export_customer(db, customer_id, path),
        lambda written: notify(parent, "Customer exported", f"Written to\n{written}"),
        _error_to(parent),
        owner=parent,
    )


def erase_customer(parent: QWidget | None, db: Database, customer_id: int) -> bool:
    """Anonymise a customer everywhere after an explicit confirmation. True when erased."""
    try:
        with db.reading() as uow:
            summary = customer_summary(uow, customer_id)
    except CeoDeskError as exc:
        show_error(parent, exc)
        return False
    if summary.erased:
        show_error(parent, ValidationError(f"{summary.name} was already erased."))
        return False
    if not Ask.confirm(
        parent,
        "Erase this customer?",
        f"Erase {summary.name} everywhere? Their name, phone and email are removed from the "
        f"customer record and from the text of their {summary.complaints} complaint(s), reports "
        "and callback notes. Counts, dates and costs stay in the statistics.\n\n"
        "This cannot be undone (older backups still hold the data until they are thinned out).",
        "Erase",
    ):
        return False
    try:
        result = _busy(lambda: erase.erase_customer_everywhere(db, customer_id))
    except CeoDeskError as exc:
        show_error(parent, exc)
        return False
    assert isinstance(result, erase.EraseResult)
    notify(
        parent,
        "Customer erased",
        f"Customer #{customer_id} was erased: {result.complaints} complaint(s) anonymised.",
    )
    return True


# ---------------------------------------------------------------- import wizard


class _FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Choose the file")
        self.setSubTitle(
            "A CSV file with one complaint per row and a row of column names. Junk lines above "
            "the column names are skipped."
        )
        self.file_edit = QLineEdit()
        self.file_edit.setAccessibleName("CSV file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._on_browse_clicked)
        self.mapping_edit = QLineEdit()
        self.mapping_edit.setAccessibleName("Mapping file")
        self.mapping_edit.setPlaceholderText("optional: a saved mapping (.toml)")
        browse_mapping = QPushButton("Browse…")
        browse_mapping.clicked.connect(self._on_browse_mapping_clicked)
        self.date_order = QComboBox()
        self.date_order.addItem("Day first (14/03/2026)", "day-first")
        self.date_order.addItem("Month first (03/14/2026)", "month-first")
        self.error = FieldError(self)
        form = QFormLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.file_edit)
        row.addWidget(browse)
        form.addRow("File", row)
        mapping_row = QHBoxLayout()
        mapping_row.addWidget(self.mapping_edit)
        mapping_row.addWidget(browse_mapping)
        form.addRow("Mapping", mapping_row)
        form.addRow("Dates", self.date_order)
        form.addRow(self.error)
        self.file_edit.textChanged.connect(lambda _t: self.completeChanged.emit())

    @Slot()
    def _on_browse_clicked(self) -> None:
        chosen = Ask.open_path(self, "Import complaints", str(Path.home()), "CSV (*.csv *.txt)")
        if chosen:
            self.file_edit.setText(chosen)

    @Slot()
    def _on_browse_mapping_clicked(self) -> None:
        chosen = Ask.open_path(self, "Use a saved mapping", str(Path.home()), "Mapping (*.toml)")
        if chosen:
            self.mapping_edit.setText(chosen)

    def isComplete(self) -> bool:  # Qt override
        return bool(self.file_edit.text().strip())

    def validatePage(self) -> bool:  # Qt override
        self.error.clear_message()
        try:
            mapping = (
                importer.load_mapping(Path(self.mapping_edit.text().strip()))
                if self.mapping_edit.text().strip()
                else importer.Mapping(date_order=str(self.date_order.currentData()))
            )
            if not self.mapping_edit.text().strip():
                mapping.date_order = str(self.date_order.currentData())
            table = importer.read_table(Path(self.file_edit.text().strip()), mapping)
        except CeoDeskError as exc:
            self.error.show_message(exc.message)
            return False
        self._wizard.set_table(table, mapping)
        return True


class _MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Which column holds what")
        self.setSubTitle(
            "Choose the field for each column. Received, customer and summary are "
            "needed, and a phone or an email."
        )
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Column", "First value", "Field"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Column mapping")
        save = QPushButton("Save mapping…")
        save.clicked.connect(self._on_save_clicked)
        self.error = FieldError(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(save, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:  # Qt override
        table, mapping = self._wizard.table, self._wizard.mapping
        assert table is not None
        self.table.setRowCount(len(table.headers))
        self.combos = []
        first = table.rows[0][1] if table.rows else []
        for row, header in enumerate(table.headers):
            self.table.setItem(row, 0, QTableWidgetItem(header))
            sample = first[row] if row < len(first) else ""
            self.table.setItem(row, 1, QTableWidgetItem(sample.splitlines()[0] if sample else ""))
            combo = QComboBox()
            combo.addItem(IGNORE, "")
            for name, meaning in importer.FIELDS.items():
                combo.addItem(f"{name} — {meaning}", name)
            combo.setAccessibleName(f"Field for column {header}")
            chosen = mapping.field_for(header) or ""
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
            self.table.setCellWidget(row, 2, combo)
            self.combos.append(combo)

    def chosen_mapping(self) -> importer.Mapping:
        table, base = self._wizard.table, self._wizard.mapping
        assert table is not None
        columns = {
            header: str(combo.currentData())
            for header, combo in zip(table.headers, self.combos, strict=True)
            if combo.currentData()
        }
        return importer.Mapping(
            columns=columns,
            date_order=base.date_order,
            delimiter=base.delimiter,
            encoding=base.encoding,
            values=base.values,
        )

    def _duplicate_field(self) -> str | None:
        seen: set[str] = set()
        for combo in self.combos:
            name = str(combo.currentData())
            if name and name in seen:
                return name
            seen.add(name)
        return None

    @Slot()
    def _on_save_clicked(self) -> None:
        chosen = Ask.save_path(
            self, "Save the mapping", str(Path.home() / "import.toml"), "Mapping (*.toml)"
        )
        if not chosen:
            return
        try:
            importer.save_mapping(self.chosen_mapping(), Path(chosen))
        except OSError as exc:
            self.error.show_message(f"Could not save the mapping: {exc}")
            return
        self._wizard.saved_mapping = Path(chosen)

    def validatePage(self) -> bool:  # Qt override
        duplicate = self._duplicate_field()
        if duplicate:
            self.error.show_message(f"Two columns are set to '{duplicate}'; choose one.")
            return False
        mapping = self.chosen_mapping()
        missing = [n for n in importer.REQUIRED if n not in mapping.columns.values()]
        if missing:
            self.error.show_message("Choose a column for: " + ", ".join(missing) + ".")
            return False
        self.error.clear_message()
        self._wizard.mapping = mapping
        return True


class _PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Check before importing")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview = QTableWidget(0, 0)
        self.preview.setAccessibleName("Preview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.problems = QTableWidget(0, 2)
        self.problems.setAccessibleName("Bad rows")
        self.problems.setHorizontalHeaderLabels(["Line", "Why it cannot be imported"])
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.verticalHeader().setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview)
        layout.addWidget(self.problems)
        self.result: importer.ImportResult | None = None
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")

    def initializePage(self) -> None:  # Qt override
        wizard = self._wizard
        assert wizard.table is not None
        fields = [f for f in importer.FIELDS if f in wizard.mapping.columns.values()]
        self.preview.setColumnCount(len(fields))
        self.preview.setHorizontalHeaderLabels(fields)
        rows = wizard.table.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        for r, (_line, record) in enumerate(rows):
            for c, name in enumerate(fields):
                value = ""
                for index, header in enumerate(wizard.table.headers):
                    if wizard.mapping.field_for(header) == name and index < len(record):
                        value = record[index]
                self.preview.setItem(r, c, QTableWidgetItem(value.replace("\r\n", " ⏎ ")))
        table = wizard.table
        try:
            checked = _busy(
                lambda: importer.import_table(
                    wizard.db, table, wizard.mapping, source="preview", dry_run=True
                )
            )
            assert isinstance(checked, importer.ImportResult)
            self.result = checked
        except CeoDeskError as exc:
            self.result = importer.ImportResult(0, [importer.RowProblem(0, exc.message)], [], True)
        assert self.result is not None
        problems = self.result.problems
        self.problems.setRowCount(len(problems))
        for r, problem in enumerate(problems):
            self.problems.setItem(r, 0, QTableWidgetItem(str(problem.line)))
            self.problems.setItem(r, 1, QTableWidgetItem(problem.reason))
        self.problems.setVisible(bool(problems))
        if problems:
            self.summary.setText(
                f"{len(problems)} of {self.result.rows} row(s) cannot be imported. Nothing will "
                "be imported until every row is right: fix them in the file and start again."
            )
        else:
            self.summary.setText(
                f"All {self.result.rows} row(s) are ready. They are imported together, in one "
                "step; original references and statuses are kept."
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # Qt override
        return self.result is not None and self.result.ok and self.result.rows > 0

    def validatePage(self) -> bool:  # Qt override
        wizard = self._wizard
        table = wizard.table
        assert table is not None
        try:
            result = _busy(
                lambda: importer.import_table(
                    wizard.db, table, wizard.mapping, source=wizard.source_name
                )
            )
        except CeoDeskError as exc:
            show_error(self, exc)
            return False
        assert isinstance(result, importer.ImportResult)
        if not result.ok:
            self.result = result
            self.initializePage()
            return False
        wizard.imported = result.references
        wizard.complaints_imported.emit(len(result.references))
        return True


class _DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Imported")
        self.label = QLabel()
        self.label.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.label)

    def initializePage(self) -> None:  # Qt override
        count = len(self._wizard.imported)
        self.label.setText(f"{count} complaint(s) were imported and are in the lists now.")


class ImportWizard(QWizard):
    """File -> columns -> preview (bad rows by line) -> import, all or nothing."""

    complaints_imported = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Import complaints")
        self.table: importer.Table | None = None
        self.mapping = importer.Mapping()
        self.source_name = "file"
        self.saved_mapping: Path | None = None
        self.imported: list[str] = []
        self.file_page = _FilePage(self)
        self.mapping_page = _MappingPage(self)
        self.preview_page = _PreviewPage(self)
        self.done_page = _DonePage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.done_page):
            self.addPage(page)
        self.resize(820, 560)

    def set_table(self, table: importer.Table, mapping: importer.Mapping) -> None:
        self.table = table
        self.mapping = mapping
        self.source_name = Path(self.file_page.file_edit.text().strip()).name

    @classmethod
    def run(cls, parent: QWidget | None, db: Database) -> bool:
        """Show the wizard modally; True when complaints were imported (reload the lists)."""
        wizard = cls(db, parent)
        try:
            wizard.exec()
            return bool(wizard.imported)
        finally:
            wizard.deleteLater()


# ---------------------------------------------------------------- the File menu


def file_menu_actions(
    parent: QWidget, database: Callable[[], Database], on_changed: Callable[[], None]
) -> list[QAction]:
    """Actions for the main window's File menu; `on_changed` reloads the views."""

    def action(text: str, slot: Callable[[], None]) -> QAction:
        item = QAction(text, parent)
        item.triggered.connect(lambda _checked=False: slot())
        return item

    def restore() -> None:
        if restore_backup(parent, database()):
            on_changed()

    def import_csv() -> None:
        if ImportWizard.run(parent, database()):
            on_changed()

    return [
        action("Back up now", lambda: backup_now(parent, database())),
        action("Save a copy as…", lambda: backup_to_file(parent, database())),
        action("Restore from a backup…", restore),
        action("Check the log", lambda: check_database(parent, database())),
        action("Import complaints…", import_csv),
        action("Export complaints…", lambda: export_complaints(parent, database())),
        action(
            "Export callbacks to a calendar…",
            lambda: export_callbacks_calendar(parent, database()),
        ),
    ]
