"""A progress bar on stderr for long commands (only when stderr is a terminal)."""

from __future__ import annotations

import sys
import time


class StderrProgress:
    """Called with (done, total); redraws at most a few times a second."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = False
        self._last = 0.0
        self.interactive = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.interactive:
            return
        now = time.monotonic()
        if now - self._last < 0.2 and done < total:
            return
        self._last = now
        share = done / total if total else 1.0
        filled = int(share * 30)
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%}")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
