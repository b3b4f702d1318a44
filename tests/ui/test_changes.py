"""The change hub: what is written anywhere shows in the open screens, which keep their place.

A change made by another process (here the command line, as on a second computer) reaches the
open lists through SQLite's data_version or PostgreSQL's LISTEN/NOTIFY; the lists refresh in
place and keep the selected complaint; an open complaint window follows, or, holding an edit,
says who changed the complaint and offers to reload.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from ceo_desk.core.database import open_database
from ceo_desk.core.lifecycle import Action
from ceo_desk.core.services import complaints
from ceo_desk.ui import background, complaint_window, error_dialogs
from ceo_desk.ui.complaint_watch import ComplaintWatch
from ceo_desk.ui.complaint_window import window as window_module
from ceo_desk.ui.dialogs.file_report import FileReportDialog
from ceo_desk.ui.main_window import MainWindow
from ceo_desk.ui.models.complaints_table import REFERENCE_ROLE
from tests import builders
from tests.builders import Office, log, stored_detail
from tests.ui.screens import show_main_window


@pytest.fixture
def shared(qtbot: QtBot, database_url: str) -> Iterator[Office]:
    """A log on each backend, with the small directory; other processes open the same URL."""
    database = open_database(database_url)
    try:
        yield builders.office(database)
    finally:
        # The lists' last refresh may still be reading; it finishes before the log closes.
        qtbot.waitUntil(lambda: background.pending() == 0, timeout=10_000)
        database.close()


def other_process(url: str, *args: str) -> None:
    """Run the command line against the same log, as another computer would."""
    subprocess.run(
        [sys.executable, "-m", "ceo_desk", "--db", url, *args],
        check=True,
        capture_output=True,
        timeout=60,
    )


def _select(window: MainWindow, reference: str) -> int:
    table, model = window.all_complaints.table, window.all_complaints.model
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0), REFERENCE_ROLE) == reference:
            table.selectionModel().setCurrentIndex(
                model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            return row
    raise AssertionError(f"{reference} is not in the list")


def _status_shown(window: MainWindow, reference: str) -> str:
    model = window.all_complaints.model
    for row in range(model.rowCount()):
        if model.row_at(row).reference == reference:
            return model.row_at(row).status.label
    return ""


@pytest.mark.slow
def test_another_process_delegating_shows_in_the_open_list_keeping_the_selection(
    qtbot: QtBot, shared: Office
) -> None:
    first = log(shared.db, "Ann Lee", "Late parcel", "+12025550111")
    chosen = log(shared.db, "Bob Ray", "Wrong invoice", "+12025550112")
    log(shared.db, "Cleo Fox", "Rude driver", "+12025550113")
    window = show_main_window(qtbot, shared)
    window.show_page("all")
    qtbot.waitUntil(lambda: window.all_complaints.model.rowCount() == 3)
    _select(window, chosen)
    assert _status_shown(window, first) == "New"

    other_process(shared.db.url, "delegate", first, "--to", "Wei Chen")

    qtbot.waitUntil(lambda: _status_shown(window, first) == "Delegated", timeout=10_000)
    assert window.all_complaints.selected_reference() == chosen, "the selection stayed"

    other_process(
        shared.db.url, "log", "--customer", "Dee Moss", "--phone", "+12025550114",
        "--summary", "Broken seal",
    )  # fmt: skip
    qtbot.waitUntil(lambda: window.all_complaints.model.rowCount() == 4, timeout=10_000)
    assert window.all_complaints.selected_reference() == chosen, "still, after a row arrived"
    qtbot.waitUntil(lambda: window.counters is not None and window.counters.open == 4)


def test_a_change_here_refreshes_the_other_lists_in_place(qtbot: QtBot, shared: Office) -> None:
    chosen = log(shared.db, "Bob Ray", "Wrong invoice", "+12025550112")
    other = log(shared.db, "Ann Lee", "Late parcel", "+12025550111")
    window = show_main_window(qtbot, shared)
    window.show_page("all")
    qtbot.waitUntil(lambda: window.all_complaints.model.rowCount() == 2)
    _select(window, chosen)
    with shared.db.transaction() as uow:  # a service call anywhere in this process
        complaints.delegate(uow, other, shared.chen)
    qtbot.waitUntil(lambda: _status_shown(window, other) == "Delegated")
    assert window.all_complaints.selected_reference() == chosen


@pytest.mark.slow
def test_an_open_complaint_follows_a_change_made_elsewhere(qtbot: QtBot, shared: Office) -> None:
    reference = log(shared.db, "Ann Lee", "Late parcel", "+12025550111")
    window = show_main_window(qtbot, shared)
    opened = window.open_complaint(reference)
    qtbot.waitUntil(lambda: opened.detail is not None)
    other_process(shared.db.url, "delegate", reference, "--to", "Wei Chen")
    qtbot.waitUntil(
        lambda: opened.detail is not None and opened.detail.current_delegate == "Wei Chen",
        timeout=10_000,
    )
    watch = opened.findChild(ComplaintWatch)
    assert watch is not None and not watch.showing


@pytest.mark.slow
def test_an_edit_in_progress_is_kept_and_told_who_changed_the_complaint(
    qtbot: QtBot, shared: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = log(shared.db, "Ann Lee", "Late parcel", "+12025550111")
    window = show_main_window(qtbot, shared)
    opened = window.open_complaint(reference)
    qtbot.waitUntil(lambda: opened.detail is not None)
    opened.summary.setText("Late parcel, second time")
    version = opened.loaded_version

    other_process(shared.db.url, "delegate", reference, "--to", "Wei Chen")

    watch = opened.findChild(ComplaintWatch)
    assert watch is not None
    qtbot.waitUntil(lambda: watch.showing, timeout=10_000)
    assert watch.bar.isVisibleTo(opened)
    assert f"{reference}</b> was changed by " in watch.message.text()
    assert "Re-delegated" in watch.message.text() or "Delegated" in watch.message.text()
    assert opened.summary.text() == "Late parcel, second time", "the edit is kept"
    assert opened.loaded_version == version

    monkeypatch.setattr(
        window_module, "ask_unsaved", lambda parent, reference: window_module.UnsavedChoice.DISCARD
    )
    watch.reload_action.trigger()
    qtbot.waitUntil(lambda: not watch.showing)
    assert not watch.bar.isVisibleTo(opened)
    assert opened.summary.text() == "Late parcel"
    assert stored_detail(shared.db, reference).current_delegate == "Wei Chen"


def test_an_action_on_a_stale_window_says_the_complaint_changed(
    qtbot: QtBot, shared: Office
) -> None:
    reference = log(shared.db, "Ann Lee", "Late parcel", "+12025550111")
    with shared.db.transaction() as uow:
        complaints.delegate(uow, reference, shared.ortiz)
    opened = complaint_window.ComplaintWindow(shared.db, reference)  # no hub: it goes stale
    qtbot.addWidget(opened)
    with qtbot.waitSignal(opened.loaded, timeout=10_000):
        opened.show()
    with shared.db.transaction() as uow:  # meanwhile, elsewhere
        complaints.file_report(
            uow, reference, complaints.ReportInput(said="Sorry", done="Resent the parcel")
        )
    opened.action_buttons[Action.FILE_REPORT].trigger()
    dialog = opened.active_dialog
    assert isinstance(dialog, FileReportDialog)
    dialog.said_box.setPlainText("Apologised")
    dialog.done_box.setPlainText("Refunded")
    dialog.submit()
    error = dialog.general_error
    qtbot.waitUntil(lambda: error.isVisibleTo(dialog), timeout=10_000)
    assert "changed by someone else since you opened it" in error.text()
    assert "awaiting" in error.text() and "Reload it" in error.text()
    assert "delegate it first" not in error.text()
    assert not error_dialogs.shown or "delegate it first" not in error_dialogs.shown[-1].text()
