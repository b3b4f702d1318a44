"""Windows and dialogs that fit the screen they open on: a 1366×768 laptop at 150% leaves about
911×464 points beside the taskbar, and nothing may open below its edge.

`fit_to_screen(window)` runs when a window is first shown: a dialog whose form is taller (or
wider) than the room gets its form in a scroll area, its button row staying in view below it;
then the window is made no larger than the room and moved inside it. The room is the screen's
available geometry (the taskbar left out), less the title bar where the platform does not count
the frame yet (before the first show, and on platforms without decorations).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

# A title bar and frame: what a window manager adds around a window's own area.
TITLE_BAR = 32
FRAME_SIDE = 2
SCROLLING_NAME = "fitted_scroll"


def room_for(window: QWidget) -> QRect:
    """Where the window's own area may go on its screen: the available geometry, less the frame
    the window manager draws (its title bar and sides)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    inner = window.geometry()
    top = max(inner.top() - frame.top(), TITLE_BAR)
    side = max(inner.left() - frame.left(), FRAME_SIDE)
    bottom = max(frame.bottom() - inner.bottom(), FRAME_SIDE)
    return available.adjusted(side, top, -side, -bottom)


def _button_row(layout: QLayout) -> QWidget | None:
    """The dialog's button box when it is the last item of its layout."""
    count = layout.count()
    if count == 0:
        return None
    item = layout.itemAt(count - 1)
    widget = item.widget() if item is not None else None
    return widget if isinstance(widget, QDialogButtonBox) else None


def make_scrolling(dialog: QDialog) -> QScrollArea | None:
    """Put the dialog's form in a scroll area (its buttons stay below it, always in view).

    Returns the scroll area, or None when the dialog has no layout or scrolls already."""
    form = dialog.layout()
    if form is None or dialog.findChild(QScrollArea, SCROLLING_NAME) is not None:
        return None
    buttons = _button_row(form)
    if buttons is not None:
        form.removeWidget(buttons)
    margins = form.contentsMargins()
    content = QWidget()
    content.setLayout(form)  # takes the layout, and its widgets, off the dialog
    scroll = QScrollArea(dialog)
    scroll.setObjectName(SCROLLING_NAME)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    scroll.setWidget(content)
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, margins.bottom())
    outer.addWidget(scroll, 1)
    if buttons is not None:
        row = QVBoxLayout()
        row.setContentsMargins(margins.left(), 0, margins.right(), 0)
        row.addWidget(buttons)
        outer.addLayout(row)
    return scroll


def _natural_size(dialog: QDialog, scroll: QScrollArea) -> QSize:
    """The size at which the scrolled form would show whole."""
    content = scroll.widget()
    wanted = content.sizeHint() if content is not None else QSize()
    bar = scroll.verticalScrollBar().sizeHint().width()
    rest = dialog.sizeHint() - scroll.sizeHint()
    return QSize(wanted.width() + bar + max(rest.width(), 0), wanted.height() + rest.height())


def fit_to_screen(window: QWidget) -> None:
    """Make `window` fit the room on its screen: scrolling its form if it must (a dialog), no
    larger than the room, and inside it."""
    room = room_for(window)
    layout = window.layout()
    if isinstance(window, QDialog) and layout is not None:
        needed = layout.totalMinimumSize()
        if needed.height() > room.height() or needed.width() > room.width():
            scroll = make_scrolling(window)
            if scroll is not None:
                natural = _natural_size(window, scroll)
                window.resize(natural.boundedTo(room.size()))
    if window.minimumWidth() > room.width() or window.minimumHeight() > room.height():
        window.setMinimumSize(window.minimumSize().boundedTo(room.size()))
    size = window.size().boundedTo(room.size())
    if size != window.size():
        window.resize(size)
    place_inside(window, room)


def place_inside(window: QWidget, room: QRect) -> None:
    """Move the window so its own area lies inside `room` (it is no larger than the room)."""
    geometry = window.geometry()
    x = min(max(geometry.left(), room.left()), room.right() - geometry.width() + 1)
    y = min(max(geometry.top(), room.top()), room.bottom() - geometry.height() + 1)
    if (x, y) != (geometry.left(), geometry.top()):
        window.move(x + window.x() - geometry.left(), y + window.y() - geometry.top())


class _FitOnFirstShow(QObject):
    """Fits its window the first time it is shown, then leaves it alone."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            watched.removeEventFilter(self)
            fit_to_screen(watched)
            self.deleteLater()
        return False


def fit_when_shown(window: QWidget) -> None:
    """Fit `window` to its screen when it is first shown (for windows that are not a `Dialog`,
    which does so itself): after its saved geometry is restored, before it is painted."""
    window.installEventFilter(_FitOnFirstShow(window))
