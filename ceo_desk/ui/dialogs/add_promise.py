"""A promise the CEO made after the call was logged (a second call, a letter): what, and by when.

The complaint window opens it; the promises go to the ledger (core/services/promises.py) and are
ticked kept or broken at the callback like those made on the first call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from ceo_desk.core.database import Database
from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.core.services import promises
from ceo_desk.errors import ValidationError
from ceo_desk.ui.dialogs.action_form import ActionFormDialog, escape
from ceo_desk.ui.widgets.promise_rows import PromiseRows


class AddPromiseDialog(ActionFormDialog):
    """One or more promises, each with its due day."""

    def __init__(
        self, db: Database, detail: ComplaintDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            f"Add a promise — {detail.reference}",
            f"{escape(detail.customer_name)}: {escape(detail.summary)}<br>What did the CEO "
            "promise, and by when? It is ticked kept or broken at the callback.",
            "Add promise",
            parent,
        )
        self._db = db
        self._reference = detail.reference
        self.rows = PromiseRows(self)
        self.add_field("promise", "&Promises:", self.rows, "promise_due")
        self.rows.add_row()
        self.resize(560, self.sizeHint().height())

    def operation(self) -> Callable[[], Any]:
        given = self.rows.promises()
        if not given:
            raise ValidationError("Say what the CEO promised.", field="promise")
        db, reference = self._db, self._reference

        def op() -> list[int]:
            with db.transaction() as uow:
                return promises.add(uow, reference, given)

        return op
