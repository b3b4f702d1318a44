"""Every commit says what it changed; a refused or rolled-back write says nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ceo_desk.core import change_feed, changes
from ceo_desk.core.changes import Changes
from ceo_desk.core.intake import sheet_import
from ceo_desk.core.services import complaints, directory
from ceo_desk.errors import CeoDeskError
from ceo_desk.store.db import Database
from tests.builders import Office, log, office


@pytest.fixture
def heard() -> Iterator[list[Changes]]:
    found: list[Changes] = []
    changes.subscribe(found.append)
    yield found
    changes.unsubscribe(found.append)


@pytest.fixture
def small(db: Database) -> Office:
    return office(db)


def test_a_delegation_names_its_complaint(small: Office, heard: list[Changes]) -> None:
    reference = log(small.db)
    heard.clear()
    with small.db.transaction() as uow:
        complaints.delegate(uow, reference, small.chen)
    assert heard == [Changes(complaints=frozenset({reference}))]
    assert heard[0].touches(reference) and not heard[0].touches("C-1999-0001")


def test_a_refused_write_announces_nothing(small: Office, heard: list[Changes]) -> None:
    reference = log(small.db)
    heard.clear()
    with pytest.raises(CeoDeskError), small.db.transaction() as uow:
        complaints.file_report(uow, reference, complaints.ReportInput(said="x", done="y"))
    assert heard == []


def test_a_directory_change_is_named(small: Office, heard: list[Changes]) -> None:
    with small.db.transaction() as uow:
        directory.set_staff_active(uow, small.baker, False)
    assert heard[-1].directory and not heard[-1].complaints


def test_an_import_announces_once_when_it_commits(
    small: Office, heard: list[Changes], tmp_path: Path
) -> None:
    source = tmp_path / "old.csv"
    source.write_text(
        "Ref,Received,Customer,Phone,Summary,Status\r\n"
        "OLD-1,14/03/2025,Ann Lee,+12025550111,Late parcel,new\r\n"
        "OLD-2,15/03/2025,Bob Ray,+12025550112,Wrong invoice,new\r\n",
        encoding="utf-8",
    )
    heard.clear()
    with small.db.transaction() as uow:  # as the import wizard's preview runs it
        sheet_import.import_file(uow, source, date_order="dmy", dry_run=True)
    assert heard == [], "a preview changes nothing"
    with small.db.transaction() as uow:
        sheet_import.import_file(uow, source, date_order="dmy")
    assert len(heard) == 1, "one announcement for the whole import, after it committed"
    assert heard[0].complaints == {"OLD-1", "OLD-2"}


def test_another_connection_is_heard_by_the_feed(small: Office, database_url: str) -> None:
    feed = change_feed.open_feed(database_url)
    assert feed is not None
    try:
        assert not feed.read()
        reference = log(small.db)
        found = feed.read()
        if database_url.startswith("sqlite"):
            assert found.unknown, "SQLite says that something changed"
        else:
            # This process announced it itself: its own notifications are skipped.
            assert not found
        assert reference
    finally:
        feed.close()


def test_a_payload_round_trips() -> None:
    sent = Changes(complaints=frozenset({"C-2026-0001"}), directory=True, customers=frozenset({7}))
    origin, back = Changes.from_payload(sent.to_payload())
    assert origin == changes.ORIGIN and back == sent
    assert Changes.from_payload("not json")[1].unknown


def test_logging_a_call_names_the_new_complaint(small: Office, heard: list[Changes]) -> None:
    reference = log(small.db)
    assert heard[-1].complaints == {reference}
    assert not heard[-1].customers, "a new caller touches no other complaint"
    assert not heard[-1].unknown, "handing out the reference is not an unknown change"
