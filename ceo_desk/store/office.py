"""The office on PostgreSQL: the database itself enforces who may do what, whatever client is used.

Every table belongs to `ceo_desk_owner`, a role nobody logs in as. People log in as their own
login, a member of one group role per CEO Desk role; each group holds only the privileges its
work needs (per table and per column), and row-level security shows a delegate only the
complaints delegated to its staff member. Triggers refuse what no privilege can express: a
resolution by anyone outside the CEO role, any change to the audit trail, and a "who" on an
event other than the login that wrote it.

All the office's SQL lives here. `install_triggers` is run by a migration (so `check` finds the
triggers where they belong); `secure` is run after every migration and by `office init`, and is
idempotent, so tables added by later versions are handed to the owner and granted too.
"""

from __future__ import annotations

import secrets as random_secrets
from collections.abc import Mapping

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ceo_desk.enums import Role

# The one home of the office's PostgreSQL role names.
OWNER_ROLE = "ceo_desk_owner"  # owns every table; NOLOGIN: no person is the owner
USER_ROLE = "ceo_desk_user"  # what every person shares (the schema, the directory, the trail)
GROUP_ROLES: Mapping[Role, str] = {
    Role.OWNER: "ceo_desk_grantor",
    Role.CEO: "ceo_desk_ceo",
    Role.ASSISTANT: "ceo_desk_assistant",
    Role.DELEGATE: "ceo_desk_delegate",
}
CEO_GROUP = GROUP_ROLES[Role.CEO]
ASSISTANT_GROUP = GROUP_ROLES[Role.ASSISTANT]
DELEGATE_GROUP = GROUP_ROLES[Role.DELEGATE]
GRANTOR_GROUP = GROUP_ROLES[Role.OWNER]
# The groups that run the office day to day; a table this version does not list is theirs alone.
STAFF_GROUPS = (CEO_GROUP, ASSISTANT_GROUP)

# Privileges per table and group, beyond which nothing is granted. A column list after a verb
# limits it to those columns.
_EVERYONE = USER_ROLE
TABLE_PRIVILEGES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "alembic_version": {_EVERYONE: ("SELECT",)},
    "setting": {
        _EVERYONE: ("SELECT",),
        **dict.fromkeys(STAFF_GROUPS, ("INSERT", "UPDATE", "DELETE")),
    },
    "reference_counter": {
        _EVERYONE: ("SELECT",),
        **dict.fromkeys(STAFF_GROUPS, ("INSERT", "UPDATE")),
    },
    "category": {_EVERYONE: ("SELECT",), **dict.fromkeys(STAFF_GROUPS, ("INSERT", "UPDATE"))},
    "unit": {_EVERYONE: ("SELECT",), **dict.fromkeys(STAFF_GROUPS, ("INSERT", "UPDATE"))},
    "staff": {_EVERYONE: ("SELECT",), **dict.fromkeys(STAFF_GROUPS, ("INSERT", "UPDATE"))},
    "role_grant": {_EVERYONE: ("SELECT",), GRANTOR_GROUP: ("INSERT", "UPDATE", "DELETE")},
    "customer": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE")),
        DELEGATE_GROUP: ("SELECT",),
    },
    "complaint": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE")),
        # Filing a report moves the complaint on; nothing else of it is the delegate's to change.
        DELEGATE_GROUP: (
            "SELECT",
            "UPDATE (status, version, updated_at, report_due_on, callback_due_on,"
            " latest_report_id)",
        ),
    },
    "delegation": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE")),
        DELEGATE_GROUP: ("SELECT",),
    },
    "report": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE")),
        DELEGATE_GROUP: ("SELECT", "INSERT"),
    },
    "callback": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE")),
        DELEGATE_GROUP: ("SELECT",),
    },
    "reported_callback": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE")),
        # Filing a report sets aside a satisfied callback still waiting on the complaint.
        DELEGATE_GROUP: ("SELECT", "UPDATE (set_aside_at)"),
    },
    "more_time_request": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE")),
        # A delegate asks for more time on its own work; the answer is the office's.
        DELEGATE_GROUP: ("SELECT", "INSERT"),
    },
    "clock_pause": {
        # The office pauses and resumes the clock; a delegate sees it on its own work's dates.
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE")),
        DELEGATE_GROUP: ("SELECT",),
    },
    "attachment": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE", "DELETE")),
        DELEGATE_GROUP: ("SELECT",),
    },
    "attachment_blob": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE", "DELETE")),
        DELEGATE_GROUP: ("SELECT",),
    },
    "promise": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE")),
        # A delegate reads what the CEO promised on its work; keeping the word is the CEO's.
        DELEGATE_GROUP: ("SELECT",),
    },
    "follow_up": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE")),
        DELEGATE_GROUP: ("SELECT",),
    },
    "complaint_search": {
        **dict.fromkeys(STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE", "DELETE")),
        DELEGATE_GROUP: ("SELECT", "INSERT", "UPDATE"),
    },
    "event": {_EVERYONE: ("SELECT", "INSERT")},
    "event_change": {
        _EVERYONE: ("SELECT", "INSERT"),
        # Erasing a customer redacts the values its events recorded; the chain keeps their digest.
        **dict.fromkeys(STAFF_GROUPS, ("UPDATE (before_json, after_json, redacted_at)",)),
    },
}
_UNLISTED_TABLE: Mapping[str, tuple[str, ...]] = dict.fromkeys(
    STAFF_GROUPS, ("SELECT", "INSERT", "UPDATE", "DELETE")
)

# The delegate's staff member, and what was ever delegated to it: every delegate policy is built
# from these, and they read the login from current_user.
_MY_STAFF = (
    "SELECT g.staff_id FROM role_grant g "
    f"WHERE g.identity = current_user AND g.role = '{Role.DELEGATE.value}'"
)
# Row-level security: table -> [(policy name, command, USING, WITH CHECK)] for the delegate.
# Each subquery reads a table that has its own delegate policy, so "delegated to me" is decided
# once, on delegation.
DELEGATE_POLICIES: Mapping[str, tuple[tuple[str, str, str | None, str | None], ...]] = {
    "delegation": (("delegate_reads", "SELECT", f"staff_id IN ({_MY_STAFF})", None),),
    "complaint": (
        ("delegate_reads", "SELECT", "id IN (SELECT complaint_id FROM delegation)", None),
        (
            "delegate_moves_on",
            "UPDATE",
            "id IN (SELECT complaint_id FROM delegation)",
            "id IN (SELECT complaint_id FROM delegation)",
        ),
    ),
    "customer": (("delegate_reads", "SELECT", "id IN (SELECT customer_id FROM complaint)", None),),
    "report": (
        ("delegate_reads", "SELECT", "complaint_id IN (SELECT id FROM complaint)", None),
        (
            "delegate_files",
            "INSERT",
            None,
            f"complaint_id IN (SELECT id FROM complaint) AND filed_by_staff_id IN ({_MY_STAFF})",
        ),
    ),
    "callback": (("delegate_reads", "SELECT", "complaint_id IN (SELECT id FROM complaint)", None),),
    "reported_callback": (
        ("delegate_reads", "SELECT", "complaint_id IN (SELECT id FROM complaint)", None),
        (
            "delegate_sets_aside",
            "UPDATE",
            "complaint_id IN (SELECT id FROM complaint)",
            "complaint_id IN (SELECT id FROM complaint)",
        ),
    ),
    "more_time_request": (
        ("delegate_reads", "SELECT", "complaint_id IN (SELECT id FROM complaint)", None),
        (
            "delegate_asks",
            "INSERT",
            None,
            f"complaint_id IN (SELECT id FROM complaint) AND staff_id IN ({_MY_STAFF})",
        ),
    ),
    "clock_pause": (
        ("delegate_reads", "SELECT", "complaint_id IN (SELECT id FROM complaint)", None),
    ),
    "attachment": (
        ("delegate_reads", "SELECT", "complaint_id IN (SELECT id FROM complaint)", None),
    ),
    "attachment_blob": (
        ("delegate_reads", "SELECT", "sha256 IN (SELECT sha256 FROM attachment)", None),
    ),
    "promise": (("delegate_reads", "SELECT", "complaint_id IN (SELECT id FROM complaint)", None),),
    "follow_up": (
        ("delegate_reads", "SELECT", "complaint_id IN (SELECT id FROM complaint)", None),
    ),
    "complaint_search": (
        ("delegate_reads", "SELECT", "complaint_id IN (SELECT id FROM complaint)", None),
        ("delegate_indexes", "INSERT", None, "complaint_id IN (SELECT id FROM complaint)"),
        (
            "delegate_reindexes",
            "UPDATE",
            "complaint_id IN (SELECT id FROM complaint)",
            "complaint_id IN (SELECT id FROM complaint)",
        ),
    ),
    "event_change": (
        (
            "delegate_reads",
            "SELECT",
            "event_id IN (SELECT e.id FROM event e WHERE e.complaint_id IN "
            "(SELECT id FROM complaint))",
            None,
        ),
        ("delegate_records", "INSERT", None, "true"),
    ),
}
ROW_SECURED_TABLES = tuple(DELEGATE_POLICIES)

# Messages raised by the database; each starts with this mark so the client shows it as it is.
MESSAGE_MARK = "CEO Desk:"


def _members_of(group: str) -> str:
    return (
        "(SELECT coalesce(string_agg(m.rolname, ', ' ORDER BY m.rolname), 'nobody yet') "
        "FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member "
        f"JOIN pg_roles r ON r.oid = a.roleid WHERE r.rolname = '{group}' AND m.rolcanlogin)"
    )


def _is_ceo() -> str:
    """True for a login in the CEO group, or while the office has no groups yet (a log that was
    never set up as an office trusts its users as before)."""
    return (
        f"(NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{CEO_GROUP}') "
        f"OR pg_has_role(current_user, (SELECT oid FROM pg_roles WHERE rolname = '{CEO_GROUP}'),"
        " 'MEMBER'))"
    )


_TRIGGER_FUNCTIONS = {
    # A superuser can disable any trigger anyway; the administrator's own tools (a demo, an
    # import on someone's behalf) keep the names they write.
    "ceo_desk_event_who": (
        "BEGIN IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN "
        "NEW.os_user := current_user; END IF; RETURN NEW; END",
        "CREATE TRIGGER event_who BEFORE INSERT ON event "
        "FOR EACH ROW EXECUTE FUNCTION ceo_desk_event_who()",
    ),
    "ceo_desk_refuse_event_truncate": (
        f"BEGIN RAISE EXCEPTION '{MESSAGE_MARK} the audit trail cannot be emptied (events are "
        "never truncated).' USING ERRCODE = 'insufficient_privilege'; END",
        "CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event "
        "FOR EACH STATEMENT EXECUTE FUNCTION ceo_desk_refuse_event_truncate()",
    ),
    "ceo_desk_resolve_by_ceo": (
        "DECLARE holders text; BEGIN "
        "IF TG_TABLE_NAME = 'complaint' THEN "
        "  IF NEW.status <> 'resolved' OR (TG_OP = 'UPDATE' AND OLD.status = 'resolved') THEN"
        "    RETURN NEW; END IF; "
        "ELSIF NEW.outcome <> 'satisfied' OR (TG_OP = 'UPDATE' AND OLD.outcome = 'satisfied') THEN "
        "  RETURN NEW; "
        "END IF; "
        f"IF {_is_ceo()} THEN RETURN NEW; END IF; "
        f"holders := {_members_of(CEO_GROUP)}; "
        f"RAISE EXCEPTION '{MESSAGE_MARK} only the CEO resolves a complaint, and the login % is not"
        f" in the CEO role (held by %).', current_user, holders "
        "USING ERRCODE = 'insufficient_privilege'; END",
        "CREATE TRIGGER complaint_resolved_by_ceo BEFORE INSERT OR UPDATE OF status ON complaint "
        "FOR EACH ROW EXECUTE FUNCTION ceo_desk_resolve_by_ceo(); "
        "CREATE TRIGGER callback_resolving_by_ceo BEFORE INSERT OR UPDATE OF outcome ON callback "
        "FOR EACH ROW EXECUTE FUNCTION ceo_desk_resolve_by_ceo()",
    ),
}
TRIGGER_FUNCTIONS = tuple(_TRIGGER_FUNCTIONS)


def install_triggers(conn: Connection) -> None:
    """PostgreSQL: the triggers that hold whatever the privileges are (run by a migration)."""
    if conn.dialect.name != "postgresql":
        return
    for name, (body, triggers) in _TRIGGER_FUNCTIONS.items():
        conn.exec_driver_sql(
            # The driver reads % as a parameter mark: RAISE's placeholders are doubled.
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
            f"{body.replace('%', '%%')} $$ LANGUAGE plpgsql"
        )
        for statement in triggers.split("; "):
            # Made again if present, so a log whose version was set back by hand upgrades too.
            trigger, table = statement.split()[2], statement.split(" ON ")[1].split()[0]
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
            conn.exec_driver_sql(statement)


def remove_triggers(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    for trigger, table in (
        ("event_who", "event"),
        ("event_no_truncate", "event"),
        ("complaint_resolved_by_ceo", "complaint"),
        ("callback_resolving_by_ceo", "callback"),
    ):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    for name in TRIGGER_FUNCTIONS:
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")


def may_create_roles(conn: Connection) -> bool:
    return bool(
        conn.execute(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ).scalar()
    )


def _role_exists(conn: Connection, name: str) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name})
    return found.scalar() is not None


def _tables(conn: Connection) -> list[str]:
    rows = conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    ).scalars()
    return sorted(str(name) for name in rows)


def _ensure_group_roles(conn: Connection) -> None:
    for name in (OWNER_ROLE, USER_ROLE, *GROUP_ROLES.values()):
        if not _role_exists(conn, name):
            conn.exec_driver_sql(f"CREATE ROLE {name} NOLOGIN")
    for group in GROUP_ROLES.values():
        if group != GRANTOR_GROUP:
            conn.exec_driver_sql(f"GRANT {USER_ROLE} TO {group}")


def _hand_to_owner(conn: Connection, tables: list[str]) -> None:
    for table in tables:
        conn.exec_driver_sql(f'ALTER TABLE "{table}" OWNER TO {OWNER_ROLE}')
    sequences = conn.execute(
        text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
    ).scalars()
    for sequence in sequences:
        conn.exec_driver_sql(f'ALTER SEQUENCE "{sequence}" OWNER TO {OWNER_ROLE}')
    functions = conn.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'ceo\\_desk\\_%'"
        )
    ).scalars()
    for function in functions:
        conn.exec_driver_sql(f"ALTER FUNCTION {function} OWNER TO {OWNER_ROLE}")


def _grant_privileges(conn: Connection, tables: list[str]) -> None:
    everyone = (USER_ROLE, *GROUP_ROLES.values())
    schema = conn.execute(text("SELECT current_schema()")).scalar()
    # Start from nothing: a log set up by an earlier version granted every table to everyone.
    conn.exec_driver_sql(
        f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM {", ".join(everyone)}'
    )
    conn.exec_driver_sql(
        f'ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_ROLE} IN SCHEMA "{schema}" '
        f"REVOKE ALL ON TABLES FROM {USER_ROLE}"
    )
    conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO {USER_ROLE}')
    conn.exec_driver_sql(
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {USER_ROLE}'
    )
    database = conn.execute(text("SELECT current_database()")).scalar()
    # `check` builds the expected schema in a scratch schema it rolls back.
    conn.exec_driver_sql(f'GRANT CREATE ON DATABASE "{database}" TO {USER_ROLE}')
    for table in tables:
        columns = _columns(conn, table)
        for group, privileges in TABLE_PRIVILEGES.get(table, _UNLISTED_TABLE).items():
            granted = [p for p in (_present(p, columns) for p in privileges) if p]
            if granted:
                conn.exec_driver_sql(f'GRANT {", ".join(granted)} ON "{table}" TO {group}')
    # Nobody may empty or rewrite the trail, whatever they were granted before.
    conn.exec_driver_sql(f"REVOKE UPDATE, DELETE, TRUNCATE ON event FROM {', '.join(everyone)}")


def _columns(conn: Connection, table: str) -> set[str]:
    rows = conn.execute(
        text(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = :table"
        ),
        {"table": table},
    ).scalars()
    return {str(name) for name in rows}


def _present(privilege: str, columns: set[str]) -> str | None:
    """The privilege limited to the columns the table has at this point of its migrations (a
    column added by a later revision is granted when `secure` runs after it); None if none."""
    if "(" not in privilege:
        return privilege
    verb, listed = privilege.split("(", 1)
    kept = [c.strip() for c in listed.rstrip(")").split(",") if c.strip() in columns]
    return f"{verb.strip()} ({', '.join(kept)})" if kept else None


def _secure_rows(conn: Connection, tables: list[str]) -> None:
    knows_grants = "role_grant" in tables
    for table in ROW_SECURED_TABLES:
        if table not in tables:
            continue
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        existing = conn.execute(
            text(
                "SELECT policyname FROM pg_policies "
                "WHERE schemaname = current_schema() AND tablename = :table"
            ),
            {"table": table},
        ).scalars()
        for policy in list(existing):
            conn.exec_driver_sql(f'DROP POLICY "{policy}" ON "{table}"')
        conn.exec_driver_sql(
            f'CREATE POLICY staff_all ON "{table}" FOR ALL TO {", ".join(STAFF_GROUPS)} '
            "USING (true) WITH CHECK (true)"
        )
        if not knows_grants:
            continue  # without role_grant no login is any staff member's delegate: it sees nothing
        for name, command, using, check in DELEGATE_POLICIES[table]:
            clauses = (f" USING ({using})" if using else "") + (
                f" WITH CHECK ({check})" if check else ""
            )
            conn.exec_driver_sql(
                f'CREATE POLICY {name} ON "{table}" FOR {command} TO {DELEGATE_GROUP}{clauses}'
            )


def _carry_over_earlier_people(conn: Connection, tables: list[str]) -> None:
    """Logins an earlier version made members of `ceo_desk_user` keep working, as assistants.

    Their grant is recorded in role_grant once the office has an owner: on a log with no grants
    yet the first owner is chosen by `core.services.people` when the log is opened, and `office
    init` then runs this again."""
    logins = conn.execute(
        text(
            "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member "
            "JOIN pg_roles r ON r.oid = a.roleid WHERE r.rolname = :user AND m.rolcanlogin"
        ),
        {"user": USER_ROLE},
    ).scalars()
    has_owner = "role_grant" in tables and (
        conn.execute(
            text("SELECT 1 FROM role_grant WHERE role = :owner LIMIT 1"),
            {"owner": Role.OWNER.value},
        ).scalar()
        is not None
    )
    for login in list(logins):
        if not any(is_member(conn, login, role) for role in GROUP_ROLES):
            grant_group(conn, login, Role.ASSISTANT)
        if has_owner and not _holds_any_role(conn, login):
            record_grant(conn, login, Role.ASSISTANT, None)


def _holds_any_role(conn: Connection, login: str) -> bool:
    found = conn.execute(text("SELECT 1 FROM role_grant WHERE identity = :l"), {"l": login})
    return found.scalar() is not None


def secure(conn: Connection) -> bool:
    """Hand every table to the owner role and grant each group what it needs, with row-level
    security for delegates. Idempotent. Returns False (changing nothing) when the login may not
    create roles: the tables then stay with whoever created them, as on any plain database."""
    if conn.dialect.name != "postgresql" or not may_create_roles(conn):
        return False
    tables = _tables(conn)
    _ensure_group_roles(conn)
    _hand_to_owner(conn, tables)
    _grant_privileges(conn, tables)
    _secure_rows(conn, tables)
    _install_membership_function(conn)
    _carry_over_earlier_people(conn, tables)
    return True


# An owner of the office is no administrator of the server: it changes a login's group roles
# through this function, which runs as the owner role (holding the groups WITH ADMIN OPTION)
# and puts only logins, never roles, in only the office's groups.
MEMBERSHIP_FUNCTION = "ceo_desk_set_membership"
_MEMBERSHIP_SIGNATURE = f"{MEMBERSHIP_FUNCTION}(text, text, boolean)"
_MEMBERSHIP_BODY = (
    "DECLARE caller name := session_user; BEGIN "
    f"IF NOT (pg_has_role(caller, '{GRANTOR_GROUP}', 'MEMBER') OR "
    "(SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = caller)) THEN "
    f"RAISE EXCEPTION '{MESSAGE_MARK} only an owner of the office changes who holds a role, "
    "and the login % is not one.', caller USING ERRCODE = 'insufficient_privilege'; END IF; "
    "IF grp NOT IN ("
    + ", ".join(f"'{group}'" for group in GROUP_ROLES.values())
    + f") THEN RAISE EXCEPTION '{MESSAGE_MARK} % is not one of the office''s group roles.', grp "
    "USING ERRCODE = 'invalid_parameter_value'; END IF; "
    "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login AND rolcanlogin) THEN "
    f"RAISE EXCEPTION '{MESSAGE_MARK} there is no login % on this server.', login "
    "USING ERRCODE = 'undefined_object'; END IF; "
    "IF member THEN EXECUTE format('GRANT %I TO %I', grp, login); "
    "ELSE EXECUTE format('REVOKE %I FROM %I', grp, login); END IF; END"
)


def _install_membership_function(conn: Connection) -> None:
    for group in GROUP_ROLES.values():
        conn.exec_driver_sql(f"GRANT {group} TO {OWNER_ROLE} WITH ADMIN OPTION")
    conn.exec_driver_sql(
        # The driver reads % as a parameter mark: the body's are doubled.
        f"CREATE OR REPLACE FUNCTION {MEMBERSHIP_FUNCTION}(login text, grp text, member boolean)"
        f" RETURNS void AS $$ {_MEMBERSHIP_BODY.replace('%', '%%')} $$ LANGUAGE plpgsql "
        "SECURITY DEFINER SET search_path = pg_catalog, pg_temp"
    )
    conn.exec_driver_sql(f"ALTER FUNCTION {_MEMBERSHIP_SIGNATURE} OWNER TO {OWNER_ROLE}")
    conn.exec_driver_sql(f"REVOKE ALL ON FUNCTION {_MEMBERSHIP_SIGNATURE} FROM PUBLIC")
    conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {_MEMBERSHIP_SIGNATURE} TO {GRANTOR_GROUP}")


# ---------------------------------------------------------------- logins


def is_member(conn: Connection, login: str, role: Role) -> bool:
    group = GROUP_ROLES[role]
    found = conn.execute(
        text(
            "SELECT 1 FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member "
            "JOIN pg_roles r ON r.oid = a.roleid WHERE r.rolname = :group AND m.rolname = :login"
        ),
        {"group": group, "login": login},
    )
    return found.scalar() is not None


def login_exists(conn: Connection, login: str) -> bool:
    return _role_exists(conn, login)


def create_login(conn: Connection, login: str, password: str) -> None:
    """CREATE ROLE login LOGIN PASSWORD: the password is sent quoted by the server's own rules."""
    quoted_password = conn.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar()
    conn.exec_driver_sql(f"CREATE ROLE {quote_ident(conn, login)} LOGIN PASSWORD {quoted_password}")


def grant_group(conn: Connection, login: str, role: Role) -> None:
    conn.exec_driver_sql(f"GRANT {GROUP_ROLES[role]} TO {quote_ident(conn, login)}")


def revoke_group(conn: Connection, login: str, role: Role) -> None:
    conn.exec_driver_sql(f"REVOKE {GROUP_ROLES[role]} FROM {quote_ident(conn, login)}")


def is_office(conn: Connection) -> bool:
    """Whether this PostgreSQL database is set up as an office (its group roles exist)."""
    return _role_exists(conn, CEO_GROUP)


def set_membership(conn: Connection, login: str, role: Role, *, member: bool) -> None:
    """Put `login` in (or take it out of) the group role of `role`, in this transaction, as an
    owner of the office may (see MEMBERSHIP_FUNCTION)."""
    conn.execute(
        text(f"SELECT {MEMBERSHIP_FUNCTION}(:login, :group, :member)"),
        {"login": login, "group": GROUP_ROLES[role], "member": member},
    )


def record_grant(conn: Connection, login: str, role: Role, staff_id: int | None) -> None:
    """The role in role_grant (the app's own list), unless it is there already."""
    conn.execute(
        text(
            "INSERT INTO role_grant (identity, role, staff_id, granted_by, granted_at) "
            "VALUES (:login, :role, :staff, current_user, now() AT TIME ZONE 'UTC') "
            "ON CONFLICT (identity, role) DO NOTHING"
        ),
        {"login": login, "role": role.value, "staff": staff_id},
    )


def quote_ident(conn: Connection, name: str) -> str:
    return str(conn.execute(text("SELECT quote_ident(:n)"), {"n": name}).scalar())


def generated_password() -> str:
    """A password nobody has to make up: 20 characters from the URL-safe alphabet."""
    return random_secrets.token_urlsafe(15)


_TABLE_WORDS = {
    "complaint": "complaints",
    "customer": "customers",
    "report": "reports",
    "callback": "callbacks",
    "delegation": "delegations",
    "event": "the audit trail",
    "event_change": "the audit trail",
    "role_grant": "who holds which role",
    "alembic_version": "the log's schema version",
}


def explain_refusal(driver_message: str) -> str | None:
    """A person's sentence for one of the office's refusals in a driver's error, else None."""
    first = driver_message.strip().splitlines()[0] if driver_message.strip() else ""
    if MESSAGE_MARK in first:
        said = first.split(MESSAGE_MARK, 1)[1].strip()
        return f"The office's database refused this: {said[:1].upper()}{said[1:]}"
    table = _quoted_table(first, "violates row-level security policy for table")
    if table is not None:
        return (
            f"The office's database refused this: this login may only add to "
            f"{_TABLE_WORDS.get(table, table)} on work delegated to its own staff member."
        )
    table = _quoted_table(first, "permission denied for table")
    if table is not None:
        return (
            "The office's database refused this: the login is not allowed to do that with "
            f"{_TABLE_WORDS.get(table, table)} (its role does not grant it). Ask the office's "
            "owner for the role that does, or whoever runs the server for a login in one."
        )
    return None


def _quoted_table(line: str, words: str) -> str | None:
    if words not in line:
        return None
    rest = line.split(words, 1)[1].strip()
    return rest.strip('"').split('"')[0] or None


# ---------------------------------------------------------------- setting up


def database_exists(conn: Connection, name: str) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    return found.scalar() is not None


def create_database(conn: Connection, name: str) -> None:
    """CREATE DATABASE (on a connection in autocommit: it cannot run in a transaction)."""
    conn.exec_driver_sql(f"CREATE DATABASE {quote_ident(conn, name)}")


def administrator_problem(conn: Connection) -> str | None:
    """Why this login cannot set up the office's roles, or None when it can."""
    if may_create_roles(conn):
        return None
    login = conn.execute(text("SELECT current_user")).scalar()
    return (
        f"The login {login} may not create roles, so it cannot set up the office. Connect as "
        "the server's administrator (a superuser, or a login with CREATEROLE) and try again; "
        "nothing was changed."
    )
