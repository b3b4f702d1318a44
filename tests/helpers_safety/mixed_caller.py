"""One of several processes logging calls into one log at once, as `ceo-desk log` would: every
other call is from a customer already in the log, the rest from new ones, so some writers touch
the customer table first and others the reference counter first. Each committed call prints
its reference; an error goes to stderr and the process exits 3. Waits for "go" on stdin."""

from __future__ import annotations

import sys

from ceo_desk.core.database import open_database
from ceo_desk.core.services import complaints
from ceo_desk.errors import CeoDeskError

REPEAT_CALLER = "repeat.caller@example.com"


def main(db_url: str, name: str, calls: int) -> int:
    db = open_database(db_url)
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        for number in range(calls):
            repeat = number % 2 == 0
            call = complaints.CallInput(
                customer_name="Repeat Caller" if repeat else f"{name} caller {number}",
                summary=f"{name}: call {number}",
                email=REPEAT_CALLER if repeat else f"{name}.{number}@example.com",
            )
            with db.transaction() as uow:
                reference = complaints.log_call(uow, call).reference
            print(reference, flush=True)
    except CeoDeskError as exc:
        print(exc.message, file=sys.stderr, flush=True)
        return 3
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
