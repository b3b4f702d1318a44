"""Work at a glance and in any light: status labels, columns sized to their content, dark mode
following the system or this computer's choice, the app's icon, and its name once in a title."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from ceo_desk.core.queries import SortKey
from ceo_desk.enums import Role, Status
from ceo_desk.ui import qsettings_store, theme
from ceo_desk.ui.models.complaints_table import COLUMN_OF_KEY
from ceo_desk.ui.widgets import colours, column_fit
from ceo_desk.ui.widgets.status_label import LOOKS, StatusLabelDelegate, status_of
from tests import builders
from tests.builders import Office
from tests.ui.screens import show_main_window

if TYPE_CHECKING:
    from ceo_desk.ui.views.all_complaints import AllComplaintsView


def _without_colour(status: Status) -> tuple[bool, bool, bool, str]:
    look = LOOKS[status]
    return (look.filled, look.bold, look.dashed, status.label)


def test_status_labels_read_without_colour() -> None:
    # Every status has its words; open and closed differ by shape, the office's turn by weight.
    for status in Status:
        assert status.label
    open_shapes = {LOOKS[s].filled for s in Status if s.is_open}
    closed_shapes = {LOOKS[s].filled for s in Status if not s.is_open}
    assert open_shapes == {True} and closed_shapes == {False}
    assert LOOKS[Status.NEW].bold and LOOKS[Status.AWAITING_CALLBACK].bold
    assert not LOOKS[Status.RESOLVED].dashed and LOOKS[Status.WITHDRAWN].dashed
    assert len({_without_colour(s) for s in Status}) == len(Status)


def _paint_status(view: AllComplaintsView, palette: QPalette) -> QImage:
    index = view.model.index(0, COLUMN_OF_KEY[SortKey.STATUS])
    assert status_of(index) is Status.NEW
    delegate = view.table.itemDelegateForColumn(index.column())
    assert isinstance(delegate, StatusLabelDelegate)
    image = QImage(160, 30, QImage.Format.Format_ARGB32)
    image.fill(palette.color(QPalette.ColorRole.Base))
    painter = QPainter(image)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 160, 30)
    option.palette = palette
    option.font = view.table.font()
    delegate.paint(painter, option, index)
    painter.end()
    return image


def _darkest_and_lightest(image: QImage) -> tuple[int, int]:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    values = [grey.pixelColor(x, y).value() for x in range(grey.width()) for y in range(30)]
    return min(values), max(values)


def test_the_status_column_draws_a_label_readable_light_and_dark(
    qtbot: QtBot, office: Office
) -> None:
    from ceo_desk.ui.views.all_complaints import AllComplaintsView

    builders.log(office.db, "Farah Novák", "Charged twice")
    view = AllComplaintsView(office.db)
    qtbot.addWidget(view)
    view.resize(1200, 400)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and view.model.is_read(0), timeout=10_000)
    light = _paint_status(view, QApplication.style().standardPalette())
    darkest, lightest = _darkest_and_lightest(light)
    assert lightest - darkest > 120  # the words stand out from the chip, in grey alone
    dark = _paint_status(view, theme.dark_palette())
    darkest, lightest = _darkest_and_lightest(dark)
    assert lightest - darkest > 120


def test_columns_fit_their_content_and_the_summary_takes_the_rest(
    qtbot: QtBot, office: Office
) -> None:
    builders.log(office.db, "Priya Natarajan", "The engineer missed two appointments in May")
    window = show_main_window(qtbot, office, Role.CEO)
    window.show_page("all")
    view = window.all_complaints
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    header = view.table.horizontalHeader()
    for width in (1366, 1024):
        window.resize(width, 700)
        qtbot.waitUntil(lambda: window.width() == width, timeout=5_000)  # noqa: B023
        seen = view.table.viewport().width()
        for key in (SortKey.DELEGATE, SortKey.DUE, SortKey.CUSTOMER, SortKey.REFERENCE):
            column = COLUMN_OF_KEY[key]
            right = header.sectionViewportPosition(column) + header.sectionSize(column)
            assert header.sectionViewportPosition(column) >= 0 and right <= seen, (width, key)
        reference = COLUMN_OF_KEY[SortKey.REFERENCE]
        cell = view.table.fontMetrics().horizontalAdvance(view.model.index(0, reference).data())
        assert cell < header.sectionSize(reference) < cell + 80  # sized to content, not fixed
        # However narrow, the summary keeps a readable start; the list scrolls sideways instead.
        floor = view.table.fontMetrics().horizontalAdvance(column_fit.SUMMARY_FLOOR)
        assert header.sectionSize(COLUMN_OF_KEY[SortKey.SUMMARY]) > floor, width
    window.resize(1366, 700)
    qtbot.waitUntil(lambda: window.width() == 1366, timeout=5_000)
    summary = header.sectionSize(COLUMN_OF_KEY[SortKey.SUMMARY])
    others = [
        header.sectionSize(c) for c in range(header.count()) if c != COLUMN_OF_KEY[SortKey.SUMMARY]
    ]
    assert summary > max(others)  # the spare width goes to the summary


def test_dark_mode_follows_the_system_and_the_choice_is_kept(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = show_main_window(qtbot, office, Role.CEO)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    hints = QGuiApplication.styleHints()
    scheme = [Qt.ColorScheme.Dark]  # what the desktop says (offscreen has no desktop to ask)
    monkeypatch.setattr(theme, "system_scheme", lambda: scheme[0])
    try:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert colours.is_dark(app.palette())
        qtbot.waitUntil(lambda: colours.is_dark(window.nav.palette()), timeout=5_000)
        scheme[0] = Qt.ColorScheme.Light
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert not colours.is_dark(app.palette())

        window.appearance_actions[theme.Appearance.DARK].trigger()  # View → Colours → Dark
        assert colours.is_dark(app.palette())
        assert qsettings_store.settings().value(theme.APPEARANCE_KEY) == "dark"
        assert theme.saved_appearance() is theme.Appearance.DARK
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)  # chosen: no longer follows
        assert colours.is_dark(app.palette())
        # A custom colour stays readable on the dark palette.
        base = app.palette().color(QPalette.ColorRole.Base)
        assert abs(colours.warning_text(app.palette()).lightness() - base.lightness()) > 100
        window.appearance_actions[theme.Appearance.SYSTEM].trigger()
        assert not colours.is_dark(app.palette())
    finally:
        theme.theme().choose(theme.Appearance.SYSTEM)


def test_the_app_has_its_icon_and_says_its_name_once(qtbot: QtBot, office: Office) -> None:
    from ceo_desk.ui.app import application

    app = application()
    assert not app.windowIcon().isNull()
    assert {32, 256} <= {s.width() for s in app.windowIcon().availableSizes()}
    window = show_main_window(qtbot, office, Role.CEO)
    assert not window.windowIcon().isNull()
    assert (theme.resources_dir() / "app-icon" / "LICENSE.txt").is_file()
    assert (theme.resources_dir() / "app-icon" / "ceo-desk.svg").is_file()
    # The desktop appends the app's name to a title not already ending with it.
    name = QGuiApplication.applicationDisplayName()
    shown = window.windowTitle()
    shown = shown if shown.endswith(name) else f"{shown} — {name}"
    assert shown.count("CEO Desk") == 1, shown
    assert window.identity in shown


def test_today_redraws_its_overdue_red_when_the_colours_change(
    qtbot: QtBot, office: Office
) -> None:
    from ceo_desk.ui.views.today import TodayView

    builders.awaiting_callback(office.db, office.ortiz, "Farah Novák")  # overdue
    view = TodayView(office.db)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.refreshed, timeout=10_000):
        view.show()
    due = view.model.index(0, 0)
    try:
        theme.theme().choose(theme.Appearance.LIGHT)
        qtbot.waitUntil(lambda: not colours.is_dark(view.palette()), timeout=5_000)
        light_red = due.data(Qt.ItemDataRole.ForegroundRole)
        theme.theme().choose(theme.Appearance.DARK)
        qtbot.waitUntil(lambda: colours.is_dark(view.palette()), timeout=5_000)
        dark_red = due.data(Qt.ItemDataRole.ForegroundRole)
        base = view.palette().color(QPalette.ColorRole.Base)
        assert dark_red != light_red
        assert dark_red.lightness() - base.lightness() > 100  # light red on the dark rows
    finally:
        theme.theme().choose(theme.Appearance.SYSTEM)


def test_the_start_up_failure_says_the_app_once(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ceo_desk.errors import StorageError
    from ceo_desk.ui import error_dialogs
    from ceo_desk.ui.app import application

    application()
    titles: list[str] = []

    def shown_to_the_person(box: QMessageBox) -> int:
        titles.append(box.windowTitle())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", shown_to_the_person)
    error_dialogs.explain_startup_failure(StorageError("The log could not be opened."))
    name = QGuiApplication.applicationDisplayName()
    shown = titles[0] if titles[0].endswith(name) else f"{titles[0]} — {name}"
    assert shown.count("CEO Desk") == 1, shown
