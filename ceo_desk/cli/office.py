"""`ceo-desk office init URL --owner LOGIN` and `ceo-desk office add-user LOGIN --role ROLE`:
setting up an office on a PostgreSQL server, where the database itself enforces the roles.

Both run as the server's administrator (a login allowed to create roles). A new login's
password is typed twice or generated and shown once, and kept in this computer's keyring,
never in a file.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlalchemy.engine import make_url

from ceo_desk import paths, secrets
from ceo_desk.cli import sign_in
from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core.database import Database, open_database
from ceo_desk.core.services import people
from ceo_desk.enums import GRANTABLE_ROLES, Role
from ceo_desk.errors import StorageError, ValidationError
from ceo_desk.store import office, schema
from ceo_desk.store.db import (
    UnitOfWork,
    build_engine,
    describe_failure,
    password_needed,
    shown_url,
)

OWNER_ROLES = (Role.OWNER, Role.CEO, Role.ASSISTANT)


def register(commands: Any) -> None:
    common = common_options()
    group = commands.add_parser(
        "office", help="set up an office on PostgreSQL: logins, roles, the database's own rules"
    )
    actions = group.add_subparsers(dest="office_command", metavar="ACTION", required=True)

    p = actions.add_parser(
        "init",
        parents=[common],
        help="create (or upgrade) the office's database, its roles and its rules",
        description="Run as the server's administrator. Creates the database if it is missing, "
        "its tables owned by a role nobody logs in as, one group role per CEO Desk role, and "
        "grants the owner, CEO and assistant roles to LOGIN. Safe to run again: an existing "
        "office is upgraded in place, keeping every row.",
        epilog="example:\n  ceo-desk office init postgresql+psycopg://postgres@db.example/ceodesk "
        "--owner dana",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("url", help="the database, as postgresql+psycopg://ADMIN@HOST/NAME")
    p.add_argument("--owner", required=True, metavar="LOGIN", help="who owns the office")
    p.add_argument("--generate-password", action="store_true", help="make the new login's password")
    p.set_defaults(handler=_init)

    p = actions.add_parser(
        "add-user",
        parents=[common],
        help="create a login for a person, in the group role of their CEO Desk role",
        description="Run as the server's administrator (--db or CEO_DESK_DATABASE_URL). The "
        "password is typed twice, or generated and shown once; it is kept in this computer's "
        "keyring.",
        epilog="examples:\n  ceo-desk office add-user sam --role assistant\n"
        "  ceo-desk office add-user wei --role delegate --staff 'Wei Chen' --generate-password",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("login", help="the new login's name")
    p.add_argument(
        "--role",
        required=True,
        choices=[role.value for role in GRANTABLE_ROLES],
        help="the CEO Desk role it holds",
    )
    p.add_argument("--staff", metavar="NAME", help="a delegate's staff member")
    p.add_argument("--generate-password", action="store_true", help="make the new login's password")
    p.set_defaults(handler=_add_user)


def _postgres_only(url: str) -> None:
    if make_url(url).get_backend_name() != "postgresql":
        raise ValidationError(
            f"{shown_url(url)} is not a PostgreSQL database. An office is set up on a "
            "PostgreSQL server (postgresql+psycopg://ADMIN@HOST/NAME); a log on this computer "
            "needs no setup: `uv run ceo-desk` opens it.",
            field="url",
        )


def _prepare(url: str, login: str) -> tuple[bool, bool]:
    """Check, as the administrator, that the office can be set up: whether the database named
    in `url` exists and whether `login` does."""
    parsed = make_url(url)
    maintenance = parsed.set(database="postgres").render_as_string(hide_password=False)
    engine = build_engine(maintenance)
    try:
        with engine.connect() as conn:
            problem = office.administrator_problem(conn)
            if problem:
                raise StorageError(problem)
            return office.database_exists(conn, parsed.database or ""), office.login_exists(
                conn, login
            )
    except StorageError:
        raise
    except Exception as exc:
        raise password_needed(maintenance, exc) or StorageError(
            describe_failure(maintenance, exc)
        ) from exc
    finally:
        engine.dispose()


def _create_database(url: str) -> None:
    parsed = make_url(url)
    maintenance = parsed.set(database="postgres").render_as_string(hide_password=False)
    engine = build_engine(maintenance)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            office.create_database(conn, parsed.database or "")
    finally:
        engine.dispose()


def _init(args: argparse.Namespace, ctx: CommandContext) -> int:
    url = paths.resolve_database_url(args.url)
    _postgres_only(url)
    exists, login_exists = sign_in.opening(lambda: _prepare(url, args.owner))
    # Asked before anything is created, so a refusal leaves the server as it was.
    password = (
        None if login_exists else sign_in.new_password(args.owner, generate=args.generate_password)
    )
    if not exists:
        _create_database(url)
    database = open_database(url)
    try:
        lines = [
            f"The office's database {shown_url(url)} was "
            + ("brought up to date, keeping every row." if exists else "created.")
        ]
        lines += _give_login(
            database, args.owner, OWNER_ROLES, None, password, show=args.generate_password
        )
        # Now that the office has an owner, earlier versions' logins are recorded as assistants.
        schema.secure_office(database.engine, url)
        lines.append(
            f"Its tables belong to {office.OWNER_ROLE}, a role nobody logs in as; each CEO Desk "
            "role is a group role (" + ", ".join(office.GROUP_ROLES.values()) + ")."
        )
        lines.append(
            f"Add people with: ceo-desk --db {shown_url(url)} office add-user LOGIN --role ROLE"
        )
    finally:
        database.close()
    print("\n".join(lines))
    return 0


def _add_user(args: argparse.Namespace, ctx: CommandContext) -> int:
    _postgres_only(ctx.url)
    role = Role(args.role)
    if role is not Role.DELEGATE and args.staff:
        raise ValidationError(
            f"Only a delegate is linked to a staff member; leave out --staff for {role.label}.",
            field="staff",
        )
    database = ctx.database()
    with database.reading() as uow:
        conn = uow.session.connection()
        problem = office.administrator_problem(conn)
        if problem:
            raise StorageError(problem)
        exists = office.login_exists(conn, args.login)
    password = None if exists else sign_in.new_password(args.login, generate=args.generate_password)
    told = _give_login(
        database, args.login, (role,), args.staff, password, show=args.generate_password
    )
    print("\n".join(told))
    return 0


def _give_login(
    database: Database,
    login: str,
    roles: tuple[Role, ...],
    staff: str | None,
    password: str | None,
    *,
    show: bool,
) -> list[str]:
    """Create `login` with `password` (None: it exists), put it in the group role of each of
    `roles` and record the grants, all in one transaction. Returns what to tell (with the
    password when `show`: a generated one is shown once)."""

    def give(uow: UnitOfWork) -> list[Role]:
        conn = uow.session.connection()
        if password is not None:
            office.create_login(conn, login, password)
        given = []
        held = {row.role for row in people.list_grants(uow) if row.identity == login}
        for role in roles:
            office.grant_group(conn, login, role)
            if role not in held:
                people.grant(uow, login, role, staff=staff if role is Role.DELEGATE else None)
                given.append(role)
        return given

    given = database.write(give)
    labels = ", ".join(role.label for role in roles)
    told = [
        f"{login} holds {labels}"
        + (f" (for the work of {staff})" if staff else "")
        + ("." if given else " already; nothing new was granted.")
    ]
    if password is None:
        return [f"The login {login} exists already; its password is unchanged.", *told]
    told.insert(0, f"Created the login {login}.")
    if show:
        told.append(f"Its password (shown once, write it down for {login}): {password}")
    parsed = make_url(database.url)
    service = secrets.database_service(parsed.host or "localhost", parsed.port)
    try:
        secrets.set_password(service, login, password)
        told.append("The password is kept in this computer's keyring.")
    except StorageError as exc:
        print(f"ceo-desk: note: {exc}", file=sys.stderr)
    return told
