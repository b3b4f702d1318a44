"""Erase a customer through the command line while files may grow only `headroom` bytes more.

RLIMIT_FSIZE stands in for a nearly full disk, as in disk_full_child. Exits with the command's
code; its messages go to stderr as usual."""

from __future__ import annotations

import resource
import signal
import sys
from pathlib import Path

from ceo_desk.cli import main


def run(db_path: str, customer_id: str, headroom: int) -> int:
    path = Path(db_path)
    sizes = [p.stat().st_size for p in (path, Path(db_path + "-wal")) if p.exists()]
    limit = max(sizes) + headroom
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return main(["erase-customer", customer_id, "--yes", "--db", db_path])


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1], sys.argv[2], int(sys.argv[3])))
