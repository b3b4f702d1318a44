"""The `ceo-desk` command: with no sub-command it opens the desktop app.

One module per group of sub-commands; each registers its parsers and handlers here.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sqlalchemy.exc import DatabaseError, OperationalError

from ceo_desk import __version__, logs
from ceo_desk.cli import complaints, directory, maintenance, reports, safety, settings
from ceo_desk.cli.context import MAX_WHOLE_NUMBER, CommandContext, common_options
from ceo_desk.errors import CeoDeskError
from ceo_desk.store.db import describe_failure

COMMAND_GROUPS = (complaints, directory, maintenance, reports, safety, settings)


def build_parser() -> argparse.ArgumentParser:
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    problem = _undecodable(given)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(given)
    if args.command is None:
        from ceo_desk.ui.app import run_app

        return run_app(db_option=args.db, demo=args.demo)
    context = CommandContext(args)
    try:
        return int(args.handler(args, context))
    except CeoDeskError as exc:
        print(f"ceo-desk: {exc}", file=sys.stderr)
        return 2
    except (OperationalError, DatabaseError) as exc:
        print(f"ceo-desk: {describe_failure(context.url, exc)}", file=sys.stderr)
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
        print(f"ceo-desk: {logs.user_message(exc)}", file=sys.stderr)
        return 2
    finally:
        context.close()
