"""The final-response deadline in every list: All complaints, Today, To delegate, Chase and My
work."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.qtbot import QtBot

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.ui.models.complaints_table import COLUMNS
from ceo_desk.ui.views.all_complaints import AllComplaintsView
from ceo_desk.ui.views.chase import ChaseView
from ceo_desk.ui.views.my_work import MyWorkView
from ceo_desk.ui.views.to_delegate import ToDelegateView
from ceo_desk.ui.views.today import TodayView
from ceo_desk.ui.widgets import colours
from tests.builders import Office, awaiting_callback, days_ago, delegate, log
from tests.ui.screens import show_and_wait


def _cell(model: QAbstractItemModel, row: int, title: str) -> str:
    titles = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    return str(model.data(model.index(row, titles.index(title))))


def _deadline(received: datetime) -> str:
    return (SYSTEM_CLOCK.local_day(received) + timedelta(weeks=8)).isoformat()


def test_every_list_shows_the_final_response_deadline(qtbot: QtBot, office: Office) -> None:
    today = SYSTEM_CLOCK.today()
    old = days_ago(60)  # eight weeks and four days ago
    late = log(office.db, "Ana Lima", "Meter never read", "+12025550101", received_at=old)
    delegate(office.db, late, office.ortiz, days_ago(5), due_on=today - timedelta(days=1))
    over_by = (today - SYSTEM_CLOCK.local_day(old)).days - 56
    over = f"{_deadline(old)} ({over_by} days late)"
    near = days_ago(50)  # past the six-week warning
    waiting = awaiting_callback(office.db, office.chen, logged_at=near, phone="+12025550177")
    left = 56 - (today - SYSTEM_CLOCK.local_day(near)).days

    everything = AllComplaintsView(office.db)
    show_and_wait(qtbot, everything, everything.model.first_rows_shown, (1366, 768))
    model = everything.model
    final = [c.title for c in COLUMNS].index("Final response")
    rows = {model.row_at(r).reference: r for r in range(model.rowCount())}
    assert _cell(model, rows[late], "Final response") == over
    assert _cell(model, rows[waiting], "Final response") == f"{_deadline(near)} ({left} days left)"
    late_cell = model.index(rows[late], final)
    assert model.data(late_cell, Qt.ItemDataRole.ForegroundRole) == colours.warning_text()
    assert model.data(model.index(rows[waiting], final), Qt.ItemDataRole.ForegroundRole) == (
        colours.caution_text()
    )

    chase = ChaseView(office.db)
    show_and_wait(qtbot, chase, chase.refreshed, (1366, 768))
    assert _cell(chase.model, 0, "Final response") == over

    mine = MyWorkView(office.db, office.ortiz)
    show_and_wait(qtbot, mine, mine.refreshed, (1366, 768))
    assert _cell(mine.model, 0, "Final response") == over
    mine.table.selectRow(0)
    assert (
        f"Final response: Due {_deadline(old)} ({over_by} days late)" in mine.details.toPlainText()
    )

    calls = TodayView(office.db)
    show_and_wait(qtbot, calls, calls.refreshed, (1366, 768))
    assert _cell(calls.model, 0, "Final response") == f"{_deadline(near)} ({left} days left)"

    # Not yet delegated, and eight weeks and four days old: late on To delegate as everywhere.
    untaken = log(office.db, "Bea Cruz", "Refund never arrived", "+12025550133", received_at=old)
    waiting_list = ToDelegateView(office.db)
    show_and_wait(qtbot, waiting_list, waiting_list.refreshed, (1366, 768))
    row = waiting_list.model.row_of(lambda r: r.reference == untaken)
    assert _cell(waiting_list.model, row, "Final response") == over
    final_cell = waiting_list.model.index(row, waiting_list.model.columnCount() - 1)
    assert waiting_list.model.data(final_cell, Qt.ItemDataRole.ForegroundRole) == (
        colours.warning_text()
    )
