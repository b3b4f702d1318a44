"""The complaint window: fields, history, actions per status, edits with conflict detection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import open_database
from ceo_desk.core.lifecycle import Action
from ceo_desk.core.services import complaints
from ceo_desk.enums import Outcome, Role, Status
from ceo_desk.store.db import Database
from ceo_desk.ui.complaint_window import ComplaintWindow
from ceo_desk.ui.complaint_window import actions as window_actions
from ceo_desk.ui.complaint_window import window as window_module
from ceo_desk.ui.complaint_window.window import ask_unsaved as REAL_ASK_UNSAVED
from ceo_desk.ui.dialogs.conflict import ConflictChoice, ConflictDialog
from ceo_desk.ui.dialogs.file_report import FileReportDialog
from ceo_desk.ui.dialogs.record_callback import RecordCallbackDialog
from ceo_desk.ui.dialogs.withdraw import WithdrawDialog
from tests.builders import Office, awaiting_callback, log, person, stored_detail, unanswered
from tests.ui.screens import cell_text, open_complaint_window


@pytest.fixture(autouse=True)
def _never_block_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        window_module, "ask_unsaved", lambda parent, reference: window_module.UnsavedChoice.DISCARD
    )


def _delegated(office: Office, name: str = "Dana Fox") -> str:
    ref = log(office.db, name, "Boiler still broken after repair", "+12025550150")
    with office.db.transaction() as uow:
        complaints.delegate(uow, ref, office.ortiz)
    return ref


def test_a_new_complaint_offers_only_delegate_and_withdraw(qtbot: QtBot, office: Office) -> None:
    ref = log(office.db, "Dana Fox", "Boiler still broken", "+12025550150")
    window = open_complaint_window(qtbot, office.db, ref)
    assert window.enabled_actions() == {Action.DELEGATE, Action.WITHDRAW, Action.PAUSE_CLOCK}
    assert window.summary.text() == "Boiler still broken"
    assert not window.summary.isReadOnly()
    assert "Not delegated yet" in window.due_line.text()
    tip = window.action_buttons[Action.FILE_REPORT].toolTip()
    assert "delegate it first" in tip


def test_actions_follow_the_status(qtbot: QtBot, office: Office) -> None:
    delegated = _delegated(office)
    window = open_complaint_window(qtbot, office.db, delegated)
    assert window.enabled_actions() == {
        Action.DELEGATE,
        Action.FILE_REPORT,
        Action.WITHDRAW,
        Action.PAUSE_CLOCK,
    }
    assert "Re-" in window.action_buttons[Action.DELEGATE].text()

    waiting = awaiting_callback(office.db, office.chen, phone="+12025550199")
    window = open_complaint_window(qtbot, office.db, waiting)
    assert window.enabled_actions() == {
        Action.SEND_BACK,
        Action.RECORD_CALLBACK,
        Action.WITHDRAW,
        Action.PAUSE_CLOCK,
    }
    assert "3 unanswered calls" in window.action_buttons[Action.MARK_UNREACHABLE].toolTip()

    unanswered(office.db, waiting, 3)
    window.reload()
    qtbot.waitUntil(lambda: Action.MARK_UNREACHABLE in window.enabled_actions())


def test_a_closed_complaint_is_read_only(qtbot: QtBot, office: Office) -> None:
    ref = awaiting_callback(office.db, office.chen)
    with office.db.transaction() as uow:
        complaints.record_callback(
            uow, ref, complaints.CallbackInput(outcome=Outcome.SATISFIED, satisfaction=5)
        )
    window = open_complaint_window(qtbot, office.db, ref)
    assert window.enabled_actions() == {Action.REOPEN}
    assert window.summary.isReadOnly()
    # It looks read-only too: no typing background.
    from PySide6.QtGui import QPalette

    base = window.summary.palette().color(QPalette.ColorRole.Base)
    assert base == window.palette().color(QPalette.ColorRole.Window)
    assert base == window.details.palette().color(QPalette.ColorRole.Base)
    assert not window.severity.isEnabled()
    assert not window.save_action.isEnabled()
    assert "Closed" in window.due_line.text()


def test_the_whole_history_is_shown(qtbot: QtBot, office: Office) -> None:
    ref = awaiting_callback(office.db, office.chen, done="Refunded the second charge.")
    unanswered(person(office.db, "mira", Role.CEO), ref, 1)
    window = open_complaint_window(qtbot, office.db, ref)
    detail = stored_detail(office.db, ref)
    model = window.timeline_model
    assert model.rowCount() == len(detail.events) == 4
    texts = [model.data(model.index(row, 2)) for row in range(model.rowCount())]
    assert texts[0].startswith("Logged")
    assert any(text.startswith("Delegated to Wei Chen") for text in texts)
    assert any("no answer" in text for text in texts)
    who = [model.data(model.index(row, 1)) for row in range(model.rowCount())]
    assert who[0] == f"{office.db.actor.os_user} (assistant)"
    assert who[texts.index(next(t for t in texts if "no answer" in t))] == "mira (CEO)"
    assert "Refunded the second charge." in window.reports.toPlainText()
    assert "USD 25.00" in window.reports.toPlainText()
    assert "No answer" in window.callbacks.toPlainText()
    assert window.delegations_model.rowCount() == 1
    assert window.tabs.tabText(0) == "Timeline (4)"


def test_editing_saves_and_tells_the_main_window(qtbot: QtBot, office: Office) -> None:
    ref = _delegated(office)
    window = open_complaint_window(qtbot, office.db, ref)
    assert not window.save_action.isEnabled()
    window.summary.setText("Boiler broken again after two repairs")
    assert window.save_action.isEnabled()
    assert window.windowTitle().startswith("*")
    with qtbot.waitSignal(window.complaint_changed) as changed:
        window.save_action.trigger()
    assert changed.args == [ref]
    qtbot.waitUntil(lambda: not window.is_dirty())
    detail = stored_detail(office.db, ref)
    assert detail.summary == "Boiler broken again after two repairs"
    assert window.loaded_version == detail.version
    model = window.timeline_model
    last = model.data(model.index(model.rowCount() - 1, 2))
    assert last == (
        "Edited Summary: “Boiler still broken after repair” → "
        "“Boiler broken again after two repairs”"
    )


def test_bad_input_is_answered_beside_the_field(qtbot: QtBot, office: Office) -> None:
    ref = _delegated(office)
    window = open_complaint_window(qtbot, office.db, ref)
    before = stored_detail(office.db, ref)
    window.summary.setText("   ")
    window.save()
    error = window.field_errors["summary"]
    qtbot.waitUntil(lambda: error.isVisible(), timeout=5_000)
    assert "Summary is required" in error.text()
    assert stored_detail(office.db, ref).version == before.version
    assert window.is_dirty(), "the edit is kept for correcting"


@pytest.fixture
def second_db(office: Office) -> Iterator[Database]:
    """Another computer with the same log open."""
    other = open_database(office.db.url)
    try:
        yield other
    finally:
        other.close()


def _conflict(
    qtbot: QtBot,
    office: Office,
    second_db: Database,
    monkeypatch: pytest.MonkeyPatch,
    choice: ConflictChoice,
) -> tuple[ComplaintWindow, ComplaintWindow, str, list[tuple[dict[str, str], dict[str, str]]]]:
    ref = _delegated(office)
    mine = open_complaint_window(qtbot, office.db, ref)
    theirs = open_complaint_window(qtbot, second_db, ref)
    asked: list[tuple[dict[str, str], dict[str, str]]] = []

    def ask(parent: object, mine_values: dict[str, str], theirs_values: dict[str, str]) -> Any:
        asked.append((mine_values, theirs_values))
        return choice

    monkeypatch.setattr(ConflictDialog, "ask", ask)
    theirs.details.setPlainText("Engineer visited twice; part on order.")
    with qtbot.waitSignal(theirs.complaint_changed):
        theirs.save()
    mine.summary.setText("Customer without heating for a week")
    mine.save()
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    return mine, theirs, ref, asked


def test_second_save_shows_both_versions_and_keeps_mine_on_the_new_version(
    qtbot: QtBot, office: Office, second_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, _, ref, asked = _conflict(qtbot, office, second_db, monkeypatch, ConflictChoice.KEEP_MINE)
    mine_values, theirs_values = asked[0]
    assert mine_values["Summary"] == "Customer without heating for a week"
    assert theirs_values["Summary"] == "Boiler still broken after repair"
    assert theirs_values["Details"] == "Engineer visited twice; part on order."
    # What "Keep my edit" will save: my summary on top of their version, their details kept.
    assert mine_values["Details"] == "Engineer visited twice; part on order."
    assert [k for k in mine_values if mine_values[k] != theirs_values[k]] == ["Summary"]

    qtbot.waitUntil(lambda: not mine.is_dirty() and mine.summary.text().startswith("Customer"))
    detail = stored_detail(office.db, ref)
    assert detail.summary == "Customer without heating for a week"
    assert detail.details == "Engineer visited twice; part on order.", "their edit survives"
    assert mine.details.toPlainText() == "Engineer visited twice; part on order."


def test_conflict_take_theirs_drops_my_edit(
    qtbot: QtBot, office: Office, second_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, _, ref, _ = _conflict(qtbot, office, second_db, monkeypatch, ConflictChoice.TAKE_THEIRS)
    qtbot.waitUntil(lambda: mine.details.toPlainText().startswith("Engineer"))
    assert mine.summary.text() == "Boiler still broken after repair"
    assert not mine.is_dirty()
    assert stored_detail(office.db, ref).summary == "Boiler still broken after repair"


def test_conflict_cancel_keeps_my_edit_unsaved(
    qtbot: QtBot, office: Office, second_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, _, ref, asked = _conflict(qtbot, office, second_db, monkeypatch, ConflictChoice.CANCEL)
    qtbot.waitUntil(lambda: not mine._saving)
    assert mine.summary.text() == "Customer without heating for a week"
    assert mine.is_dirty()
    assert stored_detail(office.db, ref).summary == "Boiler still broken after repair"
    mine.save()
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=10_000)


def test_conflict_dialog_marks_the_differences(qtbot: QtBot) -> None:
    dialog = ConflictDialog(
        {"Summary": "Mine", "Details": "Same"}, {"Summary": "Theirs", "Details": "Same"}
    )
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert cell_text(dialog.table, 0, 0) == "Summary (differs)"
    assert cell_text(dialog.table, 1, 0) == "Details"
    assert (cell_text(dialog.table, 0, 1), cell_text(dialog.table, 0, 2)) == ("Mine", "Theirs")
    dialog.take_theirs_button.click()
    assert dialog.choice is ConflictChoice.TAKE_THEIRS
    assert dialog.result() == QDialog.DialogCode.Accepted


def _active(window: ComplaintWindow, kind: type[QDialog]) -> Any:
    dialog = window.active_dialog
    assert isinstance(dialog, kind)
    return dialog


def test_filing_a_report_from_the_window(qtbot: QtBot, office: Office) -> None:
    ref = _delegated(office)
    window = open_complaint_window(qtbot, office.db, ref)
    window.action_buttons[Action.FILE_REPORT].trigger()
    dialog: FileReportDialog = _active(window, FileReportDialog)
    assert dialog.filed_by.staff_id() == office.ortiz, "the delegate is pre-selected"
    dialog.said_box.setPlainText("Apologised; booked a senior engineer.")
    dialog.done_box.setPlainText("Replaced the heat exchanger.")
    dialog.cost.setText("a lot")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors["cost"].isVisible(), timeout=5_000)
    assert "not an amount" in dialog.errors["cost"].text()
    assert stored_detail(office.db, ref).status is Status.DELEGATED

    dialog.cost.setText("180.50")
    with qtbot.waitSignal(window.complaint_changed):
        dialog.submit()
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.reports != [])
    detail = stored_detail(office.db, ref)
    assert detail.status is Status.AWAITING_CALLBACK
    assert detail.reports[0].cost_minor == 18050
    qtbot.waitUntil(lambda: Action.RECORD_CALLBACK in window.enabled_actions())


def test_recording_a_satisfied_callback_resolves(qtbot: QtBot, office: Office) -> None:
    ref = awaiting_callback(office.db, office.chen)
    window = open_complaint_window(qtbot, office.db, ref)
    window.action_buttons[Action.RECORD_CALLBACK].trigger()
    dialog: RecordCallbackDialog = _active(window, RecordCallbackDialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.SATISFIED.value))
    dialog.satisfaction.setCurrentIndex(dialog.satisfaction.findData(5))
    dialog.customer_words.setPlainText("Thank you, all sorted.")
    with qtbot.waitSignal(window.complaint_changed):
        dialog.submit()
    assert stored_detail(office.db, ref).status is Status.RESOLVED
    qtbot.waitUntil(lambda: window.enabled_actions() == {Action.REOPEN})


def test_a_resolved_complaint_is_reopened_from_its_window_with_a_reason(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt

    from ceo_desk.ui.dialogs.reopen import ReopenDialog

    ref = awaiting_callback(office.db, office.chen)
    with office.db.transaction() as uow:
        complaints.record_callback(uow, ref, complaints.CallbackInput(outcome=Outcome.SATISFIED))
    window = open_complaint_window(qtbot, office.db, ref)
    button = window.toolbar.widgetForAction(window.action_buttons[Action.REOPEN])
    monkeypatch.setattr(ReopenDialog, "ask", lambda parent, detail: "The refund bounced")
    with qtbot.waitSignal(window.complaint_changed):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    detail = stored_detail(office.db, ref)
    assert (detail.status, detail.current_delegate, detail.reopen_count) == (
        Status.DELEGATED,
        "Wei Chen",
        1,
    )
    assert detail.events[-1].action == "reopened"
    qtbot.waitUntil(lambda: Action.FILE_REPORT in window.enabled_actions())
    model = window.timeline_model
    qtbot.waitUntil(lambda: model.rowCount() == len(detail.events))
    last = model.data(model.index(model.rowCount() - 1, 2))
    assert last.startswith("Reopened and delegated to Wei Chen")
    assert last.endswith(": The refund bounced"), "the reason is on the reopened event"
    assert not window.summary.isReadOnly()


def test_the_clock_is_paused_and_resumed_from_the_window(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt

    from ceo_desk.ui.dialogs.pause import PauseDialog

    ref = _delegated(office)
    window = open_complaint_window(qtbot, office.db, ref)
    assert "Final response due" in window.due_line.text()
    action = window.action_buttons[Action.PAUSE_CLOCK]
    button = window.toolbar.widgetForAction(action)
    monkeypatch.setattr(PauseDialog, "ask", lambda parent, detail: "Waiting for the engineer")
    with qtbot.waitSignal(window.complaint_changed):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert stored_detail(office.db, ref).paused_for == "Waiting for the engineer"
    qtbot.waitUntil(lambda: action.text() == window_actions.RESUME_TEXT)
    assert "clock paused (Waiting for the engineer)" in window.due_line.text()
    assert action.toolTip() == "Paused: Waiting for the engineer"
    with qtbot.waitSignal(window.complaint_changed):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: action.text() == window_actions.PAUSE_TEXT)
    detail = stored_detail(office.db, ref)
    assert detail.paused_for is None
    assert [e.action for e in detail.events[-2:]] == ["clock_paused", "clock_resumed"]


def test_a_delegate_is_not_offered_the_pause(qtbot: QtBot, office: Office) -> None:
    ref = _delegated(office)
    as_delegate = person(office.db, "dana", Role.DELEGATE, staff=office.ortiz)
    window = open_complaint_window(qtbot, as_delegate, ref)
    assert not window.action_buttons[Action.PAUSE_CLOCK].isVisible()


def test_the_reopen_question_needs_a_reason(qtbot: QtBot, office: Office) -> None:
    from PySide6.QtCore import Qt

    from ceo_desk.ui.dialogs.reopen import ReopenDialog

    ref = awaiting_callback(office.db, office.chen)
    dialog = ReopenDialog(stored_detail(office.db, ref))
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.error.isVisible() and dialog.result() == 0
    qtbot.keyClicks(dialog.reason, "Still broken")
    assert not dialog.error.isVisible()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_withdrawing_as_a_duplicate_checks_the_reference(qtbot: QtBot, office: Office) -> None:
    original = log(office.db, "Dana Fox", "Boiler broken", "+12025550150")
    ref = log(office.db, "Dana Fox", "Boiler broken (called again)", "+12025550150")
    window = open_complaint_window(qtbot, office.db, ref)
    window.action_buttons[Action.WITHDRAW].trigger()
    dialog: WithdrawDialog = _active(window, WithdrawDialog)
    dialog.reason.setPlainText("Same complaint logged twice")
    dialog.is_duplicate.setChecked(True)
    dialog.duplicate_of.setText("C-1999-0001")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors["duplicate_of"].isVisible(), timeout=5_000)
    assert "C-1999-0001" in dialog.errors["duplicate_of"].text()

    dialog.duplicate_of.setText(original.lower())
    with qtbot.waitSignal(window.complaint_changed):
        dialog.submit()
    detail = stored_detail(office.db, ref)
    assert detail.status is Status.WITHDRAWN
    assert detail.duplicate_of == original


def test_send_back_and_mark_unreachable(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceo_desk.ui.dialogs.callback_outcome import SendBackDialog

    ref = awaiting_callback(office.db, office.chen)
    window = open_complaint_window(qtbot, office.db, ref)
    monkeypatch.setattr(SendBackDialog, "ask", lambda parent, detail: "Say what was refunded.")
    with qtbot.waitSignal(window.complaint_changed):
        window.action_buttons[Action.SEND_BACK].trigger()
    detail = stored_detail(office.db, ref)
    assert detail.status is Status.DELEGATED
    assert detail.reports[-1].sent_back_comment == "Say what was refunded."

    other = awaiting_callback(office.db, office.ortiz, name="Ola Berg", phone="+12025550188")
    unanswered(office.db, other, 3)
    window = open_complaint_window(qtbot, office.db, other)
    monkeypatch.setattr(window_actions, "confirm_unreachable", lambda parent, detail: True)
    with qtbot.waitSignal(window.complaint_changed):
        window.action_buttons[Action.MARK_UNREACHABLE].trigger()
    assert stored_detail(office.db, other).status is Status.UNREACHABLE


def test_closing_with_unsaved_edits_asks_first(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = _delegated(office)
    window = open_complaint_window(qtbot, office.db, ref)
    window.summary.setText("Changed but not saved")
    monkeypatch.setattr(
        window_module, "ask_unsaved", lambda parent, reference: window_module.UnsavedChoice.CANCEL
    )
    window.close()
    assert window.isVisible()
    assert window.summary.text() == "Changed but not saved"


def test_the_unsaved_question_offers_save_and_saving_closes_the_window(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = _delegated(office)
    window = open_complaint_window(qtbot, office.db, ref)
    window.summary.setText("Boiler broken, third visit")
    monkeypatch.setattr(
        window_module, "ask_unsaved", lambda parent, reference: window_module.UnsavedChoice.SAVE
    )
    with qtbot.waitSignal(window.complaint_changed):
        window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert stored_detail(office.db, ref).summary == "Boiler broken, third visit"


def test_ask_unsaved_offers_save_discard_and_cancel(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    asked: list[tuple[object, object]] = []

    def question(
        parent: object, title: str, text: str, buttons: object, default: object
    ) -> QMessageBox.StandardButton:
        asked.append((buttons, default))
        return QMessageBox.StandardButton.Save

    monkeypatch.setattr(QMessageBox, "question", question)
    choice = REAL_ASK_UNSAVED(QWidget(), "C-2026-0001")
    assert choice is window_module.UnsavedChoice.SAVE
    buttons, default = asked[0]
    expected = (
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    assert buttons == expected and default == QMessageBox.StandardButton.Save


def test_actions_wait_for_unsaved_edits(qtbot: QtBot, office: Office) -> None:
    ref = _delegated(office)
    window = open_complaint_window(qtbot, office.db, ref)
    window.summary.setText("Changed but not saved")
    window.action_buttons[Action.FILE_REPORT].trigger()
    assert window.active_dialog is None


def test_a_closed_complaint_is_offered_no_resume_even_with_a_pause_left_running(
    qtbot: QtBot, office: Office
) -> None:
    from ceo_desk.store.models import ClockPause

    ref = log(office.db)
    with office.db.transaction() as uow:
        complaints.withdraw(uow, ref, "The customer withdrew it")
    with office.db.transaction() as uow:  # as a log written by an older version can hold it
        uow.session.add(
            ClockPause(
                complaint_id=stored_detail(office.db, ref).id,
                reason="Waiting for the engineer",
                paused_at=SYSTEM_CLOCK.now(),
                paused_by="assistant",
            )
        )
    assert stored_detail(office.db, ref).paused_for is None  # its clock stopped when it closed
    window = open_complaint_window(qtbot, office.db, ref)
    action = window.action_buttons[Action.PAUSE_CLOCK]
    assert action.text() == window_actions.PAUSE_TEXT
    assert not action.isEnabled()
    assert "already closed" in action.toolTip()
