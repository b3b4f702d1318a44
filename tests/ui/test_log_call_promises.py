"""Log a call takes the CEO's promises as rows (what and by when), the reputational flags and a
vulnerable customer."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.ui.dialogs.log_call import LogCallDialog
from tests.builders import Office, log, stored_detail


def _dialog(qtbot: QtBot, office: Office) -> LogCallDialog:
    dialog = LogCallDialog(office.db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.choices_loaded):
        dialog.show()
    return dialog


def test_two_promises_the_flags_and_a_vulnerable_customer_are_logged(
    qtbot: QtBot, office: Office
) -> None:
    dialog = _dialog(qtbot, office)
    dialog.customer_name.setText("Ana Lima")
    dialog.phone.setText("(202) 555-0101")
    dialog.summary.setText("Invoice charged twice")
    friday = SYSTEM_CLOCK.today() + timedelta(days=3)
    dialog.promises.add_button.click()
    dialog.promises.add_button.click()
    (first, first_due, _), (second, _, _) = dialog.promises.rows
    first.setText("A refund of the second charge")
    first_due.setDate(QDate(friday.year, friday.month, friday.day))
    second.setText("A call from the billing lead")
    dialog.flags["flag_journalist"].click()
    dialog.vulnerable.click()
    with qtbot.waitSignal(dialog.complaint_logged) as saved:
        dialog.save_button.click()
    detail = stored_detail(office.db, saved.args[0])
    assert [(p.what, p.due_on) for p in detail.promises] == [
        ("A refund of the second charge", friday),
        ("A call from the billing lead", SYSTEM_CLOCK.today() + timedelta(days=2)),
    ]
    assert detail.flag_journalist and not detail.flag_mp
    assert detail.customer_vulnerable


def test_a_removed_promise_row_is_not_logged(qtbot: QtBot, office: Office) -> None:
    dialog = _dialog(qtbot, office)
    dialog.customer_name.setText("Ana Lima")
    dialog.phone.setText("(202) 555-0101")
    dialog.summary.setText("Invoice charged twice")
    dialog.promises.add_button.click()
    dialog.promises.rows[0][0].setText("Something said in haste")
    dialog.promises.rows[0][2].click()
    assert dialog.promises.rows == []
    with qtbot.waitSignal(dialog.complaint_logged) as saved:
        dialog.save_button.click()
    assert stored_detail(office.db, saved.args[0]).promises == []


def test_a_caller_known_to_need_care_is_shown_as_vulnerable(qtbot: QtBot, office: Office) -> None:
    log(office.db, "Ana Lima", "Invoice charged twice", "+12025550101", vulnerable=True)
    dialog = _dialog(qtbot, office)
    assert not dialog.vulnerable.isChecked()
    with qtbot.waitSignal(dialog.earlier_found, timeout=10_000):
        dialog.phone.setText("(202) 555-0101")
    assert dialog.vulnerable.isChecked()
