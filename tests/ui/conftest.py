"""Fixtures for the desktop screens: a SQLite log with a small directory, and clean-up of
background work and message boxes between tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import shiboken6
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ceo_desk.core import queries
from ceo_desk.core.database import open_database
from ceo_desk.core.services import complaints, directory
from ceo_desk.enums import Outcome, Role, UnitKind
from ceo_desk.store.db import Actor, Database
from ceo_desk.ui import background, error_dialogs, qsettings_store

if TYPE_CHECKING:
    from ceo_desk.ui.complaint_window import ComplaintWindow
    from ceo_desk.ui.main_window import MainWindow


@dataclass(frozen=True)
class Office:
    """A small directory: two departments, three people."""

    db: Database
    ortiz: int
    chen: int
    baker: int


# The offscreen platform cannot resize a native window to its size hints, raise a window or grab
# the keyboard (for a completion popup), and says so each time; those limitations of the test
# platform are not faults of a screen.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _settle_background(qtbot: QtBot) -> Iterator[None]:
    qsettings_store.reset()  # the configuration directory is new for each test
    yield
    qtbot.waitUntil(lambda: background.pending() == 0, timeout=10_000)
    for box in list(error_dialogs.shown):
        if shiboken6.isValid(box):
            box.close()
    error_dialogs.shown.clear()


def _open(path: Path, role: Role) -> Database:
    return open_database(str(path), role=role)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    database = _open(tmp_path / "log.sqlite3", Role.ASSISTANT)
    with database.uow() as uow:
        ortiz, _ = directory.add_staff_with_unit(
            uow,
            name="Jamie Ortiz",
            unit_name="Customer Service",
            unit_kind=UnitKind.DEPARTMENT,
            email="j.ortiz@example.com",
            phone=None,
        )
    with database.uow() as uow:
        chen, _ = directory.add_staff_with_unit(
            uow,
            name="Wei Chen",
            unit_name="Billing",
            unit_kind=UnitKind.DEPARTMENT,
            email="wei.chen@example.com",
            phone=None,
        )
    with database.uow() as uow:
        baker, _ = directory.add_staff_with_unit(
            uow,
            name="Sam Baker",
            unit_name="Customer Service",
            unit_kind=None,
            email=None,
            phone=None,
        )
    try:
        yield Office(database, ortiz, chen, baker)
    finally:
        database.close()


def days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def log(db: Database, name: str, summary: str, phone: str, **extra: object) -> str:
    with db.uow() as uow:
        return complaints.log_call(
            uow,
            complaints.CallInput(customer_name=name, summary=summary, phone=phone, **extra),  # type: ignore[arg-type]
        ).reference


def awaiting_callback(
    db: Database,
    staff_id: int,
    name: str = "Ana Lima",
    summary: str = "Invoice charged twice",
    phone: str = "+12025550101",
    *,
    said: str = "Apologised and explained the double charge.",
    done: str = "Refunded the second charge.",
    reported_days_ago: int = 3,
    ceo_promised: str = "",
) -> str:
    """A complaint whose report was filed long enough ago that the callback is due."""
    ref = log(db, name, summary, phone, ceo_promised=ceo_promised)
    when = days_ago(reported_days_ago)
    with db.uow() as uow:
        complaints.delegate(uow, ref, staff_id, due_on=when.date(), now=when)
    with db.uow() as uow:
        complaints.file_report(
            uow,
            ref,
            complaints.ReportInput(said=said, done=done, accommodation="Voucher", cost="25.00"),
            now=when,
        )
    return ref


def unanswered(db: Database, ref: str, times: int) -> None:
    for _ in range(times):
        with db.uow() as uow:
            complaints.record_callback(
                uow, ref, complaints.CallbackInput(outcome=Outcome.NO_ANSWER)
            )


def show_and_wait(
    qtbot: QtBot,
    widget: QWidget,
    signal: SignalInstance,
    size: tuple[int, int] | None = None,
) -> None:
    """Show `widget` and wait until it says its first load arrived (`signal`)."""
    qtbot.addWidget(widget)
    if size is not None:
        widget.resize(*size)
    with qtbot.waitSignal(signal, timeout=10_000):
        widget.show()


def show_main_window(qtbot: QtBot, office: Office, role: Role = Role.ASSISTANT) -> MainWindow:
    """The main window for `role`, shown and ready."""
    from ceo_desk.ui.main_window import MainWindow

    window = MainWindow(office.db.with_actor(Actor.current(role)), role)
    show_and_wait(qtbot, window, window.ready)
    return window


def open_complaint_window(qtbot: QtBot, db: Database, reference: str) -> ComplaintWindow:
    """The complaint window for `reference`, shown with its complaint loaded."""
    from ceo_desk.ui.complaint_window import ComplaintWindow

    window = ComplaintWindow(db, reference)
    show_and_wait(qtbot, window, window.loaded)
    return window


def stored_detail(db: Database, reference: str) -> queries.ComplaintDetail:
    """The complaint as the database holds it now."""
    with db.reading() as uow:
        return queries.complaint_detail(uow, reference)
