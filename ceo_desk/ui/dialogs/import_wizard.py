"""Importing complaints from another system's CSV: file -> columns -> preview -> import.

The preview is a dry run of the whole import in a read-only transaction, in the background under
a progress dialog that can be cancelled (it changes nothing). The import itself is one
transaction, all rows or none; once started it cannot be interrupted halfway, and the progress
dialog says so.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ceo_desk.core import fields as declared_fields
from ceo_desk.core.database import Database
from ceo_desk.core.safety import importer
from ceo_desk.errors import CeoDeskError
from ceo_desk.ui import qsettings_store
from ceo_desk.ui.dialogs.ask import Ask
from ceo_desk.ui.dialogs.base import apply_modality
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import FieldError
from ceo_desk.ui.progress import run_with_progress

IGNORE = "(ignore this column)"
PREVIEW_ROWS = 20


class _Page(QWizardPage):
    """A titled page of the wizard, reading and filling the wizard's shared state."""

    def __init__(self, wizard: ImportWizard, title: str) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(title)


class _FilePage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Choose the file")
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


class _MappingPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Which column holds what")
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
                combo.addItem(f"{declared_fields.label(name)} — {meaning}", name)
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
        chosen = Ask.save_in_home(self, "Save the mapping", "import.toml", "Mapping (*.toml)")
        if chosen is None:
            return
        try:
            importer.save_mapping(self.chosen_mapping(), chosen, force=True)
        except (OSError, CeoDeskError) as exc:
            self.error.show_message(f"Could not save the mapping: {exc}")
            return
        self._wizard.saved_mapping = chosen

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


class _PreviewPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Check before importing")
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
        self._importing = False
        self._imported = False
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")

    def initializePage(self) -> None:  # Qt override
        wizard = self._wizard
        assert wizard.table is not None
        fields = [f for f in importer.FIELDS if f in wizard.mapping.columns.values()]
        self.preview.setColumnCount(len(fields))
        self.preview.setHorizontalHeaderLabels([declared_fields.label(f) for f in fields])
        rows = wizard.table.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        for r, (_line, record) in enumerate(rows):
            for c, name in enumerate(fields):
                value = ""
                for index, header in enumerate(wizard.table.headers):
                    if wizard.mapping.field_for(header) == name and index < len(record):
                        value = record[index]
                self.preview.setItem(r, c, QTableWidgetItem(value.replace("\r\n", " ⏎ ")))
        self.result = None
        self._imported = False
        self.problems.setVisible(False)
        self.summary.setText("Checking every row…")
        self.completeChanged.emit()
        db, table, mapping = wizard.db, wizard.table, wizard.mapping

        def dry_run() -> importer.ImportResult:
            with db.transaction() as uow:  # a dry run leaves the transaction as it found it
                return importer.import_table(uow, table, mapping, source="preview", dry_run=True)

        run_with_progress(
            wizard,
            "Checking the file",
            f"Checking all {len(table.rows):,} row(s) against the log; nothing is imported yet.",
            dry_run,
            self._show_result,
            self._on_dry_run_failed,
            cancellable=True,
            on_cancelled=self._on_dry_run_cancelled,
        )

    def _on_dry_run_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CeoDeskError):
            show_error(self, exc)
            self._show_result(importer.ImportResult(0, [], [], False))
            return
        self._show_result(importer.ImportResult(0, [importer.RowProblem(0, exc.message)], [], True))

    def _on_dry_run_cancelled(self) -> None:
        self.summary.setText("The check was cancelled; nothing was imported.")
        self._wizard.back()

    def _show_result(self, result: importer.ImportResult) -> None:
        self.result = result
        problems = result.problems
        self.problems.setRowCount(len(problems))
        for r, problem in enumerate(problems):
            self.problems.setItem(r, 0, QTableWidgetItem(str(problem.line)))
            self.problems.setItem(r, 1, QTableWidgetItem(problem.reason))
        self.problems.setVisible(bool(problems))
        if problems:
            self.summary.setText(
                f"{len(problems)} of {result.rows} row(s) cannot be imported. Nothing will "
                "be imported until every row is right: fix them in the file and start again."
            )
        elif result.rows == 0:
            self.summary.setText("The file could not be checked; nothing will be imported.")
        else:
            self.summary.setText(
                f"All {result.rows} row(s) are ready. They are imported together, in one "
                "step; original references and statuses are kept."
            )
        self.completeChanged.emit()

    @property
    def checking(self) -> bool:
        """True while the dry run has not answered."""
        return self.result is None

    def isComplete(self) -> bool:  # Qt override
        ready = self.result is not None and self.result.ok and self.result.rows > 0
        return ready and not self._importing

    def validatePage(self) -> bool:  # Qt override
        # QWizard asks synchronously; the import runs in the background and moves the wizard on
        # when it has committed, so this answers "not yet" the first time and "yes" after.
        if self._imported:
            return True
        if self._importing:
            return False
        wizard = self._wizard
        table, db, mapping, source = wizard.table, wizard.db, wizard.mapping, wizard.source_name
        assert table is not None
        self._importing = True
        self.completeChanged.emit()

        def run_import() -> importer.ImportResult:
            with db.transaction() as uow:
                return importer.import_table(uow, table, mapping, source=source)

        run_with_progress(
            wizard,
            "Importing complaints",
            f"Importing {len(table.rows):,} complaint(s) in one step.",
            run_import,
            self._on_import_done,
            self._on_import_failed,
            cancellable=False,
        )
        return False

    def _on_import_done(self, result: importer.ImportResult) -> None:
        self._importing = False
        if not result.ok:
            self._show_result(result)
            return
        wizard = self._wizard
        wizard.imported = result.references
        self._imported = True
        wizard.complaints_imported.emit(len(result.references))
        wizard.next()

    def _on_import_failed(self, exc: BaseException) -> None:
        self._importing = False
        self.completeChanged.emit()
        show_error(self, exc)


class _DonePage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Imported")
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
        apply_modality(self)
        qsettings_store.remember("dialogs/import_wizard", self)

    def set_table(self, table: importer.Table, mapping: importer.Mapping) -> None:
        self.table = table
        self.mapping = mapping
        self.source_name = Path(self.file_page.file_edit.text().strip()).name

    def done(self, result: int) -> None:
        qsettings_store.save(self)
        super().done(result)

    @classmethod
    def run(cls, parent: QWidget | None, db: Database) -> bool:
        """Show the wizard modally; True when complaints were imported (reload the lists)."""
        wizard = cls(db, parent)
        try:
            wizard.exec()
            return bool(wizard.imported)
        finally:
            wizard.deleteLater()
