"""A save made from a copy read before someone else's save is refused, on every record a person
edits: customers, staff, units, categories and the office settings. The other change survives."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import create_engine, text

from ceo_desk.core import queries
from ceo_desk.core.database import open_database
from ceo_desk.core.services import customers, directory, office
from ceo_desk.enums import UnitKind
from ceo_desk.errors import ConflictError
from ceo_desk.store import schema_shape
from ceo_desk.store.db import Database
from tests.builders import add_staff, log


def test_a_stale_customer_edit_is_refused(db: Database) -> None:
    ref = log(db, name="Ann Smith")
    with db.reading() as uow:
        seen = queries.complaint_detail(uow, ref)
    with db.transaction() as uow:  # another person corrects the name first
        customers.update(
            uow, seen.customer_id, customers.CustomerEdit("Ann Smythe", phone=seen.customer_phone)
        )
    with pytest.raises(ConflictError, match="changed by someone else"), db.transaction() as uow:
        customers.update(
            uow,
            seen.customer_id,
            customers.CustomerEdit("Ann Smith", phone=seen.customer_phone, email="a@example.com"),
            expected_version=seen.customer_version,
        )
    with db.reading() as uow:
        now = queries.complaint_detail(uow, ref)
    assert (now.customer_name, now.customer_email) == ("Ann Smythe", None)


def test_a_stale_staff_edit_or_deactivation_is_refused(db: Database) -> None:
    staff_id = add_staff(db, "Jo Ortiz")
    with db.reading() as uow:
        seen = directory.get_staff(uow, staff_id)
    with db.transaction() as uow:
        directory.update_staff(
            uow, staff_id, directory.StaffInput("Jo Ortiz-Lee", seen.unit_id, "jo@example.com")
        )
    with pytest.raises(ConflictError, match="changed by someone else"), db.transaction() as uow:
        directory.update_staff(
            uow,
            staff_id,
            directory.StaffInput("Jo Ortiz", seen.unit_id),
            expected_version=seen.version,
        )
    with pytest.raises(ConflictError), db.transaction() as uow:
        directory.set_staff_active(uow, staff_id, False, expected_version=seen.version)
    with db.reading() as uow:
        now = directory.get_staff(uow, staff_id)
    assert (now.name, now.email, now.active) == ("Jo Ortiz-Lee", "jo@example.com", True)


def test_a_stale_unit_edit_is_refused(db: Database) -> None:
    add_staff(db, unit="Billing")
    with db.reading() as uow:
        (seen,) = directory.list_units(uow)
    with db.transaction() as uow:
        directory.update_unit(uow, seen.id, "Billing and payments", UnitKind.DEPARTMENT)
    with pytest.raises(ConflictError), db.transaction() as uow:
        directory.update_unit(
            uow, seen.id, "Billing", UnitKind.PARTNER, expected_version=seen.version
        )
    with pytest.raises(ConflictError), db.transaction() as uow:
        directory.set_unit_active(uow, seen.id, False, expected_version=seen.version)
    with db.reading() as uow:
        (now,) = directory.list_units(uow)
    assert (now.name, now.kind, now.active) == ("Billing and payments", UnitKind.DEPARTMENT, True)


def test_a_stale_category_change_is_refused(db: Database) -> None:
    with db.reading() as uow:
        seen = next(c for c in office.list_categories(uow) if c.name == "Delivery")
    with db.transaction() as uow:
        office.rename_category(uow, seen.id, "Delivery and returns")
    with pytest.raises(ConflictError), db.transaction() as uow:
        office.rename_category(uow, seen.id, "Shipping", expected_version=seen.version)
    with pytest.raises(ConflictError), db.transaction() as uow:
        office.set_category_active(uow, seen.id, False, expected_version=seen.version)
    with db.reading() as uow:
        now = next(c for c in office.list_categories(uow) if c.id == seen.id)
    assert (now.name, now.active) == ("Delivery and returns", True)


def test_a_stale_settings_save_is_refused(db: Database) -> None:
    with db.reading() as uow:
        read = office.load_settings(uow)
    with db.transaction() as uow:
        office.save_settings(uow, replace(read, ceo_name="Margaret Osei"))
    with pytest.raises(ConflictError, match="office settings"), db.transaction() as uow:
        office.save_settings(uow, replace(read, callback_due_days=3), read=read)
    with db.reading() as uow:
        now = office.load_settings(uow)
    assert (now.ceo_name, now.callback_due_days) == ("Margaret Osei", read.callback_due_days)


def test_a_log_from_before_the_counters_gets_them(tmp_path: pytest.TempPathFactory) -> None:
    """Opening a log made at schema 0001 migrates it; its rows start at version 1."""
    path = tmp_path / "old.sqlite3"  # type: ignore[operator]
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        schema_shape.upgrade(conn, "0001")
        conn.execute(
            text("INSERT INTO unit (id, name, kind, active) VALUES (1, 'B', 'partner', 1)")
        )
    engine.dispose()
    db = open_database(str(path))
    try:
        with db.reading() as uow:
            (unit,) = directory.list_units(uow)
        assert unit.version == 1
        with pytest.raises(ConflictError), db.transaction() as uow:
            directory.update_unit(uow, 1, "C", UnitKind.PARTNER, expected_version=0)
    finally:
        db.close()
