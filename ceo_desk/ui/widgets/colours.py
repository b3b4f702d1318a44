"""Colours derived from the current palette, so marks stay readable in light and dark themes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from ceo_desk.ui import theme


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is darker than its text (a dark theme)."""
    pal = palette or QApplication.palette()
    return (
        pal.color(QPalette.ColorRole.Base).lightness()
        < pal.color(QPalette.ColorRole.Text).lightness()
    )


def blend(base: QColor, tint: QColor, amount: float) -> QColor:
    """`base` moved `amount` (0 to 1) of the way towards `tint`."""
    return QColor(
        round(base.red() * (1 - amount) + tint.red() * amount),
        round(base.green() * (1 - amount) + tint.green() * amount),
        round(base.blue() * (1 - amount) + tint.blue() * amount),
    )


def _tinted_base(
    palette: QPalette | None, dark: tuple[QColor, float], light: tuple[QColor, float]
) -> QColor:
    """The palette's base colour blended with a tint, chosen for a dark or a light theme."""
    pal = palette or QApplication.palette()
    tint, amount = dark if is_dark(pal) else light
    return blend(pal.color(QPalette.ColorRole.Base), tint, amount)


def overdue_background(palette: QPalette | None = None) -> QColor:
    """A red tint over the row background: pale on light themes, deep on dark ones."""
    return _tinted_base(palette, (QColor(200, 40, 40), 0.30), (QColor(230, 60, 60), 0.16))


def warning_text(palette: QPalette | None = None) -> QColor:
    """Red text with enough contrast against the palette's base colour."""
    return QColor(255, 130, 120) if is_dark(palette) else QColor(170, 20, 20)


def muted_text(palette: QPalette | None = None) -> QColor:
    pal = palette or QApplication.palette()
    return pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)


def highlight_background(palette: QPalette | None = None) -> QColor:
    """A soft amber to mark a differing value (the conflict dialog)."""
    return _tinted_base(palette, (QColor(200, 150, 20), 0.30), (QColor(250, 200, 40), 0.35))


def caution_text(palette: QPalette | None = None) -> QColor:
    """Amber text for what is near its deadline, readable on the palette's base colour."""
    return QColor(240, 180, 60) if is_dark(palette) else QColor(150, 90, 0)


# ---------------------------------------------------------------- mixed again on a new palette

# What a widget is told when its colours may have changed: its own palette or its style. A
# widget with a style sheet of its own is not told of a new application palette, so the theme's
# `colours_changed` is heard as well.
_PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.StyleChange)


class _PaletteFollower(QObject):
    """Calls `remix` once a palette change has settled (at the next turn of the event loop, when
    every widget has its new palette), at most once per change; gone with its widget."""

    def __init__(self, widget: QWidget, remix: Callable[[], None]) -> None:
        super().__init__(widget)
        self._remix = remix
        self._pending = False
        widget.installEventFilter(self)
        theme.theme().colours_changed.connect(self._on_theme_colours_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _PALETTE_EVENTS:
            self._soon()
        return False

    @Slot()
    def _on_theme_colours_changed(self) -> None:
        self._soon()

    def _soon(self) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._run)

    def _run(self) -> None:
        self._pending = False
        self._remix()


def follow_palette(widget: QWidget, remix: Callable[[], None]) -> None:
    """Run `remix` now and again each time `widget`'s colours may have changed, so a colour mixed
    from the palette (a stylesheet's red, a banner's tint) is mixed again from the new one rather
    than kept from the old. `remix` must leave an unchanged colour alone (set a stylesheet only
    when it differs), or its own change would call it again."""
    remix()
    _PaletteFollower(widget, remix)


def set_text_colour(label: QWidget, colour: Callable[[QPalette], str]) -> None:
    """Give `label` the text colour `colour(palette)` names for the application's palette, mixed
    again whenever it changes. (The application's: a widget given a style sheet keeps its own
    palette, and a window's may still be the old one when the theme says it changed.)"""

    def remix() -> None:
        wanted = f"color: {colour(QApplication.palette())};"
        if label.styleSheet() != wanted:
            label.setStyleSheet(wanted)

    follow_palette(label, remix)
