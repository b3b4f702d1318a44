"""The command line loads a command's modules only when that command runs."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from ceo_desk.cli import COMMAND_GROUPS, build_parser

HEAVY = ("sqlalchemy", "reportlab", "PySide6")

# Runs the real entry point in a fresh interpreter, then prints which modules it had loaded.
PROBE = """
import json, sys
from ceo_desk.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _loaded(*argv: str) -> tuple[object, set[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=False
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"]), done.stdout


def _families(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help for choice in action._choices_actions}


def test_help_lists_every_command_without_loading_the_database_layer_or_any_group() -> None:
    code, modules, shown = _loaded("--help")
    assert code == 0
    for group in COMMAND_GROUPS:
        for command, help_line in group.commands.items():
            assert command in shown and help_line.split()[0] in shown
        assert f"ceo_desk.cli.{group.module}" not in modules
    assert not _families(modules) & set(HEAVY)


def test_a_typo_is_refused_without_loading_the_database_layer() -> None:
    code, modules, _ = _loaded("lsit")
    assert code == 2
    assert not _families(modules) & set(HEAVY)


def test_a_command_loads_its_own_group_only(tmp_path: Path) -> None:
    code, modules, shown = _loaded("list", "--db", str(tmp_path / "log.sqlite3"))
    assert code == 0, shown
    assert "No complaints match." in shown
    assert "ceo_desk.cli.complaints" in modules
    others = {f"ceo_desk.cli.{g.module}" for g in COMMAND_GROUPS} - {"ceo_desk.cli.complaints"}
    assert not modules & others
    assert "reportlab" not in _families(modules)
    assert "PySide6" not in _families(modules)


def test_a_commands_own_help_comes_from_its_group() -> None:
    code, modules, shown = _loaded("report", "monthly", "--help")
    assert code == 0
    assert "--paper {a4,letter}" in shown
    assert "ceo_desk.cli.reports" in modules


def test_each_group_adds_exactly_the_commands_named_for_it_with_the_same_help() -> None:
    for group in COMMAND_GROUPS:
        assert _subcommands(build_parser([group])) == dict(group.commands), group.module


def test_no_two_groups_claim_a_command() -> None:
    names = [name for group in COMMAND_GROUPS for name in group.commands]
    assert len(names) == len(set(names))


def test_listing_loads_no_service_that_changes_a_complaint(tmp_path: Path) -> None:
    code, modules, shown = _loaded("list", "--db", str(tmp_path / "log.sqlite3"))
    assert code == 0, shown
    unneeded = {
        "ceo_desk.core.services.complaints",
        "ceo_desk.core.attachments",
        "ceo_desk.core.intake.proposal",
        "ceo_desk.core.mail.outbox",
        "ceo_desk.core.safety.erase",
        "ceo_desk.core.safety.backups",
    }
    assert not modules & unneeded


def test_logging_without_an_email_address_loads_no_email_checker(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "log.sqlite3")]
    phone = ["--phone", "+442079460001"]
    code, modules, shown = _loaded("log", "--customer", "Ann Lee", "--summary", "Lost", *phone, *db)
    assert code == 0, shown
    assert shown.strip().startswith("C-")
    assert "email_validator" not in _families(modules)
    assert "ceo_desk.core.attachments" not in modules


# What the commands that change a complaint load, and that reading one never needs.
CHANGING = {
    "ceo_desk.core.services.complaints",
    "ceo_desk.core.services.follow_ups",
    "ceo_desk.core.intake.proposal",
    "ceo_desk.core.mail.notices",
    "ceo_desk.core.mail.outbox",
    "ceo_desk.core.language",
}


def test_showing_a_complaint_loads_no_service_that_changes_one(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "log.sqlite3")]
    code, _, logged = _loaded("log", "--customer", "Ann Lee", "--summary", "Lost", "--phone",
                              "+442079460001", *db)  # fmt: skip
    assert code == 0, logged
    reference = logged.strip()
    code, modules, shown = _loaded("show", reference, *db)
    assert code == 0, shown
    assert shown.startswith(f"{reference}  New")
    assert "+44 20 7946 0001" in shown  # the number as people read it: phonenumbers is used
    assert not modules & CHANGING
    assert "ceo_desk.core.services.directory" not in modules  # opening the log needs no staff
    assert not modules & {"ceo_desk.core.search", "ceo_desk.core.to_delegate"}  # for the lists
    assert "email_validator" not in _families(modules)


def test_showing_a_customer_without_a_phone_loads_no_phone_library(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "log.sqlite3")]
    email = ["--email", "ann@example.com"]
    code, _, logged = _loaded("log", "--customer", "Ann Lee", "--summary", "Lost", *email, *db)
    assert code == 0, logged
    code, modules, shown = _loaded("show", logged.strip(), *db)
    assert code == 0, shown
    assert "Ann Lee  ann@example.com" in shown
    assert "phonenumbers" not in _families(modules)


def test_logging_loads_neither_the_queries_of_the_lists_nor_the_delegates_mail(
    tmp_path: Path,
) -> None:
    db = ["--db", str(tmp_path / "log.sqlite3")]
    phone = ["--phone", "+442079460001"]
    code, modules, shown = _loaded("log", "--customer", "Ann Lee", "--summary", "Lost", *phone, *db)
    assert code == 0, shown
    assert shown.strip().startswith("C-")
    unneeded = {
        "ceo_desk.core.queries",
        "ceo_desk.core.list_order",
        "ceo_desk.core.mail.notices",
        "ceo_desk.core.mail.outbox",
        "ceo_desk.core.language",
        "ceo_desk.core.attachments",
        "ceo_desk.core.services.directory",  # only for a unit or a staff member given
        "ceo_desk.core.services.follow_ups",  # only when a complaint is resolved
    }
    assert not modules & unneeded


def test_logging_with_an_email_address_only_loads_no_phone_library(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "log.sqlite3")]
    email = ["--email", "ann@example.com"]
    code, modules, shown = _loaded("log", "--customer", "Ann Lee", "--summary", "Lost", *email, *db)
    assert code == 0, shown
    assert shown.strip().startswith("C-")
    assert "phonenumbers" not in _families(modules)
