"""A delegate's reply by email, read as a draft of their report.

Delegates are asked to say what they told the customer and what they did; many answer under
headings ("What I said:", "Done:", "Cost:"). Text under a heading goes to its field; a reply with
no headings is taken whole as what was said, for the assistant to divide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADINGS = {
    "said": (
        r"(?:what\s+(?:i|we|was)\s+(?:said|told)(?:\s+the\s+customer)?|said"
        r"|told\s+the\s+customer)"
    ),
    "done": r"(?:what\s+(?:i|we|was)\s+(?:did|done)|done|actions?\s+taken)",
    "accommodation": r"(?:accommodation|offered|goodwill)",
    "cost": r"(?:cost|amount|refund(?:ed)?\s+amount)",
    "root_cause": r"(?:root\s+cause|cause|why\s+it\s+happened)",
}
_HEADING = re.compile(
    r"^\s*(?P<heading>" + "|".join(f"(?P<{k}>{v})" for k, v in _HEADINGS.items()) + r")\s*:\s*",
    re.IGNORECASE,
)
_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d{1,2})?")


@dataclass(frozen=True)
class ReportDraft:
    said: str = ""
    done: str = ""
    accommodation: str = ""
    cost: str = ""
    root_cause: str = ""


def draft_from_reply(new_text: str) -> ReportDraft:
    """The report fields a reply's own words give (headings recognised, else all as 'said')."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    loose: list[str] = []
    for line in (new_text or "").splitlines():
        match = _HEADING.match(line)
        if match:
            current = next(k for k in _HEADINGS if match.group(k))
            found.setdefault(current, []).append(line[match.end() :])
        elif current is not None:
            found[current].append(line)
        else:
            loose.append(line)
    values = {key: "\n".join(lines).strip() for key, lines in found.items()}
    if not values:
        return ReportDraft(said=(new_text or "").strip())
    cost = _AMOUNT.search(values.get("cost", ""))
    return ReportDraft(
        said=values.get("said", ""),
        done=values.get("done", ""),
        accommodation=values.get("accommodation", ""),
        cost=cost.group(0).replace(",", "") if cost else "",
        root_cause=values.get("root_cause", ""),
    )
