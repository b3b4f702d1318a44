"""Reading back the pages of a PDF this package wrote, as simple drawing instructions.

The app previews and prints the reports without a PDF engine (QtPdf is not part of
PySide6-Essentials). Our documents come from reportlab and use a small, known part of PDF: vector
paths, flat colours, and text in embedded TrueType subsets with ToUnicode maps. This module turns
each page into a display list (paths and text runs with their transforms) that a painter can draw
on screen or on a printer. It is not a general PDF reader: images, shadings and clipping are
skipped, and other producers' files are not its purpose.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase import pdfmetrics

from ceo_desk.reports.fonts import pdf_names

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Colour = tuple[float, float, float]


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: m × n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


@dataclass(frozen=True)
class PathItem:
    matrix: Matrix
    segments: list[tuple[str, tuple[float, ...]]]  # ("m"|"l"|"c"|"h"|"re", numbers)
    fill: Colour | None
    stroke: Colour | None
    line_width: float
    even_odd: bool


@dataclass(frozen=True)
class TextItem:
    matrix: Matrix  # text space to page space; the run starts at (0, 0)
    size: float
    font: str  # base font name without the subset tag, e.g. "DejaVuSans-Bold"
    text: str
    colour: Colour


@dataclass
class Page:
    width: float
    height: float
    items: list[PathItem | TextItem] = field(default_factory=list)


# ---------------------------------------------------------------- objects

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.S)
_REF = re.compile(rb"(\d+) 0 R")


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}


def _stream(body: bytes) -> bytes:
    start = body.find(b"stream")
    if start < 0:
        return b""
    data_start = start + len(b"stream")
    if body[data_start : data_start + 2] == b"\r\n":
        data_start += 2
    elif body[data_start : data_start + 1] in (b"\n", b"\r"):
        data_start += 1
    end = body.rfind(b"endstream")
    data = body[data_start:end]
    head = body[:start]
    filters = re.findall(rb"/(ASCII85Decode|FlateDecode)", head)
    for name in filters:
        if name == b"ASCII85Decode":
            text = data.strip()
            if text.startswith(b"<~"):
                text = text[2:]
            if text.endswith(b"~>"):
                text = text[:-2]
            data = base64.a85decode(text)
        else:
            data = zlib.decompress(data)
    return data


def _entry(body: bytes, key: bytes) -> bytes | None:
    match = re.search(
        rb"/" + re.escape(key) + rb"\s+(\[[^\]]*\]|\d+ 0 R|/[^\s/<>\[\]]+|[-\d.]+)", body
    )
    return match.group(1) if match else None


def _resolve(objects: dict[int, bytes], value: bytes | None) -> bytes:
    if value is None:
        return b""
    ref = _REF.fullmatch(value.strip())
    return objects.get(int(ref.group(1)), b"") if ref else value


# ---------------------------------------------------------------- fonts


@dataclass
class _Font:
    base: str
    to_unicode: dict[int, str]
    widths: dict[int, float]
    standard: bool  # a standard Type 1 font: bytes are WinAnsi, widths from reportlab

    def decode(self, raw: bytes) -> str:
        if self.standard:
            return raw.decode("cp1252", errors="replace")
        return "".join(self.to_unicode.get(b, "\ufffd") for b in raw)

    def advance(self, raw: bytes, size: float) -> float:
        if self.standard:
            return float(pdfmetrics.stringWidth(self.decode(raw), self.base, size))
        return sum(self.widths.get(b, 500.0) for b in raw) * size / 1000.0


def _hex_text(token: bytes) -> str:
    data = bytes.fromhex(token.decode("ascii"))
    return data.decode("utf-16-be", errors="replace")


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = _hex_text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block
        ):
            low, high = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                for offset, item in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", dst)):
                    mapping[low + offset] = _hex_text(item)
            else:
                start = int(dst[1:-1], 16)
                for code in range(low, high + 1):
                    mapping[code] = chr(start + code - low)
    return mapping


def _font(objects: dict[int, bytes], body: bytes) -> _Font:
    base_raw = _entry(body, b"BaseFont") or b"/Helvetica"
    base = base_raw.lstrip(b"/").decode("latin-1")
    base = base.split("+", 1)[1] if "+" in base else base
    base = pdf_names().get(base, base)  # a face from a font collection carries an index
    unicode_map = _cmap(_stream(_resolve(objects, _entry(body, b"ToUnicode"))))
    widths: dict[int, float] = {}
    first = _entry(body, b"FirstChar")
    width_list = _resolve(objects, _entry(body, b"Widths"))
    if first is not None and width_list:
        numbers = re.findall(rb"[-\d.]+", width_list)
        widths = {int(first) + i: float(n) for i, n in enumerate(numbers)}
    standard = not unicode_map and base in pdfmetrics.standardFonts
    return _Font(base, unicode_map, widths, standard)


# ---------------------------------------------------------------- content streams

_TOKEN = re.compile(
    rb"\s*(?:"
    rb"(?P<str>\()"
    rb"|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?P<dict><<|>>)"
    rb"|(?P<arr>[\[\]])"
    rb"|(?P<name>/[^\s/\[\]()<>{}%]*)"
    rb"|(?P<num>[-+]?(?:\d+\.?\d*|\.\d+))"
    rb"|(?P<op>[A-Za-z'\"*]+)"
    rb"|(?P<comment>%[^\r\n]*)"
    rb")"
)
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def _literal(data: bytes, pos: int) -> tuple[bytes, int]:
    """Read a (string) starting after its opening parenthesis."""
    out = bytearray()
    depth = 1
    while pos < len(data):
        ch = data[pos]
        if ch == 0x5C:  # backslash
            pos += 1
            nxt = data[pos]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
            elif 0x30 <= nxt <= 0x37:
                digits = data[pos : pos + 3]
                count = 1
                while count < len(digits) and 0x30 <= digits[count] <= 0x37:
                    count += 1
                out.append(int(digits[:count], 8) & 0xFF)
                pos += count - 1
            elif nxt in (0x0A, 0x0D):
                pass
            else:
                out.append(nxt)
        elif ch == 0x28:
            depth += 1
            out.append(ch)
        elif ch == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), pos + 1
            out.append(ch)
        else:
            out.append(ch)
        pos += 1
    return bytes(out), pos


def _tokens(data: bytes) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    pos = 0
    while pos < len(data):
        match = _TOKEN.match(data, pos)
        if not match or match.end() == pos:
            pos += 1
            continue
        pos = match.end()
        kind = match.lastgroup
        if kind == "str":
            value, pos = _literal(data, pos)
            tokens.append(("str", value))
        elif kind == "hex":
            tokens.append(("str", bytes.fromhex(match.group("hex")[1:-1].decode("ascii"))))
        elif kind == "num":
            tokens.append(("num", float(match.group("num"))))
        elif kind == "name":
            tokens.append(("name", match.group("name")[1:].decode("latin-1")))
        elif kind == "arr":
            tokens.append(("arr", match.group("arr")))
        elif kind == "op":
            tokens.append(("op", match.group("op").decode("latin-1")))
    return tokens


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    fill: Colour = (0.0, 0.0, 0.0)
    stroke: Colour = (0.0, 0.0, 0.0)
    line_width: float = 1.0
    font: _Font | None = None
    size: float = 10.0
    leading: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 100.0
    rise: float = 0.0

    def copy(self) -> _State:
        return _State(**self.__dict__)


def _cmyk(c: float, m: float, y: float, k: float) -> Colour:
    return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))


def _run(content: bytes, fonts: dict[str, _Font], page: Page) -> None:
    state = _State()
    saved: list[_State] = []
    segments: list[tuple[str, tuple[float, ...]]] = []
    operands: list[Any] = []
    array: list[Any] | None = None
    tm: Matrix = IDENTITY
    tlm: Matrix = IDENTITY

    def paint(fill: bool, stroke: bool, even_odd: bool = False) -> None:
        if segments:
            page.items.append(
                PathItem(
                    state.ctm,
                    list(segments),
                    state.fill if fill else None,
                    state.stroke if stroke else None,
                    state.line_width,
                    even_odd,
                )
            )
        segments.clear()

    def show(raw: bytes) -> None:
        nonlocal tm
        font = state.font
        if font is None:
            return
        text = font.decode(raw)
        h = state.scale / 100.0
        render = multiply((h, 0, 0, 1, 0, state.rise), multiply(tm, state.ctm))
        page.items.append(TextItem(render, state.size, font.base, text, state.fill))
        advance = font.advance(raw, state.size)
        advance += state.char_spacing * len(raw) + state.word_spacing * raw.count(b" ")
        tm = multiply((1, 0, 0, 1, advance * h, 0), tm)

    def next_line(tx: float, ty: float) -> None:
        nonlocal tm, tlm
        tlm = multiply((1, 0, 0, 1, tx, ty), tlm)
        tm = tlm

    for kind, value in _tokens(content):
        if kind == "arr":
            if value == b"[":
                array = []
            else:
                operands.append(array or [])
                array = None
            continue
        if kind != "op":
            if array is not None:
                array.append(value)
            else:
                operands.append(value)
            continue
        op = value
        nums = [v for v in operands if isinstance(v, float)]
        try:
            if op == "q":
                saved.append(state.copy())
            elif op == "Q":
                if saved:
                    state = saved.pop()
            elif op == "cm":
                state.ctm = multiply(tuple(nums[-6:]), state.ctm)  # type: ignore[arg-type]
            elif op == "w":
                state.line_width = nums[-1]
            elif op == "rg":
                state.fill = (nums[-3], nums[-2], nums[-1])
            elif op == "RG":
                state.stroke = (nums[-3], nums[-2], nums[-1])
            elif op == "g":
                state.fill = (nums[-1],) * 3
            elif op == "G":
                state.stroke = (nums[-1],) * 3
            elif op == "k":
                state.fill = _cmyk(*nums[-4:])
            elif op == "K":
                state.stroke = _cmyk(*nums[-4:])
            elif op in ("m", "l"):
                segments.append((op, tuple(nums[-2:])))
            elif op == "c":
                segments.append(("c", tuple(nums[-6:])))
            elif op == "v":
                segments.append(("v", tuple(nums[-4:])))
            elif op == "y":
                segments.append(("y", tuple(nums[-4:])))
            elif op == "re":
                segments.append(("re", tuple(nums[-4:])))
            elif op in ("h",):
                segments.append(("h", ()))
            elif op == "S":
                paint(False, True)
            elif op == "s":
                segments.append(("h", ()))
                paint(False, True)
            elif op in ("f", "F"):
                paint(True, False)
            elif op == "f*":
                paint(True, False, True)
            elif op == "B":
                paint(True, True)
            elif op == "B*":
                paint(True, True, True)
            elif op in ("b", "b*"):
                segments.append(("h", ()))
                paint(True, True, op == "b*")
            elif op == "n":
                segments.clear()
            elif op == "BT":
                tm = tlm = IDENTITY
            elif op == "Tf":
                name = next((v for v in reversed(operands) if isinstance(v, str)), "")
                state.font = fonts.get(name)
                state.size = nums[-1]
            elif op == "Tm":
                tm = tlm = tuple(nums[-6:])  # type: ignore[assignment]
            elif op == "Td":
                next_line(nums[-2], nums[-1])
            elif op == "TD":
                state.leading = -nums[-1]
                next_line(nums[-2], nums[-1])
            elif op == "TL":
                state.leading = nums[-1]
            elif op == "T*":
                next_line(0, -state.leading)
            elif op == "Tc":
                state.char_spacing = nums[-1]
            elif op == "Tw":
                state.word_spacing = nums[-1]
            elif op == "Tz":
                state.scale = nums[-1]
            elif op == "Ts":
                state.rise = nums[-1]
            elif op == "Tj":
                show(operands[-1])
            elif op == "'":
                next_line(0, -state.leading)
                show(operands[-1])
            elif op == '"':
                state.word_spacing, state.char_spacing = nums[-2], nums[-1]
                next_line(0, -state.leading)
                show(operands[-1])
            elif op == "TJ":
                for part in operands[-1]:
                    if isinstance(part, bytes):
                        show(part)
                    else:
                        shift = -float(part) / 1000.0 * state.size * state.scale / 100.0
                        tm = multiply((1, 0, 0, 1, shift, 0), tm)
        except (IndexError, TypeError, ValueError):
            pass  # a malformed operator is skipped, like a viewer would
        operands = []


def read_pages(pdf: bytes) -> list[Page]:
    """The pages of a PDF written by this package, in order, as display lists."""
    objects = _objects(pdf)
    pages_root = next(
        (body for body in objects.values() if re.search(rb"/Type\s*/Pages\b", body)), b""
    )
    kids = _REF.findall(_entry(pages_root, b"Kids") or b"")
    font_cache: dict[int, _Font] = {}
    pages: list[Page] = []
    for kid in kids:
        body = objects.get(int(kid), b"")
        box = [float(n) for n in re.findall(rb"[-\d.]+", _entry(body, b"MediaBox") or b"")]
        width, height = (box[2] - box[0], box[3] - box[1]) if len(box) == 4 else (595.0, 842.0)
        page = Page(width, height)
        fonts: dict[str, _Font] = {}
        resources = body
        resources_ref = re.search(rb"/Resources\s+(\d+) 0 R", body)
        if resources_ref:
            resources = objects.get(int(resources_ref.group(1)), b"")
        font_dict_ref = re.search(rb"/Font\s+(\d+) 0 R", resources)
        font_dict = objects.get(int(font_dict_ref.group(1)), b"") if font_dict_ref else resources
        for name, ref in re.findall(rb"/([^\s/<>\[\]]+)\s+(\d+) 0 R", font_dict):
            number = int(ref)
            if number not in font_cache:
                font_cache[number] = _font(objects, objects.get(number, b""))
            fonts[name.decode("latin-1")] = font_cache[number]
        contents = _entry(body, b"Contents") or b""
        streams = b"\n".join(_stream(objects.get(int(r), b"")) for r in _REF.findall(contents))
        _run(streams, fonts, page)
        pages.append(page)
    return pages
