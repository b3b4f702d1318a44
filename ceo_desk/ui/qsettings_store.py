"""Window geometry, splitter and table-header state, remembered in one place.

Everything goes to one INI file in this computer's configuration directory (so tests, which point
that directory at a temporary folder, never touch the real profile). A screen calls `remember(key,
widget)` once it is built: the saved state is restored at once (a header waits until its model
has columns) and saved again by `save_all()` when the main window closes, or by `save(widget)`
when a secondary window closes.
"""

from __future__ import annotations

import os

import shiboken6
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QWidget

from ceo_desk import paths

FILE_NAME = "layout.ini"

_store: QSettings | None = None
_remembered: dict[str, QWidget] = {}


def settings() -> QSettings:
    """The layout file, opened on first use."""
    global _store
    if _store is None:
        directory = paths.ensure_private_dir(paths.config_dir())
        layout = directory / FILE_NAME
        # Owner-only like every file the app writes; Qt keeps an existing file's mode when it
        # saves, so the file is made (or made private) before Qt first writes it.
        os.close(os.open(layout, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(layout, 0o600)
        _store = QSettings(str(layout), QSettings.Format.IniFormat)
    return _store


def reset() -> None:
    """Forget the open file and the registrations (the configuration directory changed)."""
    global _store
    if _store is not None:
        _store.sync()
    _store = None
    _remembered.clear()


def _kind(widget: QWidget) -> str:
    if isinstance(widget, QHeaderView):
        return "header"
    if isinstance(widget, QSplitter):
        return "splitter"
    if isinstance(widget, QMainWindow):
        return "main_window"
    return "window"


def _read(key: str) -> QByteArray | None:
    value = settings().value(key)
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    return None


def restore(key: str, widget: QWidget) -> bool:
    """Apply the saved state of `widget`; False when none was saved or it no longer fits."""
    kind = _kind(widget)
    if kind == "header":
        state = _read(f"{key}/header")
        return bool(state is not None and widget.restoreState(state))  # type: ignore[attr-defined]
    if kind == "splitter":
        state = _read(f"{key}/splitter")
        return bool(state is not None and widget.restoreState(state))  # type: ignore[attr-defined]
    geometry = _read(f"{key}/geometry")
    restored = geometry is not None and widget.restoreGeometry(geometry)
    if kind == "main_window":
        state = _read(f"{key}/state")
        if state is not None:
            widget.restoreState(state)  # type: ignore[attr-defined]
    return bool(restored)


def save(widget: QWidget) -> None:
    """Store the current state of a remembered widget."""
    for key, known in list(_remembered.items()):
        if known is widget:
            _save(key, widget)
    settings().sync()


def _save(key: str, widget: QWidget) -> None:
    if not shiboken6.isValid(widget):
        return
    kind = _kind(widget)
    store = settings()
    if kind == "header":
        store.setValue(f"{key}/header", widget.saveState())  # type: ignore[attr-defined]
    elif kind == "splitter":
        store.setValue(f"{key}/splitter", widget.saveState())  # type: ignore[attr-defined]
    else:
        store.setValue(f"{key}/geometry", widget.saveGeometry())
        if kind == "main_window":
            store.setValue(f"{key}/state", widget.saveState())  # type: ignore[attr-defined]


def remember(key: str, widget: QWidget) -> bool:
    """Restore `widget` from `key` now and save it on `save_all()`; True when state was applied."""
    _remembered[key] = widget
    if isinstance(widget, QHeaderView) and widget.count() == 0:
        # Columns arrive with the model; restore once they exist.
        def _on_count_changed(_old: int, new: int) -> None:
            if new > 0:
                widget.sectionCountChanged.disconnect(_on_count_changed)
                restore(key, widget)

        widget.sectionCountChanged.connect(_on_count_changed)
        return False
    return restore(key, widget)


def save_all() -> None:
    """Store every remembered widget that still exists, then write the file."""
    for key, widget in list(_remembered.items()):
        if shiboken6.isValid(widget):
            _save(key, widget)
        else:
            del _remembered[key]
    settings().sync()
