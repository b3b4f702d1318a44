"""The one way a value of the log becomes JSON: dates as ISO 8601, vocabularies as their text.

Used for the audit trail's before/after values (whose digest the hash chain covers, so what a
value turns into must never change), the command line's --json output and a customer's export.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any


def default(value: Any) -> Any:
    """For `json.dumps(default=...)`: what a value JSON does not know becomes."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def plain(value: Any) -> Any:
    """`value` with every date and vocabulary inside it turned into its JSON text; dicts and
    lists are copied, everything else is kept as it is."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, datetime | date | StrEnum):
        return default(value)
    return value


def dumps(value: Any, *, canonical: bool = False, indent: int | None = None) -> str:
    """JSON text of `value`; `canonical` sorts the keys, so equal values give equal text."""
    return json.dumps(
        value, sort_keys=canonical, ensure_ascii=False, indent=indent, default=default
    )
