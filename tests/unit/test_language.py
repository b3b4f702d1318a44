"""Flagged wording: which phrases are found, and exactly where they stand in the text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core.language import FLAGGED_PHRASES, FlaggedSpan, flagged_spans, flagged_terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Under our policy we cannot refund.", ["policy", "cannot"]),
        ("We can\u2019t do that; it is non-refundable.", ["can't", "non-refundable"]),
        ("It was not   possible to come earlier", ["not possible"]),
        ("Refunded in full and apologised.", []),
        ("The policyholder was called.", []),
    ],
)
def test_flagged_terms(text: str, expected: list[str]) -> None:
    assert flagged_terms(text) == expected


def test_spans_point_into_the_text_as_typed() -> None:
    text = "Sorry, we CAN\u2019T help: Terms and\nConditions."
    assert flagged_spans(text) == [
        FlaggedSpan(10, 15, "can't"),
        FlaggedSpan(22, 42, "terms and conditions"),
    ]
    assert text[10:15] == "CAN\u2019T" and text[22:42] == "Terms and\nConditions"


# Words that are never flagged, alone or next to a phrase; some contain a phrase inside them.
INNOCENT = ["we", "refunded", "the", "policyholder", "cans", "cant's", "nott", "able", "Tuesday"]
SEPARATORS = [" ", "  ", "\n", ", ", ". ", "; ", " (", ") ", " “", "” ", " - "]
APOSTROPHES = ["'", "\u2019", "\u2018", "\u02bc"]


@st.composite
def typed_phrase(draw: st.DrawFn) -> tuple[str, str]:
    """A flagged phrase as someone might type it, and the phrase it is."""
    phrase = draw(st.sampled_from(FLAGGED_PHRASES))
    first, *others = phrase.split()
    typed = first + "".join(
        draw(st.sampled_from([" ", "  ", "\n", "\t", " \n "])) + word for word in others
    )
    typed = typed.replace("'", draw(st.sampled_from(APOSTROPHES)))
    cased = "".join(c.upper() if draw(st.booleans()) else c for c in typed)
    return cased, phrase


@st.composite
def report_text(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    """Innocent words and flagged phrases, and where each planted phrase stands."""
    text = ""
    planted: list[tuple[int, int, str]] = []
    for _ in range(draw(st.integers(0, 8))):
        if text:
            text += draw(st.sampled_from(SEPARATORS))
        if draw(st.booleans()):
            typed, phrase = draw(typed_phrase())
            planted.append((len(text), len(text) + len(typed), phrase))
            text += typed
        else:
            text += draw(st.sampled_from(INNOCENT))
    return text, planted


@given(report_text())
def test_every_planted_phrase_is_found_exactly_where_it_stands(
    example: tuple[str, list[tuple[int, int, str]]],
) -> None:
    text, planted = example
    spans = flagged_spans(text)
    assert [(s.start, s.end, s.term) for s in spans] == planted
    expected_terms: list[str] = []
    for _, _, phrase in planted:
        if phrase not in expected_terms:
            expected_terms.append(phrase)
    assert flagged_terms(text) == expected_terms


# Letters of the phrases, apostrophes and spaces, so random text often holds a phrase; and any
# text at all. (Dotted and dotless i match "i" when case is ignored but fold to other letters.)
PHRASE_LETTERS = "cantpolicysNOTABLEWR'\u2019 \n-"
ANY_TEXT = st.text(st.characters(exclude_characters="İı"), max_size=80)


@given(st.one_of(st.text(PHRASE_LETTERS, max_size=60), ANY_TEXT))
def test_spans_are_in_order_apart_and_cover_their_phrase(text: str) -> None:
    end = 0
    for span in flagged_spans(text):
        assert end <= span.start < span.end <= len(text)
        end = span.end
        found = text[span.start : span.end]
        for apostrophe in APOSTROPHES:
            found = found.replace(apostrophe, "'")
        assert " ".join(found.casefold().split()) == span.term
        assert span.term in FLAGGED_PHRASES


@given(st.sampled_from(FLAGGED_PHRASES), st.sampled_from(["x", "1", "_", "'", "é"]))
def test_a_phrase_inside_a_longer_word_is_not_flagged(phrase: str, glued: str) -> None:
    assert flagged_spans(glued + phrase) == []
    assert flagged_spans(phrase + glued) == []
