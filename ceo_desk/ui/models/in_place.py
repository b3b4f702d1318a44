"""Replacing a table model's rows in place, so the view keeps its selection and scroll position.

A reset (beginResetModel) forgets the selection, the current row and the scroll position. Here
the new rows are matched to the old by a key (the complaint's reference, a record's id): rows that
went away are removed, new ones inserted, a changed order is a layout change with every persistent
index moved to its row's new place, and rows that only look different are repainted. The
selection model follows each step, as it does for any edit of a model.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex

RowT = TypeVar("RowT")


def replace_rows(
    model: QAbstractTableModel,
    rows: list[RowT],
    new_rows: Sequence[RowT],
    key: Callable[[RowT], Hashable],
) -> None:
    """Make `rows` (the model's own list, changed in place) equal to `new_rows`."""
    root = QModelIndex()
    wanted = {key(row): number for number, row in enumerate(new_rows)}
    if len(wanted) != len(new_rows):  # keys not unique: nothing to match by
        model.beginResetModel()
        rows[:] = list(new_rows)
        model.endResetModel()
        return
    before = {key(row): row for row in rows}
    # 1. Rows that went away, bottom up so the positions above stay right.
    number = len(rows) - 1
    while number >= 0:
        if key(rows[number]) in wanted:
            number -= 1
            continue
        last = number
        while number - 1 >= 0 and key(rows[number - 1]) not in wanted:
            number -= 1
        model.beginRemoveRows(root, number, last)
        del rows[number : last + 1]
        model.endRemoveRows()
        number -= 1
    # 2. New rows, at the end for now.
    present = {key(row) for row in rows}
    arriving = [row for row in new_rows if key(row) not in present]
    if arriving:
        first = len(rows)
        model.beginInsertRows(root, first, first + len(arriving) - 1)
        rows.extend(arriving)
        model.endInsertRows()
    # 3. The order of the new list, moving every persistent index with its row.
    if [key(row) for row in rows] != [key(row) for row in new_rows]:
        model.layoutAboutToBeChanged.emit()
        old_keys = [key(row) for row in rows]
        rows[:] = list(new_rows)
        for index in model.persistentIndexList():
            moved = wanted[old_keys[index.row()]]
            model.changePersistentIndex(index, model.index(moved, index.column()))
        model.layoutChanged.emit()
    # 4. Rows whose content changed are repainted.
    changed = [
        n for n, row in enumerate(new_rows) if key(row) in before and before[key(row)] != row
    ]
    rows[:] = list(new_rows)
    if changed and model.columnCount() > 0:
        model.dataChanged.emit(
            model.index(changed[0], 0), model.index(changed[-1], model.columnCount() - 1)
        )
