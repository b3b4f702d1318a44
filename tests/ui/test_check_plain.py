"""Check the log speaks plainly ("The audit trail is intact") and shows each step as it goes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtWidgets import QProgressBar
from pytestqt.qtbot import QtBot

from ceo_desk.ui import file_menu
from ceo_desk.ui.dialogs import ask
from tests.builders import Office, log


@pytest.fixture(autouse=True)
def _close_notices() -> Iterator[None]:
    yield
    for box in list(ask.notices):
        if shiboken6.isValid(box):
            box.close()
    ask.notices.clear()


def test_the_check_reports_each_step_and_says_the_trail_is_intact(
    qtbot: QtBot, office: Office
) -> None:
    log(office.db, "Ann Lee", "Late parcel", "+12025550111")
    dialog = file_menu.check_database(None, office.db)
    [bar] = dialog.findChildren(QProgressBar)
    steps: list[int] = []
    bar.valueChanged.connect(steps.append)
    labels: list[str] = []
    bar.valueChanged.connect(lambda _value: labels.append(dialog.labelText()))
    qtbot.waitUntil(lambda: bool(ask.notices), timeout=20_000)
    box = ask.notices[-1]
    assert box.windowTitle() == "The log is sound"
    text = box.text()
    assert text.startswith("The log is sound and the audit trail is intact.")
    assert "✓ The audit trail is intact:" in text
    assert "✓ Every record points at records that exist." in text
    assert "audit_chain" not in text and "foreign_keys" not in text  # no internal names
    assert steps[-1] == 3 and len(steps) >= 3
    assert any("step 4 of 4" in label for label in labels)
