"""A process that imports CEO Desk once, then forks one fresh worker per request.

Starting Python and importing the app takes most of a second; forking a ready process takes
milliseconds, so a crash test can kill many workers at random moments in little time.

Protocol on stdin, one line per round: `<database path> <fifo path> <seed>`. The zygote forks a
worker whose stdout is the FIFO and answers with the worker's pid on its own stdout.
"""

from __future__ import annotations

import os
import signal
import sys

from tests.helpers_safety.crash_worker import work


def main() -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped automatically
    for line in sys.stdin:
        db_path, fifo, seed = line.split()
        pid = os.fork()
        if pid == 0:
            fd = os.open(fifo, os.O_WRONLY)
            os.dup2(fd, 1)
            os.close(fd)
            sys.stdout = os.fdopen(1, "w", buffering=1, encoding="utf-8")
            try:
                work(db_path, int(seed))
            finally:
                sys.stdout.flush()
                os._exit(0)
        print(pid, flush=True)


if __name__ == "__main__":
    main()
