"""Outcomes on Today cannot land on the wrong customer: the finished row stays under the pointer,
every outcome names its customer, and the last one can be taken back (Ctrl+Z, or Undo)."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from ceo_desk.core import policy
from ceo_desk.enums import Outcome, Status
from ceo_desk.ui.dialogs.callback_outcome import SendBackDialog
from ceo_desk.ui.views.today import TodayView
from tests.builders import Office, awaiting_callback, days_ago, stored_detail
from tests.ui.screens import show_and_wait


def _today(qtbot: QtBot, office: Office) -> TodayView:
    view = TodayView(office.db)
    show_and_wait(qtbot, view, view.refreshed, (1366, 768))
    return view


def _click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _two_due(qtbot: QtBot, office: Office) -> tuple[TodayView, str, str]:
    first = awaiting_callback(office.db, office.ortiz, "Farah Novák", reported_at=days_ago(5))
    second = awaiting_callback(office.db, office.ortiz, "Bea Cruz", phone="+12025550102")
    view = _today(qtbot, office)
    qtbot.waitUntil(lambda: view.brief.reference == first)
    return view, first, second


def test_a_second_click_on_satisfied_does_not_resolve_the_next_customer(
    qtbot: QtBot, office: Office
) -> None:
    view, first, second = _two_due(qtbot, office)
    satisfied = view.brief._satisfied
    assert satisfied.text().replace("&", "") == "Satisfied — Farah Novák"
    with qtbot.waitSignal(view.refreshed):
        _click(qtbot, satisfied)
    qtbot.waitUntil(lambda: view.heading.text() == "Callbacks due: 1")
    # The same place on the screen still holds Farah's finished call, not Bea's.
    assert view.model.rows()[0].reference == first
    assert view.model.data(view.model.index(0, 0)) == "Satisfied ✓"
    assert view.model.data(view.model.index(0, 1)) == "Farah Novák"
    assert view.brief.reference == first
    assert view.brief.confirmation_text().startswith("Satisfied — Farah Novák ✓")
    _click(qtbot, satisfied)  # the second click of the pair lands on a finished call
    assert not satisfied.isEnabled()
    assert stored_detail(office.db, first).status is Status.RESOLVED
    assert stored_detail(office.db, second).status is Status.AWAITING_CALLBACK
    assert stored_detail(office.db, second).callbacks == []


def test_ctrl_z_withdraws_the_last_outcome_and_the_trail_keeps_it(
    qtbot: QtBot, office: Office
) -> None:
    view, first, _ = _two_due(qtbot, office)
    with qtbot.waitSignal(view.refreshed):
        _click(qtbot, view.brief._satisfied)
    qtbot.waitUntil(lambda: view.brief._undo.isEnabled())
    view.table.setFocus()
    with qtbot.waitSignal(view.brief.outcome_withdrawn):
        qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    detail = stored_detail(office.db, first)
    assert detail.status is Status.AWAITING_CALLBACK
    assert [e.action for e in detail.events][-2:] == ["callback_satisfied", "outcome_withdrawn"]
    assert detail.callbacks[0].withdrawn_at is not None
    qtbot.waitUntil(lambda: view.heading.text() == "Callbacks due: 2")
    assert "overdue" in view.model.data(view.model.index(0, 0))
    qtbot.waitUntil(view.brief._satisfied.isEnabled)
    assert "Withdrawn: Satisfied — Farah Novák" in view.brief.confirmation_text()


def test_the_undo_button_on_the_confirmation_bar_takes_back_a_no_answer(
    qtbot: QtBot, office: Office
) -> None:
    view, first, _ = _two_due(qtbot, office)
    with qtbot.waitSignal(view.refreshed):
        _click(qtbot, view.brief._no_answer)
    qtbot.waitUntil(lambda: view.brief._undo.isVisible() and view.brief._undo.isEnabled())
    assert view.brief.confirmation_text().startswith("No answer — Farah Novák ✓")
    with qtbot.waitSignal(view.brief.outcome_withdrawn):
        _click(qtbot, view.brief._undo)
    assert stored_detail(office.db, first).unanswered_attempts == 0
    assert not view.brief._undo.isVisible()


def test_no_answer_can_be_tried_again_later_today_and_today_shows_the_time(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    if datetime.now().astimezone().time() >= time(23, 58):
        pytest.skip("the local day ends before a later time can be offered")
    monkeypatch.setattr(policy, "later_today", lambda now, settings: time(23, 59))
    view, first, _ = _two_due(qtbot, office)
    picker = view.brief._next_try
    assert [picker.itemText(i).split(",")[0] for i in range(picker.count())] == [
        "Later today",
        "Next business day",
    ]
    assert picker.currentText().startswith("Next business day")  # one click keeps tomorrow
    picker.setCurrentIndex(0)
    with qtbot.waitSignal(view.refreshed):
        _click(qtbot, view.brief._no_answer)
    detail = stored_detail(office.db, first)
    assert detail.callback_due_time == time(23, 59)
    qtbot.waitUntil(lambda: view.heading.text() == "Callbacks due: 2")
    assert view.model.data(view.model.index(0, 0)) == "No answer ✓"
    # Picked again on purpose, the call is an ordinary due row, with its time.
    rect = view.table.visualRect(view.model.index(0, 1))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.model.rows()[0].reference == first  # it had not moved under the pointer

    def due_text() -> str:
        row = view.model.row_of(lambda r: r.reference == first)
        return str(view.model.data(view.model.index(row, 0)))

    qtbot.waitUntil(lambda: due_text() == "Today 23:59")
    qtbot.waitUntil(view.brief._no_answer.isEnabled)


def test_the_score_has_a_legend(qtbot: QtBot, office: Office) -> None:
    view, _, _ = _two_due(qtbot, office)
    score = view.brief._score
    assert score.itemText(score.findData(1)) == "1 — very dissatisfied"
    assert score.itemText(score.findData(5)) == "5 — very satisfied"
    assert view.brief._score_legend.isVisible()
    assert "5 = very satisfied" in view.brief._score_legend.text()


def test_send_back_shows_the_report_it_comments_on(qtbot: QtBot, office: Office) -> None:
    ref = awaiting_callback(office.db, office.ortiz, said="We refunded the wrong card.")
    dialog = SendBackDialog(stored_detail(office.db, ref))
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    assert "We refunded the wrong card." in dialog.report.toPlainText()
    assert dialog.report.isVisible() and dialog.comment.isVisible()
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.error.isVisible()
    qtbot.keyClicks(dialog.comment, "Which card?")
    assert not dialog.error.isVisible()


def test_outcome_not_offered_again_for_the_finished_call(qtbot: QtBot, office: Office) -> None:
    view, first, _ = _two_due(qtbot, office)
    with qtbot.waitSignal(view.refreshed):
        _click(qtbot, view.brief._voicemail)
    _click(qtbot, view.brief._voicemail)
    assert stored_detail(office.db, first).unanswered_attempts == 1
    assert [c.outcome for c in stored_detail(office.db, first).callbacks] == [Outcome.VOICEMAIL]
