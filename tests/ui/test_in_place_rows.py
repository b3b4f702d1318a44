"""A list refreshed in place keeps what the person was looking at: the selected row and the
scroll position, through rows changing, arriving, leaving and moving."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel


@dataclass(frozen=True)
class Row:
    key: str
    text: str


def _model() -> SnapshotTableModel[Row]:
    return SnapshotTableModel([Column("Key", lambda r: r.key), Column("Text", lambda r: r.text)],
                              key=lambda r: r.key)  # fmt: skip


def _rows(*keys: str, text: str = "") -> list[Row]:
    return [Row(k, text or k.lower()) for k in keys]


def test_the_selection_follows_its_row(qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    model = _model()
    qtmodeltester.check(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.set_rows(_rows("A", "B", "C", "D"))
    view.selectRow(2)  # C
    model.set_rows([Row("A", "a"), Row("C", "changed"), Row("E", "e"), Row("D", "d")])
    [selected] = view.selectionModel().selectedRows()
    assert model.row_at(selected.row()) == Row("C", "changed")
    model.set_rows(_rows("D", "E", "C", "A"))  # reordered
    [selected] = view.selectionModel().selectedRows()
    assert model.row_at(selected.row()) == Row("C", "c")
    model.set_rows(_rows("A", "D"))  # the selected row left
    assert view.selectionModel().selectedRows() == []
    assert [r.key for r in model.rows()] == ["A", "D"]


def test_the_scroll_position_stays(qtbot: QtBot) -> None:
    model = _model()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(300, 200)
    view.show()
    keys = [f"K{n:03d}" for n in range(200)]
    model.set_rows(_rows(*keys))
    view.selectRow(150)
    view.verticalScrollBar().setValue(140)
    before = view.verticalScrollBar().value()
    model.set_rows(_rows(*keys, text="edited"))  # every row repainted, none moved
    assert view.verticalScrollBar().value() == before
    assert model.row_at(view.selectionModel().selectedRows()[0].row()) == Row("K150", "edited")
