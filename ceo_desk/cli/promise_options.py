"""The promise options `log` and `callback` share: `--promised TEXT --promise-due DATE` (each
repeatable, in pairs) and `--kept N` / `--broken N` (promise numbers, as `show` lists them)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ceo_desk.enums import PromiseOutcome
from ceo_desk.errors import ValidationError

if TYPE_CHECKING:
    from ceo_desk.core.services.promises import PromiseInput


def add_promise_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--promised",
        action="append",
        default=[],
        metavar="TEXT",
        help="a promise the CEO made (repeat for each; give each its --promise-due)",
    )
    parser.add_argument(
        "--promise-due",
        action="append",
        default=[],
        metavar="YYYY-MM-DD",
        help="the day the promise before it is due by",
    )


def promises_given(args: argparse.Namespace) -> tuple[PromiseInput, ...]:
    """The promises typed, each paired with its due day in the order given."""
    whats: list[str] = args.promised
    dues: list[str] = args.promise_due
    if len(whats) != len(dues):
        raise ValidationError(
            f"Give each promise its due day: {len(whats)} --promised and {len(dues)} "
            "--promise-due were given; pair them as --promised TEXT --promise-due YYYY-MM-DD. "
            "A note of what the CEO said goes in --ceo-words. Nothing was logged.",
            field="promise_due",
        )
    from ceo_desk.core.services.promises import PromiseInput

    return tuple(PromiseInput(what, due) for what, due in zip(whats, dues, strict=True))


def _promise_number(text: str) -> int:
    digits = text.strip().lstrip("#")
    if not digits.isdigit() or not 0 < int(digits) < 2**63:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a promise number; `ceo-desk show REF` lists them (#12)"
        )
    return int(digits)


def add_tick_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kept",
        action="append",
        default=[],
        type=_promise_number,
        metavar="N",
        help="a promise kept (its number from `show`; repeat for each)",
    )
    parser.add_argument(
        "--broken",
        action="append",
        default=[],
        type=_promise_number,
        metavar="N",
        help="a promise broken (its number from `show`; repeat for each)",
    )


def ticks_given(args: argparse.Namespace) -> dict[int, PromiseOutcome]:
    kept: list[int] = args.kept
    broken: list[int] = args.broken
    both = sorted(set(kept) & set(broken))
    if both:
        raise ValidationError(
            f"Promise #{both[0]} is given as both kept and broken; choose one.", field="promise"
        )
    return {n: PromiseOutcome.KEPT for n in kept} | {n: PromiseOutcome.BROKEN for n in broken}
