"""The layout file, like every file the app writes, is readable by its owner only."""

from __future__ import annotations

import os
import stat

from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot

from ceo_desk import paths
from ceo_desk.ui import qsettings_store


def test_the_layout_file_is_owner_only(qtbot: QtBot) -> None:
    layout = paths.config_dir() / qsettings_store.FILE_NAME
    paths.ensure_private_dir(layout.parent)
    layout.write_text("")
    os.chmod(layout, 0o644)  # as an earlier version left it
    splitter = QSplitter()
    qtbot.addWidget(splitter)
    qsettings_store.remember("test/splitter", splitter)
    qsettings_store.save_all()
    assert layout.read_text().strip()
    assert stat.S_IMODE(layout.stat().st_mode) == 0o600
