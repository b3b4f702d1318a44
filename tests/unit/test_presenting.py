"""The one presentation of a report: pieces of text, with the flagged phrases marked in place."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core.presenting import marked
from tests.unit.test_language import report_text


@given(report_text())
def test_pieces_rebuild_the_text_and_mark_exactly_the_phrases(
    example: tuple[str, list[tuple[int, int, str]]],
) -> None:
    text, planted = example
    pieces = marked(text).pieces()
    assert "".join(piece for piece, _ in pieces) == text
    assert [piece for piece, flagged in pieces if flagged] == [text[a:b] for a, b, _ in planted]


@given(report_text(), st.integers(2, 120))
def test_a_shortened_text_keeps_only_whole_marks(
    example: tuple[str, list[tuple[int, int, str]]], limit: int
) -> None:
    text, _ = example
    short = marked(text).shortened(limit)
    assert len(short.text) <= max(limit, len(text))
    flagged = [piece for piece, is_flagged in short.pieces() if is_flagged]
    assert all(piece in text for piece in flagged)
    assert "".join(piece for piece, _ in short.pieces()) == short.text
    if len(text) <= limit:
        assert short.text == text
    else:
        assert short.text.endswith("…")
