"""Typed settings, declared once.

Office settings (due-date policy, holidays, phone region, currency, the CEO's name) live in the
database so the assistant's and the CEO's computers agree. The acting role belongs to one computer
and lives in a small JSON file in the configuration directory.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from typing import Any

from ceo_desk import paths
from ceo_desk.enums import Role, Severity

DEFAULT_REPORT_DUE_DAYS = {
    Severity.CRITICAL: 1,
    Severity.HIGH: 2,
    Severity.NORMAL: 5,
    Severity.LOW: 10,
}


@dataclass(frozen=True)
class OfficeSettings:
    """Shared by everyone who opens the same database."""

    report_due_days: dict[Severity, int] = field(
        default_factory=lambda: dict(DEFAULT_REPORT_DUE_DAYS)
    )
    callback_due_days: int = 1
    weekend_days: tuple[int, ...] = (5, 6)  # Monday is 0
    holidays: tuple[date, ...] = ()
    phone_region: str = "US"
    currency: str = "USD"
    ceo_name: str = ""
    unreachable_after_attempts: int = 3
    retention_years: int | None = None

    def to_json_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["report_due_days"] = {s.value: n for s, n in self.report_due_days.items()}
        data["weekend_days"] = list(self.weekend_days)
        data["holidays"] = [d.isoformat() for d in self.holidays]
        return data

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> OfficeSettings:
        """Build from stored values; unknown keys are ignored, missing ones take the defaults."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "report_due_days" in values:
            merged = dict(DEFAULT_REPORT_DUE_DAYS)
            merged.update({Severity(k): int(v) for k, v in values["report_due_days"].items()})
            values["report_due_days"] = merged
        if "weekend_days" in values:
            values["weekend_days"] = tuple(int(d) for d in values["weekend_days"])
        if "holidays" in values:
            values["holidays"] = tuple(sorted(date.fromisoformat(d) for d in values["holidays"]))
        return replace(cls(), **values)


@dataclass(frozen=True)
class LocalSettings:
    """Belongs to this computer only."""

    acting_role: Role = Role.ASSISTANT

    @classmethod
    def load(cls) -> LocalSettings:
        path = paths.config_dir() / "settings.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(acting_role=Role(data.get("acting_role", Role.ASSISTANT.value)))
        except (OSError, ValueError, AttributeError):
            # A missing or damaged file means "not configured yet", never a crash.
            return cls()

    def save(self) -> None:
        directory = paths.ensure_private_dir(paths.config_dir())
        path = directory / "settings.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"acting_role": self.acting_role.value}), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
