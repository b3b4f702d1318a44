"""Crash proof: a worker logging and advancing complaints is killed with SIGKILL at random
moments (10 rounds x 5 seeds = 50 kills); every action it reported is in the log with its events,
nothing is half-written, integrity_check and the audit chain stay sound."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers_safety import crash

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_killed_worker_loses_nothing_it_reported(seed: int, tmp_path: Path) -> None:
    db_path = tmp_path / "log.sqlite3"
    crash.prepare(db_path)
    stats = crash.run_rounds(db_path, rounds=10, seed=seed)
    assert stats.problems == []
    assert stats.rounds == 10
    # The rounds did real work: complaints were logged and moved along.
    assert stats.actions_reported > 0
    assert stats.complaints > 0


def test_the_verifier_notices_a_lost_action(tmp_path: Path) -> None:
    """The check above can fail: an action reported but not in the log is caught."""
    db_path = tmp_path / "log.sqlite3"
    crash.prepare(db_path)
    problems = crash.verify(db_path, ["logged C-2026-9999"])
    assert problems and "C-2026-9999" in problems[0]
