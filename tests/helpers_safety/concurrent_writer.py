"""One of two processes writing to the same log at once: N service calls, each printed when
committed. Waits for "go" on stdin so both start together. Any error goes to stderr, exit 3."""

from __future__ import annotations

import sys

from sqlalchemy import select

from ceo_desk.core.database import open_database
from ceo_desk.core.services import complaints
from ceo_desk.enums import Outcome
from ceo_desk.store.models import Staff


def main(db_url: str, name: str, actions: int) -> int:
    db = open_database(db_url)
    with db.reading() as uow:
        staff_id = uow.session.scalar(select(Staff.id).order_by(Staff.id).limit(1))
    assert staff_id is not None
    print("ready", flush=True)
    sys.stdin.readline()
    done = 0
    number = 0
    try:
        while done < actions:
            number += 1
            with db.transaction() as uow:
                reference = complaints.log_call(
                    uow,
                    complaints.CallInput(
                        customer_name=f"{name} caller {number}",
                        summary=f"{name}: order {number} never arrived",
                        email=f"{name}.{number}@example.com",
                    ),
                ).reference
            print(f"logged {reference}", flush=True)
            steps = (
                ("delegated", lambda u, r: complaints.delegate(u, r, staff_id)),
                (
                    "reported",
                    lambda u, r: complaints.file_report(
                        u, r, complaints.ReportInput(said="Sorry", done="Resent", cost="10")
                    ),
                ),
                (
                    "resolved",
                    lambda u, r: complaints.record_callback(
                        u, r, complaints.CallbackInput(outcome=Outcome.SATISFIED, satisfaction=4)
                    ),
                ),
            )
            done += 1
            for action, step in steps:
                if done >= actions:
                    break
                with db.transaction() as uow:
                    step(uow, reference)
                print(f"{action} {reference}", flush=True)
                done += 1
    except Exception as exc:  # the point of the test: report anything that would reach a user
        print(f"ERROR {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        return 3
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
