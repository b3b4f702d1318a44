"""An office database on the suite's PostgreSQL server, with one login per role."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from ceo_desk.core.database import open_database
from ceo_desk.enums import Role
from ceo_desk.store import office
from tests.builders import delegate, delegate_and_report, log
from tests.builders import office as directory
from tests.pg_server import PostgresServer

_numbers = itertools.count(1)


@dataclass(frozen=True)
class Office:
    """An office database with two complaints: `mine` delegated to the delegate's staff member
    (report filed), `theirs` delegated to someone else."""

    name: str
    admin: str
    urls: dict[Role, str]
    mine: str
    theirs: str


def plain_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture
def office_db(postgres: PostgresServer) -> Iterator[Office]:
    """A fresh office database with one login per role (carol: CEO, sam: assistant, wei:
    delegate for Wei Chen), each with its password in its URL."""
    name = f"ceo_office_{next(_numbers)}"
    postgres.execute_autocommit(f"CREATE DATABASE {name} TEMPLATE ceo_template")
    admin = postgres.url(name)
    db = open_database(admin)
    try:
        people = directory(db)
        mine = log(db, "Ann Smith", "Charged twice")
        delegate_and_report(db, mine, people.chen)
        theirs = log(db, "Bob Jones", "Late delivery", "+442079460002")
        delegate(db, theirs, people.ortiz)
        logins = {Role.CEO: "carol", Role.ASSISTANT: "sam", Role.DELEGATE: "wei"}
        with db.transaction() as uow:
            conn = uow.session.connection()
            for role, login in logins.items():
                postgres.create_login(login, f"{login}-secret")
                office.grant_group(conn, login, role)
                office.record_grant(
                    conn, login, role, people.chen if role is Role.DELEGATE else None
                )
    finally:
        db.close()
    urls = {
        role: postgres.url(name, user=login, password=f"{login}-secret")
        for role, login in logins.items()
    }
    yield Office(name, admin, urls, mine, theirs)
    postgres.execute_autocommit(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
