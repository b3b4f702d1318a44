"""The CEO's promises as one cell of an exported file, and read back from it by the import.

Each promise is a line: the day it is due by, "kept" or "broken" once ticked, a colon and what
was promised ("2026-03-06 kept: Refund the double charge"). A promise written over several lines
continues on lines indented by two spaces, so every promise comes back exactly as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ceo_desk.enums import PromiseOutcome
from ceo_desk.errors import ValidationError

_INDENT = "  "
_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?: +(kept|broken))? *: ?(.*)$", re.IGNORECASE)
EXAMPLE = "2026-03-06 kept: Refund the double charge"


@dataclass(frozen=True)
class WrittenPromise:
    """A promise as the file holds it: what, by when, and what became of it (None: open)."""

    what: str
    due_on: date
    outcome: PromiseOutcome | None = None


def written(promises: Iterable[WrittenPromise]) -> str:
    """The cell: one line per promise (continuation lines indented), in the order made."""
    lines: list[str] = []
    for promise in promises:
        settled = f" {promise.outcome.value}" if promise.outcome else ""
        first, *rest = promise.what.split("\n") or [""]
        lines.append(f"{promise.due_on.isoformat()}{settled}: {first}")
        lines += [_INDENT + line for line in rest]
    return "\n".join(lines)


def read(text: str, field: str = "promises") -> list[WrittenPromise]:
    """The promises a cell holds; a line that is not one is refused, naming it."""
    found: list[tuple[str, str | None, list[str]]] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw.startswith((" ", "\t")) and found:
            found[-1][2].append(raw.removeprefix(_INDENT))
            continue
        if not raw.strip():
            continue
        match = _LINE.match(raw.strip())
        if match is None:
            shown = raw.strip()
            shown = shown if len(shown) <= 40 else shown[:40] + "…"
            raise ValidationError(
                f"promise '{shown}' must start with the day it is due by, then kept or broken "
                f"once ticked, then a colon and what was promised, such as '{EXAMPLE}'",
                field=field,
            )
        day, outcome, what = match.groups()
        found.append((day, outcome, [what]))
    promises: list[WrittenPromise] = []
    for day, outcome, what in found:
        try:
            due = date.fromisoformat(day)
        except ValueError:
            raise ValidationError(
                f"promise due {day} is not a real day; write it as YYYY-MM-DD", field=field
            ) from None
        promises.append(
            WrittenPromise(
                "\n".join(what).strip(), due, PromiseOutcome(outcome.lower()) if outcome else None
            )
        )
    return promises
