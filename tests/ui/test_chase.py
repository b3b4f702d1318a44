"""Chasing late reports: the list, and the reminder handed to the mail client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QPalette
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import complaints
from ceo_desk.ui import theme
from ceo_desk.ui.form_helpers import warning_colour
from ceo_desk.ui.views import chase
from ceo_desk.ui.views.chase import ChaseView
from ceo_desk.ui.widgets import colours
from tests.builders import Office, days_ago, log
from tests.ui.screens import show_and_wait


def _delegated(office: Office, staff_id: int, summary: str, days_late: int, **extra: Any) -> str:
    ref = log(office.db, "Ana Lima", summary, "+12025550101", **extra)
    when = datetime.now(UTC) - timedelta(days=max(days_late, 0))
    due = SYSTEM_CLOCK.local_day(datetime.now(UTC)) - timedelta(days=days_late)
    with office.db.transaction() as uow:
        complaints.delegate(uow, ref, staff_id, due_on=due, now=when)
    return ref


def _view(qtbot: QtBot, office: Office) -> ChaseView:
    view = ChaseView(office.db)
    show_and_wait(qtbot, view, view.refreshed, (1100, 500))
    return view


def test_lists_overdue_reports_first_and_leaves_out_later_ones(
    qtbot: QtBot, office: Office
) -> None:
    later = _delegated(office, office.chen, "Due much later", -20)
    due_today = _delegated(office, office.chen, "Due today", 0)
    late = _delegated(office, office.ortiz, "Boiler not repaired", 4)
    view = _view(qtbot, office)
    references = [r.reference for r in view.model.rows()]
    assert references == [late, due_today]
    assert later not in references
    assert view.heading.text() == "Reports to chase: 2"
    assert view.model.data(view.model.index(0, 1)) == "4 days"
    assert view.model.data(view.model.index(1, 1)) == "due today"
    assert view.model.data(view.model.index(0, 3)) == "Ana Lima"
    assert view.model.data(view.model.index(0, 5)) == "Jamie Ortiz"
    assert view.model.data(view.model.index(0, 7)) == "Not yet"


def test_model_passes_the_model_tester(
    qtbot: QtBot, office: Office, qtmodeltester: ModelTester
) -> None:
    _delegated(office, office.ortiz, "Boiler not repaired", 4)
    view = _view(qtbot, office)
    qtmodeltester.check(view.model)


def test_chase_opens_a_mail_to_the_delegate(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(chase, "open_url", open_url)
    ref = _delegated(
        office,
        office.ortiz,
        "Refund & credit? 100% wrong",
        2,
        ceo_spoke=True,
        ceo_promised="A call back by Friday",
    )
    view = _view(qtbot, office)
    with qtbot.waitSignal(view.chased) as chased:
        view.chase_button.click()
    assert chased.args == [ref]
    assert len(opened) == 1
    split = urlsplit(opened[0].toString(QUrl.ComponentFormattingOption.FullyEncoded))
    assert split.scheme == "mailto"
    assert unquote(split.path) == "j.ortiz@example.com"
    query = parse_qs(split.query)
    assert query["subject"] == [f"Overdue report: {ref} — Refund & credit? 100% wrong"]
    body = query["body"][0]
    assert "A call back by Friday" in body
    assert f"{ref} was due on" in body


def test_delegate_without_email_is_pointed_out(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chase, "open_url", lambda url: True)
    _delegated(office, office.baker, "Rude driver", 1)
    view = _view(qtbot, office)
    assert "No email on file for Sam Baker" in view.contact.text()
    assert view.chase_button.isEnabled()


def test_no_mail_client_is_explained(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceo_desk.ui import error_dialogs

    monkeypatch.setattr(chase, "open_url", lambda url: False)
    _delegated(office, office.ortiz, "Boiler not repaired", 1)
    view = _view(qtbot, office)
    view.chase_button.click()
    qtbot.waitUntil(lambda: bool(error_dialogs.shown))  # the message is composed in the background
    assert "No mail client opened" in error_dialogs.shown[-1].text()


def test_nothing_to_chase_says_so(qtbot: QtBot, office: Office) -> None:
    view = _view(qtbot, office)
    assert view.heading.text() == "Reports to chase: 0"
    assert not view.chase_button.isEnabled()
    assert "No report is overdue" in view.subheading.text()


def test_open_complaint_from_the_list(qtbot: QtBot, office: Office) -> None:
    ref = _delegated(office, office.ortiz, "Boiler not repaired", 1)
    view = _view(qtbot, office)
    with qtbot.waitSignal(view.open_requested) as requested:
        view.open_button.click()
    assert requested.args == [ref]


def test_a_chase_opened_in_the_mail_program_is_recorded_and_shown_as_last_chased(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.builders import stored_detail

    monkeypatch.setattr(chase, "open_url", lambda url: True)
    ref = _delegated(office, office.ortiz, "Boiler not repaired", 2)
    view = _view(qtbot, office)
    assert view.model.data(view.model.index(0, 7)) == "Not yet"
    with qtbot.waitSignal(view.refreshed, timeout=10_000):
        view.chase_button.click()
    assert view.model.rows()[0].last_chased_at is not None
    assert view.model.data(view.model.index(0, 7)) != "Not yet"
    timeline = [e.description for e in stored_detail(office.db, ref).events]
    assert "Chase to j.ortiz@example.com opened in the mail program" in timeline


def test_with_a_mail_server_a_chase_is_sent_and_on_the_timeline(
    qtbot: QtBot, office: Office, smtp_server: Any
) -> None:
    from ceo_desk.core.mail import sender
    from tests.builders import stored_detail
    from tests.smtp_server import use_server

    use_server(office.db, smtp_server)
    ref = _delegated(office, office.ortiz, "Boiler not repaired", 2, ceo_promised="A visit")
    sender.send_pending(office.db, now=datetime.now(UTC))  # the delegation notice
    view = _view(qtbot, office)
    with qtbot.waitSignal(view.chased, timeout=10_000):
        view.chase_button.click()
    assert sender.send_pending(office.db, now=datetime.now(UTC)).sent == 1
    chased = smtp_server.received[-1]
    assert chased.recipients == ("j.ortiz@example.com",)
    assert chased.subject == f"Overdue report: {ref} — Boiler not repaired"
    assert "What the CEO promised the customer: A visit" in chased.body
    timeline = [e.description for e in stored_detail(office.db, ref).events]
    assert "Chase emailed to j.ortiz@example.com" in timeline


def test_the_overdue_red_is_mixed_again_after_a_switch_to_dark(
    qtbot: QtBot, office: Office
) -> None:
    _delegated(office, office.ortiz, "Boiler not repaired", 4)
    log(office.db, "Bea Cruz", "No heating", "+12025550122", when=days_ago(7), severity="critical")
    try:
        theme.theme().choose(theme.Appearance.LIGHT)
        view = _view(qtbot, office)
        overdue = view.model.index(0, 1)
        qtbot.waitUntil(lambda: view.late_intake.isVisible())
        light_red = overdue.data(Qt.ItemDataRole.ForegroundRole)
        assert light_red == QColor(warning_colour(view))
        assert light_red.name() in view.late_intake.styleSheet()

        theme.theme().choose(theme.Appearance.DARK)  # View → Colours → Dark
        qtbot.waitUntil(lambda: colours.is_dark(view.palette()))
        dark_red = overdue.data(Qt.ItemDataRole.ForegroundRole)
        assert dark_red != light_red
        assert dark_red == QColor(warning_colour(view)), "the dark palette's own red"
        base = view.table.palette().color(QPalette.ColorRole.Base)
        assert dark_red.lightness() - base.lightness() > 100, "readable on the dark rows"
        # The line of complaints late to be delegated is mixed again too.
        qtbot.waitUntil(lambda: dark_red.name() in view.late_intake.styleSheet())
        shown = view.late_intake.palette().color(QPalette.ColorRole.WindowText)
        assert shown == dark_red
    finally:
        theme.theme().choose(theme.Appearance.SYSTEM)
