"""Spotting reports that lean on policy and "can't" instead of fixing the problem."""

from __future__ import annotations

import re

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

_PATTERN = re.compile(
    r"(?<![\w'])("
    + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in FLAGGED_PHRASES)
    + r")(?![\w'])",
    re.IGNORECASE,
)


def flagged_terms(*texts: str) -> list[str]:
    """The distinct flagged phrases found, in order of first appearance, lower-cased."""
    found: list[str] = []
    for chunk in texts:
        normalised = (chunk or "").replace("\u2019", "'")
        for match in _PATTERN.finditer(normalised):
            term = " ".join(match.group(1).lower().split())
            if term not in found:
                found.append(term)
    return found
