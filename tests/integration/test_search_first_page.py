"""A search's first page holds the newest matches, whether the words are rare or common, on
either database (PostgreSQL reads a rare word's few matches first)."""

from __future__ import annotations

from ceo_desk.core import queries
from ceo_desk.core.queries import ComplaintFilter
from ceo_desk.store.db import Database
from tests.builders import days_ago, log
from tests.sent_statements import sent_statements


def _three_quinns_then_five_others(db: Database) -> tuple[list[str], list[str]]:
    """Three complaints from customers named Quinn, then five newer ones from others."""
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
    others = [
        log(db, f"Other {n}", "Parcel late", f"+44207947{n:04d}", received_at=days_ago(5 - n))
        for n in range(5)
    ]
    return rare, others


def test_the_first_page_of_a_rare_word_is_its_newest_matches(db: Database) -> None:
    rare, _others = _three_quinns_then_five_others(db)
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


def test_a_words_first_letters_alone_find_its_newest_matches(db: Database) -> None:
    """On PostgreSQL a word's first letter or two narrow the list, and when few complaints
    match they are read from the word index, not by walking the whole list in its order to
    find them (a fifth of a second on a large log when none matches); on SQLite they narrow
    nothing until the third letter."""
    rare, others = _three_quinns_then_five_others(db)
    with db.reading() as uow, sent_statements(db) as sent:
        first = queries.complaint_ids(uow, ComplaintFilter(text="qu"), limit=2)
        none = queries.complaint_ids(uow, ComplaintFilter(text="zq"), limit=2)
        rows = {r.id: r.reference for r in queries.complaint_rows(uow, first)}
    if db.engine.dialect.name == "sqlite":
        assert [rows[i] for i in first] == others[:-3:-1]
        assert len(none) == 2
        return
    assert [rows[i] for i in first] == rare[:-3:-1]
    assert none == []
    ordered = [sql for sql, _ in sent if "ORDER BY" in sql and "complaint.id" in sql]
    assert ordered and all("ANY" in sql for sql in ordered[:2]), ordered
