"""How the app looks: light or dark (following the system unless this computer chose one), the
app icon, and the sidebar's icons drawn in the palette's own text colour.

The choice is kept per computer (the assistant and the CEO may differ) in the layout file,
beside the window sizes (`qsettings_store`). Following the system means following Qt's colour
scheme (`QStyleHints.colorScheme`), also when it changes while the app runs. Where the platform
cannot switch its own palette (or has none, as offscreen), the Fusion style with a palette built
here is used instead, so a choice always takes effect.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QStyleFactory

from ceo_desk.ui import qsettings_store

if TYPE_CHECKING:
    from PySide6.QtSvg import QSvgRenderer

APPEARANCE_KEY = "appearance/colours"
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


class Appearance(StrEnum):
    """This computer's choice of colours."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"

    @property
    def label(self) -> str:
        return {"system": "Follow the system", "light": "Light", "dark": "Dark"}[self.value]


# ---------------------------------------------------------------- files


def resources_dir() -> Path:
    """The resources folder: inside the installed package, or beside it in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "resources", package.parent / "resources"):
        if (candidate / "app-icon").is_dir():
            return candidate
    return package.parent / "resources"


@cache
def app_icon() -> QIcon:
    """The CEO Desk icon, in every size drawn for it (the desktop picks the one it needs)."""
    folder = resources_dir() / "app-icon"
    icon = QIcon()
    for size in APP_ICON_SIZES:
        png = folder / f"ceo-desk-{size}.png"
        if png.is_file():
            icon.addFile(str(png), QSize(size, size))
    if icon.isNull():
        icon.addFile(str(folder / "ceo-desk.svg"))
    return icon


def _tinted(renderer: QSvgRenderer, size: int, colour: QColor, ratio: float) -> QPixmap:
    image = QImage(round(size * ratio), round(size * ratio), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
    # The drawing is black strokes: keep its shape, take the palette's colour.
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(image.rect(), colour)
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def page_icon(name: str, palette: QPalette, size: int = 20, ratio: float = 1.0) -> QIcon:
    """A sidebar icon (resources/icons/NAME.svg) in the palette's text colours: its window text
    normally, its highlighted text when selected; an empty icon when there is no such drawing."""
    from PySide6.QtSvg import QSvgRenderer  # loaded with the first icon, not at start-up

    path = resources_dir() / "icons" / f"{name}.svg"
    renderer = QSvgRenderer(str(path))
    icon = QIcon()
    if not renderer.isValid():
        return icon
    normal = palette.color(QPalette.ColorRole.WindowText)
    selected = palette.color(QPalette.ColorRole.HighlightedText)
    icon.addPixmap(_tinted(renderer, size, normal, ratio), QIcon.Mode.Normal)
    icon.addPixmap(_tinted(renderer, size, selected, ratio), QIcon.Mode.Selected)
    return icon


# ---------------------------------------------------------------- light and dark


def dark_palette() -> QPalette:
    """A dark palette with the same roles the light one fills, readable text on each."""
    window, base, text = QColor(37, 39, 43), QColor(28, 30, 33), QColor(230, 231, 233)
    button, mid = QColor(48, 51, 56), QColor(72, 76, 82)
    highlight = QColor(64, 120, 200)
    palette = QPalette(window)
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor(36, 38, 42)),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, button),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor(255, 120, 110)),
        (QPalette.ColorRole.Highlight, highlight),
        (QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)),
        (QPalette.ColorRole.ToolTipBase, QColor(52, 55, 60)),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, QColor(150, 153, 158)),
        (QPalette.ColorRole.Link, QColor(120, 170, 255)),
        (QPalette.ColorRole.LinkVisited, QColor(180, 150, 255)),
        (QPalette.ColorRole.Light, QColor(80, 84, 90)),
        (QPalette.ColorRole.Midlight, QColor(60, 63, 68)),
        (QPalette.ColorRole.Mid, mid),
        (QPalette.ColorRole.Dark, QColor(20, 21, 23)),
        (QPalette.ColorRole.Shadow, QColor(0, 0, 0)),
    ):
        palette.setColor(role, colour)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(128, 131, 136))
    return palette


def is_dark(palette: QPalette) -> bool:
    return (
        palette.color(QPalette.ColorRole.Window).lightness()
        < palette.color(QPalette.ColorRole.WindowText).lightness()
    )


def saved_appearance() -> Appearance:
    value = qsettings_store.settings().value(APPEARANCE_KEY, Appearance.SYSTEM.value)
    try:
        return Appearance(str(value))
    except ValueError:
        return Appearance.SYSTEM


def system_scheme() -> Qt.ColorScheme:
    """The desktop's light or dark scheme, as Qt reads it (Unknown where it cannot tell)."""
    return QGuiApplication.styleHints().colorScheme()


def wants_dark(appearance: Appearance) -> bool:
    """Whether `appearance` means dark colours now (for SYSTEM: the system's scheme)."""
    if appearance is Appearance.SYSTEM:
        return system_scheme() == Qt.ColorScheme.Dark
    return appearance is Appearance.DARK


class Theme(QObject):
    """Keeps the application's colours as chosen, and follows the system while told to.

    Signals:
        colours_changed(): the application's palette was set again (light, dark or the
            system's); a colour mixed from the old one is to be mixed again
            (`colours.follow_palette`).
    """

    colours_changed = Signal()

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._native_style = app.style().name()
        self.appearance = saved_appearance()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    def choose(self, appearance: Appearance) -> None:
        """Apply and remember this computer's choice."""
        self.appearance = appearance
        qsettings_store.settings().setValue(APPEARANCE_KEY, appearance.value)
        qsettings_store.settings().sync()
        self.apply()

    def apply(self) -> None:
        self._set_palette()
        self.colours_changed.emit()

    def _set_palette(self) -> None:
        dark = wants_dark(self.appearance)
        hints = QGuiApplication.styleHints()
        if self.appearance is Appearance.SYSTEM:
            if hasattr(hints, "unsetColorScheme"):  # Qt 6.8 and later
                hints.unsetColorScheme()
        elif hasattr(hints, "setColorScheme"):
            hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
        native = QStyleFactory.create(self._native_style)
        if native is not None and is_dark(native.standardPalette()) == dark:
            # The platform's own style has the wanted colours (it follows the scheme itself).
            if self._app.style().name() != self._native_style:
                self._app.setStyle(native)
            self._app.setPalette(native.standardPalette())
            return
        fusion = QStyleFactory.create("Fusion")
        if self._app.style().name().lower() != "fusion":
            self._app.setStyle(fusion)
        self._app.setPalette(dark_palette() if dark else fusion.standardPalette())

    @property
    def dark(self) -> bool:
        return is_dark(self._app.palette())

    @Slot(Qt.ColorScheme)
    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.appearance is Appearance.SYSTEM:
            self.apply()


_theme: Theme | None = None


def theme() -> Theme:
    """The app's one Theme, made on first use."""
    global _theme
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if _theme is None or _theme.parent() is not app:
        _theme = Theme(app)
    return _theme


def apply_saved() -> Theme:
    """Take this computer's saved choice (read again: the layout file may be another one) and
    apply it."""
    chosen = theme()
    chosen.appearance = saved_appearance()
    chosen.apply()
    return chosen
