"""First run on a log with no complaint yet: a short guide instead of an empty list.

It names what a new office sets up (the company and the CEO's name, the phone region, the
departments and partners, the people who take complaints) or offers to bring in the old log,
each with the button that does it, ticked once done (an office that added its people first sees
those ticked and the rest still to do). It opens at start until the first complaint is in the
log or the person hides it (remembered on this computer for this log); any page chosen in the
sidebar replaces it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import first_run
from ceo_desk.core.database import Database
from ceo_desk.core.first_run import Setup
from ceo_desk.ui import qsettings_store
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.reloader import Reloader
from ceo_desk.ui.widgets.list_page import heading_label, subheading_label

if TYPE_CHECKING:
    from ceo_desk.ui.main_window import MainWindow

DONE, TO_DO = "✓", "○"


def _read(db: Database) -> Setup:
    with db.reading() as uow:
        return first_run.setup(uow)


def _hidden_key(db: Database) -> str:
    # The log's address is hashed: a server address may carry a user name.
    return "first_run_guide/hidden_" + hashlib.sha256(db.url.encode()).hexdigest()[:16]


def is_hidden(db: Database) -> bool:
    """Whether the person hid the guide for this log on this computer."""
    return str(qsettings_store.settings().value(_hidden_key(db), "")) == "yes"


def remember_hidden(db: Database) -> None:
    store = qsettings_store.settings()
    store.setValue(_hidden_key(db), "yes")
    store.sync()


class FirstRunGuide(QWidget):
    """Signals:
    settings_requested(), directory_requested(), import_requested(), log_call_requested():
        the step's button was pressed.
    dismissed(): the person hid the guide, or the first complaint arrived.
    refreshed(): the marks show the log as it is now.
    """

    settings_requested = Signal()
    directory_requested = Signal()
    import_requested = Signal()
    log_call_requested = Signal()
    dismissed = Signal()
    refreshed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Getting started")
        self._db = db
        self._reloader = Reloader(self, lambda: _read(db), self._on_loaded, lambda _exc: None)
        heading = heading_label(self, "Welcome to CEO Desk")
        self.intro = subheading_label(self, _intro(None))
        self.marks: dict[str, QLabel] = {}
        self.texts: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        steps: tuple[tuple[str, str, Callable[[], None]], ...] = (
            ("names", "&Settings…", self.settings_requested.emit),
            ("region", "Se&ttings…", self.settings_requested.emit),
            ("units", "Open the &Directory", self.directory_requested.emit),
            ("staff", "Open the Di&rectory", self.directory_requested.emit),
            ("import", "&Import complaints…", self.import_requested.emit),
        )
        for row, (key, caption, slot) in enumerate(steps):
            mark = QLabel(TO_DO, self)
            mark.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            text = QLabel(self)
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            button = QPushButton(caption, self)
            button.clicked.connect(lambda _checked=False, go=slot: go())
            grid.addWidget(mark, row, 0)
            grid.addWidget(text, row, 1)
            grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
            self.marks[key], self.texts[key], self.buttons[key] = mark, text, button
        grid.setColumnStretch(1, 1)

        self.log_call_button = QPushButton("&Log the first call (Ctrl+N)", self)
        self.log_call_button.clicked.connect(self.log_call_requested)
        self.hide_button = QPushButton("&Hide this guide", self)
        self.hide_button.clicked.connect(self._on_hide_button_clicked)
        bottom = QHBoxLayout()
        bottom.addWidget(self.log_call_button)
        bottom.addStretch(1)
        bottom.addWidget(self.hide_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(heading)
        layout.addWidget(self.intro)
        layout.addSpacing(10)
        layout.addLayout(grid)
        layout.addSpacing(16)
        layout.addLayout(bottom)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        self._reloader.request()

    def _on_hide_button_clicked(self) -> None:
        remember_hidden(self._db)
        self.dismissed.emit()

    def _on_loaded(self, setup: Setup) -> None:
        if not setup.is_new:
            self.dismissed.emit()
            return
        self.intro.setText(_intro(setup))
        named = bool(setup.company_name and setup.ceo_name)
        company = setup.company_name or "the company"
        ceo = setup.ceo_name or "the CEO"
        self._show(
            "names",
            named,
            f"<b>The company and the CEO's name</b>: {company}, {ceo}. They head letters, the "
            "call brief and the board pack.",
        )
        self._show(
            "region",
            True,
            f"<b>Phone region: {setup.phone_region}</b>. Numbers typed without +country code "
            "are read as this country's; change it if the office is elsewhere.",
        )
        self._show(
            "units",
            setup.units > 0,
            f"<b>Departments and partners</b>: {setup.units or 'none yet'}. Your own teams and "
            "the outside firms a complaint can be handed to.",
        )
        self._show(
            "staff",
            setup.staff > 0,
            f"<b>People who take complaints</b>: {setup.staff or 'nobody yet'}. Each complaint "
            "is delegated to one of them.",
        )
        self._show(
            "import",
            False,
            "<b>Or bring in the old log</b>: a spreadsheet (CSV) exported from the system used "
            "before; its mapping is proposed and checked before anything is imported.",
        )
        self.refreshed.emit()

    def _show(self, key: str, done: bool, text: str) -> None:
        self.marks[key].setText(DONE if done else TO_DO)
        self.marks[key].setAccessibleName("Done" if done else "To do")
        self.texts[key].setText(text)


def _intro(setup: Setup | None) -> str:
    start = (
        "The log is empty."
        if setup is None or setup.is_empty
        else "No complaint is in the log yet; what is set up already is ticked."
    )
    return (
        f"{start} A few steps make the first call quick to log and to hand on; each can be "
        "done later from Settings or the Directory."
    )


def offer(window: MainWindow) -> None:
    """On a log with no complaint yet, unless the person hid the guide for it, show the guide
    in place of the opening page (the log is read on a worker)."""
    db = window.db
    if is_hidden(db):
        return
    opening = window.current_page_key()

    def decide(setup: Setup) -> None:
        # A page the person chose while the log was read is not covered.
        if setup.is_new and shiboken6.isValid(window) and window.current_page_key() == opening:
            show(window)

    run_in_background(lambda: _read(db), decide, lambda _exc: None, owner=window)


def show(window: MainWindow) -> FirstRunGuide:
    guide = FirstRunGuide(window.db, window)
    window.first_run_guide = guide
    window.stack.addWidget(guide)
    window.stack.setCurrentWidget(guide)

    def settings() -> None:
        window.edit_settings()
        if shiboken6.isValid(guide):
            guide.refresh()

    def import_old_log() -> None:
        found = [a for a in window.safety_actions if a.text().startswith("Import")]
        if found:
            found[0].trigger()

    def dismiss() -> None:
        if shiboken6.isValid(guide):
            if window.stack.currentWidget() is guide:
                window.show_page(window.current_page_key())
            window.stack.removeWidget(guide)
            guide.deleteLater()
        window.first_run_guide = None

    guide.settings_requested.connect(settings)
    guide.directory_requested.connect(lambda: window.show_page("directory"))
    guide.import_requested.connect(import_old_log)
    guide.log_call_requested.connect(window.log_call)
    guide.dismissed.connect(dismiss)
    window.hub.changed.connect(lambda _found: guide.refresh() if shiboken6.isValid(guide) else None)
    return guide
