"""Fixtures for the desktop screens: a SQLite log with a small directory, and clean-up of
background work and message boxes between tests. Test data comes from tests/builders.py and
opening screens from tests/ui/screens.py."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from ceo_desk.core.database import open_database
from ceo_desk.ui import background, error_dialogs, qsettings_store
from tests import builders
from tests.builders import Office

# Two offscreen screens like a 1366x768 laptop's beside its taskbar, at 100% and at 150%
# (tests/ui/test_screen_fit.py); windows open on the first unless told.
if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
    _SCREENS = Path(__file__).with_name("desk_screens.json")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREENS}"

# A wait ends the moment its signal or condition comes; its limit only decides how long a
# machine busy with other work may take before the test calls it a failure. pytest-qt's 5 s was
# reached on a loaded shared machine by screens that were right; a test that means a shorter
# limit still passes its own.
PATIENT_MS = 20_000
for _name in ("waitSignal", "waitSignals", "waitUntil", "waitCallback"):
    setattr(QtBot, _name, functools.partialmethod(getattr(QtBot, _name), timeout=PATIENT_MS))

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


@pytest.fixture(autouse=True)
def _never_block_on_a_typed_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing Log a call with something typed asks first; a test closing it at its end
    discards (tests of the question replace this answer)."""
    from ceo_desk.ui.dialogs import log_call

    monkeypatch.setattr(log_call, "confirm_discard_call", lambda parent: True)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    """A SQLite log (assistant role) holding the small directory of `Office`."""
    database = open_database(str(tmp_path / "log.sqlite3"))
    try:
        yield builders.office(database)
    finally:
        database.close()
