"""`ceo-desk settings list|get|set`: the office settings, as declared in `ceo_desk.settings`."""

from __future__ import annotations

import argparse
from datetime import date, time
from typing import Any

from ceo_desk import settings as declared
from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core.services import office


def _keys_help() -> str:
    lines = ["settings:"]
    for option in declared.OPTIONS:
        bounds = f" ({option.bounds()})" if option.maximum else ""
        lines.append(f"  {option.key}{bounds}: {option.help}")
    return "\n".join(lines)


def register(commands: Any) -> None:
    common = common_options()
    group = commands.add_parser("settings", help="show or change the office settings")
    actions = group.add_subparsers(dest="settings_command", metavar="ACTION", required=True)

    p = actions.add_parser("list", parents=[common], help="every office setting and its value")
    p.set_defaults(handler=_list)

    p = actions.add_parser(
        "get",
        parents=[common],
        help="one setting's value",
        epilog=_keys_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("key", help="the setting, such as callback_due_days")
    p.set_defaults(handler=_get)

    p = actions.add_parser(
        "set",
        parents=[common],
        help="change one setting (for everyone using this log)",
        epilog=_keys_help() + "\n\nexamples:\n  ceo-desk settings set weekend_days fri,sat\n"
        "  ceo-desk settings set retention_years 7\n"
        "  ceo-desk settings set retention_years forever",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("key", help="the setting, such as callback_due_days")
    p.add_argument("value", help="its new value")
    p.set_defaults(handler=_set)


def _json(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return value


def _entry(option: declared.Option, settings: declared.OfficeSettings) -> dict[str, Any]:
    value = option.get(settings)
    return {
        "key": option.key,
        "value": _json(value),
        "shown": option.show(value),
        "label": option.label,
        "help": option.help,
    }


def _load(ctx: CommandContext) -> declared.OfficeSettings:
    with ctx.database().reading() as uow:
        return office.load_settings(uow)


def _list(args: argparse.Namespace, ctx: CommandContext) -> int:
    settings = _load(ctx)
    entries = [_entry(option, settings) for option in declared.OPTIONS]
    width = max(len(e["key"]) for e in entries)
    text = "\n".join(f"{e['key']:<{width}}  {e['shown']}" for e in entries)
    return ctx.emit(text, entries)


def _get(args: argparse.Namespace, ctx: CommandContext) -> int:
    option = declared.option(args.key)
    entry = _entry(option, _load(ctx))
    return ctx.emit(entry["shown"], entry)


def _set(args: argparse.Namespace, ctx: CommandContext) -> int:
    option = declared.option(args.key)
    value = option.parse(args.value)  # refused here, before the log is opened
    settings = ctx.write(
        lambda uow: office.save_settings(uow, option.put(office.load_settings(uow), value))
    )
    entry = _entry(option, settings)
    return ctx.emit(f"{option.label}: {entry['shown']}", entry)
