"""The complaint list as a Qt table model: filtered, sorted and paged in SQL, filled lazily.

The model never holds all matching rows. A query (filter + sort) first counts the matches and
fetches one page; further pages arrive through `canFetchMore`/`fetchMore` as the view scrolls.
Each fetch runs on the shared background helper; a generation number drops the answer of a query
that was replaced while it ran (typing fast in the search box). Rows are `ComplaintRow` snapshots.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from ceo_desk.core import queries
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database, UnitOfWork
from ceo_desk.core.queries import ComplaintFilter, ComplaintRow, SortKey
from ceo_desk.enums import Severity, Status
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.models.in_place import replace_rows
from ceo_desk.ui.widgets import colours

PAGE_SIZE = 200

ModelIndex = QModelIndex | QPersistentModelIndex

# Custom roles: the row snapshot itself and its reference, for views and tests.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
REFERENCE_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: SortKey
    text: Callable[[ComplaintRow, date], str]


def _received(row: ComplaintRow, today: date) -> str:
    return row.received_at.astimezone().strftime("%Y-%m-%d %H:%M")


def _due(row: ComplaintRow, today: date) -> str:
    if row.due_on is None:
        return ""
    late = row.days_overdue(today)
    if late:
        return f"{row.due_on.isoformat()} ({late} day{'s' if late != 1 else ''} late)"
    if row.due_on == today:
        return f"{row.due_on.isoformat()} (today)"
    return row.due_on.isoformat()


COLUMNS: tuple[Column, ...] = (
    Column("Reference", SortKey.REFERENCE, lambda r, _: r.reference),
    Column("Received", SortKey.RECEIVED, _received),
    Column("Customer", SortKey.CUSTOMER, lambda r, _: r.customer_name),
    Column("Summary", SortKey.SUMMARY, lambda r, _: r.summary),
    Column("Severity", SortKey.SEVERITY, lambda r, _: r.severity.label),
    Column("Status", SortKey.STATUS, lambda r, _: r.status.label),
    Column("Category", SortKey.CATEGORY, lambda r, _: r.category or ""),
    Column("Delegate", SortKey.DELEGATE, lambda r, _: r.delegate or ""),
    Column("Due", SortKey.DUE, _due),
)
COLUMN_OF_KEY = {column.sort_key: i for i, column in enumerate(COLUMNS)}


@dataclass(frozen=True)
class _FirstPage:
    total: int
    rows: list[ComplaintRow]


@dataclass(frozen=True)
class _Query:
    """The list's query as it stood when a fetch started: read on the GUI thread, run on a
    worker, so a later change of filter or sort cannot reach a fetch already under way."""

    db: Database
    filter: ComplaintFilter
    sort: SortKey
    descending: bool
    today: date

    def rows(self, uow: UnitOfWork, *, offset: int, limit: int) -> list[ComplaintRow]:
        return queries.list_complaints(
            uow,
            self.filter,
            sort=self.sort,
            descending=self.descending,
            offset=offset,
            limit=limit,
            today=self.today,
        )


class ComplaintsTableModel(QAbstractTableModel):
    """Complaints matching a filter, in SQL order, fetched a page at a time."""

    # Emitted after a new query has its count and first page (argument: number of matches).
    query_finished = Signal(int)
    # Emitted after each further page arrives (argument: rows now loaded).
    page_loaded = Signal(int)
    # Emitted after `refresh` updated the loaded rows in place (argument: number of matches).
    refreshed = Signal(int)
    # Emitted when a fetch fails (argument: the exception), after the model is consistent again.
    fetch_failed = Signal(object)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._filter = ComplaintFilter()
        self._sort = SortKey.RECEIVED
        self._descending = True
        self._rows: list[ComplaintRow] = []
        self._total = 0
        self._today = SYSTEM_CLOCK.today()
        self._generation = 0
        self._query_running = False
        self._page_running = False
        self._bold = QFont()
        self._bold.setBold(True)
        self.page_size = PAGE_SIZE

    # ------------------------------------------------------------ the query

    @property
    def total(self) -> int:
        """How many complaints match the current filter (not just the loaded ones)."""
        return self._total

    @property
    def loaded(self) -> int:
        return len(self._rows)

    @property
    def busy(self) -> bool:
        return self._query_running or self._page_running

    @property
    def filter(self) -> ComplaintFilter:
        return self._filter

    @property
    def sort_key(self) -> SortKey:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    def row_at(self, row: int) -> ComplaintRow:
        return self._rows[row]

    def set_filter(self, flt: ComplaintFilter) -> None:
        self._filter = flt
        self.reload()

    def set_sort(self, key: SortKey, descending: bool) -> None:
        if key is self._sort and descending == self._descending:
            return
        self._sort = key
        self._descending = descending
        self.reload()

    def _current_query(self) -> _Query:
        return _Query(self._db, self._filter, self._sort, self._descending, self._today)

    def reload(self) -> None:
        """Run the current query again from its first page; the old rows stay until it answers."""

        def show(page: _FirstPage) -> None:
            self.beginResetModel()
            self._rows = list(page.rows)
            self._total = max(page.total, len(page.rows))
            self._query_running = False
            self._page_running = False
            self.endResetModel()
            self.query_finished.emit(self._total)

        self._read_first_page(self.page_size, show)

    def refresh(self) -> None:
        """Read the rows already loaded again and update them in place (after a change).

        Unlike `reload`, the view keeps its selection, current row and scroll position: rows are
        matched by reference, so a complaint that changed is repainted where it is, one that no
        longer matches is removed and a new match is inserted where the sort puts it.
        """
        if self._query_running:
            return  # the new query's answer is coming and will show the change

        def show(page: _FirstPage) -> None:
            self._query_running = False
            self._page_running = False
            replace_rows(self, self._rows, page.rows, lambda row: row.reference)
            self._total = max(page.total, len(self._rows))
            self.refreshed.emit(self._total)

        self._read_first_page(max(len(self._rows), self.page_size), show)

    def _read_first_page(self, size: int, show: Callable[[_FirstPage], None]) -> None:
        """Count and read the first `size` rows of the current query in the background, then
        `show` them, unless a newer query has started since."""
        self._generation += 1
        generation = self._generation
        self._query_running = True
        self._today = SYSTEM_CLOCK.today()
        query = self._current_query()

        def op() -> _FirstPage:
            with query.db.reading() as uow:
                total = queries.count_complaints(uow, query.filter, today=query.today)
                rows = query.rows(uow, offset=0, limit=size)
            return _FirstPage(total, rows)

        def done(page: _FirstPage) -> None:
            if generation == self._generation:
                show(page)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._query_running = False
            self._page_running = False
            self.fetch_failed.emit(exc)

        run_in_background(op, done, failed, owner=self)

    # ------------------------------------------------------------ Qt model interface

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Sort by {COLUMNS[section].title.lower()}"
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if not 0 <= column < len(COLUMNS):
            return None
        overdue = row.days_overdue(self._today) > 0
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = COLUMNS[column].text(row, self._today)
            if role == Qt.ItemDataRole.AccessibleTextRole and overdue and column == 0:
                return f"{text}, overdue"
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            if overdue:
                late = row.days_overdue(self._today)
                what = "Report" if row.status is Status.DELEGATED else "Callback"
                return f"{row.reference}: {what} overdue by {late} day{'s' if late != 1 else ''}"
            if column == COLUMN_OF_KEY[SortKey.SUMMARY]:
                return row.summary
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return colours.overdue_background() if overdue else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue and column == COLUMN_OF_KEY[SortKey.DUE]:
                return colours.warning_text()
            if column == COLUMN_OF_KEY[SortKey.SEVERITY] and row.severity is Severity.CRITICAL:
                return colours.warning_text()
            return None
        if role == Qt.ItemDataRole.FontRole:
            if overdue and column == COLUMN_OF_KEY[SortKey.DUE]:
                return self._bold
            return None
        if role == ROW_ROLE:
            return row
        if role == REFERENCE_ROLE:
            return row.reference
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent: ModelIndex) -> bool:
        if parent.isValid():
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: ModelIndex) -> None:
        if parent.isValid() or self._page_running or self._query_running:
            return
        if len(self._rows) >= self._total:
            return
        self._page_running = True
        generation = self._generation
        query, offset, size = self._current_query(), len(self._rows), self.page_size

        def op() -> list[ComplaintRow]:
            with query.db.reading() as uow:
                return query.rows(uow, offset=offset, limit=size)

        def done(rows: list[ComplaintRow]) -> None:
            if generation != self._generation:
                return
            if len(self._rows) != offset:
                self._page_running = False
                return
            if not rows:
                # The log shrank since it was counted: stop asking for more.
                self._total = len(self._rows)
                self._page_running = False
                self.page_loaded.emit(len(self._rows))
                return
            first = len(self._rows)
            # Still "running" while rows go in, so a view asking for more in the middle of the
            # insertion does not start a second fetch at the old offset.
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._total = max(self._total, len(self._rows))
            self.endInsertRows()
            self._page_running = False
            self.page_loaded.emit(len(self._rows))

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._page_running = False
            self.fetch_failed.emit(exc)

        run_in_background(op, done, failed, owner=self)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.set_sort(COLUMNS[column].sort_key, order == Qt.SortOrder.DescendingOrder)
