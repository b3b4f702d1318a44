"""All complaints: lazy paging over SQL, search while typing, filters, header sorting, opening."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ceo_desk.core.queries import ComplaintFilter, SortKey
from ceo_desk.enums import Severity, Status
from ceo_desk.store.db import Database
from ceo_desk.ui.models import complaints_table
from ceo_desk.ui.models.complaints_table import COLUMN_OF_KEY, ComplaintsTableModel
from ceo_desk.ui.views.all_complaints import AllComplaintsView
from tests.builders import Office, awaiting_callback, days_ago, log

CUSTOMERS = (
    "Maria Zapata",
    "Olu Adeyemi",
    "Brigitte Lenoir",
    "Chidi Okafor",
    "Hannah Weiss",
    "Ivan Petrov",
    "Kenji Sato",
    "Lucia Romero",
    "Nadia Haddad",
    "Oscar Lind",
    "Amir Farouk",
    "Zoë Jensen",
)


def _fill(db: Database, count: int = len(CUSTOMERS)) -> list[str]:
    """Complaints received one day apart, newest last; customer names in no particular order."""
    refs = []
    for i, name in enumerate(CUSTOMERS[:count]):
        refs.append(
            log(
                db,
                name,
                f"Parcel number {i} arrived damaged",
                f"+1202555{i:04d}",
                received_at=days_ago(count - i),
            )
        )
    return refs


def _settled(qtbot: QtBot, model: ComplaintsTableModel) -> None:
    qtbot.waitUntil(lambda: not model.busy, timeout=10_000)


@pytest.fixture
def view(qtbot: QtBot, office: Office) -> Iterator[AllComplaintsView]:
    widget = AllComplaintsView(office.db)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    yield widget


def _customers(model: ComplaintsTableModel) -> list[str]:
    return [model.row_at(i).customer_name for i in range(model.rowCount())]


def test_model_passes_the_model_tester_through_paging_and_requery(
    qtbot: QtBot, qtmodeltester: ModelTester, office: Office
) -> None:
    _fill(office.db)
    awaiting_callback(office.db, office.chen, reported_at=days_ago(5))
    model = ComplaintsTableModel(office.db)
    model.page_size = 5
    with qtbot.waitSignal(model.query_finished):
        model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() == 13, "every match is a row, not only the first page"
    for row in range(model.rowCount()):
        model.data(model.index(row, 2))  # as a view painting it: its page is read
    qtbot.waitUntil(lambda: model.loaded == 13 and not model.busy, timeout=10_000)
    with qtbot.waitSignal(model.query_finished):
        model.set_filter(ComplaintFilter(text="parcel"))
    with qtbot.waitSignal(model.query_finished):
        model.sort(COLUMN_OF_KEY[SortKey.CUSTOMER], Qt.SortOrder.AscendingOrder)
    assert model.total == 12


def test_every_match_is_a_row_and_columns_arrive_as_the_list_scrolls(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(office.db)
    monkeypatch.setattr(complaints_table, "PAGE_SIZE", 8)
    widget = AllComplaintsView(office.db)
    qtbot.addWidget(widget)
    widget.resize(900, 240)  # fewer rows fit than one page holds
    widget.show()
    _settled(qtbot, widget.model)
    assert widget.model.total == 12
    assert widget.model.rowCount() == 12, "the scroll bar covers every match"
    assert widget.model.loaded == 8, "only the first page's columns are read"
    assert widget.count_label.text() == "12 complaints"

    bar = widget.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: widget.model.loaded == 12, timeout=10_000)
    refs = [widget.model.row_at(i).reference for i in range(12)]
    assert len(set(refs)) == 12, "pages neither overlap nor skip"


def _many(db: Database, count: int) -> list[str]:
    """`count` complaints received an hour apart, oldest first."""
    return [
        log(db, f"Caller {n:03d}", f"Late parcel {n}", f"+1202556{n:04d}", received_at=days_ago(
            count - n / 24
        ))
        for n in range(count)
    ]  # fmt: skip


def test_ctrl_end_lands_on_the_last_row_in_one_press(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    refs = _many(office.db, 40)
    monkeypatch.setattr(complaints_table, "PAGE_SIZE", 8)
    view = AllComplaintsView(office.db)
    qtbot.addWidget(view)
    view.resize(1000, 300)
    view.show()
    _settled(qtbot, view.model)
    bar = view.table.verticalScrollBar()
    # The view lays out its scroll bar on its next turn of the event loop.
    qtbot.waitUntil(lambda: bar.maximum() + bar.pageStep() == 40, timeout=5_000)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))

    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)

    assert view.table.currentIndex().row() == 39
    qtbot.waitUntil(lambda: view.model.is_read(39), timeout=10_000)
    assert view.model.row_at(39).reference == refs[0], "the oldest complaint, last"
    assert view.model.data(view.model.index(39, 0)) == refs[0]
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=5_000)


def test_a_new_query_reads_the_columns_of_only_the_rows_the_list_shows(
    qtbot: QtBot, office: Office
) -> None:
    _many(office.db, 40)
    view = AllComplaintsView(office.db)
    qtbot.addWidget(view)
    view.resize(1000, 300)
    view.show()
    _settled(qtbot, view.model)
    shown = view.model.rows_in_view
    assert shown is not None and shown < 40
    view.search_edit.setText("parcel")
    qtbot.waitUntil(lambda: view.model.total == 40 and not view.model.busy, timeout=10_000)
    # The rows a person sees were read with the first page; the rest wait to be scrolled to.
    assert view.model.is_read(0) and not view.model.is_read(39)
    assert view.model.loaded <= shown
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.is_read(39), timeout=10_000)


def test_the_selection_stays_on_its_complaint_across_a_refresh(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    refs = _many(office.db, 30)
    monkeypatch.setattr(complaints_table, "PAGE_SIZE", 8)
    view = AllComplaintsView(office.db)
    qtbot.addWidget(view)
    view.resize(1000, 300)
    view.show()
    _settled(qtbot, view.model)
    view.table.selectRow(20)  # beyond the first page
    qtbot.waitUntil(lambda: view.model.is_read(20), timeout=10_000)
    chosen = view.selected_reference()
    assert chosen == refs[9]

    newest = log(office.db, "Walk In", "Brand new complaint", "+12025559999")
    with qtbot.waitSignal(view.model.refreshed):
        view.refresh()
    _settled(qtbot, view.model)
    assert view.model.rowCount() == 31
    assert view.model.row_at(0).reference == newest
    assert view.selected_reference() == chosen, "the same complaint, one row further down"
    assert view.table.currentIndex().row() == 21


def test_a_search_inside_a_word_finds_its_row_and_says_why(
    qtbot: QtBot, view: AllComplaintsView, office: Office
) -> None:
    db = office.db
    _fill(db, 3)
    log(db, "Adaeze Okonkwo", "Meter reading wrong", "+12025550888")
    awaiting_callback(db, office.chen, name="Priya Raman", done="Replaced the thermostat.")
    view.show()
    view.refresh()
    _settled(qtbot, view.model)

    qtbot.keyClicks(view.search_edit, "konkwo")
    qtbot.waitUntil(
        lambda: not view.model.busy and _customers(view.model) == ["Adaeze Okonkwo"],
        timeout=5_000,
    )
    customer = view.model.index(0, COLUMN_OF_KEY[SortKey.CUSTOMER])
    assert view.model.data(customer, Qt.ItemDataRole.ToolTipRole) == (
        "Found in the customer: Adaeze Okonkwo"
    )

    view.search_edit.clear()
    qtbot.keyClicks(view.search_edit, "rmost")  # inside "thermostat", in the report only
    qtbot.waitUntil(
        lambda: not view.model.busy and _customers(view.model) == ["Priya Raman"],
        timeout=5_000,
    )
    tooltip = view.model.data(view.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("Found in its text: ") and "thermostat" in tooltip
    view.table.selectRow(0)
    assert view.match_label.isVisible()
    assert view.match_label.toolTip().startswith(f"{view.model.row_at(0).reference}: Found in")
    assert "thermostat" in view.match_label.text()

    view.search_edit.clear()
    qtbot.waitUntil(lambda: not view.model.busy and view.model.rowCount() == 5, timeout=5_000)
    assert not view.match_label.isVisible(), "nothing to explain without a search"


def test_search_while_typing_narrows_the_list(qtbot: QtBot, view: AllComplaintsView) -> None:
    db = view.model._db
    _fill(db, 6)
    log(db, "Greta Holm", "Engineer never turned up for the boiler repair", "+12025550999")
    view.refresh()
    _settled(qtbot, view.model)
    assert view.model.rowCount() == 7

    qtbot.keyClicks(view.search_edit, "boil")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    assert view.model.row_at(0).customer_name == "Greta Holm"
    qtbot.waitUntil(lambda: view.count_label.text() == "1 complaint matches")

    view.search_edit.clear()
    qtbot.waitUntil(lambda: view.model.rowCount() == 7, timeout=5_000)


def test_search_finds_customer_names_and_reports(qtbot: QtBot, view: AllComplaintsView) -> None:
    db = view.model._db
    _fill(db, 3)
    awaiting_callback(db, 1, name="Priya Raman", done="Replaced the thermostat free of charge.")
    view.refresh()
    _settled(qtbot, view.model)

    view.search_edit.setText("thermostat")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and not view.model.busy, timeout=5_000)
    assert view.model.row_at(0).customer_name == "Priya Raman"
    view.search_edit.setText("brigitte")
    qtbot.waitUntil(
        lambda: not view.model.busy and _customers(view.model) == ["Brigitte Lenoir"],
        timeout=5_000,
    )


def test_nothing_matching_says_so(qtbot: QtBot, view: AllComplaintsView) -> None:
    _fill(view.model._db, 2)
    view.refresh()
    view.search_edit.setText("xylophone")
    qtbot.waitUntil(lambda: view.count_label.text() == "No complaints match", timeout=5_000)
    assert view.model.rowCount() == 0


def test_clicking_a_header_sorts_in_sql(qtbot: QtBot, view: AllComplaintsView) -> None:
    _fill(view.model._db)
    view.show()
    view.refresh()
    _settled(qtbot, view.model)
    # Default: newest received first.
    assert view.model.row_at(0).customer_name == "Zoë Jensen"

    header = view.table.horizontalHeader()
    column = COLUMN_OF_KEY[SortKey.CUSTOMER]
    point = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: view.model.sort_key is SortKey.CUSTOMER)
    _settled(qtbot, view.model)
    names = _customers(view.model)
    assert names == sorted(names, key=str.lower) or names == sorted(
        names, key=str.lower, reverse=True
    )
    first_order = names

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: _customers(view.model) == list(reversed(first_order)), timeout=5_000)


def test_a_click_on_a_column_that_cannot_sort_keeps_the_order_and_its_arrow(
    qtbot: QtBot, view: AllComplaintsView
) -> None:
    _fill(view.model._db)
    view.show()
    view.refresh()
    _settled(qtbot, view.model)
    before = _customers(view.model)
    header = view.table.horizontalHeader()
    final = next(i for i, c in enumerate(complaints_table.COLUMNS) if c.sort_key is None)
    point = QPoint(header.sectionViewportPosition(final) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    _settled(qtbot, view.model)
    # The arrow stays on the column the list is sorted by, and the rows did not move.
    assert header.sortIndicatorSection() == COLUMN_OF_KEY[SortKey.RECEIVED]
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert _customers(view.model) == before
    assert view.model.sort_key is SortKey.RECEIVED


def test_filters_narrow_by_status_severity_and_overdue(
    qtbot: QtBot, view: AllComplaintsView, office: Office
) -> None:
    db = office.db
    _fill(db, 3)
    log(
        db,
        "Urgent Person",
        "Gas smell after the service visit",
        "+12025550777",
        severity=Severity.CRITICAL,
    )
    late = awaiting_callback(db, office.ortiz, name="Late Caller", reported_at=days_ago(6))
    view.refresh()
    _settled(qtbot, view.model)
    assert view.model.total == 5

    view.status_combo.setCurrentIndex(view.status_combo.findData(Status.AWAITING_CALLBACK.value))
    qtbot.waitUntil(lambda: not view.model.busy and view.model.total == 1)
    assert view.model.row_at(0).reference == late

    view.status_combo.setCurrentIndex(0)
    view.severity_combo.setCurrentIndex(view.severity_combo.findData(Severity.CRITICAL.value))
    qtbot.waitUntil(lambda: not view.model.busy and _customers(view.model) == ["Urgent Person"])

    view.severity_combo.setCurrentIndex(0)
    view.overdue_check.setChecked(True)
    # Overdue: the late callback, and calls left undelegated past their time (those logged
    # days ago, depending on the weekday); never the call just logged.
    qtbot.waitUntil(lambda: not view.model.busy and "Late Caller" in _customers(view.model))
    assert "Urgent Person" not in _customers(view.model)

    view.clear_filters()
    qtbot.waitUntil(lambda: not view.model.busy and view.model.total == 5)


def test_delegate_filter_lists_the_directory(
    qtbot: QtBot, view: AllComplaintsView, office: Office
) -> None:
    awaiting_callback(office.db, office.chen, name="Billing Customer")
    awaiting_callback(office.db, office.ortiz, name="Service Customer", phone="+12025550102")
    view.refresh()
    qtbot.waitUntil(lambda: view.staff_combo.findData(office.chen) >= 0, timeout=5_000)
    view.staff_combo.setCurrentIndex(view.staff_combo.findData(office.chen))
    qtbot.waitUntil(lambda: not view.model.busy and _customers(view.model) == ["Billing Customer"])


def test_overdue_rows_are_marked_in_light_and_dark_palettes(
    qtbot: QtBot, view: AllComplaintsView, office: Office
) -> None:
    from PySide6.QtWidgets import QApplication

    awaiting_callback(office.db, office.ortiz, name="Late Caller", reported_at=days_ago(6))
    log(office.db, "On Time", "Just logged", "+12025550123")
    view.refresh()
    _settled(qtbot, view.model)
    model = view.model
    late_row = next(i for i in range(2) if model.row_at(i).customer_name == "Late Caller")
    fresh_row = 1 - late_row
    due = COLUMN_OF_KEY[SortKey.DUE]
    assert "late" in model.data(model.index(late_row, due))
    assert model.data(model.index(fresh_row, 0), Qt.ItemDataRole.BackgroundRole) is None

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.palette()
    try:
        for base, text in (("#ffffff", "#000000"), ("#1e1e1e", "#f0f0f0")):
            palette = QPalette(original)
            palette.setColor(QPalette.ColorRole.Base, base)
            palette.setColor(QPalette.ColorRole.Text, text)
            app.setPalette(palette)
            tint = model.data(model.index(late_row, 0), Qt.ItemDataRole.BackgroundRole)
            ink = model.data(model.index(late_row, due), Qt.ItemDataRole.ForegroundRole)
            background = palette.color(QPalette.ColorRole.Base)
            assert tint != background, "the overdue row stands out from ordinary rows"
            assert abs(tint.lightness() - background.lightness()) < 80, "text stays readable"
            assert abs(ink.lightness() - tint.lightness()) > 60, "the late date is legible"
    finally:
        app.setPalette(original)


def test_enter_and_double_click_open_the_complaint(qtbot: QtBot, view: AllComplaintsView) -> None:
    refs = _fill(view.model._db, 2)
    view.show()
    view.refresh()
    _settled(qtbot, view.model)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))
    with qtbot.waitSignal(view.complaint_activated) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [refs[-1]]

    rect = view.table.visualRect(view.model.index(1, 2))
    # A real double click arrives after a press on the same row.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.complaint_activated) as opened:
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [refs[0]]


def test_controls_have_accessible_names(view: AllComplaintsView) -> None:
    for widget in (
        view.search_edit,
        view.status_combo,
        view.severity_combo,
        view.category_combo,
        view.unit_combo,
        view.staff_combo,
        view.table,
    ):
        assert widget.accessibleName()


def test_a_reversed_date_range_is_pointed_out(qtbot: QtBot, view: AllComplaintsView) -> None:
    log(view.model._db, "Ann Lee", "Late parcel", "+12025550111")
    view.refresh()
    _settled(qtbot, view.model)
    view.from_check.setChecked(True)
    view.to_check.setChecked(True)
    view.to_date.setDate(view.from_date.date().addDays(-3))
    qtbot.waitUntil(lambda: "after the 'until' date" in view.count_label.text(), timeout=10_000)
