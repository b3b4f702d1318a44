"""Cutting user text into runs of the font that has its glyphs, and escaping each run."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics

from ceo_desk.reports.common import fit
from ceo_desk.reports.fonts import (
    BUNDLED,
    FONT,
    FONT_FALLBACK,
    FONT_NARROW,
    escaped_runs,
    has_glyph,
    needs_fallback,
    pdf_names,
    runs,
    string_width,
    wraps_anywhere,
)


def test_latin_greek_and_cyrillic_stay_in_dejavu() -> None:
    for value in ("Zoë Ångström", "Ольга Смирнова", "Γιώργος", "Łukasz – “quoted” …", "O'Brien"):
        assert runs(value, FONT) == ((FONT, value),)
        assert not needs_fallback(value)


def test_chinese_japanese_and_korean_go_to_the_fallback() -> None:
    for value in ("李娜", "王伟", "김민준", "こんにちは", "カタカナ"):
        assert runs(value, FONT) == ((FONT_FALLBACK, value),)
        assert all(has_glyph(FONT_FALLBACK, c) for c in value)
        assert not any(has_glyph(FONT, c) for c in value)


def test_mixed_text_switches_only_where_needed() -> None:
    assert runs("Call 李娜 today", FONT) == (
        (FONT, "Call "),
        (FONT_FALLBACK, "李娜 "),
        (FONT, "today"),
    )
    assert runs("田中 太郎 (Tokyo)", FONT_NARROW) == (
        (FONT_FALLBACK, "田中 太郎 "),
        (FONT_NARROW, "(Tokyo)"),
    )


@given(st.text(alphabet=st.sampled_from("aé Ж李娜김<>&\"'\n"), min_size=1, max_size=30))
def test_runs_keep_every_character_in_order(value: str) -> None:
    pieces = runs(value, FONT)
    assert "".join(text for _, text in pieces) == value
    assert all(text for _, text in pieces)
    assert all(a[0] != b[0] for a, b in pairwise(pieces))


def test_markup_escapes_every_run_and_names_only_the_fallback() -> None:
    hostile = '<b>李娜</b> & <font name="Helvetica">x</font>'
    assert escaped_runs(hostile, FONT) == (
        "&lt;b&gt;"
        f'<font name="{FONT_FALLBACK}">李娜</font>'
        '&lt;/b&gt; &amp; &lt;font name="Helvetica"&gt;x&lt;/font&gt;'
    )
    assert escaped_runs("a < b & c", FONT) == "a &lt; b &amp; c"


def test_widths_are_measured_in_each_runs_own_font() -> None:
    value = "Zoë 李娜"
    expected = pdfmetrics.stringWidth("Zoë ", FONT, 8) + pdfmetrics.stringWidth(
        "李娜", FONT_FALLBACK, 8
    )
    assert string_width(value, FONT, 8) == expected
    assert string_width("李娜", FONT, 8) > 0  # not the zero width of missing glyphs


def test_fit_shortens_chinese_to_the_column_by_its_real_width() -> None:
    value = "包裹在运输途中损坏客户要求全额退款"
    shortened = fit(value, 60, FONT_NARROW, 8)
    assert shortened.endswith("…") and len(shortened) < len(value)
    assert string_width(shortened, FONT_NARROW, 8) <= 60
    assert string_width(value[: len(shortened)] + "…", FONT_NARROW, 8) > 60


def test_only_scripts_without_spaces_wrap_between_characters() -> None:
    assert wraps_anywhere("包裹在运输途中损坏")
    assert wraps_anywhere("고객님께")
    assert not wraps_anywhere("Ольга Смирнова")
    assert not wraps_anywhere("plain text")


def test_pdf_names_match_the_base_fonts_reportlab_writes() -> None:
    for font in BUNDLED:
        has_glyph(font.name, "a")  # registers the font, the fallback included
        face = pdfmetrics.getFont(font.name).face
        written = (face.name + face.subfontNameX).decode("latin-1")
        assert pdf_names()[written] == font.name
