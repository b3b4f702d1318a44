"""Colours derived from the current palette, so marks stay readable in light and dark themes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


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
