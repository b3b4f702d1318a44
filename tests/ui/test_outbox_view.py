"""The Outbox page: drafts opened in the mail program are recorded once; the app sends the
outbox through a real mail server by itself."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from ceo_desk.enums import OutboxState
from ceo_desk.ui.mail_sending import MailSending
from ceo_desk.ui.views import outbox as outbox_view
from ceo_desk.ui.views.outbox import OutboxView
from tests.builders import Office, delegate, log, stored_detail
from tests.smtp_server import SmtpServer, use_server
from tests.ui.screens import show_and_wait


def _view(qtbot: QtBot, office: Office) -> OutboxView:
    view = OutboxView(office.db)
    show_and_wait(qtbot, view, view.refreshed, (1100, 600))
    return view


def test_a_draft_opens_in_the_mail_program_and_is_recorded_once(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(outbox_view, "open_url", open_url)
    ref = log(office.db, "Farah Novák", "Charged twice")
    delegate(office.db, ref, office.ortiz)
    view = _view(qtbot, office)
    assert view.heading.text() == "Outbox: 1 waiting"
    assert "No mail server is set up" in view.subheading.text()
    assert view.model.data(view.model.index(0, 2)) == "Farah Novák"
    assert "Hello Jamie," in view.preview.toPlainText()
    assert view.open_mail_button.isEnabled()

    with qtbot.waitSignal(view.refreshed, timeout=10_000):
        view.open_mail_button.click()
    split = urlsplit(opened[0].toString(QUrl.ComponentFormattingOption.FullyEncoded))
    assert unquote(split.path) == "j.ortiz@example.com"
    assert parse_qs(split.query)["subject"] == [f"New complaint for you: {ref} — Charged twice"]
    assert view.heading.text() == "Outbox: 0 waiting"
    assert view.model.rows() == []  # handed over: no longer offered
    view.show_all.setChecked(True)
    qtbot.waitUntil(lambda: len(view.model.rows()) == 1)
    assert view.model.rows()[0].state is OutboxState.HANDED_TO_MAIL_PROGRAM
    assert not view.open_mail_button.isEnabled()
    timeline = [e.description for e in stored_detail(office.db, ref).events]
    assert "Delegation notice to j.ortiz@example.com opened in the mail program" in timeline


def test_the_app_sends_the_outbox_by_itself(
    qtbot: QtBot, office: Office, smtp_server: SmtpServer
) -> None:
    use_server(office.db, smtp_server)
    ref = log(office.db, "Farah Novák", "Charged twice")
    delegate(office.db, ref, office.chen)
    sending = MailSending(office.db)
    with qtbot.waitSignal(sending.sent, timeout=10_000) as done:
        sending.send_now()
    assert done.args[0].sent == 1
    [mail] = smtp_server.received
    assert mail.recipients == ("wei.chen@example.com",)
    assert mail.subject == f"New complaint for you: {ref} — Charged twice"
    assert "Hello Wei," in mail.body
    view = _view(qtbot, office)
    assert view.heading.text() == "Outbox: 0 waiting"
    assert f"mail server 127.0.0.1:{smtp_server.port}" in view.subheading.text()


def test_delegating_in_the_app_offers_the_notice_at_once_and_records_it(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ceo_desk.core.services import complaints
    from ceo_desk.ui import mail_offer
    from tests.ui.screens import show_main_window

    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(outbox_view, "open_url", open_url)
    ref = log(office.db, "Farah Novák", "Charged twice")
    window = show_main_window(qtbot, office)
    mail_offer.offers.clear()
    with window.db.transaction() as uow:  # as the Delegate dialog does, in this process
        complaints.delegate(uow, ref, office.ortiz)
    qtbot.waitUntil(lambda: bool(mail_offer.offers), timeout=10_000)
    offer = mail_offer.offers[-1]
    assert f"Delegation notice for {ref} to j.ortiz@example.com" in offer.text()
    send = next(
        b for b in offer.buttons() if offer.buttonRole(b) is QMessageBox.ButtonRole.AcceptRole
    )
    with qtbot.waitSignal(window.draft_offer.handed_over, timeout=10_000):
        send.click()
    assert len(opened) == 1
    timeline = [e.description for e in stored_detail(office.db, ref).events]
    assert "Delegation notice to j.ortiz@example.com opened in the mail program" in timeline


def test_a_cancelled_notice_shows_as_cancelled_and_is_offered_to_nobody(
    qtbot: QtBot, office: Office
) -> None:
    from ceo_desk.core.services import complaints
    from ceo_desk.enums import Outcome
    from tests.builders import awaiting_callback, callback

    ref = awaiting_callback(office.db, office.ortiz, "Farah Novák")
    callback(office.db, ref, Outcome.NOT_SATISFIED, reassign_to_staff_id=office.chen)
    with office.db.transaction() as uow:
        complaints.withdraw_outcome(uow, ref)
    view = _view(qtbot, office)
    assert view.heading.text() == "Outbox: 1 waiting"  # the first notice's draft only
    view.show_all.setChecked(True)
    qtbot.waitUntil(lambda: len(view.model.rows()) == 2)
    cancelled = view.model.rows()[0]  # newest first
    assert (cancelled.state, cancelled.recipients) == (
        OutboxState.CANCELLED,
        "wei.chen@example.com",
    )
    assert view.model.data(view.model.index(0, 5)) == "Cancelled, not sent"
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: "Hello Wei," in view.preview.toPlainText())
    assert not view.open_mail_button.isEnabled()
