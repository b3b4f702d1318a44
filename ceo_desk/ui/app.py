"""Starting the desktop app: open the log (or a fresh demo), show the main window, and make sure
any failure reaches the person as a sentence, never a traceback."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ceo_desk import collector, paths, secrets
from ceo_desk.errors import CeoDeskError, PasswordNeeded
from ceo_desk.ui import background, qsettings_store, theme
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import explain_startup_failure, install_excepthook
from ceo_desk.ui.main_window import MainWindow

# The database layer (SQLAlchemy and the rest) loads on a worker thread while the window is
# already on screen; only type names are needed here.
if TYPE_CHECKING:
    from ceo_desk.core.database import Database, OpenedLog

DEMO_COMPLAINTS = 1500
# The folders a demo run moves into its temporary folder (see `keep_demo_inside`).
DEMO_FOLDERS = (paths.DATA_DIR_ENV, paths.CONFIG_DIR_ENV)

# Set (to any value) by benchmarks/startup.py and benchmarks/memory.py: once the opening page's
# rows and the status-bar counts are on screen the app paints, prints FIRST_SCREEN_LINE and quits.
FIRST_SCREEN_ENV = "CEO_DESK_EXIT_AFTER_FIRST_SCREEN"
FIRST_SCREEN_LINE = "ceo-desk: first screen painted"
# Start-up runs with the garbage collector paused until the first screen is painted (see
# `ceo_desk.collector`); should that screen never come, collection resumes after this long.
COLLECTOR_PAUSED_AT_MOST_MS = 10_000

_log = logging.getLogger(__name__)


def application() -> QApplication:
    """The one QApplication, named so the desktop and QSettings know it."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("CEO Desk")
    app.setApplicationDisplayName("CEO Desk")
    app.setOrganizationName("ceo-desk")
    app.setDesktopFileName("ceo-desk")
    app.setWindowIcon(theme.app_icon())
    return app


def open_demo(directory: Path) -> OpenedLog:
    """A new log in `directory`, filled with a realistic demo history."""
    from ceo_desk.core import demo
    from ceo_desk.core.database import OpenedLog, open_database

    db = open_database(str(directory / "demo.sqlite3"))
    with db.transaction() as uow:
        demo.generate(uow, complaints=DEMO_COMPLAINTS)
    return OpenedLog(db, [])


def open_for_work(db_option: str | None, tell: Callable[[str], None]) -> OpenedLog:
    """Open the log (on a worker thread: no dialogs here); why a check makes the opening wait
    goes to `tell` (a signal's emit: the window shows it). The daily backup of a large log takes
    seconds, so it runs after the window is filled (see `Shell.attach`)."""
    from ceo_desk.core.database import open_log

    return open_log(db_option, daily_backup=False, before_check=tell)


def recover_after_damage(db_option: str | None, exc: BaseException) -> OpenedLog:
    """The log was found damaged and moved aside: offer the newest sound backup, then open."""
    from ceo_desk.core.database import open_log, sqlite_path
    from ceo_desk.core.safety.on_open import DatabaseMovedAside
    from ceo_desk.ui import file_menu

    assert isinstance(exc, DatabaseMovedAside)
    database = sqlite_path(paths.resolve_database_url(db_option))
    assert database is not None, "only a SQLite file is ever moved aside"
    restored = file_menu.offer_backup_after_damage(database, exc.moved_to, exc.offered_backup)
    opened = open_log(db_option)
    if not restored:
        opened.warnings.insert(
            0, f"The damaged log was moved to {exc.moved_to}; this is a new, empty log."
        )
    return opened


def sign_in(shell: Shell, needed: PasswordNeeded, to_remember: list[tuple[str, str, str]]) -> bool:
    """Ask for the password the server wants; False when the person cancelled."""
    from ceo_desk.ui.dialogs.sign_in import SignInDialog

    answer = SignInDialog.ask(shell.window, needed)
    if answer is None:
        return False
    secrets.use_for_this_run(needed.service, needed.login, answer.password)
    to_remember[:] = [(needed.service, needed.login, answer.password)] if answer.remember else []
    return True


def remember_signed_in(to_remember: list[tuple[str, str, str]]) -> list[str]:
    """Keep the password typed at sign-in in the keyring (on the worker: a keyring may be slow
    to answer), once the server accepted it. Returns what the person should be told."""
    told = []
    while to_remember:
        try:
            secrets.set_password(*to_remember.pop())
        except CeoDeskError as exc:
            told.append(str(exc))
    return told


class Shell:
    """Owns the database and the main window."""

    def __init__(self) -> None:
        self.db: Database | None = None
        self._backup_owed = False
        self.window = MainWindow(None)

    def attach(self, opened: OpenedLog) -> None:
        """Show the open log; the daily backup waits until the first screen is up."""
        from ceo_desk.ui import file_menu

        self.db = opened.db
        self._backup_owed = True
        self.window.ready.connect(self._on_window_ready)
        self.window.attach(opened.db, opened.roles)
        file_menu.show_open_warnings(self.window, opened.warnings)

    def _on_window_ready(self) -> None:
        # A zero timer fires once the events already waiting (the paint of the rows) are done.
        QTimer.singleShot(0, self.start_daily_backup)

    def start_daily_backup(self) -> None:
        """The daily backup (when due) on a worker thread, once: nobody waits for it."""
        from ceo_desk.core.safety.on_open import take_daily_backup
        from ceo_desk.ui import file_menu

        if not self._backup_owed or self.db is None or not shiboken6.isValid(self.window):
            return
        self._backup_owed = False
        db, window = self.db, self.window

        def report(warnings: list[str]) -> None:
            file_menu.show_open_warnings(window, warnings)

        run_in_background(lambda: take_daily_backup(db), report, owner=window)

    def finish_daily_backup(self) -> None:
        """Closed before the backup began: take it now, after the window has gone."""
        from ceo_desk.core.safety.on_open import take_daily_backup

        if not self._backup_owed or self.db is None:
            return
        self._backup_owed = False
        for warning in take_daily_backup(self.db):
            _log.warning("%s", warning)


def run_app(db_option: str | None = None, demo: bool = False) -> int:
    """Run the desktop app until its main window closes; returns the exit status.

    The window is shown first and the log opens on a worker thread, so the app answers at once
    even while a large log, a migration or the daily backup is under way.
    """
    app = application()
    previous_hook = install_excepthook()
    demo_dir = Path(tempfile.mkdtemp(prefix="ceo-desk-demo-")) if demo else None
    real_folders = {name: os.environ.get(name) for name in DEMO_FOLDERS}
    if demo_dir is not None:
        keep_demo_inside(demo_dir)
    shell = Shell()
    opened_late: list[OpenedLog] = []
    failure: list[int] = []
    to_remember: list[tuple[str, str, str]] = []  # a password typed at sign-in, for the keyring

    def open_log_now() -> OpenedLog:
        opened = (
            open_demo(demo_dir)
            if demo_dir is not None
            else open_for_work(db_option, shell.window.opening_note.emit)
        )
        opened_late.append(opened)  # closed below if the window is gone before it arrives
        opened.warnings.extend(remember_signed_in(to_remember))
        with opened.db.reading() as uow:  # the opening page follows them
            return dataclasses.replace(opened, roles=uow.roles)

    def on_opened(opened: OpenedLog) -> None:
        shell.attach(opened)

    def on_failed(exc: BaseException) -> None:
        from ceo_desk.core.safety.on_open import DatabaseMovedAside

        collector.settle()  # a dialog comes next, and no first screen soon

        if isinstance(exc, PasswordNeeded) and sign_in(shell, exc, to_remember):
            run_in_background(open_log_now, on_opened, on_failed, owner=shell.window)
            return

        if isinstance(exc, DatabaseMovedAside):
            try:
                opened = recover_after_damage(db_option, exc)
            except Exception as again:  # explained below like any other failure to open
                exc = again
            else:
                opened_late.append(opened)
                shell.attach(opened)
                return
        explain_startup_failure(exc)
        failure.append(2 if isinstance(exc, CeoDeskError) else 1)
        shell.window.close()

    try:
        if demo_dir is not None:
            shell.window.opening_label.setText("Preparing the demo complaints…")
        if os.environ.get(FIRST_SCREEN_ENV):
            shell.window.first_screen.connect(lambda: _report_first_screen(shell.window))
        shell.window.first_screen.connect(collector.settle)
        QTimer.singleShot(COLLECTOR_PAUSED_AT_MOST_MS, collector.settle)
        shell.window.show()
        run_in_background(open_log_now, on_opened, on_failed, owner=shell.window)
        status = app.exec()
        background.wait_for_workers()
        shell.finish_daily_backup()
        qsettings_store.save_all()
        if shiboken6.isValid(shell.window):
            shiboken6.delete(shell.window)  # no closed window lingers among the top-level ones
        for opened in opened_late:
            opened.db.close()
        return failure[0] if failure else int(status)
    finally:
        sys.excepthook = previous_hook
        if demo_dir is not None:
            for name, value in real_folders.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            qsettings_store.reset()
            shutil.rmtree(demo_dir, ignore_errors=True)


def keep_demo_inside(demo_dir: Path) -> None:
    """Point the data and configuration folders into the demo's own temporary folder, so the
    demo's settings, window layout, error log, backups, anchor and open-log markers never reach
    the real ones (every path in `ceo_desk.paths` is computed from these two on demand)."""
    os.environ[paths.DATA_DIR_ENV] = str(demo_dir / "data")
    os.environ[paths.CONFIG_DIR_ENV] = str(demo_dir / "config")
    qsettings_store.reset()


def _report_first_screen(window: MainWindow) -> None:
    """Paint the window with its rows and counts now, say so, and quit (FIRST_SCREEN_ENV)."""
    window.repaint()
    print(FIRST_SCREEN_LINE, flush=True)
    window.close()
