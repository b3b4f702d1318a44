"""The fallback font's parsed metrics are kept, and a font read back from them is the same font."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceo_desk.reports import fonts

FALLBACK = next(f for f in fonts.BUNDLED if f.name == fonts.FONT_FALLBACK)


def test_a_kept_copy_gives_the_same_font_and_a_damaged_one_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CEO_DESK_DATA_DIR", str(tmp_path))
    path = fonts.font_path(FALLBACK)
    assert path is not None
    parsed = fonts._load(FALLBACK, path)
    kept = fonts._kept_copy(FALLBACK, path)
    assert kept is not None and kept.is_file()
    assert kept.stat().st_mode & 0o777 == 0o600
    again = fonts._load(FALLBACK, path)
    assert again.face is not parsed.face
    assert again.face.charToGlyph == parsed.face.charToGlyph
    assert again.stringWidth("王小明 Zoë", 8) == parsed.stringWidth("王小明 Zoë", 8)
    # The embedded subset (what a PDF carries) is byte for byte the same.
    glyphs = [ord(c) for c in "王小明张伟"]
    assert again.face.makeSubset(glyphs) == parsed.face.makeSubset(glyphs)

    kept.write_bytes(b"not a kept copy")
    damaged = fonts._load(FALLBACK, path)
    assert damaged.face.charToGlyph == parsed.face.charToGlyph
