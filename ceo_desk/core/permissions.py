"""What each role may do: the one table, read by the services (which refuse) and by the
screens and commands (which offer only what the person may do).

A delegate acts only on work handed to their own staff member: `require` is told whose work
it is (`assigned_to`). On PostgreSQL the office's database roles enforce the same table again.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import select

from ceo_desk.core import lifecycle
from ceo_desk.enums import Role
from ceo_desk.errors import PermissionDenied
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import RoleGrant


class Action(StrEnum):
    LOG_CALL = "log_call"
    EDIT_COMPLAINT = "edit_complaint"
    DELEGATE = "delegate"
    FILE_REPORT = "file_report"
    SEND_BACK = "send_back"
    RECORD_CALLBACK = "record_callback"  # an outcome that does not resolve the complaint
    RESOLVE_BY_CALLBACK = "resolve_by_callback"  # the satisfied callback
    REPORT_CEO_SATISFIED = "report_ceo_satisfied"  # "the CEO reports: satisfied"
    COUNTERSIGN = "countersign"
    MARK_UNREACHABLE = "mark_unreachable"
    WITHDRAW = "withdraw"
    REQUEST_MORE_TIME = "request_more_time"
    DECIDE_MORE_TIME = "decide_more_time"
    PAUSE_CLOCK = "pause_clock"  # pause or resume the complaint's clock
    READ_LOG = "read_log"  # every complaint, customer and report
    READ_OWN_WORK = "read_own_work"  # what was handed to the delegate's staff member
    EDIT_CUSTOMER = "edit_customer"
    ERASE_CUSTOMER = "erase_customer"
    EDIT_DIRECTORY = "edit_directory"
    EDIT_SETTINGS = "edit_settings"
    MANAGE_PEOPLE = "manage_people"
    IMPORT = "import"
    EXPORT = "export"
    BACKUP = "backup"
    RESTORE = "restore"
    MAKE_PROMISE = "make_promise"  # the CEO's word, written down with its due day
    SETTLE_PROMISE = "settle_promise"  # ticked kept or broken at the callback
    RECORD_FOLLOW_UP = "record_follow_up"  # "did it stick?", some weeks after resolving
    SEND_MAIL = "send_mail"  # hand the outbox to the mail server or the mail program


_O, _C, _A, _D = Role.OWNER, Role.CEO, Role.ASSISTANT, Role.DELEGATE

ALLOWED_ROLES: dict[Action, frozenset[Role]] = {
    Action.LOG_CALL: frozenset({_A, _C}),
    Action.EDIT_COMPLAINT: frozenset({_A, _C}),
    Action.DELEGATE: frozenset({_A, _C}),
    Action.FILE_REPORT: frozenset({_A, _C, _D}),
    Action.SEND_BACK: frozenset({_C}),
    Action.RECORD_CALLBACK: frozenset({_C, _A}),
    Action.RESOLVE_BY_CALLBACK: frozenset({_C}),
    Action.REPORT_CEO_SATISFIED: frozenset({_A}),
    Action.COUNTERSIGN: frozenset({_C}),
    Action.MARK_UNREACHABLE: frozenset({_C, _A}),
    Action.WITHDRAW: frozenset({_A, _C}),
    Action.REQUEST_MORE_TIME: frozenset({_D}),
    Action.DECIDE_MORE_TIME: frozenset({_A, _C}),
    Action.PAUSE_CLOCK: frozenset({_A, _C}),
    Action.READ_LOG: frozenset({_O, _C, _A}),
    Action.READ_OWN_WORK: frozenset({_D}),
    Action.EDIT_CUSTOMER: frozenset({_A, _C}),
    Action.ERASE_CUSTOMER: frozenset({_O, _A}),
    Action.EDIT_DIRECTORY: frozenset({_O, _A, _C}),
    Action.EDIT_SETTINGS: frozenset({_O, _A, _C}),
    Action.MANAGE_PEOPLE: frozenset({_O}),
    Action.IMPORT: frozenset({_O, _A}),
    Action.EXPORT: frozenset({_O, _A, _C}),
    Action.BACKUP: frozenset({_O, _A, _C}),
    Action.RESTORE: frozenset({_O}),
    Action.MAKE_PROMISE: frozenset({_A, _C}),
    Action.SETTLE_PROMISE: frozenset({_C, _A}),
    Action.RECORD_FOLLOW_UP: frozenset({_C, _A}),
    Action.SEND_MAIL: frozenset({_O, _A, _C}),
}

# Actions a delegate may take only on work handed to their own staff member.
OWN_WORK_ONLY = frozenset({Action.FILE_REPORT, Action.REQUEST_MORE_TIME, Action.READ_OWN_WORK})

# What the action is, as the subject of "... needs the CEO role".
_DOING: dict[Action, str] = {
    Action.LOG_CALL: "Logging a call",
    Action.EDIT_COMPLAINT: "Editing a complaint",
    Action.DELEGATE: "Delegating a complaint",
    Action.FILE_REPORT: "Filing a report",
    Action.SEND_BACK: "Sending a report back",
    Action.RECORD_CALLBACK: "Recording a callback",
    Action.RESOLVE_BY_CALLBACK: "Recording a satisfied callback",
    Action.REPORT_CEO_SATISFIED: "Recording 'the CEO reports: satisfied'",
    Action.COUNTERSIGN: "Countersigning a satisfied callback",
    Action.MARK_UNREACHABLE: "Marking a complaint unreachable",
    Action.WITHDRAW: "Withdrawing a complaint",
    Action.REQUEST_MORE_TIME: "Asking for more time",
    Action.DECIDE_MORE_TIME: "Deciding a request for more time",
    Action.PAUSE_CLOCK: "Pausing or resuming a complaint's clock",
    Action.READ_LOG: "Reading the whole log",
    Action.READ_OWN_WORK: "Reading a delegate's work",
    Action.EDIT_CUSTOMER: "Changing a customer's details",
    Action.ERASE_CUSTOMER: "Erasing a customer",
    Action.EDIT_DIRECTORY: "Changing the directory",
    Action.EDIT_SETTINGS: "Changing the office settings",
    Action.MANAGE_PEOPLE: "Granting and revoking roles",
    Action.IMPORT: "Importing complaints",
    Action.EXPORT: "Exporting the log",
    Action.BACKUP: "Taking a backup",
    Action.RESTORE: "Restoring a backup",
    Action.MAKE_PROMISE: "Recording a promise",
    Action.SETTLE_PROMISE: "Ticking a promise kept or broken",
    Action.RECORD_FOLLOW_UP: "Recording a follow-up call",
    Action.SEND_MAIL: "Sending the office's email",
}

# What else the person can do, when there is a way that their own roles allow.
_INSTEAD: dict[Action, str] = {
    Action.RESOLVE_BY_CALLBACK: "record 'the CEO reports: satisfied'",
}

# The order a role is chosen in when several of the person's roles allow an action: the one
# that names the work done (an owner who is also the assistant logs calls as the assistant).
_PREFERENCE = (Role.ASSISTANT, Role.CEO, Role.OWNER, Role.DELEGATE)
# ...except the CEO's own work, which a person holding both roles does as the CEO.
_CEO_FIRST = (Role.CEO, Role.ASSISTANT, Role.OWNER, Role.DELEGATE)
_CEO_WORK = frozenset(
    {
        Action.RECORD_CALLBACK,
        Action.MARK_UNREACHABLE,
        Action.SETTLE_PROMISE,
        Action.RECORD_FOLLOW_UP,
    }
)


def allows(roles: Iterable[Role], action: Action) -> bool:
    """Whether a person holding `roles` may take `action` (on their own work, for a delegate)."""
    return not ALLOWED_ROLES[action].isdisjoint(roles)


# What a person must be allowed to see a complaint's lifecycle action offered: recording a
# callback is offered to whoever may record any outcome (the CEO's satisfied one included).
FOR_LIFECYCLE: dict[lifecycle.Action, tuple[Action, ...]] = {
    lifecycle.Action.DELEGATE: (Action.DELEGATE,),
    lifecycle.Action.FILE_REPORT: (Action.FILE_REPORT,),
    lifecycle.Action.SEND_BACK: (Action.SEND_BACK,),
    lifecycle.Action.RECORD_CALLBACK: (
        Action.RECORD_CALLBACK,
        Action.RESOLVE_BY_CALLBACK,
        Action.REPORT_CEO_SATISFIED,
    ),
    lifecycle.Action.COUNTERSIGN: (Action.COUNTERSIGN,),
    lifecycle.Action.MARK_UNREACHABLE: (Action.MARK_UNREACHABLE,),
    lifecycle.Action.WITHDRAW: (Action.WITHDRAW,),
    lifecycle.Action.EDIT: (Action.EDIT_COMPLAINT,),
    lifecycle.Action.REOPEN: (Action.RECORD_CALLBACK,),
    lifecycle.Action.PAUSE_CLOCK: (Action.PAUSE_CLOCK,),
}


def offers(roles: Iterable[Role], step: lifecycle.Action) -> bool:
    """Whether a screen offers a complaint's lifecycle action to a person holding `roles`."""
    held = frozenset(roles)
    return any(allows(held, action) for action in FOR_LIFECYCLE[step])


def allowed_actions(roles: Iterable[Role]) -> frozenset[Action]:
    held = frozenset(roles)
    return frozenset(action for action in Action if allows(held, action))


def describe(action: Action) -> str:
    """The action in words, for a menu's tip: "Recording a satisfied callback"."""
    return _DOING[action]


def holders(uow: UnitOfWork, roles: Iterable[Role]) -> list[str]:
    """The identities holding any of `roles`, sorted."""
    wanted = sorted(roles)
    if not wanted:
        return []
    return sorted(
        set(uow.session.scalars(select(RoleGrant.identity).where(RoleGrant.role.in_(wanted))).all())
    )


def roles_text(roles: Iterable[Role]) -> str:
    """ "the CEO role", "the assistant or CEO role"."""
    names = [r.label if r is Role.CEO else r.value for r in _PREFERENCE if r in set(roles)]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"the {joined} role"


def refusal(uow: UnitOfWork, action: Action, *, extra: str = "") -> PermissionDenied:
    """The refusal of `action` for this identity: the role it needs and who holds it."""
    needed = ALLOWED_ROLES[action]
    everyone = holders(uow, needed)
    held_by = [name for name in everyone if name != uow.identity]
    if uow.identity in everyone:  # granted, but set aside with --as
        return PermissionDenied(
            f"{_DOING[action]} needs {roles_text(needed)}{extra}; held by "
            f"{', '.join(everyone)}. You hold it yourself: leave out --as to act with it."
        )
    if held_by:
        who = f"held by {', '.join(held_by)}"
        ask = "Ask them"
    else:
        who = "nobody else holds it"
        ask = "An owner can grant it (ceo-desk users grant NAME --role ROLE)"
    instead = _INSTEAD.get(action)
    advice = f"{ask}, or {instead}." if instead else f"{ask}."
    return PermissionDenied(f"{_DOING[action]} needs {roles_text(needed)}{extra}; {who}. {advice}")


def require(uow: UnitOfWork, action: Action, *, assigned_to: int | None = None) -> Role:
    """Refuse `action` unless the identity holds a role allowing it; return that role, which the
    unit of work then acts in (its events name it).

    `assigned_to` is the staff member the work was handed to: a delegate may act only on their
    own. Raises PermissionDenied saying which role is needed and who holds it."""
    allowed = ALLOWED_ROLES[action] & uow.roles
    for role in _CEO_FIRST if action in _CEO_WORK else _PREFERENCE:
        if role not in allowed:
            continue
        own_work = assigned_to is not None and assigned_to == uow.staff_id
        if role is Role.DELEGATE and action in OWN_WORK_ONLY and not own_work:
            continue
        uow.acting_role = role
        return role
    if Role.DELEGATE in uow.roles and Role.DELEGATE in ALLOWED_ROLES[action]:
        raise PermissionDenied(
            f"{_DOING[action]} is open to a delegate only for work handed to them; this "
            "complaint is not delegated to you. Ask the assistant."
        )
    raise refusal(uow, action)


def acting_role(uow: UnitOfWork) -> Role:
    """The role this unit of work's events are recorded in: the one `require` chose, else
    the person's first role, else SYSTEM (what CEO Desk does by itself, such as first grants)."""
    if uow.acting_role is not None:
        return uow.acting_role
    return next((role for role in _PREFERENCE if role in uow.roles), Role.SYSTEM)
