"""A search's first page holds the newest matches, whether the words are rare or common, on
either database (PostgreSQL reads a rare word's few matches first)."""

from __future__ import annotations

from ceo_desk.core import queries
from ceo_desk.core.queries import ComplaintFilter
from ceo_desk.store.db import Database
from tests.builders import days_ago, log


def test_the_first_page_of_a_rare_word_is_its_newest_matches(db: Database) -> None:
    rare = [
        log(
            db,
            f"Quinn Number {n}",
            "Boiler leaking",
            f"+44207946{n:04d}",
            received_at=days_ago(9 - n),
        )
        for n in range(3)
    ]
    for n in range(5):
        log(db, f"Other {n}", "Parcel late", f"+44207947{n:04d}", received_at=days_ago(5 - n))
    with db.reading() as uow:
        first = queries.complaint_ids(uow, ComplaintFilter(text="quinn"), limit=2)
        every = queries.complaint_ids(uow, ComplaintFilter(text="quinn"))
        none = queries.complaint_ids(uow, ComplaintFilter(text="zzzq"), limit=2)
        common = queries.complaint_ids(uow, ComplaintFilter(text="parcel late"), limit=30)
        rows = {r.id: r.reference for r in queries.complaint_rows(uow, every)}
    assert [rows[i] for i in every] == list(reversed(rare))
    assert first == every[:2]
    assert none == []
    assert len(common) == 5
