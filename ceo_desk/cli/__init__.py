"""The `ceo-desk` command: with no sub-command it opens the desktop app.

Adding a group of commands
--------------------------
A group is one module in this package with a `register(commands)` function that adds its
sub-parsers and sets `handler=` on each, exactly as an argparse program would. Name it once in
`COMMAND_GROUPS` below, with the top-level commands it adds and the line `ceo-desk --help` shows
for each::

    CommandGroup("users", {"users": "who may use the log, and in which role"}),

That line is the whole registration. The group's module is imported only when one of its
commands runs (or its own --help is asked for), so it may import whatever its handlers need:
`ceo-desk --help` and a mistyped command load neither SQLAlchemy nor reportlab nor any group,
and the desktop app loads no group at all. `tests/integration/test_cli_lazy.py` checks that
each group adds exactly the commands named here, with the same help.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ceo_desk import __version__, collector
from ceo_desk.cli.context import MAX_WHOLE_NUMBER, common_options
from ceo_desk.errors import CeoDeskError

if TYPE_CHECKING:
    from typing import TypeAlias

    from ceo_desk.cli.context import CommandContext

    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


class CommandGroup:
    """One module of sub-commands (`ceo_desk.cli.<module>`) and the commands it adds."""

    def __init__(self, module: str, commands: Mapping[str, str]) -> None:
        self.module = module
        self.commands = commands  # top-level command -> its line in `ceo-desk --help`

    def register(self, commands: Commands) -> None:
        importlib.import_module(f"ceo_desk.cli.{self.module}").register(commands)


COMMAND_GROUPS = (
    CommandGroup(
        "complaints",
        {
            "log": "log a complaint that reached the CEO",
            "delegate": "hand a complaint to a staff member",
            "file-report": "file the delegate's report",
            "send-back": "return a report to its delegate",
            "callback": "record the CEO's confirmation call",
            "mark-unreachable": "close after repeated unanswered callbacks",
            "withdraw": "close an open complaint",
            "reopen": "reopen a resolved complaint: back to its last delegate",
            "show": "one complaint with its whole history",
            "list": "list complaints",
        },
    ),
    CommandGroup(
        "attachments",
        {
            "attach": "keep a file (an email, a letter, a photo) with a complaint",
            "attachments": "list a complaint's files",
            "attachment": "one of a complaint's files",
        },
    ),
    CommandGroup(
        "directory",
        {
            "staff": "staff members who take delegated complaints",
            "units": "list departments and partners",
            "unit-head": "name who a department's or partner's overdue reports are escalated to",
        },
    ),
    CommandGroup("categories", {"categories": "the categories complaints are filed under"}),
    CommandGroup(
        "delegates",
        {
            "report-form": "write the fillable report form for a delegate without the app (PDF)",
            "more-time": "ask for a later report due date (delegates)",
            "accept-more-time": "give a delegate the time they asked for",
            "decline-more-time": "refuse a delegate's request for more time",
            "more-time-requests": "requests for more time waiting for an answer",
        },
    ),
    CommandGroup(
        "countersign",
        {"countersign": "the CEO countersigns a satisfied callback the assistant recorded"},
    ),
    CommandGroup(
        "mail",
        {
            "outbox": "the emails waiting, sent or to open in a mail program",
            "templates": "the office's wording for each kind of email",
        },
    ),
    CommandGroup(
        "pauses",
        {
            "pause": "pause a complaint's clock while waiting for the customer or a third party",
            "resume": "start a paused complaint's clock again; its due dates move on by the pause",
        },
    ),
    CommandGroup("maintenance", {"demo": "fill the database with demo history"}),
    CommandGroup(
        "office",
        {"office": "set up an office on PostgreSQL: logins, roles, the database's own rules"},
    ),
    CommandGroup(
        "reports",
        {"report": "print the monthly summary, a call brief or a partner's statement (PDF)"},
    ),
    CommandGroup(
        "promises",
        {
            "promise": "the CEO's promises: add one later, tick them",
            "follow-up": "record the 'did it stick?' call on a resolved complaint",
            "today": "the CEO's calls today, the most at stake first",
        },
    ),
    CommandGroup(
        "safety",
        {
            "backup": "take a verified backup now",
            "restore": "replace the database with a backup (after backing up)",
            "check": "check integrity, references and the audit chain",
            "erase-customer": "anonymise a customer everywhere (irreversible)",
            "export-customer": "everything held about one customer, as JSON",
            "import": "import complaints from a CSV file (all or nothing)",
            "export": "one row per complaint, to CSV or XLSX",
            "export-callbacks": "scheduled confirmation calls as a calendar",
        },
    ),
    CommandGroup(
        "reminders",
        {"reminders": "send the reminders due now: report due, overdue, escalation"},
    ),
    CommandGroup("settings", {"settings": "show or change the office settings"}),
    CommandGroup("users", {"users": "who may do what: the roles granted to people"}),
)


def _top_parser() -> tuple[argparse.ArgumentParser, Commands]:
    parser = argparse.ArgumentParser(
        prog="ceo-desk",
        description="Every complaint that reaches the CEO, resolved and confirmed with the "
        "customer.",
        parents=[common_options(suppress_defaults=False)],
    )
    parser.add_argument("--version", action="version", version=f"ceo-desk {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a fresh temporary database filled with demo complaints",
    )
    return parser, parser.add_subparsers(dest="command", metavar="COMMAND")


def build_parser(groups: Sequence[CommandGroup] = COMMAND_GROUPS) -> argparse.ArgumentParser:
    """The whole parser of the given groups (importing their modules)."""
    parser, commands = _top_parser()
    for group in groups:
        group.register(commands)
    return parser


def _listing_parser() -> argparse.ArgumentParser:
    """Every command by name and help only: enough for `--help` and to find the command's group."""
    parser, commands = _top_parser()
    for group in COMMAND_GROUPS:
        for name, help_line in group.commands.items():
            commands.add_parser(name, help=help_line, add_help=False)
    return parser


def _group_of(command: str) -> CommandGroup:
    return next(group for group in COMMAND_GROUPS if command in group.commands)


def _undecodable(argv: Sequence[str]) -> str | None:
    """Bytes that are not UTF-8 reach Python as lone surrogates; name the argument holding them."""
    for number, value in enumerate(argv, start=1):
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            shown = value.encode("utf-8", "replace").decode("utf-8")
            return (
                f"ceo-desk: argument {number} ({shown!r}) holds bytes that are not text (not "
                "UTF-8). Type it again, or check the terminal's character set; nothing was changed."
            )
    return None


def _database_failure(context: CommandContext, exc: Exception) -> str | None:
    """The sentence for a database driver's error, or None for any other exception. SQLAlchemy
    is looked up, not imported: if no command loaded it, the error cannot be one of its own."""
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_errors is None or not isinstance(
        exc, sqlalchemy_errors.OperationalError | sqlalchemy_errors.DatabaseError
    ):
        return None
    from ceo_desk.store.db import describe_failure

    return describe_failure(context.url, exc)


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:  # this process's own command line: its start-up is ours (see collector)
        collector.start()
    try:
        return _run(argv)
    finally:
        collector.before_exit()


def _run(argv: Sequence[str] | None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    problem = _undecodable(given)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    found, _ = _listing_parser().parse_known_args(given)
    if found.command is None:
        _listing_parser().parse_args(given)  # refuses what is not an option of the app
        from ceo_desk.ui.app import run_app

        return run_app(db_option=found.db, demo=found.demo)
    args = build_parser([_group_of(found.command)]).parse_args(given)
    from ceo_desk.cli.context import CommandContext

    collector.settle()  # the command's modules are in; the log pauses it again while it opens

    context = CommandContext(args)
    try:
        return int(args.handler(args, context))
    except CeoDeskError as exc:
        print(f"ceo-desk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "ceo-desk: interrupted; nothing was changed by the unfinished command.", file=sys.stderr
        )
        return 130
    except BrokenPipeError:
        # The reader went away (`ceo-desk list | head`): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OverflowError:
        print(
            "ceo-desk: a number given is too large to be a record id or a count (at most "
            f"{MAX_WHOLE_NUMBER:,}); nothing was changed.",
            file=sys.stderr,
        )
        return 2
    except Exception as exc:  # the last line of defence: never a traceback for the user
        from ceo_desk import logs

        failure = _database_failure(context, exc)
        print(f"ceo-desk: {failure or logs.user_message(exc)}", file=sys.stderr)
        return 2
    finally:
        context.close()
