"""Reloading a screen's data in the background, one load at a time.

A refresh asked for while a load is running does not start a second one: it is remembered, and
one more load runs when the current one has been delivered, so the screen ends up showing the
latest data without loads overtaking each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject

from ceo_desk.ui.background import run_in_background

T = TypeVar("T")


class Reloader(Generic[T]):
    """Runs `load()` off the GUI thread and hands its result to `on_loaded` on the GUI thread.

    Args:
        owner: the widget the result is for; when it is destroyed first, the result is dropped.
        load: the work; opens its own unit of work and never touches widgets.
        on_loaded: shows the result.
        on_failed: tells the person the load failed; a remembered refresh is then dropped.
    """

    def __init__(
        self,
        owner: QObject,
        load: Callable[[], T],
        on_loaded: Callable[[T], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        self._owner = owner
        self._load = load
        self._on_loaded = on_loaded
        self._on_failed = on_failed
        self._loading = False
        self._again = False

    def request(self) -> None:
        """Start a load, or run one more after the load under way."""
        if self._loading:
            self._again = True
            return
        self._loading = True
        run_in_background(self._load, self._on_done, self._on_error, owner=self._owner)

    def _on_done(self, result: T) -> None:
        self._loading = False
        self._on_loaded(result)
        if self._again:
            self._again = False
            self.request()

    def _on_error(self, exc: BaseException) -> None:
        self._loading = False
        self._again = False
        self._on_failed(exc)
