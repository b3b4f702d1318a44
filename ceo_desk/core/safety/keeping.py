"""Keeping backups: thinning (7 daily, 4 weekly, 12 monthly) and the daily backup.

What is here needs only the log's file, never SQLAlchemy, so the process the command line leaves
behind to take the daily backup (`ceo_desk.cli.daily_backup`) starts in a blink.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from ceo_desk import paths
from ceo_desk.store import backup
from ceo_desk.store.backup import BackupFile

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
BACKUP_EVERY = timedelta(days=1)


def thinning_plan(backups: list[BackupFile]) -> tuple[list[BackupFile], list[BackupFile]]:
    """Split backups into (keep, drop): the newest of each of the last 7 days, 4 weeks, 12 months.

    The newest backup is always kept, whatever its age. A backup taken before a restore or a
    migration is kept apart: it may hold the only copy of what the log held before it changed
    course, so it stays until a person deletes it and counts toward no day, week or month.
    """
    kept_apart = [b for b in backups if b.kept_apart]
    thinned = [b for b in backups if not b.kept_apart]
    newest_first = sorted(thinned, key=lambda b: b.taken_at, reverse=True)
    days: set[object] = set()
    weeks: set[object] = set()
    months: set[object] = set()
    keep: list[BackupFile] = []
    drop: list[BackupFile] = []
    for index, item in enumerate(newest_first):
        day = item.taken_at.date()
        week = day.isocalendar()[:2]
        month = (day.year, day.month)
        wanted = index == 0
        if day not in days and len(days) < KEEP_DAILY:
            days.add(day)
            wanted = True
        if week not in weeks and len(weeks) < KEEP_WEEKLY:
            weeks.add(week)
            wanted = True
        if month not in months and len(months) < KEEP_MONTHLY:
            months.add(month)
            wanted = True
        (keep if wanted else drop).append(item)
    return sorted(keep + kept_apart, key=lambda b: b.taken_at, reverse=True), drop


def thin(directory: Path) -> list[Path]:
    """Delete the backups in `directory` the policy no longer needs; returns what was removed.

    A backup the policy drops is still kept when no newer kept backup holds its newest audit
    event: its history (say, the log before it was replaced by a fresh one) exists nowhere else.
    Call it with the folder's lock held (backup.folder_lock), as backup_now does."""
    keep, drop = thinning_plan(backup.list_backups(directory))
    removed = []
    for item in drop:
        head = backup.chain_head(item.path)
        newer = [k for k in keep if k.taken_at > item.taken_at]
        if head is not None and not any(backup.holds_event(k.path, head) for k in newer):
            keep.append(item)  # the only copy of its history: it stays, and may cover older ones
            continue
        try:
            item.path.unlink()
        except FileNotFoundError:
            continue
        removed.append(item.path)
    return removed


def backup_into(folder: Path, source: Path, label: str, now: datetime | None) -> Path:
    """A backup into the managed folder, then thinning; the caller holds the folder's lock."""
    backup.remove_unfinished(folder)
    made = backup.copy_verified(source, folder / backup.backup_file_name(now, label))
    thin(folder)
    return made


def newest_backup_age(database: Path, now: datetime | None = None) -> timedelta | None:
    existing = backup.list_backups(paths.backups_dir(database))
    if not existing:
        return None
    return (now or datetime.now(UTC)) - existing[0].taken_at


def backup_is_due(database: Path, now: datetime | None = None) -> bool:
    """The newest backup of `database` is older than a day, or there is none."""
    age = newest_backup_age(database, now)
    return age is None or age >= BACKUP_EVERY


def backup_file_if_due(source: Path, now: datetime | None = None) -> Path | None:
    """Take the daily backup when the newest one is older than a day (or there is none).

    The age is read with the folder's lock held, so several copies of CEO Desk opening at once
    take one daily backup between them."""
    folder = paths.ensure_private_dir(paths.backups_dir(source))
    with backup.folder_lock(folder):
        if not backup_is_due(source, now):
            return None
        return backup_into(folder, source, "", now)
