"""Correcting a customer's name, phone, email, organisation or account reference.

The customer record is shared by all of that customer's complaints, so the dialog says how many
complaints a change reaches before the person saves it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from ceo_desk.core import fields, validation
from ceo_desk.core.database import Database
from ceo_desk.core.services import customers
from ceo_desk.errors import ConflictError, NotFoundError
from ceo_desk.ui import field_widgets, formatting
from ceo_desk.ui.dialogs.action_form import ActionFormDialog, escape


@dataclass(frozen=True)
class CustomerShown:
    """The customer's details as the complaint window shows them (phone in E.164)."""

    customer_id: int
    name: str
    phone: str | None
    email: str | None
    organisation: str | None
    account_ref: str | None
    complaints: int
    version: int = 1  # the customer row's version counter when loaded
    vulnerable: bool = False


def intro_text(customer: CustomerShown) -> str:
    """Says plainly that the change reaches every complaint of this customer."""
    if customer.complaints <= 1:
        reach = "only this one so far"
    else:
        reach = f"{formatting.plural(customer.complaints, 'complaint')}, this one included"
    return (
        f"<b>{escape(customer.name)}</b> (customer #{customer.customer_id})<br>"
        "These details belong to the customer, not to this complaint: saving changes them on "
        f"every complaint of this customer ({reach}).<br>"
        "Keep a phone number or an email so the CEO can call back."
    )


def _line(text: str | None, placeholder: str) -> QLineEdit:
    line = QLineEdit(text or "")
    line.setPlaceholderText(placeholder)
    line.setCursorPosition(0)
    return line


class CustomerDetailsDialog(ActionFormDialog):
    """Edit one customer's details; saved through `customers.update` in the background.

    Signals:
        customer_missing(): the customer is gone or was erased meanwhile (the window re-reads).
    """

    customer_missing = Signal()

    def __init__(
        self, db: Database, customer: CustomerShown, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            f"Customer details — {customer.name}",
            intro_text(customer),
            "Save customer details",
            parent,
        )
        self._db = db
        self.customer = customer
        self.name_edit = _line(customer.name, "Full name, as the customer gives it")
        self.phone_edit = _line(
            validation.phone_for_display(customer.phone),
            "With area code, or international starting with +",
        )
        self.email_edit = _line(customer.email, "name@example.com (optional if there is a phone)")
        self.organisation_edit = _line(customer.organisation, "Company, if any (optional)")
        self.account_ref_edit = _line(customer.account_ref, "Customer or account number (optional)")
        self.add_field("customer_name", "&Name:", self.name_edit, "name")
        self.add_field("phone", "&Phone:", self.phone_edit)
        self.add_field("email", "&Email:", self.email_edit)
        self.add_field("organisation", "&Organisation:", self.organisation_edit)
        self.add_field("account_ref", "&Account reference:", self.account_ref_edit)
        self.vulnerable = field_widgets.check_box(fields.field("vulnerable"))
        self.vulnerable.setChecked(customer.vulnerable)
        self.add_field("vulnerable", "Needs care:", self.vulnerable)
        self.resize(520, self.sizeHint().height())
        self.name_edit.setFocus()

    def edit(self) -> customers.CustomerEdit:
        """The details as typed now (the service validates and normalises them)."""
        return customers.CustomerEdit(
            name=self.name_edit.text(),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            organisation=self.organisation_edit.text(),
            account_ref=self.account_ref_edit.text(),
            vulnerable=self.vulnerable.isChecked(),
        )

    def operation(self) -> Callable[[], Any]:
        db, customer_id, edit = self._db, self.customer.customer_id, self.edit()
        version = self.customer.version

        def op() -> int:
            with db.transaction() as uow:
                customers.update(uow, customer_id, edit, expected_version=version)
            return customer_id

        return op

    def shown_values(self) -> dict[str, str]:
        """The form as a person reads it, labelled (your side of the conflict dialog)."""
        return {
            "Name": self.name_edit.text(),
            "Phone": self.phone_edit.text(),
            "Email": self.email_edit.text(),
            "Organisation": self.organisation_edit.text(),
            "Account reference": self.account_ref_edit.text(),
        }

    def _on_operation_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            db, customer_id = self._db, self.customer.customer_id

            def read() -> customers.SavedCustomer:
                with db.reading() as uow:
                    return customers.saved(uow, customer_id)

            self.reload_theirs(read, self._on_conflict_loaded)
            return
        super()._on_operation_failed(exc)
        if isinstance(exc, NotFoundError):
            self.submit_button.setEnabled(False)
            self.customer_missing.emit()

    def _on_conflict_loaded(self, theirs: customers.SavedCustomer) -> None:
        saved = theirs.details
        their_values = _labelled(
            saved.name, saved.phone, saved.email, saved.organisation, saved.account_ref
        )
        loaded = self.customer
        started_from = _labelled(
            loaded.name, loaded.phone, loaded.email, loaded.organisation, loaded.account_ref
        )
        chosen = self.choose_over_theirs(
            started_from, self.shown_values(), their_values, what="these customer details"
        )
        if chosen is None:
            return
        keep, values = chosen
        self.customer = replace(
            loaded,
            name=saved.name,
            phone=saved.phone,
            email=saved.email,
            organisation=saved.organisation,
            account_ref=saved.account_ref,
            version=theirs.version,
        )
        self._fill(values)
        self.finish_conflict(keep)

    def _fill(self, values: dict[str, str]) -> None:
        self.name_edit.setText(values["Name"])
        self.phone_edit.setText(values["Phone"])
        self.email_edit.setText(values["Email"])
        self.organisation_edit.setText(values["Organisation"])
        self.account_ref_edit.setText(values["Account reference"])


def _labelled(
    name: str, phone: str | None, email: str | None, organisation: str | None, account: str | None
) -> dict[str, str]:
    return {
        "Name": name,
        "Phone": validation.phone_for_display(phone) if phone else "",
        "Email": email or "",
        "Organisation": organisation or "",
        "Account reference": account or "",
    }
