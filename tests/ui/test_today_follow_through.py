"""Today ordered by what is at stake, the promises ticked at the callback, and "did it stick?"
answered with the real buttons."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import complaints, promises
from ceo_desk.core.services import office as office_settings
from ceo_desk.enums import Outcome, PromiseOutcome, Status
from ceo_desk.ui.dialogs.callback_outcome import CameBackDialog
from ceo_desk.ui.views.today import TodayView
from tests.builders import Office, awaiting_callback, callback, days_ago, log, stored_detail
from tests.ui.screens import show_and_wait

TODAY = SYSTEM_CLOCK.today()


def _today(qtbot: QtBot, office: Office) -> TodayView:
    view = TodayView(office.db)
    show_and_wait(qtbot, view, view.refreshed, (1366, 768))
    return view


def test_a_complaint_an_mp_took_up_comes_first_and_says_why(qtbot: QtBot, office: Office) -> None:
    waited = awaiting_callback(office.db, office.ortiz, "Ana Lima", reported_at=days_ago(9))
    watched = awaiting_callback(office.db, office.ortiz, "Bo Chan", phone="+12025550102")
    version = stored_detail(office.db, watched).version
    with office.db.transaction() as uow:
        complaints.edit(
            uow, watched, complaints.ComplaintEdit({"flag_mp": True}), expected_version=version
        )
    view = _today(qtbot, office)
    assert [r.reference for r in view.model.rows()] == [watched, waited]
    why = view.model.data(view.model.index(0, 3))
    assert why == "Normal · MP"


def test_the_ceo_ticks_each_promise_at_the_callback(qtbot: QtBot, office: Office) -> None:
    ref = awaiting_callback(office.db, office.ortiz)
    with office.db.transaction() as uow:
        kept, broken = promises.add(
            uow,
            ref,
            [
                promises.PromiseInput("A refund", TODAY),
                promises.PromiseInput("A call from billing", TODAY + timedelta(days=1)),
            ],
        )
    view = _today(qtbot, office)
    qtbot.waitUntil(lambda: view.brief.reference == ref)
    ticks = view.brief.promise_ticks
    assert ticks.isVisible()
    # The promise due today is on Today's list of promises too, with the one due tomorrow.
    assert view.promises_due.isVisible()
    assert [p.what for p in view.promises_due.model.rows()] == ["A refund", "A call from billing"]
    assert "promise due today" in view.model.data(view.model.index(0, 3))
    ticks.buttons[(kept, PromiseOutcome.KEPT)].click()
    ticks.buttons[(broken, PromiseOutcome.KEPT)].click()
    ticks.buttons[(broken, PromiseOutcome.BROKEN)].click()  # changes its mind: broken
    assert not ticks.buttons[(broken, PromiseOutcome.KEPT)].isChecked()
    with qtbot.waitSignal(view.brief.complaint_changed, timeout=10_000):
        view.brief._satisfied.click()
    detail = stored_detail(office.db, ref)
    assert detail.status is Status.RESOLVED
    assert [p.outcome for p in detail.promises] == [PromiseOutcome.KEPT, PromiseOutcome.BROKEN]


def test_it_came_back_reopens_the_complaint(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    with office.db.transaction() as uow:
        settings = office_settings.load_settings(uow)
        office_settings.save_settings(uow, replace(settings, follow_up_weeks=1))
    ref = awaiting_callback(office.db, office.ortiz)
    # Resolved eight days ago: its follow-up, a week on, is due.
    callback(office.db, ref, Outcome.SATISFIED, days_ago(8), satisfaction=5)
    log(office.db, "Not Due", "Still new", "+12025550199")
    asked: list[str] = []

    def answer(parent: object, reference: str, customer_name: str) -> str:
        asked.append(reference)
        return "Charged twice again in May"

    monkeypatch.setattr(CameBackDialog, "ask", answer)
    view = _today(qtbot, office)
    panel = view.follow_ups
    assert panel.isVisible() and [f.reference for f in panel.model.rows()] == [ref]
    assert panel.came_back.isEnabled()
    with qtbot.waitSignal(panel.complaint_changed, timeout=10_000):
        panel.came_back.click()
    assert asked == [ref]
    detail = stored_detail(office.db, ref)
    assert detail.status is Status.DELEGATED and detail.reopen_count == 1
    qtbot.waitUntil(lambda: not panel.isVisible())


def test_it_stuck_takes_the_call_off_today(qtbot: QtBot, office: Office) -> None:
    with office.db.transaction() as uow:
        settings = office_settings.load_settings(uow)
        office_settings.save_settings(uow, replace(settings, follow_up_weeks=1))
    ref = awaiting_callback(office.db, office.ortiz)
    callback(office.db, ref, Outcome.SATISFIED, days_ago(8), satisfaction=5)
    view = _today(qtbot, office)
    with qtbot.waitSignal(view.follow_ups.complaint_changed, timeout=10_000):
        view.follow_ups.stuck.click()
    qtbot.waitUntil(lambda: not view.follow_ups.isVisible())
    assert stored_detail(office.db, ref).status is Status.RESOLVED
