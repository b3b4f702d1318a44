"""A customer's export holds the CEO's promises to them, the complaint's reputational flags and
their vulnerable mark, as well as the complaint's fields."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from ceo_desk.cli import main
from ceo_desk.core import fields
from ceo_desk.core.services import complaints, promises
from ceo_desk.enums import PromiseOutcome
from ceo_desk.store.db import Database
from ceo_desk.store.models import Complaint


def test_customer_export_lists_promises_flags_and_the_vulnerable_mark(
    sqlite_db: Database, tmp_path: Path
) -> None:
    with sqlite_db.transaction() as uow:
        reference = complaints.log_call(
            uow,
            complaints.CallInput(
                customer_name="Zoë Vandermeer",
                phone="+442079460123",
                summary="Order lost twice",
                received_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
                vulnerable=True,
                flag_journalist=True,
                promises=(
                    promises.PromiseInput("Refund the postage", "2026-03-04"),
                    promises.PromiseInput("Ring back on Monday", "2026-03-09"),
                ),
            ),
        ).reference
    with sqlite_db.transaction() as uow:
        complaint = uow.session.query(Complaint).filter_by(reference=reference).one()
        customer_id = complaint.customer_id
        refund = promises.for_complaint(uow, complaint.id)[0]
        promises.settle(uow, reference, {refund.id: PromiseOutcome.BROKEN})
    target = tmp_path / "zoe.json"

    assert (
        main(["export-customer", str(customer_id), "-o", str(target), "--db", sqlite_db.url]) == 0
    )

    record = json.loads(target.read_text(encoding="utf-8"))
    assert record["customer"]["vulnerable"] is True
    [exported] = record["complaints"]
    assert [(p["what"], p["due_on"], p["outcome"]) for p in exported["promises"]] == [
        ("Refund the postage", "2026-03-04", "broken"),
        ("Ring back on Monday", "2026-03-09", None),
    ]
    assert exported["promises"][0]["settled_at"]
    flags = {f.json: exported[f.json or ""] for f in fields.REPUTATION_FIELDS}
    assert flags == {"flag_mp": False, "flag_journalist": True, "flag_regulator": False,
                     "flag_social_media": False}  # fmt: skip
