"""The working lists give their spare width to the summary and size every other column to its
content, and the filters show their choice whole, on a 1366x768 screen at 100% and at 150%
(tests/ui/desk_screens.json)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QAbstractItemModel, QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QTableView, QToolBar, QWidget
from pytestqt.qtbot import QtBot

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.enums import UnitKind
from ceo_desk.ui.views.all_complaints import AllComplaintsView
from ceo_desk.ui.views.chase import ChaseView
from ceo_desk.ui.views.to_delegate import ToDelegateView
from ceo_desk.ui.widgets.column_fit import SUMMARY_FLOOR, padding
from tests.builders import Office, add_staff, awaiting_callback, days_ago, delegate, log
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


@pytest.mark.parametrize("screen_name", ["desk-100", "desk-150"])
def test_every_filter_of_all_complaints_shows_its_choice_whole(
    qtbot: QtBot, office: Office, screen_name: str
) -> None:
    add_staff(office.db, "Ines Duarte", "Northern Parcel Partners", unit_kind=UnitKind.PARTNER)
    log(office.db, "Di Fox", "Meter reading estimated for six months")
    view = AllComplaintsView(office.db)
    _place_on(view, screen_name)
    show_and_wait(qtbot, view, view.model.first_rows_shown, PAGE_SIZE)
    combos = [c for c in view.findChildren(QComboBox) if c.isVisibleTo(view)]
    assert view.unit_combo in combos and len(combos) == 5
    qtbot.waitUntil(lambda: view.unit_combo.count() > 2)
    for combo in combos:
        assert _whole(combo), f"{combo.accessibleName()}: {combo.currentText()!r} is cut off"
    assert view.unit_combo.currentText() == "Any department or partner"
    view.unit_combo.setCurrentIndex(view.unit_combo.findText("Northern Parcel Partners"))
    qtbot.waitUntil(lambda: _whole(view.unit_combo))
    view.status_combo.setCurrentIndex(1)  # "Open (new, delegated, awaiting callback)"
    qtbot.waitUntil(lambda: _whole(view.status_combo))
    assert _whole(view.unit_combo)


def _whole(combo: QComboBox) -> bool:
    """The combo's field is as wide as its current text (Qt's own measure of the field)."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    return combo.fontMetrics().horizontalAdvance(combo.currentText()) <= field.width()


def test_in_a_narrow_window_the_summary_keeps_a_readable_start_and_the_list_scrolls(
    qtbot: QtBot, office: Office
) -> None:
    late = log(office.db, "Grace Okonkwo", "Account closed without notice while owed a refund")
    delegate(office.db, late, office.ortiz, days_ago(5), due_on=SYSTEM_CLOCK.today())
    view = ChaseView(office.db)
    _place_on(view, "desk-100")
    show_and_wait(qtbot, view, view.refreshed, (700, 500))
    header = view.table.horizontalHeader()
    summary = _titles(view.model).index("Summary")
    floor = view.table.fontMetrics().horizontalAdvance(SUMMARY_FLOOR)
    assert header.sectionSize(summary) >= floor
    assert view.table.horizontalScrollBar().maximum() > 0  # the rest is a scroll away
    view.resize(1150, 500)  # widened: the summary takes the new room, nothing scrolls
    qtbot.waitUntil(lambda: view.table.horizontalScrollBar().maximum() == 0)
    _assert_summary_widest_and_nothing_cut(view.table)


@pytest.mark.parametrize("screen_name", ["desk-100", "desk-150"])
def test_every_action_of_the_complaint_window_is_in_view_without_the_overflow(
    qtbot: QtBot, office: Office, screen_name: str
) -> None:
    from ceo_desk.ui.complaint_window import ComplaintWindow

    ref = awaiting_callback(office.db, office.ortiz, "Farah Novák")
    window = ComplaintWindow(office.db, ref)
    _place_on(window, screen_name)
    show_and_wait(qtbot, window, window.loaded)
    toolbars = window.findChildren(QToolBar)
    actions = [a for t in toolbars for a in t.actions() if not a.isSeparator()]
    titles = {a.text().replace("&", "") for a in actions}
    assert {"Save changes", "Record callback…", "Pause clock…", "Promise…"} <= titles
    for toolbar in toolbars:
        for action in toolbar.actions():
            if action.isSeparator() or not action.isVisible():
                continue
            button = toolbar.widgetForAction(action)
            assert button is not None and button.isVisible(), (
                f"{action.text()!r} is behind the toolbar's overflow"
            )
            inside = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
            assert window.rect().contains(inside), f"{action.text()!r} is outside the window"


def test_the_complaint_window_form_is_not_cut_off_at_150_percent(
    qtbot: QtBot, office: Office
) -> None:
    ref = awaiting_callback(office.db, office.ortiz, "Farah Novák", "Invoice charged twice")
    _assert_form_whole_at_150(qtbot, office, ref)
    # A customer whose details are long widens the form beside its buttons.
    wide = log(
        office.db,
        "José Tanaka",
        email="jose.tanaka.49@example.net",
        organisation="Orchard Veterinary Clinic",
        account_ref="AC-100049",
    )
    _assert_form_whole_at_150(qtbot, office, wide)


def _assert_form_whole_at_150(qtbot: QtBot, office: Office, ref: str) -> None:
    from PySide6.QtWidgets import QScrollArea

    from ceo_desk.ui.complaint_window import ComplaintWindow

    window = ComplaintWindow(office.db, ref)
    _place_on(window, "desk-150")
    show_and_wait(qtbot, window, window.loaded)
    scroll = window.splitter.widget(0)
    assert isinstance(scroll, QScrollArea)
    form = scroll.widget()
    assert form is not None
    qtbot.waitUntil(lambda: form.width() > 0)
    assert scroll.horizontalScrollBar().maximum() == 0, "the form is wider than its pane"
    window.close()
