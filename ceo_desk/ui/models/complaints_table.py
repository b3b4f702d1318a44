"""The complaint list as a Qt table model over the whole result, its rows filled lazily.

A query (filter + sort) first reads its first page, ids and rows, and shows it; then the ids of
every match, in order, through the list's indexes (`core.list_order`). The model then has one
row per match, so the scroll bar is sized to all of them and Ctrl+End lands on the last; a row's
columns are read a page at a time when the view first paints it. Each read runs on the shared
background helper; a newer query interrupts the one in flight (`core.interrupt`), and a
generation number drops any answer that still arrives for a replaced query. A refresh after a
change reads the ids again and moves rows in place (`in_place.replace_rows`), so the selection and
the scroll position stay; rows already read are shown as they were until read again.
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
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QHeaderView, QStyle, QTableView

from ceo_desk.core import queries
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database, UnitOfWork
from ceo_desk.core.deadlines import FinalResponse
from ceo_desk.core.interrupt import Interrupted, Interruptible
from ceo_desk.core.queries import ComplaintFilter, ComplaintRow, SortKey
from ceo_desk.enums import Severity, Status
from ceo_desk.ui import final_response
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.models.in_place import replace_rows
from ceo_desk.ui.widgets import colours, status_label
from ceo_desk.ui.widgets.column_fit import give_spare_width
from ceo_desk.ui.widgets.status_label import STATUS_ROLE

# Rows read at a time: two screenfuls at 1366x768, so a keystroke reads no more than it shows.
PAGE_SIZE = 60
# The rest of a query's matches are read once the first rows are painted (the view asking for
# them says so), or after this long when no view paints them.
UNPAINTED_MS = 50

ModelIndex = QModelIndex | QPersistentModelIndex

# Custom roles: the row snapshot itself and its reference, for views and tests.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
REFERENCE_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    """One column: its heading, its sort, its text, and a sample of its widest usual content
    (the column is made as wide as that; the summary's sample is empty: it takes the rest)."""

    title: str
    sort_key: SortKey | None  # None: the list cannot be sorted by it
    text: Callable[[ComplaintRow, date], str]
    sample: str = ""


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


def _final_response(row: ComplaintRow, today: date) -> str:
    return row.final_response.short(today) if row.final_response else ""


COLUMNS: tuple[Column, ...] = (
    Column("Reference", SortKey.REFERENCE, lambda r, _: r.reference, "C-2026-00000"),
    Column("Received", SortKey.RECEIVED, _received, "2026-12-31 23:59"),
    Column("Customer", SortKey.CUSTOMER, lambda r, _: r.customer_name, "Priya Natarajan"),
    Column("Summary", SortKey.SUMMARY, lambda r, _: r.summary),
    Column("Severity", SortKey.SEVERITY, lambda r, _: r.severity.label, "Critical"),
    Column("Status", SortKey.STATUS, lambda r, _: r.status.label, "Awaiting callback"),
    Column("Category", SortKey.CATEGORY, lambda r, _: r.category or "", "Billing errors"),
    Column("Delegate", SortKey.DELEGATE, lambda r, _: r.delegate or "", "Jamie Ortiz"),
    Column("Due", SortKey.DUE, _due, "2026-12-31 (10 days late)"),
    Column("Final response", None, _final_response, "2026-12-31 (10 days left)"),
)
# The order on screen: who and what first, then who has it and by when (so the delegate and the
# due date stay in view in a narrow window), the rest after.
SHOWN_ORDER = (
    SortKey.REFERENCE,
    SortKey.CUSTOMER,
    SortKey.SUMMARY,
    SortKey.DELEGATE,
    SortKey.DUE,
    SortKey.STATUS,
    SortKey.SEVERITY,
    SortKey.RECEIVED,
    SortKey.CATEGORY,
)
COLUMN_OF_KEY = {column.sort_key: i for i, column in enumerate(COLUMNS) if column.sort_key}
_SUMMARY_COLUMN = COLUMN_OF_KEY[SortKey.SUMMARY]
_DUE_COLUMN = COLUMN_OF_KEY[SortKey.DUE]
_SEVERITY_COLUMN = COLUMN_OF_KEY[SortKey.SEVERITY]
_STATUS_COLUMN = COLUMN_OF_KEY[SortKey.STATUS]
_FINAL_COLUMN = len(COLUMNS) - 1

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ROW = int(ROW_ROLE)
_REFERENCE = int(REFERENCE_ROLE)
_STATUS = int(STATUS_ROLE)
_ROLES = frozenset(
    (_DISPLAY, _ACCESSIBLE, _TOOLTIP, _BACKGROUND, _FOREGROUND, _FONT, _ROW, _REFERENCE, _STATUS)
)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_COLUMN_COUNT = len(COLUMNS)


@dataclass(frozen=True)
class _FromPalette:
    """A colour answered from the palette when asked (it may change while the row is shown):
    a row's final-response mark, or (`final` None) the overdue background or warning text."""

    final: FinalResponse | None = None
    background: bool = False

    def colour(self, model: ComplaintsTableModel) -> QColor | None:
        if self.final is not None:
            return final_response.foreground(self.final)
        overdue, warning = model._marks()
        return overdue if self.background else warning


_LATE_BACKGROUND = _FromPalette(background=True)
_WARNING_TEXT = _FromPalette()


def arrange_columns(header: QHeaderView) -> None:
    """Each column as wide as its usual content (or its heading), the summary taking the spare
    width, in `SHOWN_ORDER`; the person's own arrangement, once saved, is restored over it."""
    metrics = header.fontMetrics()
    bold = QFont(header.font())
    bold.setBold(True)
    padding = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 12
    for number, column in enumerate(COLUMNS):
        if not column.sample:
            continue
        if column.sort_key is SortKey.STATUS:  # drawn as a label, bold at its longest
            text = QFontMetrics(bold).horizontalAdvance(column.sample) + status_label.CHIP_SPACE
        else:
            text = metrics.horizontalAdvance(column.sample)
        width = max(text, metrics.horizontalAdvance(column.title))
        header.resizeSection(number, width + padding)
    table = header.parentWidget()
    assert isinstance(table, QTableView), "the header of a table"
    # The summary takes the spare width but keeps a readable start; the list scrolls if need be.
    give_spare_width(table, _SUMMARY_COLUMN)
    for place, key in enumerate(k for k in SHOWN_ORDER if k in COLUMN_OF_KEY):
        header.moveSection(header.visualIndex(COLUMN_OF_KEY[key]), place)


@dataclass(frozen=True)
class _FirstPage:
    ids: list[int]
    rows: list[ComplaintRow]
    complete: bool  # fewer matches than a page: these are all of them


@dataclass(frozen=True)
class _Snapshot:
    ids: list[int]
    rows: list[ComplaintRow]  # the rows re-read with it (a refresh), else none


@dataclass(frozen=True)
class _Query:
    """The list's query as it stood when a read started: read on the GUI thread, run on a
    worker, so a later change of filter or sort cannot reach a read already under way."""

    db: Database
    filter: ComplaintFilter
    sort: SortKey
    descending: bool
    today: date

    def ids(self, uow: UnitOfWork, *, limit: int | None) -> list[int]:
        return queries.complaint_ids(
            uow,
            self.filter,
            sort=self.sort,
            descending=self.descending,
            limit=limit,
            today=self.today,
        )

    def rows(self, uow: UnitOfWork, ids: list[int]) -> list[ComplaintRow]:
        return queries.complaint_rows(uow, ids, text=self.filter.text)


class ComplaintsTableModel(QAbstractTableModel):
    """Complaints matching a filter, in SQL order: every match a row, read a page at a time."""

    # Emitted when the first rows of a new query are shown (argument: rows shown so far).
    first_rows_shown = Signal(int)
    # Emitted when the query's matches are all known (argument: number of matches).
    query_finished = Signal(int)
    # Emitted after each further page of rows arrives (argument: rows read so far).
    page_loaded = Signal(int)
    # Emitted after `refresh` updated the rows in place (argument: number of matches).
    refreshed = Signal(int)
    # Emitted when a read fails (argument: the exception), after the model is consistent again.
    fetch_failed = Signal(object)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._filter = ComplaintFilter()
        self._sort = SortKey.RECEIVED
        self._descending = True
        self._ids: list[int] = []
        self._rows: dict[int, ComplaintRow] = {}
        self._stale: set[int] = set()
        # Each read row's answers, column by column and role by role, made when the row is
        # first painted: a paint asks about seven roles of every cell, each paint again.
        self._cells: dict[int, tuple[dict[int, Any], ...]] = {}
        self._pages_running: set[int] = set()
        self._complete = False
        self._today = SYSTEM_CLOCK.today()
        self._generation = 0
        self._query_running = False
        self._in_flight: list[Interruptible] = []
        # The read of every match, waiting for the first rows to be painted.
        self._owed: Callable[[], None] | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        # The overdue and warning colours of the palette they were made from (see `_marks`).
        self._palette_key: int | None = None
        self._overdue = self._warning = QColor()
        self.page_size = PAGE_SIZE
        # How many rows the view shows at once (the view says, as it is resized): a new query's
        # first page reads no more than that, the rest when scrolled to or asked for.
        self.rows_in_view: int | None = None

    # ------------------------------------------------------------ the query

    @property
    def total(self) -> int:
        """How many complaints match the current filter (once `query_finished` said so)."""
        return len(self._ids)

    @property
    def complete(self) -> bool:
        """Whether every match is a row yet (the count is known)."""
        return self._complete

    @property
    def loaded(self) -> int:
        """How many rows have their columns read."""
        return len(self._rows)

    @property
    def busy(self) -> bool:
        return self._query_running or bool(self._pages_running)

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
        """The row's columns; only for a row already read (`is_read`)."""
        return self._rows[self._ids[row]]

    def match_of(self, row: int) -> str | None:
        """Why the row matched the search, in words (None when not searching or not read)."""
        if not self.is_read(row):
            return None
        matched = self.row_at(row).matched
        return None if matched is None else f"{self.row_at(row).reference}: {matched.describe()}"

    def is_read(self, row: int) -> bool:
        return 0 <= row < len(self._ids) and self._ids[row] in self._rows

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

    def _start(self) -> tuple[int, Interruptible]:
        """A new generation: every read still running for an older one is interrupted."""
        for read in self._in_flight:
            read.cancel()
        self._in_flight = []
        self._owed = None
        self._pages_running.clear()
        self._generation += 1
        read = Interruptible()
        self._in_flight.append(read)
        return self._generation, read

    def reload(self) -> None:
        """Run the current query again: its first page, then every match; the old rows stay
        until the first page answers."""
        generation, read = self._start()
        self._query_running = True
        self._today = SYSTEM_CLOCK.today()
        query, size = self._current_query(), min(self.page_size, self.rows_in_view or PAGE_SIZE)

        def op() -> _FirstPage:
            with query.db.reading() as uow, read.running(uow):
                ids = query.ids(uow, limit=size)
                return _FirstPage(ids, query.rows(uow, ids), len(ids) < size)

        def done(page: _FirstPage) -> None:
            if generation != self._generation:
                return
            self.beginResetModel()
            self._ids = list(page.ids)
            self._rows = {row.id: row for row in page.rows}
            self._cells = {}
            self._stale = set()
            self._complete = page.complete
            self.endResetModel()
            self.first_rows_shown.emit(len(self._ids))
            if page.complete:
                self._query_running = False
                self.query_finished.emit(len(self._ids))
            else:
                # Read on a worker while these rows are painted, every match would contend with
                # the paint for the interpreter lock: it waits until they are on screen.
                self._owed = lambda: self._read_every_match(generation, read, query, refresh=False)
                QTimer.singleShot(UNPAINTED_MS, self, self._read_owed)

        run_in_background(op, done, self._failed(generation), owner=self)

    def _read_owed(self) -> None:
        owed, self._owed = self._owed, None
        if owed is not None:
            owed()

    def refresh(self) -> None:
        """Read the query again after a change and update the rows in place.

        Unlike `reload`, the view keeps its selection, current row and scroll position: rows are
        matched by id, so a complaint that changed is repainted where it is, one that no longer
        matches is removed and a new match is inserted where the sort puts it.
        """
        if self._query_running:
            return  # the new query's answer is coming and will show the change
        generation, read = self._start()
        self._query_running = True
        self._today = SYSTEM_CLOCK.today()
        self._read_every_match(generation, read, self._current_query(), refresh=True)

    def _read_every_match(
        self, generation: int, read: Interruptible, query: _Query, *, refresh: bool
    ) -> None:
        # A refresh re-reads the rows already read (up to a few pages: the ones looked at);
        # the others are marked stale and read again when next painted.
        again = list(self._rows)[: 4 * self.page_size] if refresh else []

        def op() -> _Snapshot:
            with query.db.reading() as uow, read.running(uow):
                ids = query.ids(uow, limit=None)
                if not again:
                    return _Snapshot(ids, [])
                # The first page too: a change may have brought new rows to the top.
                wanted = set(again) | set(ids[: self.page_size])
                return _Snapshot(ids, query.rows(uow, [i for i in ids if i in wanted]))

        def done(snapshot: _Snapshot) -> None:
            if generation != self._generation:
                return
            shown = len(self._ids)
            if not refresh and snapshot.ids[:shown] == self._ids:
                if len(snapshot.ids) > shown:
                    self.beginInsertRows(QModelIndex(), shown, len(snapshot.ids) - 1)
                    self._ids.extend(snapshot.ids[shown:])
                    self.endInsertRows()
            else:
                replace_rows(self, self._ids, snapshot.ids, lambda row_id: row_id)
            if refresh:
                self._stale = set(self._rows)
            present = set(self._ids)
            self._rows = {i: row for i, row in self._rows.items() if i in present}
            if refresh:
                self._cells = {}  # "today" and the rows re-read may have changed any answer
            else:
                self._cells = {i: cells for i, cells in self._cells.items() if i in present}
            for row in snapshot.rows:
                self._rows[row.id] = row
                self._cells.pop(row.id, None)
                self._stale.discard(row.id)
            self._complete = True
            self._query_running = False
            if self._ids and refresh:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1)
                )
            if refresh:
                self.refreshed.emit(len(self._ids))
            else:
                self.query_finished.emit(len(self._ids))

        run_in_background(op, done, self._failed(generation), owner=self)

    def _failed(self, generation: int) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            if generation != self._generation or isinstance(exc, Interrupted):
                return
            self._query_running = False
            self._pages_running.clear()
            self.fetch_failed.emit(exc)

        return failed

    def _read_page(self, page: int) -> None:
        """Read the columns of one page of rows (the view is about to paint one of them)."""
        if page in self._pages_running or (self._query_running and not self._complete):
            return
        first = page * self.page_size
        ids = self._ids[first : first + self.page_size]
        if not ids:
            return
        self._pages_running.add(page)
        generation, query = self._generation, self._current_query()
        read = Interruptible()
        self._in_flight.append(read)

        def op() -> list[ComplaintRow]:
            with query.db.reading() as uow, read.running(uow):
                return query.rows(uow, ids)

        def done(rows: list[ComplaintRow]) -> None:
            if generation != self._generation:
                return
            self._pages_running.discard(page)
            if read in self._in_flight:
                self._in_flight.remove(read)
            for row in rows:
                self._rows[row.id] = row
                self._cells.pop(row.id, None)
                self._stale.discard(row.id)
            found = {row.id for row in rows}
            for row_id in ids:
                if row_id not in found:  # gone since the ids were read: shown blank until
                    self._stale.discard(row_id)  # the refresh that follows every change
            last = min(first + len(ids), len(self._ids)) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
            self.page_loaded.emit(len(self._rows))

        run_in_background(op, done, self._failed(generation), owner=self)

    # ------------------------------------------------------------ Qt model interface

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

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
            if COLUMNS[section].sort_key is None:
                return "Final response due, from receipt; paused time left out"
            return f"Sort by {COLUMNS[section].title.lower()}"
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every painted cell, each paint again: the roles answered are
        # plain numbers looked up once, any other role returns before the row is looked at, and
        # a row's answers are made once (`_answers`), so a cell is a lookup.
        if role not in _ROLES:
            return None
        number, column = index.row(), index.column()  # -1 for an index that is not valid
        if number < 0 or column < 0 or column >= _COLUMN_COUNT or number >= len(self._ids):
            return None
        if self._owed is not None:  # the first rows are being painted: read the rest after
            owed, self._owed = self._owed, None
            QTimer.singleShot(0, self, owed)
        row_id = self._ids[number]
        cells = self._cells.get(row_id)
        if cells is None or row_id in self._stale:
            row = self._rows.get(row_id)
            if row is None or row_id in self._stale:
                self._read_page(number // self.page_size)
            if row is None:
                return "…" if role == _DISPLAY and column == 0 else None  # being read
            if cells is None:
                cells = self._cells[row_id] = self._answers(row)
        if role == _TOOLTIP:  # asked only when the pointer rests on a cell
            return self._tooltip(cells[column][_ROW], column)
        answer = cells[column].get(role)
        if type(answer) is _FromPalette:
            return answer.colour(self)
        return answer

    def _tooltip(self, row: ComplaintRow, column: int) -> str | None:
        found = row.final_response
        if column == _FINAL_COLUMN and found is not None:
            return f"Final response {found.describe(self._today)}"
        if row.matched is not None:
            return row.matched.describe()
        late = row.days_overdue(self._today)
        if late:
            what = "Report" if row.status is Status.DELEGATED else "Callback"
            return f"{row.reference}: {what} overdue by {late} day{'s' if late != 1 else ''}"
        return row.summary if column == _SUMMARY_COLUMN else None

    def _answers(self, row: ComplaintRow) -> tuple[dict[int, Any], ...]:
        """Every role's answer for each of the row's cells but the tooltip (colours of the
        palette as it is when asked: `_FromPalette`)."""
        today = self._today
        late = row.days_overdue(today)
        texts = [c.text(row, today) for c in COLUMNS]
        found = row.final_response
        cells = []
        for column, text in enumerate(texts):
            cell: dict[int, Any] = {
                _DISPLAY: text,
                _ACCESSIBLE: f"{text}, overdue" if late and column == 0 else text,
                _ROW: row,
                _REFERENCE: row.reference,
            }
            if column == _STATUS_COLUMN:
                cell[_STATUS] = row.status
            if late:
                cell[_BACKGROUND] = _LATE_BACKGROUND
            if column == _FINAL_COLUMN:
                if final_response.foreground(found) is not None:
                    cell[_FOREGROUND] = _FromPalette(found)
                if final_response.is_pressing(found):
                    cell[_FONT] = self._bold
            elif late and column == _DUE_COLUMN:
                cell[_FOREGROUND] = _WARNING_TEXT
                cell[_FONT] = self._bold
            elif column == _SEVERITY_COLUMN and row.severity is Severity.CRITICAL:
                cell[_FOREGROUND] = _WARNING_TEXT
            cells.append(cell)
        return tuple(cells)

    def _marks(self) -> tuple[QColor, QColor]:
        """The overdue background and the warning text colour, made again only when the palette
        changed: made for each painted cell they cost a fifth of a list's paint."""
        palette = QApplication.palette()
        if palette.cacheKey() != self._palette_key:
            self._palette_key = palette.cacheKey()
            self._overdue = colours.overdue_background(palette)
            self._warning = colours.warning_text(palette)
        return self._overdue, self._warning

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort_key if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self.set_sort(key, order == Qt.SortOrder.DescendingOrder)
