"""`--demo` keeps everything it writes in its own temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from ceo_desk import paths
from tests.ui.test_app_startup import _close_when


def _everything_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*")) if folder.exists() else []


def test_the_demo_writes_nothing_into_the_real_data_or_configuration_folder(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from ceo_desk.ui import app

    real_data, real_config = paths.data_dir(), paths.config_dir()
    seen: list[str] = []
    QTimer.singleShot(0, lambda: _close_when("attached", seen))
    assert app.run_app(demo=True) == 0
    assert seen[-1] == "attached"  # the demo log opened, with its window layout and backup
    assert _everything_under(real_data) == []
    assert _everything_under(real_config) == []
    # The real folders are in force again once the demo is over.
    assert (paths.data_dir(), paths.config_dir()) == (real_data, real_config)
    assert os.environ[paths.DATA_DIR_ENV] == str(real_data)
