"""`staff deactivate` with open complaints: refused until told who takes them over (or to keep
them), then the hand-over and the deactivation happen in one transaction."""

from __future__ import annotations

import json

import pytest

from ceo_desk.cli import main
from ceo_desk.core.services import directory
from ceo_desk.store.db import Database
from tests.builders import delegate, log, office, stored_detail


def test_deactivating_someone_with_open_complaints_asks_who_takes_them_over(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = office(sqlite_db)
    ref = log(sqlite_db)
    delegate(sqlite_db, ref, staff.chen)
    url = str(sqlite_db.url)

    assert main(["staff", "deactivate", "Wei Chen", "--db", url]) == 2
    err = capsys.readouterr().err
    assert ref in err and "--hand-over-to" in err and "nothing was changed" in err
    with sqlite_db.reading() as uow:
        assert directory.get_staff(uow, staff.chen).active

    code = main(
        ["staff", "deactivate", "Wei Chen", "--hand-over-to", "Sam Baker", "--db", url, "--json"]
    )
    assert code == 0
    done = json.loads(capsys.readouterr().out)
    assert done["handed_over"] == [ref] and done["handed_over_to"] == "Sam Baker"
    assert stored_detail(sqlite_db, ref).delegations[-1].staff_id == staff.baker
    with sqlite_db.reading() as uow:
        assert not directory.get_staff(uow, staff.chen).active


def test_keep_them_deactivates_and_names_what_waits(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = office(sqlite_db)
    ref = log(sqlite_db)
    delegate(sqlite_db, ref, staff.chen)
    assert main(["staff", "deactivate", "Wei Chen", "--keep-them", "--db", str(sqlite_db.url)]) == 0
    assert f"to re-delegate: {ref}" in capsys.readouterr().out
    assert stored_detail(sqlite_db, ref).delegations[-1].staff_id == staff.chen
