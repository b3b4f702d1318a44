"""Importing complaints from another system's CSV: file -> columns -> check -> import.

The file's encoding, delimiter and header row are found, and a mapping is proposed from the
header names (or a saved one is used). The check is a dry run of the whole import, in the
background under a progress dialog that can be cancelled (it changes nothing), listing every
problem of every row by the line an editor shows. The import itself is one transaction, all rows
or none, with a progress bar; cancelling it rolls it back, leaving nothing behind.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
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
from ceo_desk.core.intake import sheet_dates, sheet_import, sheet_mapping, sheet_read
from ceo_desk.core.intake.sheet_mapping import Mapping
from ceo_desk.core.intake.sheet_read import Layout
from ceo_desk.errors import CeoDeskError
from ceo_desk.ui import qsettings_store
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.ask import Ask
from ceo_desk.ui.dialogs.base import apply_modality
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import FieldError
from ceo_desk.ui.progress import run_with_progress
from ceo_desk.ui.screen_fit import fit_when_shown

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
            "A CSV file with one complaint per row and a row of column names. The encoding, "
            "the delimiter and the header row are found; lines above the header are skipped."
        )
        self.file_edit = QLineEdit()
        self.file_edit.setAccessibleName("CSV file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._on_browse_clicked)
        self.mapping_edit = QLineEdit()
        self.mapping_edit.setAccessibleName("Mapping file")
        self.mapping_edit.setPlaceholderText("optional: a saved mapping (.toml); else proposed")
        browse_mapping = QPushButton("Browse…")
        browse_mapping.clicked.connect(self._on_browse_mapping_clicked)
        self.date_order = QComboBox()
        self.date_order.setAccessibleName("Date order")
        self.date_order.addItem("As the file shows (asked when unclear)", "")
        for order, meaning in sheet_dates.DATE_ORDERS.items():
            self.date_order.addItem(meaning.capitalize(), order)
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
        # Only the file's first lines are read here (no database work): the whole file is
        # read by the check, in the background.
        self.error.clear_message()
        try:
            given = (
                sheet_mapping.load_mapping(Path(self.mapping_edit.text().strip()))
                if self.mapping_edit.text().strip()
                else None
            )
            layout = sheet_read.detect(Path(self.file_edit.text().strip()), given)
            mapping = given or sheet_mapping.propose(layout.headers)
            if given:
                sheet_mapping.column_indexes(given, layout.headers)
            samples = []
            for _line, record in sheet_read.records(layout):
                samples.append(record)
                if len(samples) >= PREVIEW_ROWS:
                    break
        except CeoDeskError as exc:
            self.error.show_message(exc.message)
            return False
        order = self.date_order.currentData()
        if order:
            mapping.date_order = sheet_dates.parse_order(str(order))
        self._wizard.set_file(layout, mapping, samples)
        return True


class _MappingPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Which column holds what")
        self.setSubTitle(
            "Proposed from the column names: check the field for each column. Received and "
            "summary are needed; several columns set to one field are joined in order."
        )
        self.proposal = QLabel()
        self.proposal.setWordWrap(True)
        self.proposal.setAccessibleName("Proposed mapping")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Column", "First value", "Field"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Column mapping")
        save = QPushButton("Save mapping…")
        save.clicked.connect(self._on_save_clicked)
        self.error = FieldError(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.proposal)
        layout.addWidget(self.table)
        layout.addWidget(save, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        self.combos: list[QComboBox] = []
        self._initial: list[str] = []

    def initializePage(self) -> None:  # Qt override
        file_layout, mapping = self._wizard.file_layout, self._wizard.mapping
        assert file_layout is not None
        headers = file_layout.headers
        self.proposal.setText(
            f"{file_layout.path.name}: {file_layout.encoding.removesuffix('-sig')} text, "
            f"{file_layout.delimiter_name}-separated, column names on line "
            f"{file_layout.header_line}."
            + (
                "\nProposed: " + "; ".join(mapping.reasons)
                if mapping.proposed and mapping.reasons
                else ""
            )
        )
        self.table.setRowCount(len(headers))
        self.combos = []
        first = self._wizard.samples[0] if self._wizard.samples else []
        feeds = {sheet_mapping.fold(c): k for k, cs in mapping.fields.items() for c in cs}
        for row, header in enumerate(headers):
            self.table.setItem(row, 0, QTableWidgetItem(header))
            sample = first[row] if row < len(first) else ""
            shown = sample.splitlines()[0] if sample else ""
            self.table.setItem(row, 1, QTableWidgetItem(shown[:120]))
            combo = QComboBox()
            combo.addItem(IGNORE, "")
            for name, meaning in sheet_mapping.IMPORTABLE.items():
                combo.addItem(f"{declared_fields.label(name)} — {meaning}", name)
            combo.setAccessibleName(f"Field for column {header}")
            combo.setCurrentIndex(max(combo.findData(feeds.get(sheet_mapping.fold(header), "")), 0))
            self.table.setCellWidget(row, 2, combo)
            self.combos.append(combo)
        self._initial = [str(c.currentData()) for c in self.combos]

    def chosen_mapping(self) -> Mapping:
        """The wizard's mapping, or one rebuilt from the choices when any was changed."""
        base = self._wizard.mapping
        if [str(c.currentData()) for c in self.combos] == self._initial:
            return base
        file_layout = self._wizard.file_layout
        assert file_layout is not None
        chosen: dict[str, list[str]] = {}
        for header, combo in zip(file_layout.headers, self.combos, strict=True):
            if combo.currentData():
                chosen.setdefault(str(combo.currentData()), []).append(header)
        return Mapping(
            fields=chosen,
            date_order=base.date_order,
            delimiter=base.delimiter,
            encoding=base.encoding,
            values=base.values,
            proposed=base.proposed,
        )

    @Slot()
    def _on_save_clicked(self) -> None:
        chosen = Ask.save_in_home(self, "Save the mapping", "import.toml", "Mapping (*.toml)")
        if chosen is None:
            return
        try:
            sheet_mapping.save_mapping(self.chosen_mapping(), chosen, force=True)
        except (OSError, CeoDeskError) as exc:
            self.error.show_message(f"Could not save the mapping: {exc}")
            return
        self._wizard.saved_mapping = chosen

    def validatePage(self) -> bool:  # Qt override
        file_layout = self._wizard.file_layout
        assert file_layout is not None
        mapping = self.chosen_mapping()
        try:
            sheet_mapping.column_indexes(mapping, file_layout.headers)
        except CeoDeskError as exc:
            self.error.show_message(exc.message)
            return False
        self.error.clear_message()
        self._wizard.mapping = mapping
        return True


class _ImportSignals(QObject):
    """Carries the import's progress from its worker thread to the page."""

    moved = Signal(int, int)


class _PreviewPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Check before importing")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.create_categories = QCheckBox(
            "Create the categories the file names that the log does not have yet"
        )
        self.create_categories.setAccessibleName("Create missing categories")
        self.create_categories.toggled.connect(self._on_create_categories_toggled)
        self.preview = QTableWidget(0, 0)
        self.preview.setAccessibleName("Preview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.problems = QTableWidget(0, 3)
        self.problems.setAccessibleName("Problems")
        self.problems.setHorizontalHeaderLabels(["Line", "Field", "What is wrong"])
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.verticalHeader().setVisible(False)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        self.progress.setRange(0, 1000)
        self.progress.setVisible(False)
        self.cancel = QPushButton("Cancel the import")
        self.cancel.setVisible(False)
        self.cancel.clicked.connect(self._on_cancel_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.create_categories)
        layout.addWidget(self.preview, 2)
        layout.addWidget(self.problems, 3)
        layout.addLayout(bar)
        self.result: sheet_import.ImportResult | None = None
        self._importing = False
        self._imported = False
        self._stop = threading.Event()
        self._signals = _ImportSignals(self)
        self._signals.moved.connect(self._on_import_moved)
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")

    def initializePage(self) -> None:  # Qt override
        self._fill_preview(self._wizard.mapping)
        self._check()

    def _fill_preview(self, mapping: Mapping) -> None:
        """The first rows as they will be read: each field's cells joined and translated."""
        wizard = self._wizard
        assert wizard.file_layout is not None
        keys = [k for k in sheet_mapping.IMPORTABLE if k in mapping.fields]
        self.preview.setColumnCount(len(keys))
        self.preview.setHorizontalHeaderLabels([declared_fields.label(k) for k in keys])
        indexes = sheet_mapping.column_indexes(mapping, wizard.file_layout.headers)
        self.preview.setRowCount(len(wizard.samples))
        for r, record in enumerate(wizard.samples):
            for c, key in enumerate(keys):
                value = sheet_mapping.join_cells(
                    key, (record[i] for i in indexes[key] if i < len(record))
                )
                shown = mapping.translate(key, value).replace("\r\n", " ⏎ ").replace("\n", " ⏎ ")
                self.preview.setItem(r, c, QTableWidgetItem(shown[:200]))

    def _check(self) -> None:
        wizard = self._wizard
        self.result = None
        self._imported = False
        self.problems.setVisible(False)
        self.summary.setText("Checking every row…")
        self.completeChanged.emit()
        db, layout, mapping = wizard.db, wizard.file_layout, wizard.mapping
        assert layout is not None
        create = self.create_categories.isChecked()

        def dry_run() -> sheet_import.ImportResult:
            with db.transaction() as uow:  # a dry run leaves the transaction as it found it
                return sheet_import.import_file(
                    uow, layout.path, mapping, create_categories=create, dry_run=True
                )

        run_with_progress(
            wizard,
            "Checking the file",
            f"Checking every row of {layout.path.name} against the log; nothing is imported yet.",
            dry_run,
            self._show_result,
            self._on_dry_run_failed,
            cancellable=True,
            on_cancelled=self._on_dry_run_cancelled,
        )

    @Slot(bool)
    def _on_create_categories_toggled(self, _checked: bool) -> None:
        if self._wizard.currentPage() is self and not self.checking and not self._importing:
            self._check()

    def _on_dry_run_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CeoDeskError):
            show_error(self, exc)
        self.result = None
        self.problems.setRowCount(1)
        self.problems.setItem(0, 0, QTableWidgetItem(""))
        self.problems.setItem(0, 1, QTableWidgetItem(""))
        self.problems.setItem(0, 2, QTableWidgetItem(str(exc)))
        self.problems.setVisible(True)
        self.summary.setText("The file could not be checked; nothing will be imported.")
        self.completeChanged.emit()

    def _on_dry_run_cancelled(self) -> None:
        self.summary.setText("The check was cancelled; nothing was imported.")
        self._wizard.back()

    def _show_result(self, result: sheet_import.ImportResult) -> None:
        self.result = result
        problems = result.problems
        self.problems.setRowCount(len(problems))
        for r, problem in enumerate(problems):
            self.problems.setItem(r, 0, QTableWidgetItem(str(problem.line)))
            label = (
                declared_fields.label(problem.field)
                if problem.field in declared_fields.BY_KEY
                else ""
            )
            self.problems.setItem(r, 1, QTableWidgetItem(label))
            self.problems.setItem(r, 2, QTableWidgetItem(problem.reason))
        self.problems.resizeColumnToContents(0)
        self.problems.setVisible(bool(problems))
        plan = result.plan
        self._fill_preview(plan.mapping)
        missing = plan.categories
        self.create_categories.setText(
            f"Create the {len(missing)} categor{'y' if len(missing) == 1 else 'ies'} the file "
            "names that the log does not have (listed below)"
            if missing
            else "Create the categories the file names that the log does not have yet"
        )
        self.create_categories.setToolTip(", ".join(c.name for c in missing))
        notes = []
        if plan.date_order:
            notes.append(f"Dates are read {sheet_dates.DATE_ORDERS[plan.date_order]}.")
        if result.shared_contacts:
            notes.append(
                f"{len(result.shared_contacts)} phone number(s) or email(s) are given for "
                "different names; they are kept as separate customers, to review."
            )
        if problems:
            rows = len({p.line for p in problems})
            self.summary.setText(
                f"{len(problems)} problem(s) in {rows} place(s) of {result.rows:,} row(s). "
                "Nothing will be imported until every row is right: fix them in the file (the "
                "line numbers are the file's) and check again. " + " ".join(notes)
            )
        elif result.rows == 0:
            self.summary.setText("The file has no rows to import.")
        else:
            self.summary.setText(
                f"All {result.rows:,} row(s) are ready. They are imported together, in one "
                "step; original references and statuses are kept. " + " ".join(notes)
            )
        self.completeChanged.emit()

    @property
    def checking(self) -> bool:
        """True while the dry run has not answered."""
        return self.result is None and self.summary.text().startswith("Checking")

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
        db, layout, mapping, source = (
            wizard.db,
            wizard.file_layout,
            wizard.mapping,
            wizard.source_name,
        )
        assert layout is not None
        create = self.create_categories.isChecked()
        self._importing = True
        self._stop.clear()
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel.setVisible(True)
        self.cancel.setEnabled(True)
        self.create_categories.setEnabled(False)
        self.summary.setText(f"Importing {self.result.rows if self.result else 0:,} row(s)…")
        self.completeChanged.emit()
        stop, signals = self._stop, self._signals

        def moved(done: int, total: int) -> None:
            if stop.is_set():
                raise sheet_import.ImportCancelled("The import was cancelled; nothing was kept.")
            signals.moved.emit(done, total)

        def run_import() -> sheet_import.ImportResult:
            with db.transaction() as uow:
                return sheet_import.import_file(
                    uow,
                    layout.path,
                    mapping,
                    create_categories=create,
                    progress=moved,
                    source=source,
                )

        run_in_background(run_import, self._on_import_done, self._on_import_failed, owner=self)
        return False

    @Slot(int, int)
    def _on_import_moved(self, done: int, total: int) -> None:
        self.progress.setValue(int(1000 * done / total) if total else 0)

    @Slot()
    def _on_cancel_clicked(self) -> None:
        self._stop.set()
        self.cancel.setEnabled(False)
        self.summary.setText("Cancelling: undoing what was written…")

    def _import_stopped(self) -> None:
        self._importing = False
        self.progress.setVisible(False)
        self.cancel.setVisible(False)
        self.create_categories.setEnabled(True)
        self.completeChanged.emit()

    def _on_import_done(self, result: sheet_import.ImportResult) -> None:
        self._import_stopped()
        if not result.ok:
            self._show_result(result)
            return
        wizard = self._wizard
        wizard.imported = result.references
        self._imported = True
        wizard.complaints_imported.emit(len(result.references))
        wizard.next()

    def _on_import_failed(self, exc: BaseException) -> None:
        self._import_stopped()
        if isinstance(exc, sheet_import.ImportCancelled):
            self.summary.setText("The import was cancelled; nothing was imported.")
            return
        show_error(self, exc)


class _DonePage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Imported")
        self.label = QLabel()
        self.label.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.label)

    def initializePage(self) -> None:  # Qt override
        count = len(self._wizard.imported)
        self.label.setText(f"{count:,} complaint(s) were imported and are in the lists now.")


class ImportWizard(QWizard):
    """File -> columns -> check (every problem by line) -> import, all or nothing."""

    complaints_imported = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Import complaints")
        self.file_layout: Layout | None = None
        self.mapping = Mapping()
        self.samples: list[list[str]] = []
        self.source_name = "file"
        self.saved_mapping: Path | None = None
        self.imported: list[str] = []
        self.file_page = _FilePage(self)
        self.mapping_page = _MappingPage(self)
        self.preview_page = _PreviewPage(self)
        self.done_page = _DonePage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.done_page):
            self.addPage(page)
        self.resize(960, 640)
        apply_modality(self)
        qsettings_store.remember("dialogs/import_wizard", self)
        fit_when_shown(self)

    def set_file(self, layout: Layout, mapping: Mapping, samples: list[list[str]]) -> None:
        self.file_layout = layout
        self.mapping = mapping
        self.samples = samples
        self.source_name = layout.path.name

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
