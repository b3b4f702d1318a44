"""Rows made in a second process while this one writes them.

A bulk writer (the demo's generator) spends about half its time making rows in Python and half
in the database; on a machine with two cores the halves can overlap. The maker runs in a forked
copy of this process, which has everything made so far (a random generator's state included),
and sends each batch down a pipe as soon as it is ready; this process writes one batch while the
next is being made. What the maker holds at the end (counters, say) comes back with its last
message.

Forking copies only the thread that forks, and a lock another thread held stays held in the
copy for ever, so only a process with no other threads may do it: the command line asks for it,
the desktop app never does.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
H = TypeVar("H")

_BATCH, _DONE, _FAILED = "batch", "done", "failed"


def possible() -> bool:
    """Whether this process may fork a maker: POSIX, and no thread but this one."""
    return hasattr(os, "fork") and threading.active_count() == 1


def made_alongside(
    make: Callable[[], Iterator[T]],
    *,
    hand_back: Callable[[], H],
    receive: Callable[[H], None],
) -> Iterator[T]:
    """The batches `make` yields, made in a second process; once they are all here, what
    `hand_back` returns there is given to `receive` here. A maker that fails or vanishes raises
    RuntimeError here, so the writer's transaction is rolled back as for any other failure."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    maker = context.Process(target=_make_and_send, args=(make, hand_back, sending), daemon=True)
    maker.start()
    sending.close()  # this end is the maker's: the pipe ends when the maker is gone
    try:
        while True:
            try:
                kind, value = receiving.recv()
            except EOFError:
                raise RuntimeError(
                    "The process making the rows stopped before it was done."
                ) from None
            if kind == _BATCH:
                yield value
            elif kind == _DONE:
                receive(value)
                return
            else:
                raise RuntimeError(f"The process making the rows failed: {value}")
    finally:
        receiving.close()
        if maker.is_alive():
            maker.terminate()
        maker.join()


def _make_and_send(
    make: Callable[[], Iterator[Any]], hand_back: Callable[[], Any], sending: Connection
) -> None:
    """In the maker: send each batch, then what to hand back (or why it failed). The process
    ends without running this one's exit handlers (multiprocessing's own exit), so nothing
    inherited from the writer, its open database least of all, is touched here."""
    try:
        for batch in make():
            sending.send((_BATCH, batch))
        sending.send((_DONE, hand_back()))
    except BrokenPipeError:
        pass  # the writer has stopped reading (it failed or was interrupted)
    except BaseException as exc:  # told to the writer, which raises it there
        with contextlib.suppress(OSError):  # unless it has stopped reading too
            sending.send((_FAILED, f"{type(exc).__name__}: {exc}"))
    finally:
        sending.close()
