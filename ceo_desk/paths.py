"""Where CEO Desk keeps its files: computed on demand, never at import time."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "ceo-desk"
DATABASE_FILE = "ceo-desk.sqlite3"
DATABASE_URL_ENV = "CEO_DESK_DATABASE_URL"
DATA_DIR_ENV = "CEO_DESK_DATA_DIR"
CONFIG_DIR_ENV = "CEO_DESK_CONFIG_DIR"


def data_dir() -> Path:
    """The user data directory (or $CEO_DESK_DATA_DIR): database, backups."""
    override = os.environ.get(DATA_DIR_ENV)
    return (
        Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    )


def config_dir() -> Path:
    """The per-computer configuration directory (or $CEO_DESK_CONFIG_DIR)."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / DATABASE_FILE


def backups_dir(database: Path | None = None) -> Path:
    """Where backups are kept: one folder per database file, so thinning one log's backups or
    offering "the newest backup" never touches or offers another log's."""
    root = data_dir() / "backups"
    if database is None:
        return root
    resolved = database.expanduser().resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:10]
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in resolved.stem)[:40]
    return root / f"{stem or 'log'}-{digest}"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and any missing parents) readable by its owner only: the log holds
    personal data. Only for CEO Desk's own folders, never for one a person chose."""
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    path.mkdir(parents=True, exist_ok=True)
    for created in [path, *missing]:
        os.chmod(created, 0o700)
    return path


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def resolve_database_url(db_option: str | None) -> str:
    """`--db` (a path or URL) wins over $CEO_DESK_DATABASE_URL, which wins over the default file."""
    if db_option:
        if "://" in db_option:
            return db_option
        # Made absolute without following links, so opening sees a link that leads nowhere
        # (and refuses it) instead of creating the file it points at.
        return sqlite_url(Path(os.path.abspath(Path(db_option).expanduser())))
    from_env = os.environ.get(DATABASE_URL_ENV)
    if from_env:
        return from_env
    return sqlite_url(default_database_path())
