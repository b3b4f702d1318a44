"""What every sub-command shares: the database options, opening it lazily, and output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ceo_desk.enums import Role, parse_choice

# The parser is built from this module for every command and for `--help`: the database layer
# loads only when a command opens the log.
if TYPE_CHECKING:
    from ceo_desk.core.database import OpenedLog
    from ceo_desk.store.db import Database, UnitOfWork

T = TypeVar("T")

# The largest id or count a database column holds (a signed 64-bit integer).
MAX_WHOLE_NUMBER = 2**63 - 1


def whole_number(text: str) -> int:
    """An argparse type: a whole number from 0 up to what a database column can hold."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value <= MAX_WHOLE_NUMBER:
        raise argparse.ArgumentTypeError(
            f"{text} is out of range: give a whole number from 0 to {MAX_WHOLE_NUMBER:,}"
        )
    return value


def common_options(*, suppress_defaults: bool = True) -> argparse.ArgumentParser:
    """--db, --as and --json, accepted before or after the sub-command."""
    default = argparse.SUPPRESS if suppress_defaults else None
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=default,
        help="SQLite file or SQLAlchemy URL (default: $CEO_DESK_DATABASE_URL, then the local log)",
    )
    options.add_argument(
        "--as",
        dest="as_role",
        metavar="ROLE",
        default=default,
        help="act in only one of the roles granted to you (default: all of them)",
    )
    options.add_argument(
        "--json",
        action="store_true",
        default=default if suppress_defaults else False,
        help="print JSON instead of text",
    )
    return options


class CommandContext:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._database: Database | None = None

    @property
    def url(self) -> str:
        from ceo_desk import paths

        return paths.resolve_database_url(getattr(self.args, "db", None))

    @property
    def as_json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def role(self) -> Role | None:
        """The one granted role chosen with --as, or None to act with all of them."""
        given = getattr(self.args, "as_role", None)
        if given:
            return parse_choice(Role, given, field="role")
        return None

    def database(self) -> Database:
        if self._database is None:
            from ceo_desk import collector

            collector.pause()  # opening loads the database layer: start-up (see collector)
            try:
                opened = self._open()
            finally:
                collector.settle()
            for warning in opened.warnings:
                print(f"ceo-desk: note: {warning}", file=sys.stderr)
            self._database = opened.db
        return self._database

    def _open(self) -> OpenedLog:
        from ceo_desk.cli import sign_in
        from ceo_desk.core.database import open_log

        def waiting(why: str) -> None:
            print(f"ceo-desk: {why}", file=sys.stderr, flush=True)

        # The daily backup is taken after the command, by a process of its own.
        return sign_in.opening(
            lambda: open_log(
                getattr(self.args, "db", None),
                as_role=self.role(),
                daily_backup=False,
                before_check=waiting,
            )
        )

    def write(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run a command's writing step in one transaction, run again from the start if it lost
        a race with another writer (see `Database.write`). Every writing command goes through
        here, so each is retried the same way. An email the step queued is sent at once."""
        queued: list[bool] = []

        def step(uow: UnitOfWork) -> T:
            result = work(uow)
            queued.append(bool(uow.session.info.get("ceo_desk.outbox_queued")))
            return result

        result = self.database().write(step)
        if queued and queued[-1]:
            from ceo_desk.cli.mail import send_after_command

            send_after_command(self.database())
        return result

    def emit(self, text: str, data: Any) -> int:
        if self.as_json:
            import json

            from ceo_desk.core import json_values

            json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=json_values.default)
            sys.stdout.write("\n")
        else:
            print(text)
        return 0

    def close(self) -> None:
        """Close the log, then leave its daily backup (when due) to a background process."""
        if self._database is not None:
            path = self._database.sqlite_path
            self._database.close()
            if path is not None:
                from ceo_desk.cli import daily_backup

                daily_backup.start_if_due(path)
