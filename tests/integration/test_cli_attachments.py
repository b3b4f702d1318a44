"""`ceo-desk attach`, `attachments` and `attachment get`: what a person types and sees."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from ceo_desk.cli import main
from ceo_desk.store.db import Database
from tests.builders import log


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_attach_list_and_get_back_the_same_bytes(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(sqlite_db.sqlite_path))
    ref = log(sqlite_db)
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4 the letter\n" * 100)

    code, out, err = _run(capsys, "attach", ref, str(letter), *db)
    assert code == 0, err
    assert out.strip() == f"Attached letter.pdf (2 KB) to {ref}."
    code, out, _ = _run(capsys, "attach", ref.lower(), str(letter), *db)
    assert code == 0 and "already attached" in out

    code, out, _ = _run(capsys, "attachments", ref, *db)
    assert code == 0 and out.startswith("letter.pdf") and "application/pdf" in out
    code, out, _ = _run(capsys, "attachments", ref, "--json", *db)
    [listed] = json.loads(out)
    assert listed["name"] == "letter.pdf" and listed["size"] == 2000

    target = tmp_path / "out" / "copy.pdf"
    target.parent.mkdir()
    code, out, err = _run(capsys, "attachment", "get", ref, "letter.pdf", "-o", str(target), *db)
    assert code == 0, err
    assert target.read_bytes() == letter.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    code, _, err = _run(capsys, "attachment", "get", ref, "letter.pdf", "-o", str(target), *db)
    assert code == 2 and "already exists" in err and "--force" in err
    code, _, err = _run(
        capsys, "attachment", "get", ref, "letter.pdf", "-o", str(sqlite_db.sqlite_path), *db
    )
    assert code == 2 and "open log" in err


def test_refusals_are_one_clear_line(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(sqlite_db.sqlite_path))
    ref = log(sqlite_db)
    code, _, err = _run(capsys, "attach", ref, str(tmp_path / "missing.pdf"), *db)
    assert code == 2 and "There is no file" in err and "Traceback" not in err
    code, _, err = _run(capsys, "attach", ref, str(tmp_path), *db)
    assert code == 2 and "is a folder" in err
    code, _, err = _run(capsys, "settings", "set", "attachment_max_mb", "1", *db)
    assert code == 0, err
    big = tmp_path / "scan.tiff"
    big.write_bytes(b"\0" * (2 * 1024 * 1024))
    code, _, err = _run(capsys, "attach", ref, str(big), *db)
    assert code == 2 and "scan.tiff is 2.0 MB; files up to 1 MB can be attached" in err
    code, out, _ = _run(capsys, "attachments", ref, *db)
    assert "has no attachments" in out
    code, _, err = _run(capsys, "attachment", "get", ref, "x.pdf", "-o", str(tmp_path / "x"), *db)
    assert code == 2 and f"{ref} has no attachments" in err
