"""`ceo-desk check`: integrity, foreign keys and the audit chain, reported in plain words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ceo_desk.core.safety import trail_check
from ceo_desk.store import backup, schema, schema_shape
from ceo_desk.store.db import Database, UnitOfWork


@dataclass(frozen=True)
class Finding:
    check: str  # "integrity", "foreign_keys", "audit_chain"
    ok: bool
    detail: str


@dataclass(frozen=True)
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    events_checked: int = 0
    first_broken_event_id: int | None = None

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events_checked": self.events_checked,
            "first_broken_event_id": self.first_broken_event_id,
            "findings": [asdict(f) for f in self.findings],
        }

    def as_text(self) -> str:
        """The report as `ceo-desk check` prints it: the headline, each check as a sentence
        and, when something is wrong, what to do next."""
        lines = [self.headline, "", *self.plain_lines()]
        if not self.ok:
            lines += ["", self.what_to_do]
        return "\n".join(lines)

    def __iter__(self) -> Any:
        return iter(self.findings)

    @property
    def headline(self) -> str:
        if self.ok:
            return "The log is sound and the audit trail is intact."
        return "The check found problems; nothing was changed."

    @property
    def what_to_do(self) -> str:
        """The next step after a failed check (empty when every check passed)."""
        failed = {f.check for f in self if not f.ok}
        if not failed:
            return ""
        if failed == {"audit_seal"}:
            return (
                "What to do: type the seal exactly as it is printed on the board pack and check "
                "again. If it still does not match, the trail has changed since the pack was "
                "printed: ask for help before changing anything."
            )
        return (
            "What to do: restore the newest backup that passes this check (`ceo-desk restore "
            "FILE`, or File, Restore from a backup in the app), then run `ceo-desk check` again. "
            "If no backup passes, ask for help before changing anything."
        )

    def plain_lines(self) -> list[str]:
        """Each finding as a sentence a person reads without knowing the checks' names."""
        lines = []
        for finding in self:
            if finding.ok:
                said = _PLAIN_OK.get(finding.check)
                if finding.check == "integrity" and "integrity_check" not in finding.detail:
                    said = None  # on PostgreSQL the server checks its own pages
                text = said.format(events=self.events_checked) if said else _sentence(finding)
                lines.append(f"✓ {text}")
            else:
                lines.append(f"✗ {_sentence(finding)}")
        return lines


# How each passed check reads; a failed one says what is wrong in its own detail.
_PLAIN_OK = {
    "integrity": "The log file is sound; no part of it is damaged.",
    "foreign_keys": "Every record points at records that exist.",
    "schema": "The tables are as this version of CEO Desk expects them.",
    "records_match_trail": "Every complaint is what its history says it is.",
    "audit_chain": "The audit trail is intact: {events:,} events, none changed or removed.",
    "audit_protection": "The audit trail is protected against change and deletion.",
    "audit_anchor": "The audit trail agrees with the copy of its last entry kept outside the log.",
    "audit_seal": "The printed seal matches the audit trail.",
}


def _sentence(finding: Finding) -> str:
    detail = finding.detail.strip()
    text = detail[:1].upper() + detail[1:]
    return text if text.endswith(".") else f"{text}."


# Told before each step of `run_check`: (steps done, steps in all, what is being checked).
StepReport = Callable[[int, int, str], None]
CHECK_STEPS = (
    "Checking the log file…",
    "Checking the references between records…",
    "Comparing the tables with this version's…",
    "Checking the audit trail, event by event…",
)


def check_file(path: Path) -> Finding:
    """Integrity of a SQLite file before it is opened (a damaged file may not open at all)."""
    if not path.exists():
        return Finding("integrity", False, f"there is no database file at {path}")
    problems = backup.integrity_problems(path)
    if problems:
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        return Finding(
            "integrity",
            False,
            f"the file is damaged: {shown}{more}. Restore the newest backup (File, Restore from "
            "a backup; or `ceo-desk restore`).",
        )
    return Finding("integrity", True, "the database file is sound (integrity_check ok)")


def foreign_key_finding(uow: UnitOfWork) -> Finding:
    if uow.dialect != "sqlite":
        return Finding("foreign_keys", True, "enforced by the PostgreSQL server")
    rows = uow.session.execute(text("PRAGMA foreign_key_check")).all()
    if not rows:
        return Finding("foreign_keys", True, "every reference points at an existing row")
    first = rows[0]
    return Finding(
        "foreign_keys",
        False,
        f"{len(rows)} row(s) point at rows that do not exist; first: table {first[0]} row "
        f"{first[1]} -> {first[2]}",
    )


def schema_finding(db: Database) -> Finding:
    """The live schema against the one this log's version should have, every difference named.

    Takes the database, not a unit of work: the comparison opens its own connection, which it
    rolls back between steps (building the expected schema writes a scratch copy on PostgreSQL),
    so it cannot run inside a caller's transaction."""
    try:
        with db.engine.connect() as conn:
            revision = schema.current_revision(conn)
            conn.rollback()
            if revision is None:
                return Finding("schema", False, "the log records no schema version")
            live = schema_shape.live_shape(conn)
            conn.rollback()
            expected = schema_shape.expected_shape(conn, revision)
    except DBAPIError as exc:
        first = str(getattr(exc, "orig", exc)).splitlines()[0]
        if "permission denied" in first.lower():
            # Building the expected schema needs a scratch schema on PostgreSQL.
            return Finding(
                "schema",
                True,
                "not compared: this database user may not create the scratch schema the "
                "comparison needs; run `ceo-desk check` as the database's owner to compare",
            )
        return Finding("schema", False, f"the schema could not be compared: {first}")
    found = schema_shape.differences(expected, live)
    if not found:
        return Finding(
            "schema", True, f"tables, columns, indexes, triggers and views as in {revision}"
        )
    shown = "; ".join(found)
    return Finding(
        "schema",
        False,
        f"{len(found)} difference(s) from schema {revision}: {shown}. Restore a backup (restore "
        "rebuilds the log with this version's schema) or ask for help before changing anything.",
    )


def run_check(
    db: Database, *, seal: str | None = None, on_step: StepReport | None = None
) -> CheckReport:
    """Every check on an opened database (and, given a printed audit seal, against it).

    Takes the database, not a unit of work: `integrity_check` reads the file through its own
    connection, the schema comparison opens another (see `schema_finding`), and the trail check
    reads the anchor and the backups beside the log as well as the log itself."""

    def step(number: int) -> None:
        if on_step is not None:
            on_step(number, len(CHECK_STEPS), CHECK_STEPS[number])

    findings = []
    path = db.sqlite_path
    step(0)
    if path is not None:
        findings.append(check_file(path))
    else:
        findings.append(Finding("integrity", True, "pages are checked by the PostgreSQL server"))
    step(1)
    with db.reading() as uow:
        findings.append(foreign_key_finding(uow))
    step(2)
    findings.append(schema_finding(db))
    step(3)
    # Further checks of an opened log are added here, one call each; the trail's come last.
    trail = trail_check.check_trail(db, seal_text=seal)
    findings += [Finding(f.check, f.ok, f.detail) for f in trail.findings]
    return CheckReport(findings, trail.events_checked, trail.first_broken_event_id)
