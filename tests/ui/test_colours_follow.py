"""A colour mixed from the palette is mixed again when the theme switches between light and
dark: list marks are read at each paint, labels and bars given a colour follow the palette."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ceo_desk.ui import theme
from ceo_desk.ui.form_helpers import FieldError, warning_colour
from ceo_desk.ui.views.to_delegate import ToDelegateView
from ceo_desk.ui.widgets import colours
from tests.builders import Office, awaiting_callback, days_ago, log
from tests.ui.screens import show_and_wait


@pytest.fixture
def light() -> Iterator[None]:
    theme.theme().choose(theme.Appearance.LIGHT)
    yield
    theme.theme().choose(theme.Appearance.SYSTEM)


def _go_dark(qtbot: QtBot, widget: QWidget) -> None:
    theme.theme().choose(theme.Appearance.DARK)
    qtbot.waitUntil(lambda: colours.is_dark(widget.palette()))


def test_a_field_error_is_red_on_the_dark_palette_after_a_switch(qtbot: QtBot, light: None) -> None:
    form = QWidget()
    error = FieldError()
    QVBoxLayout(form).addWidget(error)
    qtbot.addWidget(form)
    form.show()
    error.show_message("Phone region 'XX' is not a two-letter country code.")
    light_red = QColor(warning_colour(form))
    assert error.palette().color(QPalette.ColorRole.WindowText) == light_red
    _go_dark(qtbot, form)
    dark_red = QColor(warning_colour(form))
    assert dark_red != light_red
    qtbot.waitUntil(lambda: error.palette().color(QPalette.ColorRole.WindowText) == dark_red)
    window = form.palette().color(QPalette.ColorRole.Window)
    assert dark_red.lightness() - window.lightness() > 100


def test_to_delegate_marks_a_late_complaint_in_the_dark_palettes_red(
    qtbot: QtBot, office: Office, light: None
) -> None:
    log(office.db, "Bea Cruz", "No heating", "+12025550122", when=days_ago(7), severity="critical")
    view = ToDelegateView(office.db)
    show_and_wait(qtbot, view, view.refreshed, (1100, 500))
    late = view.model.index(0, 0)
    light_red = late.data(Qt.ItemDataRole.ForegroundRole)
    assert light_red == QColor(warning_colour(view))
    _go_dark(qtbot, view)
    dark_red = late.data(Qt.ItemDataRole.ForegroundRole)
    assert dark_red != light_red and dark_red == QColor(warning_colour(view))


def _link_colour(document: QTextDocument) -> QColor:
    block = document.begin()
    while block.isValid():
        found = block.begin()
        while not found.atEnd():
            fragment = found.fragment()
            if fragment.charFormat().isAnchor():
                return fragment.charFormat().foreground().color()
            found += 1
        block = block.next()
    raise AssertionError("the brief has no link")


def test_the_briefs_phone_link_takes_the_dark_palettes_link_colour(
    qtbot: QtBot, office: Office, light: None
) -> None:
    from ceo_desk.ui.views.today import TodayView

    awaiting_callback(office.db, office.ortiz, "Farah Novák")
    view = TodayView(office.db)
    show_and_wait(qtbot, view, view.refreshed, (1200, 700))
    qtbot.waitUntil(lambda: view.brief.reference != "")
    browser = view.brief.findChild(QTextBrowser)
    assert browser is not None
    qtbot.waitUntil(lambda: "Farah Novák" in browser.toPlainText())
    _go_dark(qtbot, view)
    link = view.palette().color(QPalette.ColorRole.Link)
    qtbot.waitUntil(lambda: _link_colour(browser.document()) == link)
    base = browser.palette().color(QPalette.ColorRole.Base)
    assert link.lightness() - base.lightness() > 100, "a light link on the dark page"


def test_the_conflict_dialogs_marks_are_mixed_again_after_a_switch(
    qtbot: QtBot, light: None
) -> None:
    from ceo_desk.ui.dialogs.conflict import ConflictDialog

    dialog = ConflictDialog({"Summary": "Boiler"}, {"Summary": "Boiler and radiator"})
    qtbot.addWidget(dialog)
    dialog.show()
    cell = dialog.table.item(0, 1)
    assert cell is not None
    light_mark = cell.background().color()
    assert light_mark == colours.highlight_background(dialog.palette())
    _go_dark(qtbot, dialog)
    dark_mark = colours.highlight_background(dialog.palette())
    assert dark_mark != light_mark
    qtbot.waitUntil(lambda: cell.background().color() == dark_mark)
