"""Reports: pick a month, see the board's summary inside the app, save it as PDF or print it.

The preview shows the very PDF that is saved and printed. PySide6-Essentials has no QtPdf, so the
pages are read back by `ceo_desk.reports.pdf_pages` (our own reportlab output only) and painted
here with QPainter, with the same bundled fonts (DejaVu Sans, and WenQuanYi Micro Hei for the runs
of Chinese, Japanese and Korean): as images on screen, as vectors on paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QTransform,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import stats
from ceo_desk.core.database import Database
from ceo_desk.reports.common import write_pdf
from ceo_desk.reports.fonts import BUNDLED, font_path
from ceo_desk.reports.monthly import board_pack
from ceo_desk.reports.pdf_pages import Page, PathItem, TextItem, read_pages
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error

PREVIEW_DPI = 80
PAGES_PER_STEP = 4  # pages painted per turn of the event loop, so the window stays responsive
MONTHS_OFFERED = 24


@dataclass(frozen=True)
class RenderedMonth:
    month: stats.Month
    paper: str
    pdf: bytes
    pages: list[Page]


# ---------------------------------------------------------------- painting PDF pages


_qt_fonts: dict[str, QFont] = {}


def _load_bundled_fonts() -> None:
    for bundled in BUNDLED:
        path = font_path(bundled)
        if path is None:
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id)
        if not families:
            continue
        font = QFont(families[0])
        font.setBold(bundled.bold)
        if bundled.condensed:
            font.setStretch(QFont.Stretch.Condensed)
        font.setPixelSize(100)
        _qt_fonts[bundled.name] = font


def _font_for(base: str) -> QFont:
    """The Qt font for a PDF base font name; the bundled files are loaded once."""
    if not _qt_fonts:
        _load_bundled_fonts()
    found = _qt_fonts.get(base)
    if found is None:
        found = QFont("Helvetica" if "Helvetica" in base else "DejaVu Sans")
        found.setBold("Bold" in base)
        found.setPixelSize(100)
        _qt_fonts[base] = found
    return found


def _colour(rgb: tuple[float, float, float]) -> QColor:
    return QColor.fromRgbF(*(min(1.0, max(0.0, c)) for c in rgb))


def paint_page(painter: QPainter, page: Page, target: QRectF) -> None:
    """Draw one page into `target` (device coordinates), keeping its proportions."""
    scale = min(target.width() / page.width, target.height() / page.height)
    base = QTransform()
    base.translate(target.left(), target.top() + page.height * scale)
    base.scale(scale, -scale)  # PDF's y axis points up
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(target, Qt.GlobalColor.white)
    for item in page.items:
        if isinstance(item, TextItem):
            _paint_text(painter, item, base)
        else:
            _paint_path(painter, item, base)
    painter.restore()


def _matrix(values: tuple[float, float, float, float, float, float]) -> QTransform:
    a, b, c, d, e, f = values
    return QTransform(a, b, c, d, e, f)


def _paint_path(painter: QPainter, item: PathItem, base: QTransform) -> None:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill if item.even_odd else Qt.FillRule.WindingFill)
    for op, n in item.segments:
        if op == "m":
            path.moveTo(n[0], n[1])
        elif op == "l":
            path.lineTo(n[0], n[1])
        elif op == "c":
            path.cubicTo(n[0], n[1], n[2], n[3], n[4], n[5])
        elif op == "v":
            current = path.currentPosition()
            path.cubicTo(current.x(), current.y(), n[0], n[1], n[2], n[3])
        elif op == "y":
            path.cubicTo(n[0], n[1], n[2], n[3], n[2], n[3])
        elif op == "re":
            path.addRect(QRectF(n[0], n[1], n[2], n[3]))
        elif op == "h":
            path.closeSubpath()
    painter.setTransform(_matrix(item.matrix) * base)
    if item.fill is not None:
        painter.fillPath(path, QBrush(_colour(item.fill)))
    if item.stroke is not None:
        pen = QPen(_colour(item.stroke))
        pen.setWidthF(item.line_width or 0.0)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.strokePath(path, pen)


def _paint_text(painter: QPainter, item: TextItem, base: QTransform) -> None:
    if not item.text.strip():
        return
    transform = QTransform()
    transform.scale(item.size / 100.0, -item.size / 100.0)  # fonts are set at 100 px
    painter.setTransform(transform * _matrix(item.matrix) * base)
    painter.setFont(_font_for(item.font))
    painter.setPen(_colour(item.colour))
    painter.drawText(QPointF(0, 0), item.text)


def page_image(page: Page, dpi: int = PREVIEW_DPI) -> QImage:
    width = round(page.width / 72 * dpi)
    height = round(page.height / 72 * dpi)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        paint_page(painter, page, QRectF(0, 0, width, height))
    finally:
        painter.end()
    return image


# ---------------------------------------------------------------- the screen


def month_choices(today: datetime) -> list[stats.Month]:
    """This month (to date) and the months before it, newest first."""
    current = stats.Month.containing(stats.local_day(today))
    return [current.shifted(-i) for i in range(MONTHS_OFFERED)]


class ReportsView(QWidget):
    """Pick a month, preview the monthly summary, save it as PDF, print it."""

    preview_ready = Signal(int)  # pages
    report_saved = Signal(str)  # path
    report_printed = Signal(int)  # pages

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._rendered: RenderedMonth | None = None
        self._images: list[QImage] = []
        self._generation = 0

        self._month = QComboBox()
        self._month.setAccessibleName("Month")
        now = datetime.now(UTC)
        last_complete = stats.last_complete_month(stats.local_day(now))
        for month in month_choices(now):
            label = month.label
            if month > last_complete:
                label += " (to date)"
            self._month.addItem(label, month.iso)
        self._month.setCurrentIndex(self._month.findData(last_complete.iso))
        self._paper = QComboBox()
        self._paper.setAccessibleName("Paper")
        self._paper.addItem("A4", "a4")
        self._paper.addItem("Letter", "letter")
        self._save = QPushButton("&Save as PDF…")
        self._print = QPushButton("&Print…")
        self._status = QLabel()
        self._status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        month_label = QLabel("&Month:")
        month_label.setBuddy(self._month)
        paper_label = QLabel("P&aper:")
        paper_label.setBuddy(self._paper)
        bar = QHBoxLayout()
        bar.addWidget(month_label)
        bar.addWidget(self._month)
        bar.addSpacing(12)
        bar.addWidget(paper_label)
        bar.addWidget(self._paper)
        bar.addSpacing(12)
        bar.addWidget(self._status, 1)
        bar.addWidget(self._save)
        bar.addWidget(self._print)

        self._pages_box = QWidget()
        self._pages_layout = QVBoxLayout(self._pages_box)
        self._pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._pages_layout.setSpacing(12)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(self._pages_box)
        self._pages_box.setObjectName("reportPages")
        self._pages_box.setStyleSheet("#reportPages { background: #7f7f7f; }")

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self._scroll, 1)

        self._month.currentIndexChanged.connect(self._on_month_current_index_changed)
        self._paper.currentIndexChanged.connect(self._on_paper_current_index_changed)
        self._save.clicked.connect(self._on_save_clicked)
        self._print.clicked.connect(self._on_print_clicked)
        self._set_ready(False)
        self.refresh()

    # ------------------------------------------------------------ public

    def month(self) -> stats.Month:
        return stats.Month.parse(str(self._month.currentData()))

    def set_month(self, month: stats.Month) -> None:
        index = self._month.findData(month.iso)
        if index < 0:
            self._month.addItem(month.label, month.iso)
            index = self._month.count() - 1
        self._month.setCurrentIndex(index)

    def paper(self) -> str:
        return str(self._paper.currentData())

    def set_paper(self, paper: str) -> None:
        self._paper.setCurrentIndex(max(0, self._paper.findData(paper)))

    def rendered(self) -> RenderedMonth | None:
        return self._rendered

    def page_images(self) -> list[QImage]:
        return list(self._images)

    def status_text(self) -> str:
        return self._status.text()

    def refresh(self) -> None:
        """Build the chosen month's report in the background and show it when ready."""
        self._generation += 1
        generation = self._generation
        month, paper, db = self.month(), self.paper(), self._db
        self._rendered = None
        self._set_ready(False)
        self._clear_pages()
        self._status.setText(f"Preparing {month.label}…")

        def build() -> RenderedMonth:
            now = datetime.now(UTC)
            with db.reading() as uow:
                pdf, _ = board_pack(uow, month, paper=paper, now=now)
            return RenderedMonth(month, paper, pdf, read_pages(pdf))

        def done(result: RenderedMonth) -> None:
            if generation == self._generation:
                self._show(result)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._status.setText("The report could not be prepared.")
                show_error(self, exc)

        run_in_background(build, done, failed, owner=self)

    def save_to(self, path: str) -> None:
        rendered = self._rendered
        if rendered is None:
            return
        try:
            saved = write_pdf(rendered.pdf, path, force=True, log=self._db.sqlite_path)
        except Exception as exc:  # domain errors carry their message; show_error logs the rest
            show_error(self, exc)
            return
        self._status.setText(f"Saved to {saved}")
        self.report_saved.emit(str(saved))

    def print_to(self, printer: QPrinter) -> int:
        """Print every page, scaled to the printer's page; returns the pages printed."""
        rendered = self._rendered
        if rendered is None:
            return 0
        painter = QPainter()
        if not painter.begin(printer):
            self._status.setText("The printer could not be started.")
            return 0
        try:
            for index, page in enumerate(rendered.pages):
                if index:
                    printer.newPage()
                area = printer.pageLayout().paintRectPixels(printer.resolution())
                paint_page(painter, page, QRectF(0, 0, area.width(), area.height()))
        finally:
            painter.end()
        self.report_printed.emit(len(rendered.pages))
        return len(rendered.pages)

    # ------------------------------------------------------------ questions (patched in tests)

    @classmethod
    def ask_save_path(cls, parent: QWidget, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(parent, "Save the report", suggested, "PDF (*.pdf)")
        return path

    @classmethod
    def ask_printer(cls, parent: QWidget, paper: str) -> QPrinter | None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        size = QPageSize.PageSizeId.Letter if paper == "letter" else QPageSize.PageSizeId.A4
        printer.setPageSize(QPageSize(size))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("Print the report")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer

    # ------------------------------------------------------------ slots

    @Slot(int)
    def _on_month_current_index_changed(self, index: int) -> None:
        self.refresh()

    @Slot(int)
    def _on_paper_current_index_changed(self, index: int) -> None:
        self.refresh()

    @Slot()
    def _on_save_clicked(self) -> None:
        rendered = self._rendered
        if rendered is None:
            return
        path = self.ask_save_path(self, f"complaints-summary-{rendered.month.iso}.pdf")
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.save_to(path)

    @Slot()
    def _on_print_clicked(self) -> None:
        rendered = self._rendered
        if rendered is None:
            return
        printer = self.ask_printer(self, rendered.paper)
        if printer is not None:
            pages = self.print_to(printer)
            if pages:
                self._status.setText(f"Sent {pages} pages to the printer.")

    # ------------------------------------------------------------ internals

    def _set_ready(self, ready: bool) -> None:
        self._save.setEnabled(ready)
        self._print.setEnabled(ready)

    def _clear_pages(self) -> None:
        self._images = []
        while self._pages_layout.count():
            item = self._pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _show(self, rendered: RenderedMonth) -> None:
        self._rendered = rendered
        self._set_ready(True)
        count = len(rendered.pages)
        self._status.setText(f"{rendered.month.label}: {count} page{'s' if count != 1 else ''}")
        generation = self._generation
        self._paint_next(generation, 0)

    def _paint_next(self, generation: int, start: int) -> None:
        rendered = self._rendered
        if rendered is None or generation != self._generation:
            return
        stop = min(len(rendered.pages), start + PAGES_PER_STEP)
        for page in rendered.pages[start:stop]:
            image = page_image(page)
            self._images.append(image)
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Page {len(self._images)}")
            self._pages_layout.addWidget(label)
        if stop < len(rendered.pages):
            QTimer.singleShot(0, self, lambda: self._paint_next(generation, stop))
        else:
            self.preview_ready.emit(len(rendered.pages))
