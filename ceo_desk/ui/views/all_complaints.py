"""All complaints: search while typing, filter, sort by any column, open one with Enter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core.database import Database
from ceo_desk.core.queries import ComplaintFilter, SortKey
from ceo_desk.core.services import directory, office
from ceo_desk.core.services.directory import StaffRow, UnitRow
from ceo_desk.core.services.office import CategoryRow
from ceo_desk.enums import Severity, Status
from ceo_desk.ui import qsettings_store
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.models.complaints_table import (
    COLUMN_OF_KEY,
    COLUMNS,
    REFERENCE_ROLE,
    ComplaintsTableModel,
    arrange_columns,
)
from ceo_desk.ui.widgets.fitted_combo import FittedComboBox
from ceo_desk.ui.widgets.flow_layout import FlowLayout
from ceo_desk.ui.widgets.status_label import StatusLabelDelegate

_OPEN = "open"


@dataclass(frozen=True)
class _Choices:
    categories: list[CategoryRow]
    units: list[UnitRow]
    staff: list[StaffRow]


class AllComplaintsView(QWidget):
    """The whole log, searchable and filterable; never loads more rows than are looked at."""

    complaint_activated = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.model = ComplaintsTableModel(db, self)
        self._build()
        self.model.first_rows_shown.connect(self._on_model_first_rows_shown)
        self.model.query_finished.connect(self._on_model_query_finished)
        self.model.refreshed.connect(self._on_model_query_finished)
        self.model.fetch_failed.connect(self._on_model_fetch_failed)
        self.refresh()

    # ------------------------------------------------------------ building

    def _build(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            "Search summary, details, customer, reports and callback notes"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search complaints")
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search_edit)
        self.count_label = QLabel("Loading…")
        self.count_label.setAccessibleName("Number of matching complaints")
        self.count_label.setMinimumWidth(160)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.count_label)

        self.status_combo = self._combo("Status")
        self.status_combo.addItem("Any status", None)
        self.status_combo.addItem("Open (new, delegated, awaiting callback)", _OPEN)
        for status in Status:
            self.status_combo.addItem(status.label, status.value)
        self.severity_combo = self._combo("Severity")
        self.severity_combo.addItem("Any severity", None)
        for severity in reversed(Severity):
            self.severity_combo.addItem(severity.label, severity.value)
        self.category_combo = self._combo("Category")
        self.unit_combo = self._combo("Caused by")
        self.staff_combo = self._combo("Delegate")
        self._fill(self.category_combo, "Any category", [])
        self._fill(self.unit_combo, "Any department or partner", [])
        self._fill(self.staff_combo, "Anyone", [])

        # The filters wrap onto another row in a narrow window instead of widening it.
        filter_bar = QWidget()
        filters = FlowLayout(filter_bar)
        combos = (
            ("St&atus:", self.status_combo),
            ("Se&verity:", self.severity_combo),
            ("Ca&tegory:", self.category_combo),
            ("Caused &by:", self.unit_combo),
            ("&Delegate:", self.staff_combo),
        )
        for title, combo in combos:
            combo.currentIndexChanged.connect(self._apply_filter)
            pair = QWidget()
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            label = QLabel(title)
            label.setBuddy(combo)
            row.addWidget(label)
            row.addWidget(combo, 1)
            filters.addWidget(pair)

        self.overdue_check = QCheckBox("&Overdue only")
        self.overdue_check.setAccessibleName("Overdue only")
        self.overdue_check.toggled.connect(self._apply_filter)
        today = QDate.currentDate()
        self.from_check = QCheckBox("Received &from")
        self.from_date = self._date_edit("Received from", today.addMonths(-1))
        self.to_check = QCheckBox("&until")
        self.to_date = self._date_edit("Received until", today)
        for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._apply_filter)
            edit.dateChanged.connect(self._apply_filter)
        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.setAccessibleName("Clear search and filters")
        self.clear_button.clicked.connect(self.clear_filters)

        received = QWidget()
        dates = QHBoxLayout(received)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.from_check)
        dates.addWidget(self.from_date)
        dates.addWidget(self.to_check)
        dates.addWidget(self.to_date)
        filters.addWidget(self.overdue_check)
        filters.addWidget(received)
        filters.addWidget(self.clear_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Complaints")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        # One height for every row: a view over 100,000 rows then never measures them.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        # Columns as wide as their content; the summary, which says what went wrong, the rest.
        arrange_columns(header)
        self.table.setItemDelegateForColumn(
            COLUMN_OF_KEY[SortKey.STATUS], StatusLabelDelegate(self.table)
        )
        self.table.setSortingEnabled(True)
        header.setSortIndicator(COLUMN_OF_KEY[SortKey.RECEIVED], Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self.table.activated.connect(self._on_table_activated)
        qsettings_store.remember("all_complaints/header", header)

        # Why the current row matched the search: often in text the list does not show.
        self.match_label = QLabel()
        self.match_label.setAccessibleName("Why this complaint matched the search")
        self.match_label.setTextFormat(Qt.TextFormat.PlainText)
        self.match_label.setVisible(False)
        self.table.selectionModel().currentRowChanged.connect(self._show_match)
        self.model.first_rows_shown.connect(self._show_match)
        self.model.page_loaded.connect(self._show_match)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(filter_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.match_label)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self._focus_search)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.refresh)

    def _combo(self, name: str) -> QComboBox:
        combo = FittedComboBox()  # as wide as its current choice: never cut off
        combo.setAccessibleName(f"Filter by {name.lower()}")
        return combo

    def _date_edit(self, name: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setAccessibleName(name)
        edit.setEnabled(False)
        return edit

    def _fill(self, combo: QComboBox, anything: str, items: list[tuple[str, int]]) -> None:
        """Replace a combo's choices, keeping the chosen one when it is still there."""
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(anything, None)
        for text, value in items:
            combo.addItem(text, value)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        if current is not None and index < 0:
            self._apply_filter()

    # ------------------------------------------------------------ public

    def refresh(self) -> None:
        """Reload the filter choices and the list (after a change elsewhere)."""
        db = self._db

        def op() -> _Choices:
            with db.reading() as uow:
                return _Choices(
                    office.list_categories(uow, include_inactive=True),
                    directory.list_units(uow, include_inactive=True),
                    directory.list_staff(uow, include_inactive=True),
                )

        run_in_background(op, self._on_choices_loaded, self._on_model_fetch_failed, owner=self)
        flt = self.current_filter()
        if flt == self.model.filter and self.model.loaded:
            self.model.refresh()  # in place: the selection and the scroll position stay
        else:
            self.model.set_filter(flt)

    def current_filter(self) -> ComplaintFilter:
        """The filter the controls describe right now."""
        status = self.status_combo.currentData()
        statuses: frozenset[Status] = frozenset()
        open_only = False
        if status == _OPEN:
            open_only = True
        elif status:
            statuses = frozenset({Status(status)})
        severity = self.severity_combo.currentData()
        category = self.category_combo.currentData()
        unit = self.unit_combo.currentData()
        staff = self.staff_combo.currentData()
        return ComplaintFilter(
            text=self.search_edit.text().strip(),
            statuses=statuses,
            open_only=open_only,
            severities=frozenset({Severity(severity)}) if severity else frozenset(),
            category_ids=frozenset({int(category)}) if category is not None else frozenset(),
            unit_ids=frozenset({int(unit)}) if unit is not None else frozenset(),
            staff_ids=frozenset({int(staff)}) if staff is not None else frozenset(),
            overdue=self.overdue_check.isChecked(),
            received_from=_day(self.from_date.date()) if self.from_check.isChecked() else None,
            received_to=_day(self.to_date.date()) if self.to_check.isChecked() else None,
        )

    @Slot()
    def clear_filters(self) -> None:
        widgets = (
            self.search_edit,
            self.status_combo,
            self.severity_combo,
            self.category_combo,
            self.unit_combo,
            self.staff_combo,
            self.overdue_check,
            self.from_check,
            self.to_check,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self.search_edit.clear()
        for combo in widgets[1:6]:
            assert isinstance(combo, QComboBox)
            combo.setCurrentIndex(0)
        for check in widgets[6:]:
            assert isinstance(check, QCheckBox)
            check.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self.from_date.setEnabled(False)
        self.to_date.setEnabled(False)
        self._apply_filter()

    def selected_reference(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = self.model.data(index, REFERENCE_ROLE)
        return str(value) if value else None

    # ------------------------------------------------------------ Qt overrides

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A new query's first page is as many rows as the list can show, and a few.
        rows = self.table.height() // max(1, self.table.verticalHeader().defaultSectionSize())
        self.model.rows_in_view = rows + 3

    # ------------------------------------------------------------ slots

    @Slot(str)
    def _on_search_edit_text_changed(self, _text: str) -> None:
        # Every keystroke queries at once: the model interrupts the query it replaces.
        self._apply_filter()

    @Slot()
    def _apply_filter(self) -> None:
        flt = self.current_filter()
        if flt == self.model.filter and not self.model.busy:
            self._show_count(self.model.total)
            return
        self.count_label.setText("Searching…")
        self.model.set_filter(flt)

    @Slot()
    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @Slot()
    def _show_match(self) -> None:
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else 0
        why = self.model.match_of(row) if self.model.filter.text else None
        self.match_label.setVisible(why is not None)
        if why is not None:
            metrics = self.match_label.fontMetrics()
            width = max(200, self.table.width())
            self.match_label.setText(metrics.elidedText(why, Qt.TextElideMode.ElideRight, width))
            self.match_label.setToolTip(why)

    @Slot(int)
    def _on_model_first_rows_shown(self, shown: int) -> None:
        if not self.model.complete:
            self.count_label.setText(f"{shown:,}+ complaints, counting…")

    @Slot(int)
    def _on_model_query_finished(self, total: int) -> None:
        self._show_count(total)

    def _show_count(self, total: int) -> None:
        flt = self.model.filter
        filtered = flt != ComplaintFilter()
        reversed_range = (
            flt.received_from is not None
            and flt.received_to is not None
            and flt.received_from > flt.received_to
        )
        if total == 0 and reversed_range:
            text = "No complaints match: the 'from' date is after the 'until' date"
        elif total == 0:
            text = (
                "No complaints match"
                if filtered
                else "No complaints yet: log the first call with Log a call (Ctrl+N), or bring "
                "in the old log with File, Import complaints…"
            )
        elif total == 1:
            text = "1 complaint matches" if filtered else "1 complaint"
        else:
            text = f"{total:,} complaints match" if filtered else f"{total:,} complaints"
        self.count_label.setText(text)

    @Slot(object)
    def _on_model_fetch_failed(self, exc: BaseException) -> None:
        self.count_label.setText("Could not load the list")
        show_error(self, exc)

    def _on_choices_loaded(self, choices: _Choices) -> None:
        def label(name: str, active: bool) -> str:
            return name if active else f"{name} (deactivated)"

        self._fill(
            self.category_combo,
            "Any category",
            [(label(c.name, c.active), c.id) for c in choices.categories],
        )
        self._fill(
            self.unit_combo,
            "Any department or partner",
            [(label(u.name, u.active), u.id) for u in choices.units],
        )
        self._fill(
            self.staff_combo,
            "Anyone",
            [(label(f"{s.name} — {s.unit_name}", s.active), s.id) for s in choices.staff],
        )

    @Slot(int, Qt.SortOrder)
    def _on_header_sort_indicator_changed(self, column: int, _order: Qt.SortOrder) -> None:
        # A click on a column the list cannot be sorted by leaves the list as it was: the
        # arrow goes back to the column it is sorted by, so it never claims an order not shown.
        if COLUMNS[column].sort_key is None:
            order = (
                Qt.SortOrder.DescendingOrder
                if self.model.descending
                else Qt.SortOrder.AscendingOrder
            )
            self.table.horizontalHeader().setSortIndicator(
                COLUMN_OF_KEY[self.model.sort_key], order
            )

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        reference = self.model.data(index, REFERENCE_ROLE)
        if reference:
            self.complaint_activated.emit(str(reference))


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
