"""The tray's message when callbacks become due: the customers to call, by name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

NAMED_AT_MOST = 4


def due_message(references: Sequence[str], customers: Mapping[str, str]) -> tuple[str, str]:
    """Title and text naming who to call back ("Call back Farah Novák (C-2026-0012)")."""

    def named(reference: str) -> str:
        name = customers.get(reference, "").strip()
        return f"{name} ({reference})" if name else reference

    if len(references) == 1:
        return "Callback due", f"Call back {named(references[0])}."
    shown = [named(reference) for reference in references[:NAMED_AT_MOST]]
    more = len(references) - len(shown)
    text = f"{len(references)} callbacks are due: " + "; ".join(shown)
    text += f"; and {more} more." if more else "."
    return "Callbacks due", text
