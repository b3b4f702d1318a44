"""My work: a delegate sees their own open assignments, files the report and asks for time."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ceo_desk.core.services import complaints, more_time
from ceo_desk.enums import Role, Status
from ceo_desk.ui.dialogs.file_report import FileReportDialog
from ceo_desk.ui.dialogs.more_time import MoreTimeDialog
from ceo_desk.ui.views.my_work import MyWorkView
from tests.builders import Office, delegate, log, person, report, stored_detail
from tests.ui.screens import show_and_wait


def _view(qtbot: QtBot, office: Office, staff_id: int) -> MyWorkView:
    view = MyWorkView(office.db, staff_id)
    show_and_wait(qtbot, view, view.refreshed, (1366, 768))
    return view


def _mine_and_theirs(office: Office) -> tuple[str, str, str]:
    boiler = log(
        office.db,
        "Dana Fox",
        "Boiler still broken after repair",
        "+12025550150",
        ceo_promised="An engineer this week and a refund of the call-out fee",
        details="Third visit; the customer has two small children and no heating.",
        email="dana.fox@example.com",
    )
    invoice = log(office.db, "Ana Lima", "Charged twice", "+12025550101")
    theirs = log(office.db, "Bo Lund", "Parcel lost", "+12025550102")
    delegate(office.db, boiler, office.ortiz)
    delegate(office.db, invoice, office.ortiz)
    delegate(office.db, theirs, office.chen)
    report(office.db, invoice, said="Said sorry", done="Looked into it")
    with office.db.transaction() as uow:
        complaints.send_back(uow, invoice, "Say what the refund was, and when it reaches her")
    return boiler, invoice, theirs


def test_my_work_shows_only_the_delegates_own_open_work(
    qtbot: QtBot, office: Office, qtmodeltester: ModelTester
) -> None:
    boiler, invoice, theirs = _mine_and_theirs(office)
    view = _view(qtbot, office, office.ortiz)
    qtmodeltester.check(view.model)
    references = {a.reference for a in view.model.rows()}
    assert references == {boiler, invoice}
    assert theirs not in references
    assert "2 complaints waiting for a report from Jamie Ortiz" in view.subheading.text()

    view.table.selectRow([a.reference for a in view.model.rows()].index(boiler))
    shown = view.details.toPlainText()
    assert "An engineer this week and a refund of the call-out fee" in shown
    assert "dana.fox@example.com" in shown and "two small children" in shown
    view.table.selectRow([a.reference for a in view.model.rows()].index(invoice))
    shown = view.details.toPlainText()
    assert "Sent back by the CEO" in shown
    assert "Say what the refund was, and when it reaches her" in shown

    other = _view(qtbot, office, office.chen)
    assert {a.reference for a in other.model.rows()} == {theirs}


def test_the_delegate_files_the_report_from_my_work(qtbot: QtBot, office: Office) -> None:
    boiler, _, _ = _mine_and_theirs(office)
    view = _view(qtbot, office, office.ortiz)
    view.table.selectRow([a.reference for a in view.model.rows()].index(boiler))
    view.file_button.click()
    qtbot.waitUntil(lambda: view.findChild(FileReportDialog) is not None, timeout=10_000)
    dialog = view.findChild(FileReportDialog)
    assert dialog is not None
    assert dialog.filed_by.staff_id() == office.ortiz
    dialog.said_box.setPlainText("Called Dana; an engineer comes Thursday.")
    dialog.done_box.setPlainText("Refunded the call-out fee.")
    with qtbot.waitSignal(view.refreshed, timeout=10_000):
        dialog.submit()
    qtbot.waitUntil(lambda: boiler not in {a.reference for a in view.model.rows()})
    detail = stored_detail(office.db, boiler)
    assert detail.status is Status.AWAITING_CALLBACK
    assert detail.reports[-1].said == "Called Dana; an engineer comes Thursday."


def test_the_delegate_asks_for_more_time_and_sees_the_answer(qtbot: QtBot, office: Office) -> None:
    boiler, _, _ = _mine_and_theirs(office)
    view = MyWorkView(person(office.db, "jortiz", Role.DELEGATE, staff=office.ortiz), office.ortiz)
    show_and_wait(qtbot, view, view.refreshed, (1366, 768))
    view.table.selectRow([a.reference for a in view.model.rows()].index(boiler))
    dialog = view.ask_more_time()
    assert isinstance(dialog, MoreTimeDialog)
    due = stored_detail(office.db, boiler).report_due_on
    assert due is not None
    dialog.reason.setPlainText("The engineer's part arrives on Monday")
    with qtbot.waitSignal(view.refreshed, timeout=10_000):
        dialog.submit()
    qtbot.waitUntil(lambda: "Waiting for the office's answer" in view.details.toPlainText())
    assert not view.more_time_button.isEnabled(), "one request waits at a time"
    with office.db.transaction() as uow:
        (waiting,) = more_time.waiting_requests(uow)
        assert waiting.reference == boiler and waiting.proposed_due_on == due + timedelta(days=3)
        more_time.decline_more_time(uow, boiler, "The CEO calls her on Friday")
    view.refresh()
    qtbot.waitUntil(lambda: "Declined: The CEO calls her on Friday" in view.details.toPlainText())


def test_someone_who_is_not_a_delegate_is_told_what_my_work_is(
    qtbot: QtBot, office: Office
) -> None:
    _mine_and_theirs(office)
    view = MyWorkView(office.db)
    show_and_wait(qtbot, view, view.refreshed, (1366, 768))
    assert view.model.rows() == []
    assert "You are not linked to a staff member as a delegate" in view.subheading.text()
    assert not view.file_button.isEnabled() and not view.more_time_button.isEnabled()
