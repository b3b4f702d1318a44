"""One complaint through the whole loop in the desktop app, on a real SQLite file:
logged -> delegated -> report filed -> on the CEO's Today list -> customer satisfied."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from ceo_desk.core import queries
from ceo_desk.core.services import complaints
from ceo_desk.core.services.office import load_settings, save_settings
from ceo_desk.enums import Outcome, Role, Status
from ceo_desk.ui.dialogs.delegate import DelegateDialog
from ceo_desk.ui.dialogs.log_call import LogCallDialog
from ceo_desk.ui.main_window import MainWindow
from tests.builders import Office


def test_one_complaint_through_the_whole_loop(qtbot: QtBot, office: Office) -> None:
    with office.db.transaction() as uow:  # the CEO calls back the same day the report arrives
        save_settings(uow, replace(load_settings(uow), callback_due_days=0))

    # The assistant logs the call and delegates it straight away.
    assistant = MainWindow(office.db, Role.ASSISTANT)
    qtbot.addWidget(assistant)
    with qtbot.waitSignal(assistant.ready, timeout=10_000):
        assistant.show()
    dialog = assistant.log_call()
    assert isinstance(dialog, LogCallDialog)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.customer_name.setText("Zoë Müller")
    dialog.phone.setText("+44 20 7946 0958")
    dialog.summary.setText("Boiler engineer missed two appointments")
    dialog.ceo_spoke.setChecked(True)
    dialog.ceo_promised.setPlainText("An engineer on Monday morning")
    with qtbot.waitSignal(dialog.complaint_logged) as logged:
        dialog.save()
    reference = logged.args[0]
    delegate = assistant.delegate_dialog
    assert isinstance(delegate, DelegateDialog)
    qtbot.waitUntil(delegate.save_button.isEnabled)
    delegate.staff.select_staff(office.ortiz)
    delegate.instructions.setPlainText("Book the senior engineer.")
    with (
        qtbot.waitSignal(assistant.counters_updated, timeout=10_000),
        qtbot.waitSignal(delegate.complaint_delegated),
    ):
        delegate.save()
    qtbot.waitUntil(lambda: "Open: 1" in assistant.counters_label.text())
    assistant.close()

    # The delegate files the report (as the delegate's own tools would, through the service).
    with office.db.transaction() as uow:
        complaints.file_report(
            uow,
            reference,
            complaints.ReportInput(
                said="Apologised for both missed visits.",
                done="Engineer came on Monday and replaced the valve.",
                accommodation="Two months' service fee waived",
                cost="120.00",
            ),
        )

    # The CEO opens the app on Today, reads the brief and records a satisfied customer.
    ceo = MainWindow(office.db, Role.CEO)
    qtbot.addWidget(ceo)
    with qtbot.waitSignal(ceo.ready, timeout=10_000):
        ceo.show()
    assert ceo.current_page_key() == "today"
    assert [r.reference for r in ceo.today.model.rows()] == [reference]
    qtbot.waitUntil(lambda: ceo.today.brief.reference == reference)
    brief = ceo.today.brief.brief_text()
    assert "Zoë Müller" in brief
    assert "An engineer on Monday morning" in brief
    assert "Two months' service fee waived (USD 120.00)" in brief
    assert "Callbacks today: 1" in ceo.counters_label.text()

    ceo.today.brief._score.setCurrentIndex(ceo.today.brief._score.findData(5))
    with qtbot.waitSignal(ceo.today.complaint_changed):
        ceo.today.brief._satisfied.click()
    qtbot.waitUntil(lambda: ceo.today.heading.text() == "Callbacks due: 0")
    qtbot.waitUntil(lambda: "Open: 0" in ceo.counters_label.text())
    # The finished call stays in place, greyed, for as long as it can be undone.
    assert ceo.today.model.data(ceo.today.model.index(0, 0)) == "Satisfied ✓"
    ceo.today.drop_finished_rows()
    qtbot.waitUntil(lambda: ceo.today.model.rowCount() == 0)

    with office.db.reading() as uow:
        detail = queries.complaint_detail(uow, reference)
    assert detail.status is Status.RESOLVED
    assert detail.callbacks[-1].outcome is Outcome.SATISFIED
    assert detail.callbacks[-1].satisfaction == 5
    assert "(CEO)" in detail.callbacks[-1].made_by
    assert [e.action for e in detail.events] == [
        "logged",
        "delegated",
        "report_filed",
        "callback_satisfied",
    ]
