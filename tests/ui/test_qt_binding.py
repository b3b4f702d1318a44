"""The Qt binding keeps Python's reference counts right: a broken one aborts the app."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_calls_that_return_nothing_leave_none_alone(qapp: QApplication) -> None:
    # PySide6 6.12.0 on Python 3.11 released a reference to None at each such call; after a few
    # thousand, Python aborted with "deallocating None".
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        label.clear()
    assert sys.getrefcount(None) - before > -100
