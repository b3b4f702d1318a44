"""Reading a file a person gave (an import, a mapping): a regular file only, counted as read.

A pipe would hang the read, a device such as /dev/zero never ends, and the size a file system
reports can be wrong, so the bytes are counted as they arrive and the read stops at the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ceo_desk.errors import ValidationError
from ceo_desk.store.db import kind_of

_CHUNK = 1 << 20


def read_regular(path: Path, limit: int, *, what: str, field: str = "file") -> bytes:
    """The content of the regular file `path`, refusing anything else or more than `limit`
    bytes with a message naming the reason (nothing is changed either way)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ValidationError(f"There is no file {path}.", field=field) from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder; give the {what} itself.", field=field) from None
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.", field=field) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ValidationError(
                f"{path} is {kind_of(mode)}, not a file; give the {what} itself. Nothing was read.",
                field=field,
            )
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, _CHUNK):
            total += len(chunk)
            if total > limit:
                raise ValidationError(
                    f"{path.name} is larger than {limit / 1024 / 1024:.0f} MB, the most the "
                    f"{what} may hold. Split it into smaller files; nothing was read.",
                    field=field,
                )
            chunks.append(chunk)
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.", field=field) from exc
    finally:
        os.close(fd)
    return b"".join(chunks)
