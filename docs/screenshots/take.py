"""Take the screenshots of docs/screenshots/ anew: every page of the main window (the Reports
page also with a partner's statement chosen), the complaint window and every dialog, on a
1366×768 screen at 100% and at 150% scaling.

    uv run python docs/screenshots/take.py [--out docs/screenshots]

The screens are the offscreen ones the UI tests use (tests/ui/desk_screens.json: 1366×768 less a
taskbar, at 100% and at 150%); the main window is maximised on them. The main window and the
complaint window are shown over a small demo log (`ceo-desk demo`), so their lists read as an
office's; each dialog is opened by the opener tests/ui/test_screen_fit.py keeps for it, so a
dialog is shot as soon as the test can open it. Files: main_<page>.png and main_<page>_150.png,
main_reports_partner.png and main_reports_partner_150.png, complaint_window.png and
complaint_window_150.png, dialog_<name>.png and dialog_<name>_150.png.
The settings and window sizes are a temporary folder's, never the person's.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENS = {"desk-100": "", "desk-150": "_150"}


def _settle(app, seconds: float, until: Callable[[], bool] | None = None) -> None:
    # Serve the event loop (the workers' results arrive as events) for a while or until ready.
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if until is not None and until():
            break
        time.sleep(0.02)
    app.processEvents()


def _wait_for(app, signal, seconds: float) -> None:
    fired: list[bool] = []
    signal.connect(lambda *_: fired.append(True))
    _settle(app, seconds, lambda: bool(fired))


def _snake(name: str) -> str:
    name = name.removesuffix("Dialog")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    screens = ROOT / "tests" / "ui" / "desk_screens.json"
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screens}"
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    from ceo_desk.core.database import open_database
    from ceo_desk.enums import Role
    from ceo_desk.ui.complaint_window import ComplaintWindow
    from ceo_desk.ui.main_window import PAGE_TITLES, MainWindow
    from tests import builders
    from tests.ui.test_screen_fit import OPENERS

    screen_of = {s.name(): s for s in QGuiApplication.screens()}
    args.out.mkdir(parents=True, exist_ok=True)
    taken: list[str] = []

    def show_on(window: QWidget, screen_name: str, *, maximized: bool = False) -> None:
        screen = screen_of[screen_name]
        window.setScreen(screen)
        window.move(screen.availableGeometry().topLeft() + QPoint(0, 30))
        if maximized:  # the main window as a laptop's user keeps it: the whole screen
            window.showMaximized()
        else:
            window.show()

    def fresh_layout(name: str) -> None:
        # Each screen's windows as on their first use there, not as the last pass left them.
        os.environ[paths.CONFIG_DIR_ENV] = str(Path(scratch) / name / "config")
        qsettings_store.reset()

    def save(window: QWidget, name: str) -> None:
        path = args.out / f"{name}.png"
        window.grab().save(str(path))
        taken.append(path.name)

    from ceo_desk import paths
    from ceo_desk.ui import qsettings_store

    with tempfile.TemporaryDirectory() as scratch:
        from ceo_desk.ui.app import keep_demo_inside

        # The person's own settings and remembered window sizes are not the shots' business.
        keep_demo_inside(Path(scratch))
        demo = Path(scratch) / "demo.sqlite3"
        import subprocess

        subprocess.run(
            ["ceo-desk", "demo", "--db", str(demo), "--complaints", "400", "--months", "3"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        db = open_database(str(demo))
        for screen_name, suffix in SCREENS.items():
            fresh_layout(f"main{suffix}")
            window = MainWindow(db, Role.CEO)
            show_on(window, screen_name, maximized=True)
            _wait_for(app, window.ready, 20)
            for key, _title in PAGE_TITLES:
                window.show_page(key)
                _settle(app, 2.5)
                save(window, f"main_{key}{suffix}")
            # The Reports page with a partner's one-page statement chosen instead of the pack.
            window.show_page("reports")
            reports = window.reports.ensure_view()
            partner = next(u for u in reports._units.values() if u.kind == "partner")
            reports.set_unit(partner.id)
            _wait_for(app, reports.preview_ready, 20)
            _settle(app, 1.0)
            save(window, f"main_reports_partner{suffix}")
            reports.set_unit(None)
            with db.reading() as uow:
                from ceo_desk.core import queries

                due = queries.callbacks_due(uow)
            reference = due[0].reference if due else "C-0001"
            complaint = ComplaintWindow(db, reference)
            show_on(complaint, screen_name)
            _wait_for(app, complaint.loaded, 15)
            _settle(app, 0.5)
            save(complaint, f"complaint_window{suffix}")
            complaint.close()
            window.close()
        db.close()

        office = builders.office(open_database(str(Path(scratch) / "dialogs.sqlite3")))
        for screen_name, suffix in SCREENS.items():
            fresh_layout(f"dialogs{suffix}")
            for name, opener in sorted(OPENERS.items()):
                dialog = opener(office)
                show_on(dialog, screen_name)
                _settle(app, 1.0)
                save(dialog, f"dialog_{_snake(name)}{suffix}")
                dialog.close()
        office.db.close()

    print(f"{len(taken)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
