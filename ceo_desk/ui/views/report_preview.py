"""A PDF's pages on screen: zoom, page navigation, and drawing in the background.

Pages are drawn by PDFium (`ceo_desk.reports.pdf_pages`) on a worker thread, a few at a time and
only those in or near view, so a long monthly report neither freezes the window nor holds every
page in memory. Each page keeps its place at its final size while it is being drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.reports.pdf_pages import PageBitmap, PageSize, render_pages
from ceo_desk.ui.background import run_in_background

ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
PAGE_GAP = 12
PAGES_PER_JOB = 2  # pages drawn per trip to the worker: the first appear quickly
KEEP_AROUND = 4  # pages either side of the view that keep their pixels; farther ones let go
POINTS_PER_INCH = 72


def to_image(bitmap: PageBitmap, device_pixel_ratio: float = 1.0) -> QImage:
    """The page as a QImage with its own copy of the pixels (safe to make on a worker thread).

    The pixels are copied into an image Qt allocated, rather than wrapped: a QImage made over a
    Python buffer would release that buffer later, possibly on another thread.
    """
    image = QImage(bitmap.width, bitmap.height, QImage.Format.Format_RGB888)
    pixels = memoryview(image.bits())
    line = image.bytesPerLine()
    if line == bitmap.stride:
        pixels[: len(bitmap.rgb)] = bitmap.rgb
    else:
        row = 3 * bitmap.width
        for y in range(bitmap.height):
            at, source = y * line, y * bitmap.stride
            pixels[at : at + row] = bitmap.rgb[source : source + row]
    image = image.convertToFormat(QImage.Format.Format_RGB32)  # the fastest to paint
    image.setDevicePixelRatio(device_pixel_ratio)
    return image


@dataclass(frozen=True)
class _Document:
    pdf: bytes
    sizes: list[PageSize]


class _Page(QLabel):
    """One page: white at its drawn size until its pixels arrive."""

    def __init__(self, number: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAccessibleName(f"Page {number}")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: white;")
        self.drawn_at: float | None = None  # the zoom its pixels were drawn at


class PdfPreview(QWidget):
    """Pages of one PDF in a scroll area, with zoom and page controls above them.

    Signals:
        pages_drawn(int): every page in view is drawn at the current zoom (pages in the file).
        zoom_changed(float): the zoom, 1.0 being the page at its printed size.
    """

    pages_drawn = Signal(int)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: _Document | None = None
        self._pages: list[_Page] = []
        self._zoom = 1.0
        self._fit_width = True
        self._generation = 0  # a new document or zoom; older drawings are dropped
        self._in_flight = False
        self._announced = False

        self.zoom_in_action = self._action("Zoom in", "+", self.zoom_in, "Ctrl++", "Ctrl+=")
        self.zoom_out_action = self._action("Zoom out", "−", self.zoom_out, "Ctrl+-")
        self.fit_width_action = self._action(
            "Fit the page to the width", "Fit &width", self.fit_width
        )
        self.actual_size_action = self._action(
            "The page at its printed size, 100%", "&Actual size", self.actual_size, "Ctrl+0"
        )
        self.fit_width_action.setCheckable(True)
        self.fit_width_action.setChecked(True)

        self._page_box = QSpinBox(self)
        self._page_box.setAccessibleName("Page")
        self._page_box.setPrefix("Page ")
        self._page_box.setKeyboardTracking(False)
        self._page_box.valueChanged.connect(self._on_page_box_value_changed)
        self._page_count = QLabel(self)
        self._zoom_label = QLabel(self)
        self._zoom_label.setAccessibleName("Zoom")
        self._zoom_label.setMinimumWidth(self._zoom_label.fontMetrics().horizontalAdvance("400%"))
        self._zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self._page_box)
        bar.addWidget(self._page_count)
        bar.addStretch(1)
        bar.addWidget(self._button(self.zoom_out_action))
        bar.addWidget(self._zoom_label)
        bar.addWidget(self._button(self.zoom_in_action))
        bar.addSpacing(8)
        bar.addWidget(self._button(self.fit_width_action))
        bar.addWidget(self._button(self.actual_size_action))

        self._box = QWidget()
        self._box.setObjectName("reportPages")
        self._box.setStyleSheet("#reportPages { background: #7f7f7f; }")
        self._layout = QVBoxLayout(self._box)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._layout.setSpacing(PAGE_GAP)
        self._layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        # The pages' box is sized here, not by the scroll area, so that a new zoom's scroll range
        # is there at once and the view can return to the same place on the same page.
        self.scroll_area.setWidgetResizable(False)
        self.scroll_area.setWidget(self._box)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        viewport = self.scroll_area.viewport()
        palette = viewport.palette()
        palette.setColor(viewport.backgroundRole(), QColor("#7f7f7f"))
        viewport.setPalette(palette)
        self.scroll_area.verticalScrollBar().valueChanged.connect(self._on_scroll_bar_value_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)

        self._refit = QTimer(self)  # a resize redraws once it settles, not at every step
        self._refit.setSingleShot(True)
        self._refit.setInterval(150)
        self._refit.timeout.connect(self._on_refit_timeout)
        self._update_controls()

    # ------------------------------------------------------------ public

    def set_document(self, pdf: bytes, sizes: list[PageSize]) -> None:
        """Show `pdf`, whose pages have `sizes`; the zoom and its mode are kept."""
        self.clear()
        self._document = _Document(pdf, sizes)
        for number in range(1, len(sizes) + 1):
            page = _Page(number, self._box)
            self._pages.append(page)
            self._layout.addWidget(page)
            page.show()  # a hidden page would count for nothing in the layout's size
        self._page_box.setRange(1, max(1, len(sizes)))
        self._apply_zoom(self._fitting_zoom() if self._fit_width else self._zoom)

    def clear(self) -> None:
        self._generation += 1
        self._document = None
        for page in self._pages:
            self._layout.removeWidget(page)
            page.deleteLater()
        self._pages = []
        self._fit_box()
        self._update_controls()

    def page_count(self) -> int:
        return len(self._pages)

    def zoom(self) -> float:
        return self._zoom

    def is_fitting_width(self) -> bool:
        return self._fit_width

    def drawn_images(self) -> dict[int, QImage]:
        """The pages drawn so far at the current zoom, by index."""
        return {
            index: page.pixmap().toImage()
            for index, page in enumerate(self._pages)
            if page.drawn_at == self._zoom and not page.pixmap().isNull()
        }

    def page_widget(self, index: int) -> QLabel:
        return self._pages[index]

    def current_page(self) -> int:
        """The index of the page at the top of the view."""
        top = self.scroll_area.verticalScrollBar().value()
        for index, page in enumerate(self._pages):
            if page.y() + page.height() > top:  # reaches below the top of the view
                return index
        return max(0, len(self._pages) - 1)

    def go_to_page(self, index: int) -> None:
        if 0 <= index < len(self._pages):
            self._fit_box()
            self.scroll_area.verticalScrollBar().setValue(self._pages[index].y() - PAGE_GAP)

    @Slot()
    def zoom_in(self) -> None:
        self._zoom_to(next((z for z in ZOOM_STEPS if z > self._zoom + 1e-3), ZOOM_STEPS[-1]))

    @Slot()
    def zoom_out(self) -> None:
        smaller = [z for z in ZOOM_STEPS if z < self._zoom - 1e-3]
        self._zoom_to(smaller[-1] if smaller else ZOOM_STEPS[0])

    @Slot()
    def actual_size(self) -> None:
        self._zoom_to(1.0)

    @Slot()
    def fit_width(self) -> None:
        self._fit_width = True
        self._apply_zoom(self._fitting_zoom())

    # ------------------------------------------------------------ zoom

    def _zoom_to(self, zoom: float) -> None:
        self._fit_width = False
        self._apply_zoom(zoom)

    def _points_to_pixels(self, zoom: float) -> float:
        """Logical pixels per inch at `zoom`: 100% is the printed size on this screen."""
        return zoom * self.logicalDpiX()

    def _fitting_zoom(self) -> float:
        document = self._document
        if document is None or not document.sizes:
            return self._zoom
        widest = max(size.width for size in document.sizes)
        room = self._room() - 2 * PAGE_GAP - 1  # pages round up to whole pixels
        zoom = room / (widest / POINTS_PER_INCH * self.logicalDpiX())
        return float(min(ZOOM_STEPS[-1], max(ZOOM_STEPS[0], zoom)))

    def _room(self) -> int:
        """The width the pages have: the view's (its vertical scroll bar is always there, so
        fitting a page to the width cannot make one appear and the width change)."""
        return self.scroll_area.viewport().width()

    def _fit_box(self) -> None:
        self._layout.activate()
        hint = self._box.sizeHint()
        self._box.resize(max(hint.width(), self._room()), hint.height())

    def _apply_zoom(self, zoom: float) -> None:
        document = self._document
        anchor = self._anchor()
        changed = abs(zoom - self._zoom) > 1e-4
        self._zoom = zoom
        self._generation += 1
        self._announced = False
        if document is not None:
            dpi = self._points_to_pixels(zoom)
            for page, size in zip(self._pages, document.sizes, strict=True):
                page.setFixedSize(*size.pixels(dpi))
                if page.drawn_at != zoom:
                    page.clear()
                    page.drawn_at = None
            self._fit_box()
            self._restore(anchor)
        self._update_controls()
        if changed:
            self.zoom_changed.emit(zoom)
        self._schedule()

    def _anchor(self) -> tuple[int, float]:
        """The page at the top of the view and how far down it (with the gap above it) the
        view starts, from 0 to 1."""
        if not self._pages:
            return 0, 0.0
        index = self.current_page()
        page = self._pages[index]
        offset = self.scroll_area.verticalScrollBar().value() - (page.y() - PAGE_GAP)
        return index, max(0.0, offset / (page.height() + PAGE_GAP))

    def _restore(self, anchor: tuple[int, float]) -> None:
        index, fraction = anchor
        if index < len(self._pages):
            page = self._pages[index]
            top = page.y() - PAGE_GAP + round(fraction * (page.height() + PAGE_GAP))
            self.scroll_area.verticalScrollBar().setValue(top)

    # ------------------------------------------------------------ drawing

    def _visible(self) -> list[int]:
        """Indexes of the pages in view, then those just above and below it."""
        bar = self.scroll_area.verticalScrollBar()
        height = self.scroll_area.viewport().height()
        view = QRect(0, bar.value(), self._box.width(), height)
        near = QRect(0, bar.value() - height, self._box.width(), 3 * height)
        inside = [i for i, p in enumerate(self._pages) if p.geometry().intersects(view)]
        nearby = [
            i
            for i, p in enumerate(self._pages)
            if p.geometry().intersects(near) and i not in inside
        ]
        return inside + nearby

    def _schedule(self) -> None:
        """Send the next pages that need drawing to the worker; one job at a time."""
        document = self._document
        if document is None or self._in_flight:
            return
        wanted = [i for i in self._visible() if self._pages[i].drawn_at != self._zoom]
        if not wanted:
            self._let_go_far_pages()
            if not self._announced and self._pages:
                self._announced = True
                self.pages_drawn.emit(len(self._pages))
            return
        batch = wanted[:PAGES_PER_JOB]
        generation, zoom = self._generation, self._zoom
        ratio = self.devicePixelRatioF()
        dpi = self._points_to_pixels(zoom) * ratio
        pdf = document.pdf

        def draw() -> list[QImage]:
            return [to_image(bitmap, ratio) for bitmap in render_pages(pdf, dpi, batch)]

        def done(images: list[QImage]) -> None:
            self._in_flight = False
            if generation == self._generation:
                for index, image in zip(batch, images, strict=True):
                    self._pages[index].setPixmap(QPixmap.fromImage(image))
                    self._pages[index].drawn_at = zoom
            self._schedule()

        def failed(exc: BaseException) -> None:
            self._in_flight = False
            if generation == self._generation:
                from ceo_desk.ui.error_dialogs import show_error

                show_error(self, exc)

        self._in_flight = True
        run_in_background(draw, done, failed, owner=self)

    def _let_go_far_pages(self) -> None:
        """Forget the pixels of pages far from the view, so memory stays bounded."""
        current = self.current_page()
        for index, page in enumerate(self._pages):
            if abs(index - current) > KEEP_AROUND + 2 and page.drawn_at is not None:
                page.clear()
                page.drawn_at = None

    # ------------------------------------------------------------ controls

    def _action(self, what: str, text: str, slot: object, *keys: str) -> QAction:
        """An action of the view with its button `text`, saying `what` it does in its tip."""
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        tip = what
        if keys:
            tip += f" ({QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(what)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAccessibleName(action.statusTip())
        return button

    def _update_controls(self) -> None:
        has_pages = bool(self._pages)
        for action in (
            self.zoom_in_action,
            self.zoom_out_action,
            self.fit_width_action,
            self.actual_size_action,
        ):
            action.setEnabled(has_pages)
        self.zoom_in_action.setEnabled(has_pages and self._zoom < ZOOM_STEPS[-1] - 1e-3)
        self.zoom_out_action.setEnabled(has_pages and self._zoom > ZOOM_STEPS[0] + 1e-3)
        self.fit_width_action.setChecked(self._fit_width)
        self._zoom_label.setText(f"{round(self._zoom * 100)}%")
        self._page_box.setEnabled(has_pages)
        self._page_count.setText(f"of {len(self._pages)}" if has_pages else "")
        self._sync_page_box()

    def _sync_page_box(self) -> None:
        self._page_box.blockSignals(True)
        self._page_box.setValue(self.current_page() + 1)
        self._page_box.blockSignals(False)

    # ------------------------------------------------------------ slots

    @Slot(int)
    def _on_page_box_value_changed(self, value: int) -> None:
        self.go_to_page(value - 1)

    @Slot(int)
    def _on_scroll_bar_value_changed(self, _value: int) -> None:
        self._sync_page_box()
        self._schedule()

    @Slot()
    def _on_refit_timeout(self) -> None:
        if self._fit_width and self._document is not None:
            zoom = self._fitting_zoom()
            if abs(zoom - self._zoom) > 1e-3:
                self._apply_zoom(zoom)
                return
        self._schedule()

    # Qt overrides

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_box()
        self._refit.start()
