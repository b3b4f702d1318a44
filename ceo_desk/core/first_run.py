"""How far a new log is set up: what the first-run guide shows as done and still to do."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ceo_desk.core.services.office import load_settings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Staff, Unit


@dataclass(frozen=True)
class Setup:
    company_name: str
    ceo_name: str
    phone_region: str
    units: int  # active departments and partners
    staff: int  # active people
    complaints: int

    @property
    def is_new(self) -> bool:
        """No complaint yet: the guide is shown at start, whatever else is set up already (an
        office that added its people first still sees the rest), until the first complaint."""
        return self.complaints == 0

    @property
    def is_empty(self) -> bool:
        """Nothing set up at all: no complaint, no department or partner, nobody."""
        return self.complaints == 0 and self.units == 0 and self.staff == 0


def setup(uow: UnitOfWork) -> Setup:
    settings = load_settings(uow)
    session = uow.session
    return Setup(
        settings.company_name,
        settings.ceo_name,
        settings.phone_region,
        int(session.scalar(select(func.count(Unit.id)).where(Unit.active.is_(True))) or 0),
        int(session.scalar(select(func.count(Staff.id)).where(Staff.active.is_(True))) or 0),
        int(session.scalar(select(func.count(Complaint.id))) or 0),
    )
