"""The main window and every dialog fit a 1366×768 laptop screen, at 100% and at 150% scaling.

The UI tests run on two offscreen screens (tests/ui/desk_screens.json): "desk-100" is a
1366×768 screen at 100% less a 48-pixel taskbar, "desk-150" the same screen at 150% (911×464
points beside its taskbar). Each window is opened on each screen and its frame, a title bar
included, must lie inside the screen's available geometry, its form never squeezed below the
size it needs, and its buttons in view.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QWidget,
)
from pytestqt.qtbot import QtBot

import ceo_desk.ui.dialogs
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.core.services import directory
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import Role, Severity, UnitKind
from ceo_desk.errors import PasswordNeeded
from ceo_desk.settings import OfficeSettings
from ceo_desk.ui import progress, qsettings_store
from ceo_desk.ui.widgets.elided_label import ElidedLabel
from tests import builders
from tests.builders import Office

# A title bar, as a window manager draws above the window's own area.
TITLE_BAR = 30
SCREENS = ("desk-100", "desk-150")


def _screen(name: str) -> QScreen:
    for screen in QGuiApplication.screens():
        if screen.name() == name:
            return screen
    pytest.fail(f"no offscreen screen {name}: run with tests/ui/desk_screens.json")


def open_on(qtbot: QtBot, window: QWidget, screen: QScreen) -> QWidget:
    qtbot.addWidget(window)
    window.setScreen(screen)
    window.move(screen.availableGeometry().topLeft() + QPoint(60, 60))
    window.show()
    qtbot.waitExposed(window)
    return window


def assert_fits(window: QWidget, screen: QScreen) -> None:
    room = screen.availableGeometry()
    frame = window.frameGeometry()
    if frame == window.geometry():  # no decoration reported: count a title bar above it
        frame = frame.adjusted(0, -TITLE_BAR, 0, 0)
    name = type(window).__name__
    assert room.contains(frame), f"{name} at {frame} leaves the screen's room {room}"
    layout = window.layout()
    needed = window.minimumSizeHint() if layout is None else layout.totalMinimumSize()
    assert needed.width() <= window.width() and needed.height() <= window.height(), (
        f"{name} is {window.size()} but its form needs {needed}: it would be cut off"
    )
    for buttons in window.findChildren(QDialogButtonBox):
        if buttons.isVisibleTo(window):
            _assert_in_view(window, buttons)


def _assert_in_view(window: QWidget, widget: QWidget) -> None:
    where = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    assert window.rect().contains(where), f"{widget} at {where} is outside {window.rect()}"
    assert widget.visibleRegion().boundingRect() == widget.rect(), f"{widget} is partly hidden"


# ---------------------------------------------------------------- the dialogs, each opened


def _complaint(office: Office) -> str:
    return builders.awaiting_callback(office.db, office.ortiz, "Farah Novák")


def _staff(office: Office) -> list[directory.StaffRow]:
    with office.db.reading() as uow:
        return directory.list_staff(uow)


def _units(office: Office) -> list[directory.UnitRow]:
    with office.db.reading() as uow:
        return directory.list_units(uow)


def _settings(office: Office) -> OfficeSettings:
    with office.db.reading() as uow:
        return load_settings(uow)


def _detail(office: Office) -> ComplaintDetail:
    return builders.stored_detail(office.db, _complaint(office))


def _log_call(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.log_call import LogCallDialog

    return LogCallDialog(office.db)


def _delegate(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.delegate import DelegateDialog

    ref = builders.log(office.db, "Ben Ode", "Parcel lost twice")
    return DelegateDialog(office.db, ref, "Parcel lost twice", Severity.NORMAL)


def _not_satisfied(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.callback_outcome import NotSatisfiedDialog

    return NotSatisfiedDialog(office.db, _detail(office))


def _send_back(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.callback_outcome import SendBackDialog

    return SendBackDialog(_detail(office))


def _came_back(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.callback_outcome import CameBackDialog

    return CameBackDialog("C-2026-0001", "Ann Smith")


def _add_promise(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.add_promise import AddPromiseDialog

    return AddPromiseDialog(office.db, _detail(office))


def _reopen(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.reopen import ReopenDialog

    return ReopenDialog(_detail(office))


def _pause(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.pause import PauseDialog

    return PauseDialog(_detail(office))


def _conflict(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.conflict import ConflictDialog

    mine = {"Summary": "Charged twice for May", "Severity": "High", "Category": "Billing"}
    theirs = {"Summary": "Charged twice for May and June", "Severity": "High", "Category": ""}
    return ConflictDialog(mine, theirs)


def _customer(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.customer_details import CustomerDetailsDialog, CustomerShown

    detail = _detail(office)
    shown = CustomerShown(
        detail.customer_id, "Farah Novák", "+12025550101", "farah@example.com", "", "", 1
    )
    return CustomerDetailsDialog(office.db, shown)


def _export_range(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.export_range import ExportRangeDialog

    return ExportRangeDialog()


def _file_report(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.file_report import FileReportDialog

    ref = builders.log(office.db, "Ben Ode", "Parcel lost twice")
    builders.delegate(office.db, ref, office.chen)
    detail = builders.stored_detail(office.db, ref)
    return FileReportDialog(office.db, detail, _staff(office), _settings(office))


def _more_time(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.more_time import MoreTimeDialog

    due = SYSTEM_CLOCK.today() + timedelta(days=2)
    return MoreTimeDialog(office.db, "C-2026-0001", "Parcel lost twice", due)


def _record_callback(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.record_callback import RecordCallbackDialog

    detail = _detail(office)
    return RecordCallbackDialog(
        office.db, detail, _staff(office), _settings(office), roles=frozenset({Role.CEO})
    )


def _withdraw(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.withdraw import WithdrawDialog

    return WithdrawDialog(office.db, _detail(office))


def _settings_dialog(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.settings_dialog import SettingsDialog

    return SettingsDialog(office.db)


def _sign_in(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.sign_in import SignInDialog

    needed = PasswordNeeded(
        "The server asks for the password of ceo_office.", service="s", login="l", refused=False
    )
    return SignInDialog(needed)


def _staff_dialog(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.staff import StaffDialog

    return StaffDialog(office.db, None, _units(office))


def _unit_dialog(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.unit import UnitDialog

    return UnitDialog(office.db, None, UnitKind.DEPARTMENT)


def _import_wizard(office: Office) -> QWidget:
    from ceo_desk.ui.dialogs.import_wizard import ImportWizard

    return ImportWizard(office.db)


def _deactivate_person(office: Office) -> QWidget:
    from ceo_desk.core.services import directory, hand_over
    from ceo_desk.ui.dialogs.deactivate_person import DeactivatePersonDialog

    for name in ("Ben Ode", "Farah Novák", "Bea Cruz"):
        builders.delegate(
            office.db, builders.log(office.db, name, "Parcel lost twice"), office.chen
        )
    with office.db.reading() as uow:
        person = directory.get_staff(uow, office.chen)
        assignments = hand_over.open_assignments(uow, office.chen)
    return DeactivatePersonDialog(office.db, person, assignments, _staff(office))


def _choose_backup(office: Office) -> QWidget:
    from ceo_desk.core.safety import backups
    from ceo_desk.ui.dialogs.choose_backup import ChooseBackupDialog

    builders.log(office.db, "Ben Ode", "Parcel lost twice")
    backups.backup_now(office.db)
    assert office.db.sqlite_path is not None
    return ChooseBackupDialog(backups.offered_backups(office.db.sqlite_path))


def _progress(office: Office) -> QWidget:
    return progress.ProgressDialog(None, "Checking", "Reading every event…", cancellable=True)


# Each dialog class of the app and how to open it. A new dialog needs a line here.
OPENERS: dict[str, Callable[[Office], QWidget]] = {
    "LogCallDialog": _log_call,
    "DelegateDialog": _delegate,
    "NotSatisfiedDialog": _not_satisfied,
    "SendBackDialog": _send_back,
    "ReopenDialog": _reopen,
    "CameBackDialog": _came_back,
    "AddPromiseDialog": _add_promise,
    "PauseDialog": _pause,
    "ConflictDialog": _conflict,
    "CustomerDetailsDialog": _customer,
    "ExportRangeDialog": _export_range,
    "FileReportDialog": _file_report,
    "MoreTimeDialog": _more_time,
    "RecordCallbackDialog": _record_callback,
    "WithdrawDialog": _withdraw,
    "SettingsDialog": _settings_dialog,
    "SignInDialog": _sign_in,
    "StaffDialog": _staff_dialog,
    "UnitDialog": _unit_dialog,
    "ImportWizard": _import_wizard,
    "ProgressDialog": _progress,
    "DeactivatePersonDialog": _deactivate_person,
    "ChooseBackupDialog": _choose_backup,
}
# Bases the dialogs share, never opened themselves.
BASES = {
    "Dialog",
    "RequiredTextDialog",
    "ReasonDialog",
    "ActionFormDialog",
    "ComplaintActionDialog",
}


def _dialog_classes() -> set[str]:
    found = {"ProgressDialog"}
    for module_info in pkgutil.iter_modules(ceo_desk.ui.dialogs.__path__):
        module = importlib.import_module(f"ceo_desk.ui.dialogs.{module_info.name}")
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, QDialog) and value.__module__ == module.__name__:
                found.add(name)
    return found - BASES


def test_every_dialog_has_an_opener_here() -> None:
    missing = _dialog_classes() - set(OPENERS)
    assert not missing, f"add an opener to OPENERS in {__name__} for {sorted(missing)}"


def test_every_dialog_fits_the_screen_at_100_and_150_percent(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One log for all of them: a new log for each would cost more than the dialogs.
    refused: list[str] = []
    for screen_name in SCREENS:
        # Each screen's pass opens every dialog as on its first use: a geometry the pass before
        # saved would put the dialog back on the other screen at that screen's size.
        monkeypatch.setenv("CEO_DESK_CONFIG_DIR", str(tmp_path / screen_name))
        qsettings_store.reset()
        screen = _screen(screen_name)
        for _name, opener in sorted(OPENERS.items()):
            window = open_on(qtbot, opener(office), screen)
            try:
                assert window.screen() is screen, f"{_name} opened on {window.screen().name()}"
                assert_fits(window, screen)
            except AssertionError as exc:
                refused.append(f"{screen_name}: {exc}")
            finally:
                window.close()
    assert not refused, "\n".join(refused)


@pytest.mark.parametrize("screen_name", SCREENS)
def test_the_main_window_fits_on_every_page(qtbot: QtBot, office: Office, screen_name: str) -> None:
    from ceo_desk.ui.main_window import PAGE_TITLES, MainWindow

    _complaint(office)
    screen = _screen(screen_name)
    window = MainWindow(office.db, Role.CEO)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        open_on(qtbot, window, screen)
    for key, _title in PAGE_TITLES:
        window.show_page(key)
        qtbot.wait(50)
        assert_fits(window, screen)
        _assert_in_view(window, window.statusBar())
    # More counters in the status bar squeeze its labels (ending in "…"), never the screen.
    window.counters_label.setText(
        "Open: 1234   ·   To delegate: 56 (12 late)   ·   Overdue: 789   ·   "
        "Callbacks today: 321   ·   Outbox: 4 waiting, 1 failed"
    )
    qtbot.wait(20)
    assert_fits(window, screen)
    _assert_in_view(window, window.statusBar())
    for label in (window.counters_label, window.role_label):
        shown_whole = label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
        assert shown_whole or (isinstance(label, ElidedLabel) and label.is_elided()), label.text()
    window.show_page("today")
    qtbot.waitUntil(lambda: window.today.brief.reference != "", timeout=10_000)
    buttons = [b for b in window.today.findChildren(QAbstractButton) if b.isVisibleTo(window.today)]
    assert buttons
    for button in buttons:
        _assert_in_view(window, button)


@pytest.mark.parametrize("screen_name", SCREENS)
def test_the_complaint_window_fits(qtbot: QtBot, office: Office, screen_name: str) -> None:
    from ceo_desk.ui.complaint_window import ComplaintWindow

    screen = _screen(screen_name)
    window = ComplaintWindow(office.db, _complaint(office))
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        open_on(qtbot, window, screen)
    assert isinstance(window, QMainWindow)
    assert_fits(window, screen)


def _tall_dialog(rows: int) -> QDialog:
    """A dialog of the app's kind with a form of `rows` fields and Save / Cancel below."""
    from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout

    from ceo_desk.ui.dialogs.base import Dialog

    dialog = Dialog(geometry_key="tall_test_form")
    layout = QVBoxLayout(dialog)
    form = QFormLayout()
    for number in range(rows):
        form.addRow(f"Field {number + 1}:", QLineEdit())
    layout.addLayout(form)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    layout.addWidget(buttons)
    return dialog


def test_a_dialog_taller_than_the_screen_scrolls_its_form_and_keeps_its_buttons_in_view(
    qtbot: QtBot,
) -> None:
    from PySide6.QtWidgets import QLineEdit, QScrollArea

    from ceo_desk.ui.screen_fit import SCROLLING_NAME

    screen = _screen("desk-150")
    dialog = open_on(qtbot, _tall_dialog(30), screen)
    assert_fits(dialog, screen)
    scroll = dialog.findChild(QScrollArea, SCROLLING_NAME)
    assert scroll is not None, "a form taller than the screen scrolls"
    assert scroll.verticalScrollBar().maximum() > 0
    assert len(dialog.findChildren(QLineEdit)) == 30  # every field is still there
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None and not scroll.isAncestorOf(buttons)
    _assert_in_view(dialog, buttons)
    dialog.close()

    short = open_on(qtbot, _tall_dialog(4), screen)
    assert short.findChild(QScrollArea, SCROLLING_NAME) is None  # it fits whole: no scrolling
