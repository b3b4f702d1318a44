"""Starting the desktop app: open the log (or a fresh demo), show the main window, and make sure
any failure reaches the person as a sentence, never a traceback."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from ceo_desk import paths
from ceo_desk.core.database import OpenedLog, open_database, open_log
from ceo_desk.core.safety.on_open import DatabaseMovedAside
from ceo_desk.enums import Role
from ceo_desk.errors import CeoDeskError
from ceo_desk.settings import LocalSettings
from ceo_desk.store.db import Actor, Database, sqlite_path
from ceo_desk.ui import background, qsettings_store
from ceo_desk.ui.dialogs import data_safety
from ceo_desk.ui.error_dialogs import explain_startup_failure, install_excepthook
from ceo_desk.ui.main_window import MainWindow

DEMO_COMPLAINTS = 1500


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
    return app


def open_demo(role: Role, directory: Path) -> Database:
    """A new log in `directory`, filled with a realistic demo history."""
    from ceo_desk.core import demo

    db = open_database(str(directory / "demo.sqlite3"), role=role)
    demo.generate(db, complaints=DEMO_COMPLAINTS)
    return db


def open_for_work(db_option: str | None, role: Role) -> OpenedLog:
    """Open the log; if it was found damaged and moved aside, offer the newest sound backup."""
    try:
        return open_log(db_option, role=role)
    except DatabaseMovedAside as exc:
        database = sqlite_path(paths.resolve_database_url(db_option))
        assert database is not None, "only a SQLite file is ever moved aside"
        restored = data_safety.offer_backup_after_damage(database, exc.moved_to, exc.offered_backup)
        opened = open_log(db_option, role=role)
        if not restored:
            opened.warnings.insert(
                0, f"The damaged log was moved to {exc.moved_to}; this is a new, empty log."
            )
        return opened


class Shell:
    """Owns the database and the main window; rebuilds the window when the role changes."""

    def __init__(self, db: Database, role: Role) -> None:
        self.db = db
        self.window = self._build(role)

    def _build(self, role: Role) -> MainWindow:
        window = MainWindow(self.db.with_actor(Actor.current(role)), role)
        window.role_change_requested.connect(self._on_window_role_change_requested)
        return window

    def _on_window_role_change_requested(self, role: object) -> None:
        assert isinstance(role, Role)
        LocalSettings(acting_role=role).save()
        old = self.window
        self.window = self._build(role)
        self.window.show()
        old.close()
        old.deleteLater()


def run_app(db_option: str | None = None, demo: bool = False) -> int:
    """Run the desktop app until its main window closes; returns the exit status."""
    app = application()
    previous_hook = install_excepthook()
    role = LocalSettings.load().acting_role
    demo_dir = Path(tempfile.mkdtemp(prefix="ceo-desk-demo-")) if demo else None
    splash: QLabel | None = None
    try:
        if demo_dir is not None:
            splash = QLabel("Preparing the demo complaints…")
            splash.setWindowFlag(Qt.WindowType.SplashScreen)
            splash.setMargin(24)
            splash.show()
            app.processEvents()
        warnings: list[str] = []
        try:
            if demo_dir is not None:
                db = open_demo(role, demo_dir)
            else:
                opened = open_for_work(db_option, role)
                db, warnings = opened.db, opened.warnings
        except CeoDeskError as exc:
            explain_startup_failure(exc)
            return 2
        except Exception as exc:  # anything else: logged, and explained in one sentence
            explain_startup_failure(exc)
            return 1
        finally:
            if splash is not None:
                splash.close()
        shell = Shell(db, role)
        shell.window.show()
        data_safety.show_open_warnings(shell.window, warnings)
        status = app.exec()
        background.wait_for_workers()
        qsettings_store.save_all()
        shell.db.close()
        return int(status)
    finally:
        sys.excepthook = previous_hook
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)
