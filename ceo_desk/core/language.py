"""Spotting reports that lean on policy and "can't" instead of fixing the problem.

The matcher reports where each phrase sits in the text (`flagged_spans`), so whatever shows the
text highlights exactly what was found; the list of distinct terms is built from those spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Phrases that, in a resolution report, usually mean the customer was told no.
FLAGGED_PHRASES = (
    "policy",
    "policies",
    "can't",
    "cant",
    "cannot",
    "can not",
    "couldn't",
    "unable",
    "not able",
    "not possible",
    "impossible",
    "non-refundable",
    "nonrefundable",
    "not refundable",
    "no exceptions",
    "not our responsibility",
    "not allowed",
    "won't",
    "refused",
    "declined",
    "terms and conditions",
    "out of warranty",
)

# Apostrophes people (and their word processors) type in "can't": the typographic right quote,
# the left quote typed by mistake and the modifier letter. Each is one character, as is "'", so
# positions in the normalised text are positions in the original.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def _words_apart(phrase: str) -> str:
    """The phrase as a pattern whose words may be apart by any run of white space."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


# One named group per phrase, so a match says which phrase it is whatever its case or spacing.
_PATTERN = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(f"(?P<p{index}>{_words_apart(p)})" for index, p in enumerate(FLAGGED_PHRASES))
    + r")(?![\w'])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FlaggedSpan:
    """Where a flagged phrase sits in a text: `text[start:end]`, and the phrase it matched."""

    start: int
    end: int
    term: str


def flagged_spans(text: str) -> list[FlaggedSpan]:
    """Every flagged phrase in `text`, in order, with its position in `text` itself."""
    normalised = (text or "").translate(_APOSTROPHES)
    return [
        FlaggedSpan(match.start(), match.end(), FLAGGED_PHRASES[int(str(match.lastgroup)[1:])])
        for match in _PATTERN.finditer(normalised)
    ]


def flagged_terms(*texts: str) -> list[str]:
    """The distinct flagged phrases found, in order of first appearance, lower-cased."""
    found: list[str] = []
    for chunk in texts:
        for span in flagged_spans(chunk):
            if span.term not in found:
                found.append(span.term)
    return found
