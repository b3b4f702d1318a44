"""Log complaints through the command line until the file may not grow any more.

RLIMIT_FSIZE stands in for a full disk (mounting a small filesystem needs root): writes past the
limit fail with EFBIG once SIGXFSZ is ignored. Prints each reference logged; exits with the
command's code when it fails."""

from __future__ import annotations

import os
import resource
import signal
import sys
from pathlib import Path

from ceo_desk.cli import main


def run(db_path: str, headroom: int) -> int:
    path = Path(db_path)
    sizes = [p.stat().st_size for p in (path, Path(db_path + "-wal")) if p.exists()]
    limit = max(sizes) + headroom
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    for number in range(1, 500):
        code = main(
            [
                "log",
                "--db",
                db_path,
                "--customer",
                f"Disk Filler {number}",
                "--summary",
                f"Complaint number {number}",
                "--email",
                f"filler{number}@example.com",
                "--details",
                (f"Long account {number}. " + os.urandom(6000).hex())[:15000],
            ]
        )
        sys.stdout.flush()
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1], int(sys.argv[2])))
