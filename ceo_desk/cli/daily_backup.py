"""The daily backup after a command, in a process of its own, so no command waits for it.

A command that opened a SQLite log whose daily backup is due starts this module as a detached
process once its own work is done (`start_if_due`); the process takes the backup under the
backups folder's lock, exactly as the app does, and notes any failure in the log file. The next
command on a log whose backup is still due starts it again.

Run as `python -m ceo_desk.cli.daily_backup DATABASE_FILE`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def start_if_due(database: Path) -> bool:
    """Start the daily backup of `database` in the background when it is due; True if started."""
    from ceo_desk.core.safety import keeping

    if not keeping.backup_is_due(database):
        return False
    command = [sys.executable, "-m", "ceo_desk.cli.daily_backup", str(database)]
    # `sh` starts the backup as a job of its own and returns at once, so this process neither
    # waits for the backup nor leaves a child behind when it exits.
    subprocess.run(
        ["/bin/sh", "-c", 'exec "$@" &', "sh", *command],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        check=False,
    )
    return True


def main(argv: list[str]) -> int:
    from ceo_desk import logs
    from ceo_desk.core.safety import keeping
    from ceo_desk.errors import CeoDeskError

    try:
        keeping.backup_file_if_due(Path(argv[0]))
    except CeoDeskError as exc:
        logs.configure()
        logs.logger.warning("The daily backup was not taken: %s", exc)
        return 2
    except Exception as exc:  # nobody is watching this process: the log file is told instead
        logs.configure()
        logs.record_unexpected(exc)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
