"""Reports: pick a month, see the board's summary (or one department's or partner's statement)
inside the app, save it as PDF or print it.

The preview shows the very PDF that is saved and printed, drawn by PDFium, with zoom and page
controls; printing sends the same pages at the printer's resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QRectF, Qt, Signal, Slot
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import policy
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.reports.common import write_pdf
from ceo_desk.reports.monthly import board_pack
from ceo_desk.reports.partner_statement import statement_document
from ceo_desk.reports.pdf_pages import PageSize, page_sizes, render_pages
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.views.report_preview import PdfPreview, to_image

MONTHS_OFFERED = 24
BOARD_SUMMARY = 0  # the Report choice's data for the board's summary; a unit's is its id
PRINT_DPI = 300  # enough for sharp text on paper; a printer's 1200 would only cost memory


@dataclass(frozen=True)
class UnitChoice:
    id: int
    name: str
    kind: str  # "department" or "partner"

    @property
    def choice(self) -> str:
        """Its line in the Report choice, after the board's summary and a separator."""
        return f"{self.name} ({self.kind})"


@dataclass(frozen=True)
class RenderedMonth:
    month: policy.Month
    paper: str
    pdf: bytes
    pages: list[PageSize]
    unit: UnitChoice | None = None  # whose statement; None for the board's summary

    @property
    def title(self) -> str:
        if self.unit is None:
            return self.month.label
        return f"Statement for {self.unit.name}, {self.month.label}"

    @property
    def file_name(self) -> str:
        if self.unit is None:
            return f"complaints-summary-{self.month.iso}.pdf"
        return f"statement-{_file_word(self.unit.name)}-{self.month.iso}.pdf"


def _file_word(name: str) -> str:
    """A unit's name as part of a file name: "Northwind Couriers" -> "northwind-couriers"."""
    kept = "".join(c.lower() if c.isalnum() else " " for c in name)
    return "-".join(kept.split()) or "unit"


def unit_choices(db: Database) -> list[UnitChoice]:
    """The active departments and partners a statement can be made for."""
    from ceo_desk.core.services.directory import list_units

    with db.reading() as uow:
        units = list_units(uow)
    return [UnitChoice(u.id, u.name, u.kind.value) for u in units]


# ---------------------------------------------------------------- the screen


def month_choices(today: datetime) -> list[policy.Month]:
    """This month (to date) and the months before it, newest first."""
    current = policy.Month.containing(SYSTEM_CLOCK.local_day(today))
    return [current.shifted(-i) for i in range(MONTHS_OFFERED)]


class ReportsView(QWidget):
    """Pick a month and a report (the board's summary or a unit's statement), preview it, save
    it as PDF, print it."""

    preview_ready = Signal(int)  # pages
    report_saved = Signal(str)  # path
    report_printed = Signal(int)  # pages

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._rendered: RenderedMonth | None = None
        self._units: dict[int, UnitChoice] = {}  # the statements offered, by unit id
        self._printing = False
        self._generation = 0

        self._report = QComboBox()
        self._report.setAccessibleName("Report")
        # Takes the row's spare width (a partner's name can be long), never less than this.
        self._report.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self._report.setMinimumContentsLength(12)
        self._report.setMaximumWidth(self._report.fontMetrics().averageCharWidth() * 44)
        self._report.addItem("Summary for the board", BOARD_SUMMARY)
        self._report.setToolTip(
            "The board's summary of the month, or the one-page statement to send to a "
            "department or partner: its own cases only, without the customers' details."
        )
        self._month = QComboBox()
        self._month.setAccessibleName("Month")
        now = SYSTEM_CLOCK.now()
        last_complete = policy.last_complete_month(SYSTEM_CLOCK.local_day(now))
        for month in month_choices(now):
            label = month.label
            if month > last_complete:
                label += " (to date)"
            self._month.addItem(label, month.iso)
        # As wide as "December 2026 (to date)" where the row has room, as narrow as the longest
        # month's name where it has not (150% on a laptop).
        self._month.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._month.setMaximumWidth(self._month.sizeHint().width())
        self._month.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self._month.setMinimumContentsLength(len("September 2026"))
        self._month.setCurrentIndex(self._month.findData(last_complete.iso))
        self._paper = QComboBox()
        self._paper.setAccessibleName("Paper")
        self._paper.addItem("A4", "a4")
        self._paper.addItem("Letter", "letter")
        self._save = QPushButton("&Save as PDF…")
        self._print = QPushButton("&Print…")
        self._status = QLabel()
        self._status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        report_label = QLabel("&Report:")
        report_label.setBuddy(self._report)
        month_label = QLabel("&Month:")
        month_label.setBuddy(self._month)
        paper_label = QLabel("P&aper:")
        paper_label.setBuddy(self._paper)
        bar = QHBoxLayout()
        bar.addWidget(report_label)
        bar.addWidget(self._report, 3)  # the spare width goes mostly to the longer names
        bar.addSpacing(12)
        bar.addWidget(month_label)
        bar.addWidget(self._month, 1)
        bar.addSpacing(12)
        bar.addWidget(paper_label)
        bar.addWidget(self._paper)
        bar.addStretch(0)
        bar.addSpacing(12)
        bar.addWidget(self._save)
        bar.addWidget(self._print)

        self.preview = PdfPreview(self)
        self.preview.pages_drawn.connect(self._on_preview_pages_drawn)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self._status)  # its own line: what is shown, never squeezed by the bar
        layout.addWidget(self.preview, 1)

        self._report.currentIndexChanged.connect(self._on_report_current_index_changed)
        self._month.currentIndexChanged.connect(self._on_month_current_index_changed)
        self._paper.currentIndexChanged.connect(self._on_paper_current_index_changed)
        self._save.clicked.connect(self._on_save_clicked)
        self._print.clicked.connect(self._on_print_clicked)
        self._set_ready(False)
        self.refresh()

    # ------------------------------------------------------------ public

    def month(self) -> policy.Month:
        return policy.Month.parse(str(self._month.currentData()))

    def set_month(self, month: policy.Month) -> None:
        index = self._month.findData(month.iso)
        if index < 0:
            self._month.addItem(month.label, month.iso)
            index = self._month.count() - 1
        self._month.setCurrentIndex(index)

    def paper(self) -> str:
        return str(self._paper.currentData())

    def unit(self) -> UnitChoice | None:
        """The department or partner whose statement is chosen; None for the board's summary."""
        return self._units.get(int(self._report.currentData() or BOARD_SUMMARY))

    def report_choices(self) -> list[str]:
        """The Report choice's lines, the separator left out."""
        texts = [self._report.itemText(i) for i in range(self._report.count())]
        return [text for text in texts if text]

    def set_unit(self, unit_id: int | None) -> None:
        """Choose a unit's statement (None: the board's summary); unknown ids change nothing."""
        index = self._report.findData(BOARD_SUMMARY if unit_id is None else unit_id)
        if index >= 0:
            self._report.setCurrentIndex(index)

    def set_paper(self, paper: str) -> None:
        self._paper.setCurrentIndex(max(0, self._paper.findData(paper)))

    def rendered(self) -> RenderedMonth | None:
        return self._rendered

    def page_images(self) -> list[QImage]:
        """The pages drawn so far at the current zoom, in page order."""
        drawn = self.preview.drawn_images()
        return [drawn[index] for index in sorted(drawn)]

    def status_text(self) -> str:
        return self._status.text()

    def refresh(self) -> None:
        """Build the chosen report for the chosen month in the background and show it when
        ready; the departments and partners offered are read again with it."""
        self._generation += 1
        generation = self._generation
        month, paper, unit, db = self.month(), self.paper(), self.unit(), self._db
        self._rendered = None
        self._set_ready(False)
        self._clear_pages()
        self._status.setText(f"Preparing {month.label}…")

        def build() -> tuple[RenderedMonth, list[UnitChoice]]:
            now = SYSTEM_CLOCK.now()
            units = unit_choices(db)
            with db.reading() as uow:
                if unit is None:
                    pdf, _ = board_pack(uow, month, paper=paper, now=now)
                else:
                    pdf, _ = statement_document(uow, unit.id, month, paper=paper, now=now)
            return RenderedMonth(month, paper, pdf, page_sizes(pdf), unit), units

        def done(result: tuple[RenderedMonth, list[UnitChoice]]) -> None:
            if generation == self._generation:
                rendered, units = result
                self._offer_units(units)
                self._show(rendered)

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

    def print_to(self, printer: QPrinter) -> None:
        """Print every page, scaled to the printer's page; `report_printed` says when done.

        Each page is drawn on a worker thread at the printer's resolution (at most PRINT_DPI)
        and sent to the printer as it arrives, so only one page is held in memory at a time.
        """
        rendered = self._rendered
        if rendered is None or self._printing:
            return
        painter = QPainter()
        if not painter.begin(printer):
            self._status.setText("The printer could not be started.")
            return
        self._printing = True
        self._set_ready(False)
        dpi = min(PRINT_DPI, printer.resolution())
        count = len(rendered.pages)
        pdf = rendered.pdf

        def draw(index: int) -> None:
            def page() -> QImage:
                [bitmap] = render_pages(pdf, dpi, [index])
                return to_image(bitmap)

            run_in_background(page, lambda image: place(index, image), failed, owner=self)

        def place(index: int, image: QImage) -> None:
            if index:
                printer.newPage()
            area = printer.pageRect(QPrinter.Unit.DevicePixel)  # the printable area, or the
            # whole sheet when the printer is set to full page
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            painter.drawImage(target, image)
            self._status.setText(f"Printing page {index + 1} of {count}…")
            if index + 1 < count:
                draw(index + 1)
            else:
                finish()
                self._status.setText(
                    f"Sent {count} page{'s' if count != 1 else ''} to the printer."
                )
                self.report_printed.emit(count)

        def failed(exc: BaseException) -> None:
            printer.abort()
            finish()
            self._status.setText("Printing stopped.")
            show_error(self, exc)

        def finish() -> None:
            painter.end()
            self._printing = False
            self._set_ready(self._rendered is not None)

        draw(0)

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

    @Slot(int)
    def _on_report_current_index_changed(self, index: int) -> None:
        self.refresh()

    @Slot()
    def _on_save_clicked(self) -> None:
        rendered = self._rendered
        if rendered is None:
            return
        path = self.ask_save_path(self, rendered.file_name)
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
            self.print_to(printer)

    # ------------------------------------------------------------ internals

    def _set_ready(self, ready: bool) -> None:
        self._save.setEnabled(ready)
        self._print.setEnabled(ready and not self._printing)

    def _clear_pages(self) -> None:
        self.preview.clear()

    def _offer_units(self, units: list[UnitChoice]) -> None:
        """The Report choice lists these units after the board's summary, the current choice
        kept (a unit gone from the directory leaves its statement shown until changed)."""
        chosen = self.unit()
        if chosen is not None and chosen not in units:
            units = [*units, chosen]
        if units == list(self._units.values()):
            return
        self._units = {u.id: u for u in units}
        blocked = self._report.blockSignals(True)
        try:
            while self._report.count() > 1:
                self._report.removeItem(1)
            if units:
                self._report.insertSeparator(1)
            for unit in units:
                self._report.addItem(unit.choice, unit.id)
                self._report.setItemData(
                    self._report.count() - 1,
                    f"The one-page statement to send to {unit.name}",
                    Qt.ItemDataRole.ToolTipRole,
                )
            self._report.setCurrentIndex(self._report.findData(chosen.id if chosen else 0))
        finally:
            self._report.blockSignals(blocked)

    def _show(self, rendered: RenderedMonth) -> None:
        self._rendered = rendered
        self._set_ready(not self._printing)
        count = len(rendered.pages)
        self._status.setText(f"{rendered.title}: {count} page{'s' if count != 1 else ''}")
        self.preview.set_document(rendered.pdf, rendered.pages)

    @Slot(int)
    def _on_preview_pages_drawn(self, pages: int) -> None:
        self.preview_ready.emit(pages)
