"""The Reports screen: preview of the real PDF with zoom and pages, save and print."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from ceo_desk.core import policy
from ceo_desk.enums import UnitKind
from ceo_desk.reports.fonts import FONT_FALLBACK
from ceo_desk.reports.pdf_pages import page_sizes, render_pages
from ceo_desk.store.db import Database
from ceo_desk.ui import background
from ceo_desk.ui.views.report_preview import PdfPreview, to_image
from ceo_desk.ui.views.reports import ReportsView
from tests.builders import Office, add_staff, awaiting_callback
from tests.integration.pdf_text import Run, read_pages
from tests.march_history import MARCH, build_history

THIS_MONTH = policy.Month.containing(datetime.now(UTC).astimezone().date())


def _view(qtbot: QtBot, office: Office) -> ReportsView:
    view = ReportsView(office.db)
    qtbot.addWidget(view)
    view.resize(900, 700)
    with qtbot.waitSignal(view.preview_ready, timeout=15_000):
        view.show()
    return view


def _dark_pixels(image: QImage, step: int = 3) -> int:
    dark = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            if QColor(image.pixel(x, y)).lightness() < 128:
                dark += 1
    return dark


def _inked_cells(image: QImage, columns: int = 8, rows: int = 10) -> set[tuple[int, int]]:
    """The cells of a coarse grid over the page that hold some ink (even pale grey)."""
    counts: dict[tuple[int, int], int] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            if QColor(image.pixel(x, y)).lightness() < 200:
                cell = (x * columns // image.width(), y * rows // image.height())
                counts[cell] = counts.get(cell, 0) + 1
    return {cell for cell, count in counts.items() if count > 3}


def _ink_over(image: QImage, run: Run, page_height: float, pixels_per_point: float) -> int:
    """Dark pixels in the box where `run` stands on the page drawn in `image`."""
    left = round(run.x * pixels_per_point)
    baseline = round((page_height - run.y) * pixels_per_point)
    height = max(2, round(run.size * pixels_per_point))
    width = max(2, round(len(run.text) * run.size * 0.5 * pixels_per_point))
    return sum(
        1
        for y in range(max(0, baseline - height), min(image.height(), baseline))
        for x in range(max(0, left), min(image.width(), left + width))
        if QColor(image.pixel(x, y)).lightness() < 128
    )


def test_preview_shows_the_pages_of_the_chosen_month(qtbot: QtBot, office: Office) -> None:
    awaiting_callback(
        office.db, office.chen, "Zoë Ångström", "Refund never arrived", "+12125550150"
    )
    view = _view(qtbot, office)
    assert view.month() == policy.last_complete_month(datetime.now(UTC).astimezone().date())
    with qtbot.waitSignal(view.preview_ready, timeout=15_000) as ready:
        view.set_month(THIS_MONTH)
    rendered = view.rendered()
    assert rendered is not None and rendered.month == THIS_MONTH
    assert ready.args == [len(rendered.pages)] == [view.preview.page_count()]
    # The preview is drawn from the PDF itself: the same words, where the PDF puts them.
    pages = read_pages(rendered.pdf)
    runs = [r.text for p in pages for r in p.runs]
    assert f"Complaints to the CEO: {THIS_MONTH.label}" in " ".join(runs)
    first = view.page_images()[0]
    zoom = view.preview.zoom()
    pixels_per_point = zoom * view.preview.logicalDpiX() / 72
    assert first.width() == rendered.pages[0].pixels(zoom * view.preview.logicalDpiX())[0]
    title = next(r for r in pages[0].runs if r.text.startswith("Complaints to the CEO"))
    assert _ink_over(first, title, pages[0].height, pixels_per_point) > 20
    assert f"{THIS_MONTH.label}: {len(rendered.pages)} page" in view.status_text()


def test_preview_fits_the_width_and_zooms_from_the_keyboard(qtbot: QtBot, office: Office) -> None:
    view = _view(qtbot, office)
    preview = view.preview
    page = preview.page_widget(0)
    viewport = preview.scroll_area.viewport().width()
    assert preview.is_fitting_width()
    assert viewport * 0.85 < page.width() <= viewport  # the page fills the width, no more

    view.activateWindow()
    preview.scroll_area.setFocus()
    qtbot.waitUntil(preview.scroll_area.hasFocus)
    before = page.width()
    with qtbot.waitSignal(preview.pages_drawn, timeout=15_000):
        qtbot.keyClick(preview.scroll_area, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert page.width() > before and not preview.is_fitting_width()
    zoomed = view.page_images()[0]
    assert zoomed.width() == page.width()  # redrawn sharp at the new size, not stretched
    assert f"{round(preview.zoom() * 100)}%" == preview._zoom_label.text()

    with qtbot.waitSignal(preview.pages_drawn, timeout=15_000):
        qtbot.keyClick(preview.scroll_area, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert preview.zoom() == 1.0 and preview._zoom_label.text() == "100%"
    rendered = view.rendered()
    assert rendered is not None
    printed_width = rendered.pages[0].pixels(preview.logicalDpiX())[0]  # 1 inch = 1 inch
    assert page.width() == printed_width

    with qtbot.waitSignal(preview.pages_drawn, timeout=15_000):
        qtbot.keyClick(preview.scroll_area, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert preview.zoom() < 1.0 and page.width() < printed_width

    with qtbot.waitSignal(preview.pages_drawn, timeout=15_000):
        preview.fit_width_action.trigger()
    assert preview.is_fitting_width() and page.width() == before


def test_long_document_is_drawn_in_the_background_near_the_view_only(qtbot: QtBot) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for number in range(1, 41):
        canvas.setFont("Helvetica-Bold", 48)
        canvas.drawString(72, 700, f"Page {number}")
        canvas.showPage()
    canvas.save()
    pdf = buffer.getvalue()

    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.resize(700, 600)
    preview.show()
    with qtbot.waitSignal(preview.pages_drawn, timeout=15_000) as drawn:
        preview.set_document(pdf, page_sizes(pdf))
        assert preview.drawn_images() == {}  # nothing drawn yet: the window is free
    assert drawn.args == [40]
    assert 0 < len(preview.drawn_images()) < 6  # the pages in view, and those next to them

    with qtbot.waitSignal(preview.pages_drawn, timeout=15_000):
        preview._page_box.setValue(30)  # page navigation: go to page 30
        preview.zoom_in()  # a new zoom starts a new drawing
    assert preview.current_page() == 29
    drawn_now = preview.drawn_images()
    assert 29 in drawn_now and 0 not in drawn_now
    [expected] = render_pages(pdf, preview.zoom() * preview.logicalDpiX(), [29])
    assert drawn_now[29] == to_image(expected)  # page 30 itself, not another


def test_save_as_pdf_writes_the_previewed_document(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(qtbot, office)
    with qtbot.waitSignal(view.preview_ready, timeout=15_000):
        view.set_paper("letter")
    target = tmp_path / "summary"
    monkeypatch.setattr(ReportsView, "ask_save_path", classmethod(lambda cls, p, s: str(target)))
    with qtbot.waitSignal(view.report_saved) as saved:
        view._save.click()
    path = Path(saved.args[0])
    assert path == tmp_path / "summary.pdf"
    reader = PdfReader(str(path))
    assert (
        round(float(reader.pages[0].mediabox.width)),
        round(float(reader.pages[0].mediabox.height)),
    ) == (612, 792)
    assert view.month().label in (reader.pages[0].extract_text() or "")


def test_save_to_a_missing_folder_says_so(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceo_desk.ui.views import reports

    shown: list[str] = []
    monkeypatch.setattr(reports, "show_error", lambda parent, exc: shown.append(str(exc)))
    view = _view(qtbot, office)
    view.save_to(str(tmp_path / "nowhere" / "x.pdf"))
    assert shown and "does not exist" in shown[0]


def test_print_sends_every_page_as_the_preview_shows_it(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(qtbot, office)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setFullPage(True)  # the sheet as the PDF lays it out, without the printer's margins
    monkeypatch.setattr(ReportsView, "ask_printer", classmethod(lambda cls, p, paper: printer))
    with qtbot.waitSignal(view.report_printed, timeout=30_000) as printed:
        view._print.click()
    rendered = view.rendered()
    assert rendered is not None and printed.args == [len(rendered.pages)]
    assert "Sent" in view.status_text() and view._print.isEnabled()
    on_paper = (tmp_path / "printed.pdf").read_bytes()
    assert len(PdfReader(io.BytesIO(on_paper)).pages) == len(rendered.pages)
    # The printed first page carries the same ink in the same places as the report's.
    [ours] = render_pages(rendered.pdf, 30, [0])
    [theirs] = render_pages(on_paper, 30, [0])
    expected, printed_cells = _inked_cells(to_image(ours)), _inked_cells(to_image(theirs))
    assert len(expected) > 20
    assert len(expected ^ printed_cells) <= 0.15 * len(expected)


def test_cancelled_dialogs_change_nothing(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(qtbot, office)
    asked: list[str] = []

    def cancel_save(cls: object, parent: object, suggested: str) -> str:
        asked.append(suggested)
        return ""

    def cancel_print(cls: object, parent: object, paper: str) -> None:
        asked.append(paper)

    monkeypatch.setattr(ReportsView, "ask_save_path", classmethod(cancel_save))
    monkeypatch.setattr(ReportsView, "ask_printer", classmethod(cancel_print))
    with qtbot.assertNotEmitted(view.report_saved), qtbot.assertNotEmitted(view.report_printed):
        view._save.click()
        view._print.click()
        qtbot.waitUntil(lambda: background.pending() == 0)
    assert len(asked) == 2, "both buttons asked their question"
    assert asked[0].endswith(".pdf")
    assert list(tmp_path.rglob("*.pdf")) == []


def test_preview_draws_chinese_and_korean_names_in_the_embedded_fallback_font(
    qtbot: QtBot, office: Office
) -> None:
    for name, phone in (("李娜", "+12125550161"), ("김민준", "+12125550162")):
        awaiting_callback(office.db, office.chen, name, "Refund never arrived", phone)
    view = _view(qtbot, office)
    with qtbot.waitSignal(view.preview_ready, timeout=15_000):
        view.set_month(THIS_MONTH)
    rendered = view.rendered()
    assert rendered is not None
    pages = read_pages(rendered.pdf)
    dpi = 100
    for name in ("李娜", "김민준"):
        found = [(i, r) for i, p in enumerate(pages) for r in p.runs if r.text == name]
        assert found and all(r.font == FONT_FALLBACK for _, r in found)
        index, run = found[0]
        [bitmap] = render_pages(rendered.pdf, dpi, [index])
        # Glyphs from the embedded font, whatever fonts this computer has.
        assert _ink_over(to_image(bitmap), run, pages[index].height, dpi / 72) > 10


def test_a_partners_statement_is_chosen_previewed_and_saved(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_history(sqlite_db)
    view = ReportsView(sqlite_db)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    with qtbot.waitSignal(view.preview_ready, timeout=15_000):
        view.show()
    with qtbot.waitSignal(view.preview_ready, timeout=15_000):
        view.set_month(MARCH)
    assert view.report_choices()[0] == "Summary for the board"
    assert "FastShip Ltd (partner)" in view.report_choices()
    assert "Billing Dept (department)" in view.report_choices()
    fastship = next(u for u in view._units.values() if u.name == "FastShip Ltd")
    with qtbot.waitSignal(view.preview_ready, timeout=15_000) as ready:
        view.set_unit(fastship.id)
    rendered = view.rendered()
    assert rendered is not None and rendered.unit == fastship and ready.args == [1]
    words = " ".join(r.text for p in read_pages(rendered.pdf) for r in p.runs)
    assert "Complaints statement: FastShip Ltd" in words
    assert view.status_text() == "Statement for FastShip Ltd, March 2026: 1 page"
    suggested: list[str] = []

    def answer(cls: object, parent: object, name: str) -> str:
        suggested.append(name)
        return str(tmp_path / "fastship")

    monkeypatch.setattr(ReportsView, "ask_save_path", classmethod(answer))
    with qtbot.waitSignal(view.report_saved) as saved:
        view._save.click()
    assert suggested == ["statement-fastship-ltd-2026-03.pdf"]
    assert Path(saved.args[0]) == tmp_path / "fastship.pdf"
    assert "FastShip Ltd" in (PdfReader(saved.args[0]).pages[0].extract_text() or "")


def test_a_unit_added_to_the_directory_is_offered_at_the_next_refresh(
    qtbot: QtBot, office: Office
) -> None:
    view = _view(qtbot, office)
    assert "Billing (department)" in view.report_choices()
    add_staff(office.db, "Lee Park", "Northwind Couriers", unit_kind=UnitKind.PARTNER)
    with qtbot.waitSignal(view.preview_ready, timeout=15_000):
        view.refresh()
    assert "Northwind Couriers (partner)" in view.report_choices()
    assert view.unit() is None  # the board's summary stays chosen


def test_the_month_to_date_is_shown_whole_where_the_row_has_room(
    qtbot: QtBot, office: Office
) -> None:
    view = _view(qtbot, office)
    view.resize(1100, 700)
    with qtbot.waitSignal(view.preview_ready, timeout=15_000):
        view.set_month(THIS_MONTH)
    qtbot.wait(50)  # the layout's pass after the resize
    month = view._month
    assert month.currentText().endswith("(to date)")
    assert month.width() >= month.fontMetrics().horizontalAdvance(month.currentText()) + 20
