"""The pages of a PDF as pixels, drawn by PDFium (through pypdfium2), for the preview and print.

PDFium draws everything a PDF can hold: text in its embedded fonts, images, shadings, clipping.
What the app shows and prints is what any PDF reader shows. PDFium must not be called from two
threads at once, not even for two documents, so every call here holds one lock; the preview
renders on worker threads.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2

from ceo_desk.errors import ValidationError

POINTS_PER_INCH = 72
# Held by every use of PDFium in the process (tests reading text back take it too).
PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class PageSize:
    """A page's size in PDF points (1/72 inch)."""

    width: float
    height: float

    def pixels(self, dpi: float) -> tuple[int, int]:
        """The size in pixels of the page drawn at `dpi`, as `render_pages` makes it."""
        scale = dpi / POINTS_PER_INCH
        return math.ceil(self.width * scale), math.ceil(self.height * scale)


@dataclass(frozen=True)
class PageBitmap:
    """One drawn page: rows of 8-bit red, green, blue, top to bottom, `stride` bytes apart
    (each row padded to a multiple of 4 bytes, as Qt and most image libraries keep them)."""

    width: int
    height: int
    stride: int
    rgb: bytes


@contextmanager
def _opened(pdf: bytes) -> Iterator[pypdfium2.PdfDocument]:
    with PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(pdf)
        except pypdfium2.PdfiumError as exc:
            raise ValidationError(
                "The document cannot be shown: it is not a readable PDF."
            ) from exc
        try:
            yield document
        finally:
            document.close()


def page_sizes(pdf: bytes) -> list[PageSize]:
    """The size of every page, in order."""
    with _opened(pdf) as document:
        return [PageSize(*document.get_page_size(index)) for index in range(len(document))]


def render_pages(pdf: bytes, dpi: float, pages: Sequence[int] | None = None) -> list[PageBitmap]:
    """Draw the given pages (all when None) at `dpi`, on white."""
    with _opened(pdf) as document:
        wanted = range(len(document)) if pages is None else pages
        return [_render(document, index, dpi) for index in wanted]


def _padded_rows(
    width: int, height: int, format: int, rev_byteorder: bool = False
) -> pypdfium2.PdfBitmap:
    stride = (3 * width + 3) // 4 * 4
    return pypdfium2.PdfBitmap.new_native(width, height, format, rev_byteorder, stride=stride)


def _render(document: pypdfium2.PdfDocument, index: int, dpi: float) -> PageBitmap:
    page = document[index]
    try:
        # Three bytes a pixel in red, green, blue order: a layout Qt reads the same on every
        # processor, whatever its byte order.
        bitmap = page.render(
            scale=dpi / POINTS_PER_INCH, rev_byteorder=True, bitmap_maker=_padded_rows
        )
        try:
            return PageBitmap(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
        finally:
            bitmap.close()
    finally:
        page.close()
