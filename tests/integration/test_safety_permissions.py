"""Backing up, exporting and erasing are refused to a role without them, changing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceo_desk.core.safety import backups, erase, export_customer, exporter
from ceo_desk.enums import Role
from ceo_desk.errors import PermissionDenied
from ceo_desk.store.db import Database
from ceo_desk.store.models import Customer
from tests.builders import add_staff, log, person


def _delegate(db: Database) -> Database:
    return person(db, "jortiz", Role.DELEGATE, staff=add_staff(db))


def test_a_delegate_may_not_export(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    log(db)
    delegate = _delegate(db)
    with db.reading() as uow:
        customer_id = uow.session.query(Customer.id).scalar()
    with (
        pytest.raises(PermissionDenied, match=r"Exporting the log needs the .* role; held by"),
        delegate.reading() as uow,
    ):
        exporter.export_complaints(uow, out / "all.csv")
    with (
        pytest.raises(PermissionDenied, match=r"Exporting the log needs the .* role; held by"),
        delegate.reading() as uow,
    ):
        export_customer.export_customer(uow, customer_id, out / "one.json")
    assert list(out.iterdir()) == []


def test_a_delegate_may_not_erase_a_customer(db: Database) -> None:
    log(db, "Ana Lima")
    delegate = _delegate(db)
    with db.reading() as uow:
        customer_id = uow.session.query(Customer.id).scalar()
    with pytest.raises(PermissionDenied, match=r"Erasing a customer needs the .* role; held by"):
        erase.erase_customer_everywhere(delegate, customer_id)
    with db.reading() as uow:
        customer = uow.session.get(Customer, customer_id)
        assert customer is not None and customer.name == "Ana Lima"
        assert customer.erased_at is None


def test_a_delegate_may_not_take_a_backup(sqlite_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    delegate = _delegate(sqlite_db)
    with pytest.raises(PermissionDenied, match=r"Taking a backup needs the .* role; held by"):
        backups.backup_now(delegate, out / "copy.sqlite3")
    with pytest.raises(PermissionDenied, match=r"Taking a backup needs the .* role; held by"):
        backups.backup_now(delegate)
    assert list(out.iterdir()) == []
    assert backups.newest_verified_backup(Path(sqlite_db.url.removeprefix("sqlite:///"))) is None
