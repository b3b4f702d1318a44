"""The hand-built history of March 2026 that the monthly figures and the reports are checked on.

Everything happens at noon on this computer's clock (March 1 is a Sunday), through the services
with explicit `now=` moments. Comments beside each complaint say what it contributes to March's
figures, worked out by hand.
"""

from __future__ import annotations

from datetime import datetime

from ceo_desk.core import policy
from ceo_desk.core.services import complaints as svc
from ceo_desk.enums import Loyalty, Outcome, Severity, UnitKind
from ceo_desk.store.db import Database
from tests import builders

MARCH = policy.Month(2026, 3)
AFTER_MARCH = datetime(2026, 4, 10, 12).astimezone()


def at(month: int, day: int, hour: int = 12) -> datetime:
    # Local time, as the office counts days: noon UTC is already tomorrow in Auckland.
    return datetime(2026, month, day, hour).astimezone()


class History:
    """Builds the complaints through the services and remembers their references."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.refs: dict[str, str] = {}
        self.staff: dict[str, int] = {}
        self._phone = 100

    def add_staff(self, key: str, name: str, unit: str, kind: UnitKind) -> None:
        self.staff[key] = builders.add_staff(self.db, name, unit, unit_kind=kind)

    def log(
        self,
        key: str,
        when: datetime,
        customer: str,
        *,
        phone: str | None = None,
        category: str = "Billing",
        unit: str | None = None,
        summary: str | None = None,
        ceo_spoke: bool = False,
        prior: int = 0,
        promised: str = "",
    ) -> str:
        if phone is None:
            self._phone += 1
            phone = f"+1212555{self._phone:04d}"
        self.refs[key] = builders.log(
            self.db,
            customer,
            summary or f"Complaint {key}",
            phone,
            when=when,
            category=category,
            caused_by_unit=unit,
            received_at=when,
            ceo_spoke=ceo_spoke,
            prior_contacts=prior,
            ceo_promised=promised,
            severity=Severity.NORMAL,
        )
        return self.refs[key]

    def delegate(self, key: str, who: str, when: datetime) -> None:
        builders.delegate(self.db, self.refs[key], self.staff[who], when)

    def report(
        self, key: str, when: datetime, *, said: str = "Apologised.", cost: str = ""
    ) -> None:
        builders.report(self.db, self.refs[key], when, said=said, done="Put it right.", cost=cost)

    def call(
        self,
        key: str,
        when: datetime,
        outcome: Outcome,
        *,
        loyalty: Loyalty | None = None,
        words: str = "",
    ) -> None:
        builders.callback(
            self.db, self.refs[key], outcome, when, loyalty=loyalty, customer_words=words
        )

    def send_back(self, key: str, when: datetime) -> None:
        with self.db.transaction() as uow:
            svc.send_back(uow, self.refs[key], "Please add what was refunded.", now=when)

    def withdraw(self, key: str, when: datetime) -> None:
        with self.db.transaction() as uow:
            svc.withdraw(uow, self.refs[key], "Customer sorted it out.", now=when)

    def unreachable(self, key: str, when: datetime) -> None:
        with self.db.transaction() as uow:
            svc.mark_unreachable(uow, self.refs[key], now=when)


def build_history(db: Database) -> History:
    h = History(db)
    h.add_staff("L", "Łukasz Nowak", "Billing Dept", UnitKind.DEPARTMENT)
    h.add_staff("Z", "Zoë Martin", "Billing Dept", UnitKind.DEPARTMENT)
    h.add_staff("J", "Jürgen Weiß", "FastShip Ltd", UnitKind.PARTNER)
    h.add_staff("O", "Ольга Петрова", "Field Service", UnitKind.DEPARTMENT)
    ok, no = Outcome.SATISFIED, Outcome.NOT_SATISFIED

    # O1: January; reopened in February; resolved 3 March after 57 days (over 8 weeks).
    h.log("O1", at(1, 5), "Ada Lovelace", category="Technical fault", unit="Field Service")
    h.delegate("O1", "O", at(1, 5))
    h.report("O1", at(1, 30))
    h.call("O1", at(2, 2), no)
    h.report("O1", at(3, 2))
    h.call("O1", at(3, 3), ok)
    # O2: February; first report 9 March (25 business days); resolved 10 March (4 to 8 weeks).
    h.log("O2", at(2, 2), "Grace Hopper", unit="Billing Dept")
    h.delegate("O2", "L", at(2, 2))
    h.report("O2", at(3, 9), cost="25.50")
    h.call("O2", at(3, 10), ok)
    # F1: February, resolved in February.
    h.log("F1", at(2, 10), "Alan Turing")
    h.delegate("F1", "L", at(2, 10))
    h.report("F1", at(2, 12))
    h.call("F1", at(2, 13), ok)
    # F2: February; late report 5 March (7 business days); resolved 6 March (within 4 weeks).
    h.log("F2", at(2, 24), "Edsger Dijkstra", category="Delivery", unit="FastShip Ltd")
    h.delegate("F2", "J", at(2, 24))
    h.report("F2", at(3, 5))
    h.call("F2", at(3, 6), ok)
    # M1: the CEO spoke; 3 earlier contacts; resolved 9 March at the first call.
    h.log("M1", at(3, 2), "Ольга Иванова", phone="+12125550001", unit="Billing Dept",
          ceo_spoke=True, prior=3)  # fmt: skip
    h.delegate("M1", "L", at(3, 2))
    h.report("M1", at(3, 4), cost="100.00")
    h.call("M1", at(3, 9), ok, loyalty=Loyalty.STAYING)
    # M2: flagged report, not satisfied (at risk), reopened, then resolved 17 March.
    h.log("M2", at(3, 3), "Jürgen Schmidt", category="Delivery", unit="FastShip Ltd", prior=1)
    h.delegate("M2", "J", at(3, 3))
    h.report("M2", at(3, 11), said="We can't refund that; it is company policy.")
    h.call("M2", at(3, 12), no, loyalty=Loyalty.AT_RISK, words="I am thinking of leaving.")
    h.report("M2", at(3, 16), cost="50.00")
    h.call("M2", at(3, 17), ok)
    # M3: delegated, no report: 16 days overdue at month end (report due 16 March).
    h.log("M3", at(3, 9), "Zoë Ångström", unit="Billing Dept", prior=2)
    h.delegate("M3", "Z", at(3, 9))
    # M4: report sent back (its 20.00 not counted), re-filed, voicemail: callback due 20 March.
    h.log("M4", at(3, 10), "Barbara Liskov", category="Delivery", unit="FastShip Ltd")
    h.delegate("M4", "J", at(3, 10))
    h.report("M4", at(3, 12), cost="20.00")
    h.send_back("M4", at(3, 13))
    h.report("M4", at(3, 18), cost="30.00")
    h.call("M4", at(3, 19), Outcome.VOICEMAIL)
    # M5: withdrawn; the CEO spoke.
    h.log("M5", at(3, 16), "Donald Knuth", category="Service", ceo_spoke=True)
    h.withdraw("M5", at(3, 18))
    # M6: three unanswered calls, unreachable.
    h.log("M6", at(3, 20), "Margaret Hamilton", category="Product quality", unit="Field Service")
    h.delegate("M6", "O", at(3, 20))
    h.report("M6", at(3, 24))
    for day in (25, 26, 27):
        h.call("M6", at(3, day), Outcome.NO_ANSWER)
    h.unreachable("M6", at(3, 27, 15))
    # M8: the M1 customer again; awaiting callback at month end (due 30 March), resolved in April.
    h.log("M8", at(3, 23), "Ольга Иванова", phone="+12125550001")
    h.delegate("M8", "L", at(3, 23))
    h.report("M8", at(3, 27))
    h.call("M8", at(4, 2), ok)
    # M9: resolved within 3 business days; satisfied but leaving anyway.
    h.log("M9", at(3, 24), "Ken Thompson", category="Service")
    h.delegate("M9", "Z", at(3, 24))
    h.report("M9", at(3, 25))
    h.call("M9", at(3, 26), ok, loyalty=Loyalty.LEAVING)
    # M7: new at month end.
    h.log("M7", at(3, 30), "Niklaus Wirth", category="Other")
    # A1: April, outside the month.
    h.log("A1", at(4, 3), "Dennis Ritchie")
    return h
