"""What a PDF says where, as PDFium reads it: runs of text with their font, size and place.

For tests that check which font prints which words, and where on the page they stand.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c

from ceo_desk.reports.fonts import pdf_names
from ceo_desk.reports.pdf_pages import PDFIUM_LOCK


@dataclass(frozen=True)
class Run:
    """Characters side by side in one font on one line; `x`, `y` (points from the bottom left)
    is where the first one stands, `scale` how much the page shrinks or grows the text."""

    text: str
    font: str  # our name for the font, e.g. "DejaVuSans-Bold"
    size: float
    x: float
    y: float
    scale: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    runs: list[Run]


def _font(textpage: pypdfium2.PdfTextPage, index: int) -> str:
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage, index, buffer, len(buffer), ctypes.byref(flags))
    name = buffer.value.decode("utf-8", "replace").split("+", 1)[-1]
    return pdf_names().get(name, name)


_Char = tuple[str, str, float, float, float, float]  # text, font, size, x, y, scale


def _char(textpage: pypdfium2.PdfTextPage, index: int) -> _Char:
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x), ctypes.byref(y))
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(textpage, index, ctypes.byref(matrix))
    return (
        chr(pdfium_c.FPDFText_GetUnicode(textpage, index)),
        _font(textpage, index),
        pdfium_c.FPDFText_GetFontSize(textpage, index),
        x.value,
        y.value,
        matrix.a,
    )


def _run(chars: list[_Char]) -> Run:
    _, font, size, x, y, scale = chars[0]
    return Run("".join(c[0] for c in chars), font, size, x, y, scale)


def _runs(textpage: pypdfium2.PdfTextPage) -> list[Run]:
    runs: list[Run] = []
    current: list[_Char] = []
    for index in range(textpage.count_chars()):
        char = None
        if pdfium_c.FPDFText_IsGenerated(textpage, index) != 1:  # PDFium adds spaces, breaks
            char = _char(textpage, index)
        if current and (
            char is None
            or char[0] in "\r\n"
            or abs(char[4] - current[0][4]) >= 0.5  # another line
            or char[1] != current[0][1]  # another font
            or char[3] - current[-1][3] > 2 * char[2] * char[5]  # another column
        ):
            runs.append(_run(current))
            current = []
        if char is not None and char[0] not in "\r\n":
            current.append(char)
    if current:
        runs.append(_run(current))
    return runs


def read_pages(pdf: bytes) -> list[Page]:
    """Every page's runs, in the order PDFium reads them."""
    with PDFIUM_LOCK:
        return _read_pages(pdf)


def _read_pages(pdf: bytes) -> list[Page]:
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    try:
        for page in document:
            textpage = page.get_textpage()
            width, height = page.get_size()
            pages.append(Page(width, height, _runs(textpage)))
            textpage.close()
            page.close()
    finally:
        document.close()
    return pages
