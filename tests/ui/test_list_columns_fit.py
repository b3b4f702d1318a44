"""The working lists give their spare width to the summary and size every other column to its
content, on a 1366x768 screen at 100% and at 150% (tests/ui/desk_screens.json)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QTableView, QWidget
from pytestqt.qtbot import QtBot

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.ui.views.chase import ChaseView
from ceo_desk.ui.views.to_delegate import ToDelegateView
from ceo_desk.ui.widgets.column_fit import padding
from tests.builders import Office, days_ago, delegate, log
from tests.ui.screens import show_and_wait

# The room a list page has beside the sidebar in a maximised window on that screen.
PAGE_SIZE = (1150, 600)
SCREENS = ["desk-100"]


def _screen(name: str) -> QScreen:
    for screen in QGuiApplication.screens():
        if screen.name() == name:
            return screen
    pytest.fail(f"no offscreen screen {name}: run with tests/ui/desk_screens.json")


def _place_on(view: QWidget, screen_name: str) -> None:
    screen = _screen(screen_name)
    view.setScreen(screen)
    view.move(screen.availableGeometry().topLeft())


def _titles(model: QAbstractItemModel) -> list[str]:
    return [str(model.headerData(i, Qt.Orientation.Horizontal)) for i in range(model.columnCount())]


def _assert_summary_widest_and_nothing_cut(table: QTableView) -> None:
    model, header = table.model(), table.horizontalHeader()
    titles = _titles(model)
    widths = {title: header.sectionSize(i) for i, title in enumerate(titles)}
    summary = widths.pop("Summary")
    assert summary > max(widths.values()), f"the summary ({summary}) is not the widest: {widths}"
    # Every column shown whole, inside the table, without scrolling sideways.
    assert header.length() <= table.viewport().width(), "the columns run past the table"
    cells = table.fontMetrics()
    for number, title in enumerate(titles):
        if title == "Summary":
            continue
        needed = header.fontMetrics().horizontalAdvance(title)
        for row in range(model.rowCount()):
            text = str(model.data(model.index(row, number)) or "")
            needed = max(needed, cells.horizontalAdvance(text))
        assert needed + padding(header) // 2 <= header.sectionSize(number), (
            f"{title} is {header.sectionSize(number)} wide, its text needs {needed}"
        )


@pytest.mark.parametrize("screen_name", SCREENS)
def test_chase_gives_the_summary_the_spare_width(
    qtbot: QtBot, office: Office, screen_name: str
) -> None:
    today = SYSTEM_CLOCK.today()
    late = log(office.db, "Grace Okonkwo", "Account closed without notice while owed a refund")
    delegate(office.db, late, office.ortiz, days_ago(5), due_on=today - timedelta(days=3))
    soon = log(office.db, "Cy Ray", "Driver was rude at the door", "+12025550188")
    delegate(office.db, soon, office.chen, due_on=today + timedelta(days=1))
    view = ChaseView(office.db)
    _place_on(view, screen_name)
    show_and_wait(qtbot, view, view.refreshed, PAGE_SIZE)
    assert view.model.rowCount() == 2
    _assert_summary_widest_and_nothing_cut(view.table)


@pytest.mark.parametrize("screen_name", SCREENS)
def test_to_delegate_gives_the_summary_the_spare_width(
    qtbot: QtBot, office: Office, screen_name: str
) -> None:
    log(office.db, "Oluwaseun Adeyemi", "Engineer missed two appointments in a row")
    log(office.db, "Di Fox", "Meter reading estimated for six months", "+12025550199")
    view = ToDelegateView(office.db)
    _place_on(view, screen_name)
    show_and_wait(qtbot, view, view.refreshed, PAGE_SIZE)
    assert view.model.rowCount() == 2
    _assert_summary_widest_and_nothing_cut(view.table)
