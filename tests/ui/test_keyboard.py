"""A whole call logged and delegated with the keyboard only, counting the navigation keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ceo_desk.core import queries
from ceo_desk.enums import Role, Severity, Status
from ceo_desk.ui.dialogs.delegate import DelegateDialog
from ceo_desk.ui.dialogs.log_call import LogCallDialog
from ceo_desk.ui.main_window import MainWindow
from tests.builders import Office

NAVIGATION_KEYS = {Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Up, Qt.Key.Key_Down}


class Keyboard:
    """Sends key events to whatever has focus, and counts the keys that only move around."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.navigation = 0

    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def type(self, text: str) -> None:
        QTest.keyClicks(self.focus(), text)

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        if key in NAVIGATION_KEYS:
            self.navigation += 1
        QTest.keyClick(self.focus(), key, modifier)

    def tab(self, times: int = 1) -> None:
        for _ in range(times):
            self.press(Qt.Key.Key_Tab)


def test_log_and_delegate_a_call_without_the_mouse(qtbot: QtBot, office: Office) -> None:
    window = MainWindow(office.db, Role.ASSISTANT)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    keys = Keyboard(qtbot)

    # Ctrl+N from anywhere opens the form with the cursor in the name.
    keys.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.log_dialog
    assert isinstance(dialog, LogCallDialog)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    qtbot.waitUntil(lambda: keys.focus() is dialog.customer_name)

    keys.type("Ana Lima")
    keys.tab()
    keys.type("202 555 0101")
    keys.tab(2)  # past the email: the phone is enough
    keys.type("Invoice charged twice")
    keys.tab()
    keys.type("Charged on the 3rd and again on the 4th.")
    keys.tab()
    keys.type("Refund of the second charge")
    keys.tab()
    keys.press(Qt.Key.Key_Down)  # severity: Normal -> High
    keys.tab()
    keys.type("Billing")  # category: type-to-select
    keys.tab(2)  # past the channel (phone)
    keys.press(Qt.Key.Key_Space)  # the CEO spoke personally
    keys.tab()
    keys.type("Refund within a week")
    keys.tab()
    keys.type("2")  # people dealt with before
    assert dialog.prior_contacts.text() == "02" or dialog.prior_contacts.value() == 2

    with qtbot.waitSignal(dialog.complaint_logged) as logged:
        keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    reference = logged.args[0]

    # Delegation is offered at once, the cursor in the staff picker.
    delegate = window.delegate_dialog
    assert isinstance(delegate, DelegateDialog)
    qtbot.waitUntil(lambda: delegate.save_button.isEnabled())
    qtbot.waitUntil(lambda: keys.focus() in (delegate.staff, delegate.staff.lineEdit()))
    keys.type("ortiz")
    assert delegate.staff.staff_id() == office.ortiz
    keys.tab(2)  # past the due date (pre-filled by policy)
    assert keys.focus() is delegate.instructions, keys.focus()
    keys.type("Refund today and call her back.")
    with qtbot.waitSignal(delegate.complaint_delegated):
        keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    with office.db.reading() as uow:
        detail = queries.complaint_detail(uow, reference)
    assert detail.customer_name == "Ana Lima"
    assert detail.customer_phone == "+12025550101"
    assert detail.summary == "Invoice charged twice"
    assert detail.details == "Charged on the 3rd and again on the 4th."
    assert detail.customer_wants == "Refund of the second charge"
    assert detail.severity is Severity.HIGH
    assert detail.category == "Billing"
    assert detail.ceo_spoke and detail.ceo_promised == "Refund within a week"
    assert detail.prior_contacts == 2
    assert detail.status is Status.DELEGATED
    assert detail.current_delegate == "Jamie Ortiz"
    assert detail.delegations[-1].instructions == "Refund today and call her back."
    # One key per field passed over, none for detours (the date fields take one Tab each).
    assert keys.navigation <= 14, keys.navigation
