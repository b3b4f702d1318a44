"""What the complaint window shows, read in one go on a worker thread."""

from __future__ import annotations

from dataclasses import dataclass

from ceo_desk.core.database import Database
from ceo_desk.core.queries import ComplaintDetail, complaint_detail
from ceo_desk.core.services import directory, office
from ceo_desk.core.services.directory import StaffRow, UnitRow
from ceo_desk.core.services.office import CategoryRow
from ceo_desk.enums import Role
from ceo_desk.settings import OfficeSettings


@dataclass(frozen=True)
class Loaded:
    """Everything the window shows, read in one unit of work on a worker thread."""

    detail: ComplaintDetail
    categories: list[CategoryRow]
    units: list[UnitRow]
    staff: list[StaffRow]
    settings: OfficeSettings
    customer_erased: bool = False
    customer_complaints: int = 1
    roles: frozenset[Role] | None = None  # the person's; None offers everything


def load(db: Database, reference: str) -> Loaded:
    with db.reading() as uow:
        detail = complaint_detail(uow, reference)
        return Loaded(
            detail,
            office.list_categories(uow, include_inactive=True),
            directory.list_units(uow, include_inactive=True),
            directory.list_staff(uow),
            office.load_settings(uow),
            customer_erased=detail.customer_erased,
            customer_complaints=detail.customer_complaints,
            roles=uow.roles,
        )
