"""Python's cyclic garbage collector while a process starts, and when it ends.

Starting loads a few hundred thousand long-lived objects (modules, classes, the ORM's mappers and
compiled queries). The collector would walk them again and again as they arrive, and once more
at exit, though none of them is garbage: together that costs about as much as importing
SQLAlchemy. So the process's own command line (`ceo-desk ...`) starts with the collector paused;
once the log is open (the command line) or the first screen is painted (the app) everything alive
is frozen out of its sight (`gc.freeze`) and collection goes on as usual for what comes after.

Only the real process does this: tests call the entry point in-process many times, and freezing
there would keep each test's leftovers for the rest of the run.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_owned = False  # True once `start` was called: this process's start-up is ours to tune
_held = 0  # how many `starting` blocks are open: `settle` waits for the outermost to end


def start() -> None:
    """Pause collection for the start-up of this process (the entry point calls it once)."""
    global _owned
    _owned = True
    gc.disable()


def pause() -> None:
    """Pause collection again for more start-up work (opening the log); no-op unless started."""
    if _owned:
        gc.disable()


def settle() -> None:
    """Freeze what start-up left alive and collect as usual from here on; no-op unless started,
    and inside a `starting` block until it ends."""
    if _owned and not _held and not gc.isenabled():
        gc.freeze()
        gc.enable()


@contextmanager
def starting() -> Iterator[None]:
    """A short command's whole work counted as start-up (its own modules load as it runs, and
    what it builds is small): collection stays paused until the block ends."""
    global _held
    pause()
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        settle()


def before_exit() -> None:
    """The interpreter's last collection at exit walks every object still alive only to free
    memory the system takes back anyway: freeze them first. No-op unless started."""
    if _owned:
        gc.freeze()
