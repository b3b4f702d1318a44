"""While a board pack is made the cycle collector runs rarely; afterwards it runs as before, also
when the pack is refused, and when two packs are made at once."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from ceo_desk.core import policy, stats
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.errors import ValidationError
from ceo_desk.reports import monthly
from ceo_desk.store.db import Database
from tests import builders

NOW = datetime.now().astimezone()


@pytest.fixture
def seen_during(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, int, int]]]:
    """The collector's thresholds each time the pack's figures are computed."""
    seen: list[tuple[int, int, int]] = []
    figures = stats.monthly_summary

    def noting(*args: object, **kwargs: object) -> stats.MonthlySummary:
        seen.append(gc.get_threshold())
        return figures(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stats, "monthly_summary", noting)
    before = gc.get_threshold()
    yield seen
    gc.set_threshold(*before)


def _this_month() -> policy.Month:
    return policy.Month.containing(SYSTEM_CLOCK.local_day(NOW))


def test_the_collector_runs_rarely_during_a_pack_and_as_before_after(
    db: Database, seen_during: list[tuple[int, int, int]]
) -> None:
    builders.log(db, "Ana Ruiz", when=NOW - timedelta(minutes=5))
    gc.set_threshold(900, 11, 12)
    with db.reading() as uow:
        pdf, pages = monthly.board_pack(uow, _this_month(), now=NOW)
    assert pdf.startswith(b"%PDF") and pages >= 1
    assert seen_during == [monthly.RARE_COLLECTION]
    assert gc.get_threshold() == (900, 11, 12)


def test_a_refused_pack_puts_the_collector_back(
    db: Database, seen_during: list[tuple[int, int, int]]
) -> None:
    gc.set_threshold(900, 11, 12)
    with db.reading() as uow, pytest.raises(ValidationError):
        monthly.board_pack(uow, _this_month().next(), now=NOW)
    assert seen_during == [monthly.RARE_COLLECTION]
    assert gc.get_threshold() == (900, 11, 12)


def test_two_packs_at_once_put_it_back_when_both_are_done(
    db: Database, seen_during: list[tuple[int, int, int]]
) -> None:
    gc.set_threshold(900, 11, 12)
    results: list[bytes] = []

    def second() -> None:
        with db.reading() as uow:
            results.append(monthly.board_pack(uow, _this_month(), now=NOW)[0])

    with monthly.collecting_rarely():
        worker = threading.Thread(target=second)
        worker.start()
        worker.join(60)
        # The other pack is done; this one is not: still rarely.
        assert results and gc.get_threshold() == monthly.RARE_COLLECTION
    assert gc.get_threshold() == (900, 11, 12)
