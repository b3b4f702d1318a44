from ceo_desk.core import queries
from ceo_desk.core.services import complaints, directory
from ceo_desk.enums import Outcome, Status
from ceo_desk.store.db import Database


def test_whole_loop_on_each_backend(db: Database) -> None:
    with db.transaction() as uow:
        staff_id, _ = directory.add_staff_with_unit(
            uow, name="Jo Ortiz", unit_name="Billing", unit_kind=None, email=None, phone=None
        )
    with db.transaction() as uow:
        ref = complaints.log_call(
            uow,
            complaints.CallInput(
                customer_name="Ann", summary="Charged twice", phone="+442079460000"
            ),
        ).reference
    with db.transaction() as uow:
        complaints.delegate(uow, ref, staff_id)
    with db.transaction() as uow:
        complaints.file_report(uow, ref, complaints.ReportInput(said="Sorry", done="Refunded"))
    with db.transaction() as uow:
        complaints.record_callback(uow, ref, complaints.CallbackInput(outcome=Outcome.SATISFIED))
    with db.reading() as uow:
        detail = queries.complaint_detail(uow, ref)
        found = queries.list_complaints(uow, queries.ComplaintFilter(text="charg"))
    assert detail.status is Status.RESOLVED
    assert [r.reference for r in found] == [ref]
