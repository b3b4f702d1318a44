"""One customer's data: export everything held about them, or erase them everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ceo_desk.core.customer_summary import CustomerSummary, customer_summary
from ceo_desk.core.database import Database
from ceo_desk.core.safety import erase, export_customer
from ceo_desk.errors import ValidationError
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.ask import Ask, error_to, notify
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.progress import run_with_progress


def export_customer_data(parent: QWidget | None, db: Database, customer_id: int) -> None:
    """Everything held about one customer, as a JSON file (a subject access request)."""
    path = Ask.save_in_home(
        parent,
        "Export everything held about this customer",
        f"customer-{customer_id}.json",
        "JSON (*.json)",
    )
    if path is None:
        return

    def export() -> Path:
        with db.reading() as uow:
            return export_customer.export_customer(uow, customer_id, path, force=True)

    run_in_background(
        export,
        lambda written: notify(parent, "Customer exported", f"Written to\n{written}"),
        error_to(parent),
        owner=parent,
    )


def erase_customer(
    parent: QWidget | None,
    db: Database,
    customer_id: int,
    on_erased: Callable[[], None] | None = None,
) -> None:
    """Anonymise a customer everywhere after an explicit confirmation; then `on_erased()`."""

    def read() -> CustomerSummary:
        with db.reading() as uow:
            return customer_summary(uow, customer_id)

    def confirm_and_erase(summary: CustomerSummary) -> None:
        if summary.erased:
            show_error(parent, ValidationError(f"{summary.name} was already erased."))
            return
        if not Ask.confirm(
            parent,
            "Erase this customer?",
            f"Erase {summary.name} everywhere? Their name, phone and email are removed from the "
            f"customer record and from the text of their {summary.complaints} complaint(s), "
            "reports and callback notes. Counts, dates and costs stay in the statistics.\n\n"
            "This cannot be undone. The backups in the backups folder are erased too; a copy "
            "saved elsewhere is erased again if it is ever restored.",
            "Erase",
        ):
            return
        run_with_progress(
            parent,
            "Erasing the customer",
            f"Removing {summary.name} from {summary.complaints} complaint(s), then compacting "
            "the log so no trace is left in the file.",
            lambda: erase.erase_customer_everywhere(db, customer_id),
            erased,
            error_to(parent),
            cancellable=False,
        )

    def erased(result: erase.EraseResult) -> None:
        notify(
            parent,
            "Customer erased",
            f"Customer #{customer_id} was erased: {result.complaints} complaint(s) anonymised.",
        )
        if on_erased is not None:
            on_erased()

    run_in_background(read, confirm_and_erase, error_to(parent), owner=parent)
