"""A read-only table over a short list of row snapshots (frozen dataclasses from the queries).

Used for the working lists (Today, Chase) that hold at most a few hundred rows: the whole list is
fetched in the background and swapped in at once. Columns are declared as data, so a view says
what each column shows and the model does the Qt bookkeeping.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QIcon

from ceo_desk.ui.models.in_place import replace_rows

RowT = TypeVar("RowT")

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True)
class Column(Generic[RowT]):
    """How one column shows a row, and a sample of its widest usual text (empty: the column
    takes the spare width; `ui.widgets.column_fit`)."""

    title: str
    text: Callable[[RowT], str]
    tooltip: Callable[[RowT], str | None] | None = None
    foreground: Callable[[RowT], QColor | None] | None = None
    icon: Callable[[RowT], QIcon | None] | None = None
    align_right: bool = False
    sample: str = ""


class SnapshotTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows are immutable snapshots; `set_rows` replaces them all.

    With a `key` (what identifies a row: a reference, an id) the rows are replaced in place, so
    a refreshed list keeps its selection and scroll position; without one the model is reset.
    """

    def __init__(
        self,
        columns: Sequence[Column[RowT]],
        parent: QObject | None = None,
        *,
        key: Callable[[RowT], Hashable] | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[RowT] = []
        self._key = key

    def set_rows(self, rows: Sequence[RowT]) -> None:
        if self._key is not None:
            replace_rows(self, self._rows, rows, self._key)
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def samples(self) -> list[str]:
        """Each column's sample of its widest usual text, in order."""
        return [column.sample for column in self._columns]

    def rows(self) -> list[RowT]:
        return list(self._rows)

    def row_at(self, row: int) -> RowT | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, predicate: Callable[[RowT], bool]) -> int:
        """The position of the first row matching `predicate`, or -1."""
        for number, item in enumerate(self._rows):
            if predicate(item):
                return number
        return -1

    # Qt model interface

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        item = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(item)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(item)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            return column.foreground(item)
        if role == Qt.ItemDataRole.DecorationRole and column.icon is not None:
            return column.icon(item)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.align_right else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].title
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
