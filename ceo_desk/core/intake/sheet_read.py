"""Reading a spreadsheet export: its encoding, delimiter and header found, its rows streamed.

The encoding is UTF-8 (with or without a byte-order mark) when every byte reads as UTF-8, else
Windows-1252, else Latin-1. The delimiter is the one `csv.Sniffer` finds, or the first of
comma, semicolon, tab and bar under which a header row is found. Lines above the header (an
archive note, a title) are skipped. Rows are read one at a time, never the whole file at once,
and each carries the line of the file it starts on, as an editor numbers them.
"""

from __future__ import annotations

import codecs
import csv
import io
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ceo_desk.core import fields
from ceo_desk.core.intake import sheet_mapping
from ceo_desk.core.intake.sheet_mapping import Mapping
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import kind_of

HEADER_SEARCH_LINES = 30
DELIMITERS = ",;\t|"
_SAMPLE_BYTES = 256 * 1024
_CHUNK = 4 * 1024 * 1024
# Bytes Windows-1252 leaves undefined: a file holding them is Latin-1.
_UNDEFINED_IN_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")


@dataclass(frozen=True)
class Layout:
    """How a file is laid out, as detected (or as the mapping said)."""

    path: Path
    size: int
    encoding: str
    delimiter: str
    header_line: int
    headers: list[str]

    @property
    def delimiter_name(self) -> str:
        return {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}.get(
            self.delimiter, repr(self.delimiter)
        )


def _check_file(path: Path) -> int:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ValidationError(f"There is no file {path}.", field="file") from None
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.", field="file") from exc
    if stat.S_ISDIR(info.st_mode):
        raise ValidationError(f"{path} is a folder; give the CSV file itself.", field="file")
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(
            f"{path} is {kind_of(info.st_mode)}, not a file; give the CSV file itself.",
            field="file",
        )
    limit = fields.MAX_IMPORT_FILE_BYTES
    if info.st_size > limit:
        raise ValidationError(
            f"{path.name} is {info.st_size / 1024 / 1024:.0f} MB; the import takes files up to "
            f"{limit // 1024 // 1024} MB. Split it into smaller files.",
            field="file",
        )
    return info.st_size


def detect_encoding(path: Path) -> str:
    """UTF-8 when the whole file reads as UTF-8 (checked chunk by chunk), else a Windows or
    Latin-1 code page."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    undefined = False
    with path.open("rb") as handle:
        first = handle.read(3)
        if first == codecs.BOM_UTF8:
            return "utf-8-sig"
        chunk = first
        utf8 = True
        total = 0
        while chunk:
            total += len(chunk)
            if total > fields.MAX_IMPORT_FILE_BYTES:  # a size the file system got wrong
                raise ValidationError(
                    f"{path.name} is larger than "
                    f"{fields.MAX_IMPORT_FILE_BYTES / 1024 / 1024:.0f} MB, the most the import "
                    "takes. Split it into smaller files; nothing was read.",
                    field="file",
                )
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            undefined = undefined or not _UNDEFINED_IN_CP1252.isdisjoint(chunk)
            chunk = handle.read(_CHUNK)
        if utf8:
            try:
                decoder.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
    return "latin-1" if undefined else "cp1252"


def _sample_lines(path: Path, encoding: str) -> list[str]:
    with path.open("rb") as handle:
        raw = handle.read(_SAMPLE_BYTES)
    text = raw.decode(encoding, errors="replace").removeprefix("\ufeff")
    return text.splitlines(keepends=True)[: HEADER_SEARCH_LINES + 1]


def _cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _is_header(cells: list[str], mapping: Mapping | None) -> bool:
    named = {sheet_mapping.fold(c) for c in cells if c.strip()}
    if mapping is not None and mapping.fields:
        return mapping.columns_used() <= named
    known = {sheet_mapping.field_for_header(c) for c in cells if c.strip()} - {None}
    return len(known) >= 2 and bool(known & {"summary", "received_at", "customer_name"})


def _sniffed(lines: list[str]) -> list[str]:
    try:
        found = csv.Sniffer().sniff("".join(lines[-20:]), delimiters=DELIMITERS).delimiter
    except csv.Error:
        return list(DELIMITERS)
    return [found] + [d for d in DELIMITERS if d != found]


def detect(path: Path, mapping: Mapping | None = None) -> Layout:
    """Find the encoding, delimiter and header row of a file (the mapping's when it gives them)."""
    size = _check_file(path)
    encoding = (mapping.encoding if mapping else None) or detect_encoding(path)
    lines = _sample_lines(path, encoding)
    candidates = [mapping.delimiter] if mapping and mapping.delimiter else _sniffed(lines)
    for delimiter in candidates:
        for number, line in enumerate(lines[:HEADER_SEARCH_LINES], start=1):
            cells = _cells(line, delimiter)
            if _is_header(cells, mapping):
                return Layout(path, size, encoding, delimiter, number, [c.strip() for c in cells])
    named = sorted({c for cs in mapping.fields.values() for c in cs}) if mapping else []
    wanted = (
        f"the columns the mapping names ({', '.join(named)})"
        if named
        else "a row of column names (such as Received, Customer, Summary)"
    )
    raise ValidationError(
        f"No header row found in the first {HEADER_SEARCH_LINES} lines of {path.name}. The file "
        f"needs {wanted}; give a mapping that names its columns (see docs/import.md).",
        field="file",
    )


def records(
    layout: Layout, *, on_bytes: Callable[[int], None] | None = None
) -> Iterator[tuple[int, list[str]]]:
    """The data rows below the header, each with the line it starts on; blank rows skipped."""
    csv.field_size_limit(fields.MAX_IMPORT_CELL_CHARS + 1)
    handle: IO[str]
    raw = layout.path.open("rb")
    try:
        handle = io.TextIOWrapper(raw, encoding=layout.encoding, newline="")
        for _ in range(layout.header_line):
            handle.readline()
        reader = csv.reader(handle, delimiter=layout.delimiter)
        previous = 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise ValidationError(
                    f"{layout.path.name} line {layout.header_line + previous + 1} is not "
                    f"{layout.encoding.removesuffix('-sig')} text. Save the file as UTF-8 or set "
                    "encoding in the mapping (see docs/import.md).",
                    field="file",
                ) from None
            except csv.Error as exc:
                limit = fields.MAX_IMPORT_CELL_CHARS // 1024 // 1024
                reason = (
                    f"a cell holds more than {limit} MB of text"
                    if "field larger" in str(exc)
                    else f"it cannot be read as CSV ({exc})"
                )
                raise ValidationError(
                    f"{layout.path.name} line {layout.header_line + previous + 1}: {reason}.",
                    field="file",
                ) from None
            line = layout.header_line + previous + 1
            previous = reader.line_num
            if on_bytes is not None and reader.line_num % 256 == 0:
                on_bytes(raw.tell())
            if any(cell.strip() for cell in record):
                yield line, record
    finally:
        raw.close()
