"""One of several processes running `ceo-desk log` and `ceo-desk delegate` against one log at
once, each through the command's own entry point (in this process, to spare the start-up of a
new interpreter per command). Prints each reference it delegated; the first failing command's
message goes to stderr and the process exits 3. Waits for "go" on stdin."""

from __future__ import annotations

import contextlib
import io
import sys

from ceo_desk.cli import main as ceo_desk

REPEAT_CALLER = "repeat.caller@example.com"


def _run(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = ceo_desk([*argv])
    if code != 0:
        raise SystemExit(f"ceo-desk {argv[2]} exited {code}: {err.getvalue().strip()}")
    return out.getvalue().strip()


def main(db_url: str, name: str, calls: int) -> int:
    db = ("--db", db_url, "--as", "assistant")
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        for number in range(calls):
            repeat = number % 2 == 0
            reference = _run(
                *db,
                "log",
                "--customer",
                "Repeat Caller" if repeat else f"{name} caller {number}",
                "--summary",
                f"{name}: call {number}",
                "--email",
                REPEAT_CALLER if repeat else f"{name}.{number}@example.com",
            ).splitlines()[0]
            _run(*db, "delegate", reference, "--to", "Wei Chen")
            print(reference, flush=True)
    except SystemExit as exc:
        print(exc, file=sys.stderr, flush=True)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
