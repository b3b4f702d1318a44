"""Builds small Outlook .msg files for the tests: a compound file (CFB, version 3) holding the
MAPI property streams Outlook writes for a plain email, with its attachments.

Only what a reader needs is written: subject, sender, body, dates, the transport headers and the
attachments by value. Streams under 4,096 bytes go in the mini stream, as the format requires.
"""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END_OF_CHAIN, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NO_STREAM = 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5

PT_LONG, PT_SYSTIME, PT_UNICODE, PT_BINARY = 0x0003, 0x0040, 0x001F, 0x0102


@dataclass
class _Node:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Node] = field(default_factory=list)
    sid: int = 0
    start: int = END_OF_CHAIN


@dataclass(frozen=True)
class MsgAttachment:
    name: str
    data: bytes
    media_type: str = "application/octet-stream"


def _filetime(moment: datetime) -> int:
    epoch = datetime(1601, 1, 1, tzinfo=UTC)
    return int((moment - epoch).total_seconds() * 10_000_000)


def _unicode(prop: int, text: str) -> _Node:
    return _Node(f"__substg1.0_{prop:04X}{PT_UNICODE:04X}", STREAM, text.encode("utf-16-le"))


def _binary(prop: int, data: bytes) -> _Node:
    return _Node(f"__substg1.0_{prop:04X}{PT_BINARY:04X}", STREAM, data)


def _fixed(entries: list[tuple[int, int, int, bytes]], header: bytes) -> _Node:
    """The __properties_version1.0 stream: fixed-size values and the sizes of variable ones."""
    body = b"".join(
        struct.pack("<HHI", kind, prop, flags) + value.ljust(8, b"\0")
        for prop, kind, flags, value in entries
    )
    return _Node("__properties_version1.0", STREAM, header + body)


def _size_entry(prop: int, kind: int, data: bytes) -> tuple[int, int, int, bytes]:
    extra = 2 if kind == PT_UNICODE else 0  # the size counts the terminating NUL
    return (prop, kind, 6, struct.pack("<II", len(data) + extra, 0))


def build_msg(
    *,
    subject: str,
    sender_name: str,
    sender_email: str,
    body: str,
    sent_at: datetime,
    attachments: tuple[MsgAttachment, ...] = (),
    message_class: str = "IPM.Note",
) -> bytes:
    """The bytes of a .msg file holding one email."""
    headers = (
        f"From: {sender_name} <{sender_email}>\r\n"
        f"Subject: {subject}\r\n"
        f"Date: {sent_at.strftime('%a, %d %b %Y %H:%M:%S +0000')}\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    )
    strings = {
        0x001A: message_class,
        0x0037: subject,
        0x0C1A: sender_name,
        0x0C1F: sender_email,
        0x5D01: sender_email,
        0x0042: sender_name,
        0x0065: sender_email,
        0x1000: body,
        0x007D: headers,
        0x0E1D: subject,
    }
    when = struct.pack("<Q", _filetime(sent_at))
    root = _Node("Root Entry", ROOT)
    entries: list[tuple[int, int, int, bytes]] = [
        (0x0039, PT_SYSTIME, 6, when),  # PR_CLIENT_SUBMIT_TIME
        (0x0E06, PT_SYSTIME, 6, when),  # PR_MESSAGE_DELIVERY_TIME
        (0x0E07, PT_LONG, 6, struct.pack("<I", 1)),  # PR_MESSAGE_FLAGS: read
    ]
    for prop, text in strings.items():
        node = _unicode(prop, text)
        root.children.append(node)
        entries.append(_size_entry(prop, PT_UNICODE, node.data))
    top_header = struct.pack("<8xIIII8x", 0, len(attachments), 0, len(attachments))
    root.children.append(_fixed(entries, top_header))
    for number, attachment in enumerate(attachments):
        storage = _Node(f"__attach_version1.0_#{number:08X}", STORAGE)
        data = _binary(0x3701, attachment.data)
        names = [
            _unicode(0x3707, attachment.name),
            _unicode(0x3704, attachment.name[:12]),
            _unicode(0x3001, attachment.name),
            _unicode(0x370E, attachment.media_type),
            _unicode(0x3703, "." + attachment.name.rpartition(".")[2]),
        ]
        storage.children.extend([data, *names])
        attach_entries = [
            (0x3705, PT_LONG, 6, struct.pack("<I", 1)),  # PR_ATTACH_METHOD: by value
            (0x0E20, PT_LONG, 6, struct.pack("<I", len(attachment.data))),
            (0x0E21, PT_LONG, 6, struct.pack("<I", number)),
            _size_entry(0x3701, PT_BINARY, data.data),
            *(_size_entry(int(n.name[12:16], 16), PT_UNICODE, n.data) for n in names),
        ]
        storage.children.append(_fixed(attach_entries, b"\0" * 8))
        root.children.append(storage)
    named = _Node("__nameid_version1.0", STORAGE)
    named.children.extend(
        _Node(f"__substg1.0_{prop:04X}0102", STREAM) for prop in (0x0002, 0x0003, 0x0004)
    )
    root.children.append(named)
    return _compound_file(root)


def _walk(node: _Node) -> list[_Node]:
    found = [node]
    for child in node.children:
        found.extend(_walk(child))
    return found


def _sort_key(node: _Node) -> tuple[int, str]:
    return (len(node.name), node.name.upper())


def _chain(sectors: list[int], first: int, count: int) -> None:
    for offset in range(count):
        sectors[first + offset] = first + offset + 1 if offset + 1 < count else END_OF_CHAIN


def _compound_file(root: _Node) -> bytes:
    nodes = _walk(root)
    for sid, node in enumerate(nodes):
        node.sid = sid
    # The mini stream: every small stream, in 64-byte mini sectors.
    mini = bytearray()
    mini_fat: list[int] = []
    big: list[_Node] = []
    for node in nodes:
        if node.kind != STREAM or not node.data:
            continue
        if len(node.data) >= MINI_CUTOFF:
            big.append(node)
            continue
        count = -(-len(node.data) // MINI_SECTOR)
        node.start = len(mini_fat)
        mini_fat.extend([0] * count)
        _chain(mini_fat, node.start, count)
        mini += node.data.ljust(count * MINI_SECTOR, b"\0")

    body: list[bytes] = []  # sector contents after the FAT sectors are placed in front
    fat: list[int] = []

    def place(data: bytes) -> int:
        count = max(1, -(-len(data) // SECTOR))
        first = len(fat)
        fat.extend([0] * count)
        _chain(fat, first, count)
        padded = data.ljust(count * SECTOR, b"\0")
        body.extend(padded[i : i + SECTOR] for i in range(0, len(padded), SECTOR))
        return first

    for node in big:
        node.start = place(node.data)
    if mini:
        root.start = place(bytes(mini))
        root.data = bytes(mini)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat) if mini_fat else b""
    mini_fat_bytes = mini_fat_bytes.ljust(-(-len(mini_fat_bytes) // SECTOR) * SECTOR, b"\xff")
    mini_fat_start = place(mini_fat_bytes) if mini_fat else END_OF_CHAIN
    mini_fat_count = len(mini_fat_bytes) // SECTOR
    right, first_child = _links(nodes)
    directory = b"".join(_entry(node, right, first_child) for node in nodes)
    directory = directory.ljust(-(-len(directory) // SECTOR) * SECTOR, b"\0")
    filler = _empty_entry()
    directory = b"".join(
        directory[i : i + 128] if directory[i : i + 128].strip(b"\0") else filler
        for i in range(0, len(directory), 128)
    )
    directory_start = place(directory)
    # The FAT itself, at the end: enough sectors to describe everything including themselves.
    fat_sectors = 1
    while (len(fat) + fat_sectors) > fat_sectors * (SECTOR // 4):
        fat_sectors += 1
    fat_first = len(fat)
    fat.extend([FAT_SECTOR] * fat_sectors)
    fat.extend([FREE] * (fat_sectors * (SECTOR // 4) - len(fat)))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    body.extend(fat_bytes[i : i + SECTOR] for i in range(0, len(fat_bytes), SECTOR))
    difat = [fat_first + n for n in range(fat_sectors)] + [FREE] * (109 - fat_sectors)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack(
            "<IIIIIIIII",
            0,
            fat_sectors,
            directory_start,
            0,
            MINI_CUTOFF,
            mini_fat_start,
            mini_fat_count,
            END_OF_CHAIN,
            0,
        )
        + struct.pack("<109I", *difat)
    )
    assert len(header) == SECTOR
    return header + b"".join(body)


def _links(nodes: list[_Node]) -> tuple[dict[int, int], dict[int, int]]:
    """Each storage's children as a sorted chain of right siblings (a valid search tree):
    (right sibling by id, first child by storage id)."""
    right: dict[int, int] = {}
    first_child: dict[int, int] = {}
    for node in nodes:
        ordered = sorted(node.children, key=_sort_key)
        for left, following in itertools.pairwise(ordered):
            right[left.sid] = following.sid
        if ordered:
            first_child[node.sid] = ordered[0].sid
    return right, first_child


def _entry(node: _Node, right: dict[int, int], first_child: dict[int, int]) -> bytes:
    name = node.name.encode("utf-16-le") + b"\0\0"
    size = len(node.data) if node.kind != STORAGE else 0
    if node.kind == STORAGE or (node.kind == STREAM and not node.data):
        start = 0 if node.kind == STORAGE else END_OF_CHAIN
    else:
        start = node.start
    return (
        name.ljust(64, b"\0")
        + struct.pack("<HBB", len(name), node.kind, 1)
        + struct.pack(
            "<III",
            NO_STREAM,
            right.get(node.sid, NO_STREAM),
            first_child.get(node.sid, NO_STREAM),
        )
        + b"\0" * 16
        + struct.pack("<I", 0)
        + b"\0" * 16
        + struct.pack("<IQ", start, size)
    )


def _empty_entry() -> bytes:
    return (
        b"\0" * 64
        + struct.pack("<HBB", 0, 0, 0)
        + struct.pack("<III", *(NO_STREAM,) * 3)
        + (b"\0" * 44)
    )
