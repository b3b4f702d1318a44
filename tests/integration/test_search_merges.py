"""The SQLite search index is kept in shape for small writes: a bulk build leaves it as one
segment on a level of its own, and each row written merges a little, so no level ever fills to
the point where FTS5 merges all of it at once (on a large log, seconds inside one save)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from ceo_desk.cli import main
from ceo_desk.core import search
from ceo_desk.core.database import open_database
from ceo_desk.store.db import Database
from ceo_desk.store.migrations.ddl import SEARCH_TABLE

CRISIS = 16  # FTS5's default 'crisismerge': a level this full is merged whole in one write


def _varint(block: bytes, at: int) -> tuple[int, int]:
    value = 0
    for place in range(9):
        byte = block[at]
        at += 1
        if place == 8:
            return (value << 8) | byte, at
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    return value, at


def segments_by_level(db: Database) -> list[int]:
    """How many segments each level of the index holds, read from FTS5's structure record (a
    4-byte cookie, then varints: levels, segments, write counter, and per level the merge in
    progress, its segment count and each segment's id and first and last page)."""
    with db.reading() as uow:
        block = uow.session.execute(
            text(f"SELECT block FROM {SEARCH_TABLE}_data WHERE id = 10")
        ).scalar_one()
    levels, at = _varint(block, 4)
    _segments, at = _varint(block, at)
    _writes, at = _varint(block, at)
    counts = []
    for _level in range(levels):
        _merging, at = _varint(block, at)
        count, at = _varint(block, at)
        for _field in range(3 * count):
            _value, at = _varint(block, at)
        counts.append(count)
    return counts


def test_the_demo_leaves_its_index_as_one_segment_above_the_small_writes(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main(["demo", "--complaints", "300", "--months", "2", "--db", str(path)]) == 0
    db = open_database(str(path))
    try:
        levels = segments_by_level(db)
        assert sum(levels) == 1
        assert levels[0] == 0  # not on level 0, where each small write adds its own
    finally:
        db.close()


def test_single_writes_never_fill_a_level(sqlite_db: Database) -> None:
    for n in range(1, 3 * CRISIS + 1):
        with sqlite_db.transaction() as uow:
            search.write_row(uow, n, f"caller {n} parcel lost twice okonkwo")
        assert max(segments_by_level(sqlite_db)) < CRISIS // 2, n
    with sqlite_db.reading() as uow:
        found = uow.session.execute(
            text(f"SELECT count(*) FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH 'konkw'")
        ).scalar_one()
    assert found == 3 * CRISIS
