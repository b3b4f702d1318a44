"""Files dragged from the desktop or a mail program onto a window: one filter for a whole window.

Text boxes accept drops themselves (they would paste a file's address as text), so the filter
sits on the window and on every widget in it, and takes a drop of local files before they do.
Anything else dragged (text, a link) goes on to the widget as before.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget


def local_files(mime: QMimeData | None) -> list[Path]:
    """The local files a drag carries ([] for text, web links and the like)."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class FileDropFilter(QObject):
    """Takes drops of local files on `window` and everything in it.

    Signals:
        files_dropped(list): the paths dropped, as `pathlib.Path`.
    """

    files_dropped = Signal(list)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.watch(window)

    def watch(self, widget: QWidget) -> None:
        """Take drops on `widget` and the widgets in it now (call again for ones added later)."""
        for each in [widget, *widget.findChildren(QWidget)]:
            each.setAcceptDrops(True)
            each.installEventFilter(self)

    # Qt overrides

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            if local_files(event.mimeData()):
                event.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = local_files(event.mimeData())
            if paths:
                event.acceptProposedAction()
                self.files_dropped.emit(paths)
                return True
        return False
