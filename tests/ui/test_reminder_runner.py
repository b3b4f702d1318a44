"""While the app is open it runs the reminders itself, in the background."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from pytestqt.qtbot import QtBot

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import directory
from ceo_desk.core.services import office as office_service
from ceo_desk.enums import MessageKind, Role
from ceo_desk.ui.reminder_runner import ReminderRunner
from tests.builders import Office, days_ago, delegate, log
from tests.smtp_server import SmtpServer, use_server
from tests.ui.screens import show_main_window


def _overdue(office: Office, smtp_server: SmtpServer) -> str:
    db = office.db
    use_server(db, smtp_server)
    with db.transaction() as uow:
        settings = office_service.load_settings(uow)
        office_service.save_settings(uow, replace(settings, weekend_days=()))
        unit = directory.find_unit(uow, "Customer Service")
        directory.set_unit_head(uow, unit.id, office.chen)
    ref = log(db, when=days_ago(11))
    delegate(db, ref, office.ortiz, days_ago(10), due_on=SYSTEM_CLOCK.today() - timedelta(5))
    return ref


def test_the_runner_queues_and_sends_what_is_due_off_the_gui_thread(
    qtbot: QtBot, office: Office, smtp_server: SmtpServer
) -> None:
    ref = _overdue(office, smtp_server)
    runner = ReminderRunner(office.db)
    runner.set_roles(frozenset({Role.ASSISTANT}))
    assert runner.timer.isActive(), "the first run is scheduled"
    with qtbot.waitSignal(runner.ran, timeout=20_000) as ran:
        assert runner.run_now()
        assert not runner.run_now(), "never two runs at once"
    report = ran.args[0]
    assert [(p.reminder.reference, p.reminder.kind) for p in report.queued] == [
        (ref, MessageKind.REPORT_OVERDUE),
        (ref, MessageKind.ESCALATION),
    ]
    assert report.sent == 3  # the delegation notice went with them
    assert {m.recipients[0] for m in smtp_server.received} == {
        "j.ortiz@example.com",
        "wei.chen@example.com",
    }


def test_a_delegates_app_runs_no_reminders(qtbot: QtBot, office: Office) -> None:
    runner = ReminderRunner(office.db)
    runner.set_roles(frozenset({Role.DELEGATE}))
    assert not runner.timer.isActive()
    assert not runner.run_now()


def test_the_main_window_runs_the_reminders_for_the_office(qtbot: QtBot, office: Office) -> None:
    window = show_main_window(qtbot, office)
    runner = window.reminder_runner
    assert runner is not None and runner.allowed
    assert runner.timer.isActive()
