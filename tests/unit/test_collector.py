"""Start-up with the garbage collector paused, then everything it left alive frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from ceo_desk import collector


@pytest.fixture
def owned_start() -> Iterator[None]:
    yield
    collector._owned = False
    gc.unfreeze()
    gc.enable()


def test_nothing_changes_unless_the_process_start_is_ours() -> None:
    collector.pause()
    collector.settle()
    collector.before_exit()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("owned_start")
def test_start_up_pauses_collection_and_settling_freezes_what_it_left() -> None:
    collector.start()
    assert not gc.isenabled()
    kept = [[n] for n in range(1000)]  # start-up's long-lived objects
    collector.settle()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)
    collector.pause()  # opening the log: start-up again
    assert not gc.isenabled()
    collector.settle()
    assert gc.isenabled()


@pytest.mark.usefixtures("owned_start")
def test_a_short_command_stays_start_up_until_its_block_ends() -> None:
    collector.start()
    collector.settle()
    assert gc.isenabled()
    with collector.starting():
        assert not gc.isenabled()
        collector.pause()  # opening the log inside the command
        collector.settle()
        assert not gc.isenabled()  # still the command's start-up
        kept = [[n] for n in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)


def test_a_block_changes_nothing_unless_the_process_start_is_ours() -> None:
    with collector.starting():
        assert gc.isenabled()
    assert gc.get_freeze_count() == 0
