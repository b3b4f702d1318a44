"""The bundled fonts, and setting text in whichever of them has the glyphs.

DejaVu Sans sets Latin, Greek and Cyrillic; it has no Chinese, Japanese or Korean. Those
characters are set in WenQuanYi Micro Hei, the fallback. A string is cut into runs by the first
font that has each character, the primary first, so the fallback is embedded only in documents
that need it and Latin text next to a Chinese name keeps its usual face. Lookups are cached per
character and per string: the appendix of a busy month repeats the same names thousands of times.
"""

from __future__ import annotations

import os
import pickle
import weakref
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

from ceo_desk import paths
from ceo_desk.errors import StorageError

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_NARROW = "DejaVuSansCondensed"
FONT_NARROW_BOLD = "DejaVuSansCondensed-Bold"
# Registered under its PostScript name, which is also the name a PDF reader sees (BaseFont).
FONT_FALLBACK = "WenQuanYiMicroHei"


@dataclass(frozen=True)
class BundledFont:
    name: str  # reportlab's name, and the PDF's BaseFont without the subset tag
    filename: str
    bold: bool = False
    condensed: bool = False
    index: int = 0  # which face of a collection (.ttc)


BUNDLED = (
    BundledFont(FONT, "DejaVuSans.ttf"),
    BundledFont(FONT_BOLD, "DejaVuSans-Bold.ttf", bold=True),
    BundledFont(FONT_NARROW, "DejaVuSansCondensed.ttf", condensed=True),
    BundledFont(FONT_NARROW_BOLD, "DejaVuSansCondensed-Bold.ttf", bold=True, condensed=True),
    BundledFont(FONT_FALLBACK, "wqy-microhei.ttc"),
)
FALLBACKS = (FONT_FALLBACK,)

Run = tuple[str, str]  # (font name, text)


def font_dirs() -> list[Path]:
    """Where the bundled fonts are looked for: inside the package, then beside the source tree."""
    package = Path(__file__).resolve().parent.parent
    return [package / "resources" / "fonts", package.parent / "resources" / "fonts"]


def font_path(font: BundledFont) -> Path | None:
    for directory in font_dirs():
        path = directory / font.filename
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the DejaVu faces once; the fallback is registered when text first needs it.

    Reading the fallback (a large CJK font) takes a noticeable moment, which a document in Latin,
    Greek or Cyrillic script alone does not need to spend. Every file is checked here, so a
    broken installation is reported before any work.
    """
    paths = {font.name: font_path(font) for font in BUNDLED}
    missing = sorted(name for name, path in paths.items() if path is None)
    if missing:
        raise StorageError(
            f"The report fonts ({', '.join(missing)}) are missing from the installation; "
            "reinstall CEO Desk."
        )
    for font in BUNDLED:
        if font.name not in FALLBACKS:
            _register(font)
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    pdfmetrics.registerFontFamily(
        FONT_NARROW,
        normal=FONT_NARROW,
        bold=FONT_NARROW_BOLD,
        italic=FONT_NARROW,
        boldItalic=FONT_NARROW_BOLD,
    )


def _register(font: BundledFont) -> None:
    path = font_path(font)
    if path is None:
        raise StorageError(
            f"The report font {font.name} is missing from the installation; reinstall CEO Desk."
        )
    pdfmetrics.registerFont(_load(font, path) if font.name in FALLBACKS else _parse(font, path))
    # A fallback has one weight: inside <b> a Chinese name stays in it rather than failing.
    if font.name in FALLBACKS:
        pdfmetrics.registerFontFamily(
            font.name, normal=font.name, bold=font.name, italic=font.name, boldItalic=font.name
        )


def _parse(font: BundledFont, path: Path) -> TTFont:
    return TTFont(font.name, str(path), subfontIndex=font.index)


def _load(font: BundledFont, path: Path) -> TTFont:
    """A large font, from the copy reportlab parsed before when one is kept for this file.

    Parsing the fallback's tables (tens of thousands of glyphs) takes longer than printing a
    busy month's appendix; its parsed metrics are kept in the cache folder, private to the
    person, beside the file's size, time and the reportlab version they came from, and read back
    with the font file itself. Anything amiss with the kept copy: parsed again.
    """
    kept = _kept_copy(font, path)
    if kept is not None:
        try:
            with kept.open("rb") as handle:
                metrics = pickle.load(handle)
            return _from_metrics(font.name, metrics, path.read_bytes())
        except Exception:  # a stale or damaged copy: parse the font instead
            pass
    parsed = _parse(font, path)
    if kept is not None:
        _keep(kept, parsed)
    return parsed


def _kept_copy(font: BundledFont, path: Path) -> Path | None:
    try:
        stat = path.stat()
        folder = paths.data_dir() / "cache"
    except OSError:
        return None
    tag = f"{stat.st_size}-{stat.st_mtime_ns}-{font.index}-{reportlab.Version}"
    return folder / f"{path.stem}-{tag}.metrics"


def _keep(kept: Path, parsed: TTFont) -> None:
    metrics = {k: v for k, v in vars(parsed.face).items() if k not in ("_ttf_data", "_pdfScale")}
    try:
        paths.ensure_private_dir(kept.parent)
        partial = kept.with_name(kept.name + ".part")
        with partial.open("wb") as handle:
            pickle.dump(metrics, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(partial, 0o600)
        partial.replace(kept)
    except OSError:
        pass  # no cache folder: the font is parsed again next time


def _from_metrics(name: str, metrics: dict[str, Any], data: bytes) -> TTFont:
    """A TTFont as reportlab's own constructor makes it, from the parsed metrics."""
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(metrics)
    face._ttf_data = data
    per_em = 1000 / face.unitsPerEm
    face._pdfScale = lambda x: x * per_em
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = weakref.WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
    return font


@cache
def _glyphs(font: str) -> frozenset[int]:
    register_fonts()
    if font in FALLBACKS:
        _register(next(f for f in BUNDLED if f.name == font))
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


@cache
def pdf_names() -> dict[str, str]:
    """The BaseFont a PDF shows for each bundled font (subset tag removed) -> our font name.

    Each font is registered under its PostScript name; a face taken from a collection (.ttc)
    is written by reportlab as "<name>-<index>".
    """
    names = {font.name: font.name for font in BUNDLED}
    for font in BUNDLED:
        if font.filename.endswith(".ttc"):
            names[f"{font.name}-{font.index}"] = font.name
    return names


def has_glyph(font: str, character: str) -> bool:
    return ord(character) in _glyphs(font)


@cache
def _font_for(primary: str, character: str) -> str:
    # Per character, per primary face: the bold and condensed faces cover slightly different sets.
    code = ord(character)
    if code in _glyphs(primary):
        return primary
    for fallback in FALLBACKS:
        if code in _glyphs(fallback):
            return fallback
    return primary  # no bundled font has it: the primary's empty box, not a missing character


def runs(value: str, primary: str = FONT) -> tuple[Run, ...]:
    """`value` cut into (font, text) runs: the primary font wherever it has the glyph."""
    if value.isascii():
        return ((primary, value),)
    return _runs(value, primary)


@lru_cache(maxsize=65_536)
def _runs(value: str, primary: str) -> tuple[Run, ...]:
    pieces: list[Run] = []
    current = primary
    start = 0
    for position, character in enumerate(value):
        if character.isspace() and has_glyph(current, character):
            font = current  # a space between two Chinese words stays with them
        else:
            font = _font_for(primary, character)
        if font != current:
            if position > start:
                pieces.append((current, value[start:position]))
            current, start = font, position
    if len(value) > start:
        pieces.append((current, value[start:]))
    return tuple(pieces)


def needs_fallback(value: str, primary: str = FONT) -> bool:
    return any(font != primary for font, _ in runs(value, primary))


def string_width(value: str, primary: str, size: float) -> float:
    """The printed width of `value` in points, each run measured in its own font."""
    if value.isascii():
        return float(pdfmetrics.stringWidth(value, primary, size))
    return sum(float(pdfmetrics.stringWidth(t, f, size)) for f, t in _runs(value, primary))


def escaped_runs(value: str, primary: str) -> str:
    """Paragraph markup for user text: every run escaped, fallback runs in their own <font>."""
    if value.isascii():
        return escape(value)
    return "".join(
        escape(t) if f == primary else f'<font name="{f}">{escape(t)}</font>'
        for f, t in _runs(value, primary)
    )


def is_ideographic(character: str) -> bool:
    """Scripts written without spaces between words (Chinese, Japanese; Korean syllables)."""
    code = ord(character)
    return (
        0x2E80 <= code <= 0x9FFF  # CJK radicals, kana, ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFF00 <= code <= 0xFFEF  # full- and half-width forms
        or 0x20000 <= code <= 0x3FFFF
    )


def wraps_anywhere(value: str) -> bool:
    """Whether a line of `value` may need breaking between characters, not only at spaces."""
    return not value.isascii() and any(is_ideographic(c) for c in value)
