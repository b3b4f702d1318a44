"""The office answers a delegate's request for more time from Chase."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from ceo_desk.core.services import more_time
from ceo_desk.enums import Role
from ceo_desk.ui.views import more_time_requests
from ceo_desk.ui.views.chase import ChaseView
from tests.builders import Office, delegate, log, person, stored_detail
from tests.ui.screens import show_and_wait


def _asked(office: Office, summary: str, days: int) -> str:
    ref = log(office.db, "Ana Lima", summary, "+12025550101")
    delegate(office.db, ref, office.ortiz)
    due = stored_detail(office.db, ref).report_due_on
    assert due is not None
    ortiz = person(office.db, f"jortiz{days}", Role.DELEGATE, staff=office.ortiz)
    with ortiz.transaction() as uow:
        more_time.request_more_time(uow, ref, due + timedelta(days=days), "Waiting on a part")
    return ref


def _chase(qtbot: QtBot, office: Office) -> ChaseView:
    view = ChaseView(office.db)
    show_and_wait(qtbot, view, view.more_time.refreshed, (1366, 768))
    return view


def test_the_office_accepts_a_request_and_the_due_date_moves(qtbot: QtBot, office: Office) -> None:
    ref = _asked(office, "Boiler broken", 5)
    before = stored_detail(office.db, ref).report_due_on
    assert before is not None
    view = _chase(qtbot, office)
    assert [r.reference for r in view.more_time.model.rows()] == [ref]
    with qtbot.waitSignal(view.more_time.answered, timeout=10_000):
        view.more_time.accept_button.click()
    assert stored_detail(office.db, ref).report_due_on == before + timedelta(days=5)
    qtbot.waitUntil(lambda: view.more_time.model.rows() == [], timeout=10_000)
    assert view.more_time.empty.isVisibleTo(view)


def test_the_office_declines_a_request_with_a_reason(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = _asked(office, "Boiler broken", 5)
    before = stored_detail(office.db, ref).report_due_on
    view = _chase(qtbot, office)
    monkeypatch.setattr(
        more_time_requests, "ask_decline_reason", lambda parent, request: "CEO calls Friday"
    )
    with qtbot.waitSignal(view.more_time.answered, timeout=10_000):
        view.more_time.decline_button.click()
    assert stored_detail(office.db, ref).report_due_on == before
    with office.db.reading() as uow:
        (answered,) = more_time.requests_of(uow, office.ortiz)
    assert answered.answer == "Declined: CEO calls Friday"
