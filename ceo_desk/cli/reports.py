"""Sub-commands for the reports group (registered by the main parser)."""

from __future__ import annotations

from typing import Any


def register(commands: Any) -> None:
    """Add this group's sub-commands to the main parser."""
