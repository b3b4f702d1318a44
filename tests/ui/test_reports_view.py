"""The Reports screen: preview of the real PDF, save and print."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from ceo_desk.core import stats
from ceo_desk.reports.pdf_pages import TextItem
from ceo_desk.ui.views.reports import ReportsView, page_image
from tests.builders import Office, awaiting_callback

THIS_MONTH = stats.Month.containing(datetime.now(UTC).astimezone().date())


def _view(qtbot: QtBot, office: Office) -> ReportsView:
    view = ReportsView(office.db)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitUntil(lambda: view.rendered() is not None, timeout=15_000)
    return view


def _dark_pixels(image: QImage) -> int:
    dark = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            if QColor(image.pixel(x, y)).lightness() < 128:
                dark += 1
    return dark


def test_preview_shows_the_pages_of_the_chosen_month(qtbot: QtBot, office: Office) -> None:
    awaiting_callback(
        office.db, office.chen, "Zoë Ångström", "Refund never arrived", "+12125550150"
    )
    view = _view(qtbot, office)
    assert view.month() == stats.last_complete_month(datetime.now(UTC).astimezone().date())
    with qtbot.waitSignal(view.preview_ready, timeout=15_000) as ready:
        view.set_month(THIS_MONTH)
    rendered = view.rendered()
    assert rendered is not None and rendered.month == THIS_MONTH
    assert ready.args == [len(rendered.pages)] and len(view.page_images()) == len(rendered.pages)
    # The preview is drawn from the PDF itself: the same words, in the same places.
    texts = " ".join(i.text for p in rendered.pages for i in p.items if isinstance(i, TextItem))
    assert f"Complaints to the CEO: {THIS_MONTH.label}" in texts
    assert "Zoë Ångström" in texts
    first = view.page_images()[0]
    assert first.width() == round(595.2756 / 72 * 80)
    assert _dark_pixels(first) > 500  # text and charts were painted, not a blank page
    assert f"{THIS_MONTH.label}: {len(rendered.pages)} page" in view.status_text()


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


def test_print_sends_every_page(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(qtbot, office)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    monkeypatch.setattr(ReportsView, "ask_printer", classmethod(lambda cls, p, paper: printer))
    with qtbot.waitSignal(view.report_printed) as printed:
        view._print.click()
    rendered = view.rendered()
    assert rendered is not None and printed.args == [len(rendered.pages)]
    reader = PdfReader(str(tmp_path / "printed.pdf"))
    assert len(reader.pages) == len(rendered.pages)
    printed_text = " ".join((reader.pages[0].extract_text() or "").split())
    # Qt's text shaping prints "fi" as a ligature; the words are otherwise those of the PDF.
    assert "1. Headline" in printed_text and "Complaints received 0 0 no change" in printed_text


def test_cancelled_dialogs_change_nothing(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(qtbot, office)
    monkeypatch.setattr(ReportsView, "ask_save_path", classmethod(lambda cls, p, s: ""))
    monkeypatch.setattr(ReportsView, "ask_printer", classmethod(lambda cls, p, paper: None))
    with qtbot.assertNotEmitted(view.report_saved), qtbot.assertNotEmitted(view.report_printed):
        view._save.click()
        view._print.click()


def test_page_painter_draws_text_where_the_pdf_puts_it(qtbot: QtBot, office: Office) -> None:
    view = _view(qtbot, office)
    rendered = view.rendered()
    assert rendered is not None
    page = rendered.pages[0]
    title = next(i for i in page.items if isinstance(i, TextItem) and "Complaints to" in i.text)
    image = page_image(page, dpi=72)
    x, y = round(title.matrix[4]), round(page.height - title.matrix[5])
    # Somewhere just above the title's baseline, ink.
    assert any(
        QColor(image.pixel(x + dx, y - dy)).lightness() < 100
        for dx in range(0, 60)
        for dy in range(1, 10)
    )


def test_preview_draws_chinese_and_korean_names_in_the_bundled_fallback_font(
    qtbot: QtBot, office: Office
) -> None:
    from PySide6.QtGui import QRawFont

    from ceo_desk.reports.fonts import FONT_FALLBACK
    from ceo_desk.ui.views.reports import _font_for, _paint_text

    for name, phone in (("李娜", "+12125550161"), ("김민준", "+12125550162")):
        awaiting_callback(office.db, office.chen, name, "Refund never arrived", phone)
    view = _view(qtbot, office)
    with qtbot.waitSignal(view.preview_ready, timeout=15_000):
        view.set_month(THIS_MONTH)
    rendered = view.rendered()
    assert rendered is not None
    items = [i for p in rendered.pages for i in p.items if isinstance(i, TextItem)]
    for name in ("李娜", "김민준"):
        [*drawn] = [i for i in items if i.text == name]
        assert drawn and all(i.font == FONT_FALLBACK for i in drawn)
    # The font the painter picks for those runs is the bundled file, which has the glyphs itself
    # (not through a system font that may be missing on the CEO's computer).
    raw = QRawFont.fromFont(_font_for(FONT_FALLBACK))
    assert all(raw.supportsCharacter(ord(c)) for c in "李娜김민준")
    assert not QRawFont.fromFont(_font_for("DejaVuSans")).supportsCharacter(ord("李"))

    # Two different characters paint differently: glyphs, not two identical empty boxes.
    def painted(item: TextItem) -> QImage:
        from PySide6.QtGui import QPainter, QTransform

        image = QImage(40, 40, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        base = QTransform()
        base.translate(4, 32)
        base.scale(2, -2)
        _paint_text(painter, item, base)
        painter.end()
        return image

    plain = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    first = painted(TextItem(plain, 12, FONT_FALLBACK, "李", (0.0, 0.0, 0.0)))
    second = painted(TextItem(plain, 12, FONT_FALLBACK, "娜", (0.0, 0.0, 0.0)))
    assert _dark_pixels(first) > 3 and first != second
