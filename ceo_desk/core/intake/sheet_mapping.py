"""The mapping: which columns of a file feed which field, in which date order, with which
translations of the file's words; read from and saved as TOML, or proposed from the header.

A field may take several columns (Issue + Sub-issue as the summary, Date + Time as received),
joined in order; one column may feed several fields. The format is described in docs/import.md.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ceo_desk.core import fields
from ceo_desk.core.fields import Kind
from ceo_desk.core.intake import sheet_dates
from ceo_desk.core.intake.sheet_dates import DateOrder
from ceo_desk.core.safety import input_file, output
from ceo_desk.enums import Status
from ceo_desk.errors import ValidationError

MAX_MAPPING_BYTES = 1024 * 1024
# The fields a file can hold, with what belongs in each (shown by the import wizard and docs).
IMPORTABLE: dict[str, str] = {f.key: f.help for f in fields.IMPORTABLE}
# Statuses a file may give: a complaint awaiting the CEO's callback needs a report first.
IMPORTABLE_STATUSES = (
    Status.NEW,
    Status.DELEGATED,
    Status.RESOLVED,
    Status.UNREACHABLE,
    Status.WITHDRAWN,
)
# Field names that saved mappings may still use.
_FORMER_FIELD_NAMES = {"caused_by": "caused_by_unit"}
# Fields whose columns are joined when several feed them: text with " - ", a date and a time
# with a space. Other fields take one column.
_JOINED_KINDS = {Kind.LINE: " - ", Kind.TEXT: "\n\n", Kind.MOMENT: " "}
# Words in another system's status, in the order they are tried, and the status they mean.
_STATUS_WORDS: tuple[tuple[Status, tuple[str, ...]], ...] = (
    (Status.WITHDRAWN, ("withdrawn", "withdrew", "cancelled", "canceled", "dropped")),
    (Status.UNREACHABLE, ("unreachable", "no contact", "could not reach", "not reached")),
    (
        Status.RESOLVED,
        (
            "closed",
            "solved",
            "resolved",
            "relief",
            "explanation",
            "complete",
            "done",
            "fixed",
            "answered",
            "settled",
        ),
    ),
    (Status.DELEGATED, ("delegated", "assigned", "with staff", "escalated")),
)


def fold(header: str) -> str:
    """A header as the aliases are written: lower case, other characters as one "_"."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


@dataclass
class Mapping:
    """Which columns feed which field, and how to read dates and values.

    Attributes:
        fields: field key -> the columns that feed it, in order.
        date_order: "dmy" or "mdy" for dates written day and month first; None when not given.
        delimiter, encoding: as given; None means detected from the file.
        values: field key -> {the file's word: the value it means}.
        reasons: for a proposed mapping, why each choice was made (shown, not saved as data).
    """

    fields: dict[str, list[str]] = field(default_factory=dict)
    date_order: DateOrder | None = None
    delimiter: str | None = None
    encoding: str | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list, compare=False)
    proposed: bool = field(default=False, compare=False)  # from the header: values to propose

    def columns_used(self) -> set[str]:
        return {fold(c) for columns in self.fields.values() for c in columns}

    def translate(self, key: str, cell: str) -> str:
        table = self.values.get(key)
        if not table:
            return cell
        wanted = cell.strip().lower()
        for word, value in table.items():
            if word.strip().lower() == wanted:
                return value
        return cell


# ---------------------------------------------------------------- reading and writing TOML


def load_mapping(path: Path) -> Mapping:
    """Read a mapping file; a bad one gets a message naming what to fix."""
    try:
        raw = input_file.read_regular(path, MAX_MAPPING_BYTES, what="mapping", field="mapping")
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError(
            f"The mapping {path} is not UTF-8 text; save it as UTF-8.", field="mapping"
        ) from None
    except OSError as exc:
        raise ValidationError(f"Cannot read the mapping {path}: {exc}.", field="mapping") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(
            f"The mapping {path} is not valid TOML: {exc}.", field="mapping"
        ) from exc
    return mapping_from_dict(data, str(path))


def _field_key(name: object, where: str, column: str | None = None) -> str:
    key = _FORMER_FIELD_NAMES.get(str(name), str(name))
    if key not in IMPORTABLE:
        named = f"column '{column}' maps to '{name}'" if column else f"'{name}'"
        raise ValidationError(
            f"In {where}, {named}, which is not a field. Fields: {', '.join(IMPORTABLE)}.",
            field="mapping",
        )
    return key


def _columns(value: object, key: str, where: str) -> list[str]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ValidationError(
            f'In {where}, {key} must name a column ("Issue") or a list of columns '
            '(["Issue", "Sub-issue"]).',
            field="mapping",
        )
    if len(names) > 1 and fields.BY_KEY[key].kind not in _JOINED_KINDS:
        raise ValidationError(
            f"In {where}, {key} takes one column; only text, dates and times are joined.",
            field="mapping",
        )
    return [str(n) for n in names]


def mapping_from_dict(data: dict[str, Any], where: str = "the mapping") -> Mapping:
    options = data.get("import", {})
    by_field = data.get("fields", {})
    columns = data.get("columns", {})
    values = data.get("values", {})
    if not all(isinstance(t, dict) for t in (options, by_field, columns, values)):
        raise ValidationError(
            f"In {where}, [import], [fields], [columns] and [values] must be tables.",
            field="mapping",
        )
    chosen: dict[str, list[str]] = {}
    for name, named in by_field.items():
        key = _field_key(name, where)
        chosen[key] = _columns(named, key, where)
    for column, name in columns.items():  # the older form: column = "field"
        key = _field_key(name, where, column)
        chosen.setdefault(key, []).append(str(column))
        _columns(chosen[key], key, where)
    order = sheet_dates.parse_order(options.get("date_order"), where)
    delimiter = options.get("delimiter")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise ValidationError(f"In {where}, delimiter must be one character.", field="mapping")
    encoding = options.get("encoding")
    if encoding is not None:
        encoding = str(encoding)
        try:
            "".encode(encoding)
        except LookupError:
            raise ValidationError(
                f"In {where}, the encoding '{encoding}' is unknown; use utf-8, cp1252 or latin-1.",
                field="mapping",
            ) from None
    translations: dict[str, dict[str, str]] = {}
    for name, table in values.items():
        key = _field_key(name, where)
        if not isinstance(table, dict):
            raise ValidationError(f"In {where}, [values.{name}] must be a table.", field="mapping")
        translations[key] = {str(k): str(v) for k, v in table.items()}
    return Mapping(chosen, order, delimiter, encoding, translations)


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def mapping_to_toml(mapping: Mapping) -> str:
    lines = ["# CEO Desk import mapping: which columns feed which field (see docs/import.md)."]
    lines += [f"# {reason}" for reason in mapping.reasons]
    lines.append("[import]")
    if mapping.date_order:
        lines.append(f"date_order = {_toml_string(mapping.date_order)}")
    if mapping.delimiter:
        lines.append(f"delimiter = {_toml_string(mapping.delimiter)}")
    if mapping.encoding:
        lines.append(f"encoding = {_toml_string(mapping.encoding)}")
    lines += ["", "[fields]"]
    for key, columns in mapping.fields.items():
        named = (
            _toml_string(columns[0])
            if len(columns) == 1
            else "[" + ", ".join(_toml_string(c) for c in columns) + "]"
        )
        lines.append(f"{key} = {named}")
    for key, table in mapping.values.items():
        lines += ["", f"[values.{key}]"]
        lines += [f"{_toml_string(k)} = {_toml_string(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def save_mapping(mapping: Mapping, path: Path, *, force: bool = False) -> Path:
    """Save a mapping for the next import (see core.safety.output for what may be replaced)."""
    return output.write_text(path, output.Kind.TEXT, mapping_to_toml(mapping), force=force)


# ---------------------------------------------------------------- checking against a header


def column_indexes(mapping: Mapping, headers: list[str]) -> dict[str, list[int]]:
    """Where each mapped column is in the header; a column the file lacks is an error."""
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        positions.setdefault(fold(header), index)
    missing = sorted(
        {c for columns in mapping.fields.values() for c in columns if fold(c) not in positions}
    )
    if missing:
        raise ValidationError(
            f"The mapping names column(s) the file does not have: {', '.join(missing)}. "
            f"The file's columns: {', '.join(h for h in headers if h)}.",
            field="mapping",
        )
    unmapped = [k for k in fields.IMPORT_REQUIRED if k not in mapping.fields]
    if unmapped:
        raise ValidationError(
            f"No column feeds {', '.join(fields.label(k).lower() for k in unmapped)}. The "
            f"file's columns: {', '.join(h for h in headers if h)}. Name them in the mapping.",
            field="mapping",
        )
    return {key: [positions[fold(c)] for c in columns] for key, columns in mapping.fields.items()}


def join_cells(key: str, cells: Iterable[str]) -> str:
    parts = [c.strip() if len(c) < 200 else c for c in cells]
    parts = [p for p in parts if p.strip()]
    separator = _JOINED_KINDS.get(fields.BY_KEY[key].kind, " ")
    return separator.join(parts)


# ---------------------------------------------------------------- proposing a mapping


def _aliases() -> dict[str, str]:
    found: dict[str, str] = {}
    for declared in fields.IMPORTABLE:
        for name in (
            declared.key,
            declared.csv or "",
            declared.label,  # the heading of the app's own export
            *fields.IMPORT_ALIASES.get(declared.key, ()),
        ):
            if name:
                found.setdefault(fold(name), declared.key)
    return found


def field_for_header(header: str) -> str | None:
    return _aliases().get(fold(header))


def propose(headers: list[str]) -> Mapping:
    """A mapping from the header's names: each column to the field it names, several columns
    of text (or a date and a time) joined into one field."""
    mapping = Mapping(proposed=True)
    for header in headers:
        key = field_for_header(header) if header.strip() else None
        if key is None:
            continue
        taken = mapping.fields.get(key)
        if taken is None:
            mapping.fields[key] = [header]
        elif fields.BY_KEY[key].kind in _JOINED_KINDS and len(taken) < 3:
            taken.append(header)
    for key, columns in mapping.fields.items():
        mapping.reasons.append(f"{fields.label(key)} from {' + '.join(columns)}")
    return mapping


def status_for(text: str) -> Status | None:
    """The status another system's word names ("Closed with explanation" is resolved);
    None when it names none."""
    value = " ".join(text.strip().lower().replace("_", " ").split())
    for status in Status:
        if value in (status.value.replace("_", " "), status.label.lower()):
            return status
    for status, words in _STATUS_WORDS:
        if any(word in value for word in words):
            return status
    return None


def propose_statuses(mapping: Mapping, seen: Iterable[str]) -> None:
    """Translate each status the file uses into one that can be imported: a word that names
    none (Open, Pending, In progress) means the complaint is still open, so new."""
    table: dict[str, str] = dict(mapping.values.get("status", {}))
    delegated_ok = "delegate" in mapping.fields
    own_names = {n for st in Status for n in (st.value, st.value.replace("_", " "))}
    for word in sorted({s.strip() for s in seen if s.strip()}, key=str.lower):
        if " ".join(word.lower().split()) in own_names:
            continue  # the log's own word: read as it is (awaiting callback is refused)
        status = status_for(word)
        if status is Status.DELEGATED and not delegated_ok:
            status = Status.NEW
        if status is None or status not in IMPORTABLE_STATUSES:
            status = Status.NEW
        if word.lower() != status.value and word not in table:
            table[word] = status.value
    if table:
        mapping.values["status"] = table
        mapping.reasons.append("Statuses: " + "; ".join(f"{w} as {v}" for w, v in table.items()))
