"""Office-wide settings and the editable list of categories."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select

from ceo_desk import settings as office_options
from ceo_desk.core import audit, permissions, validation
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.services import versions
from ceo_desk.core.services.names import find_by_name
from ceo_desk.errors import ConflictError, NotFoundError, ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Category, Setting

DEFAULT_CATEGORIES = (
    "Billing",
    "Delivery",
    "Product quality",
    "Service",
    "Staff conduct",
    "Technical fault",
    "Other",
)


def load_settings(uow: UnitOfWork) -> OfficeSettings:
    rows = uow.session.execute(select(Setting.key, Setting.value_json)).all()
    return OfficeSettings.from_json_dict({key: json.loads(value) for key, value in rows})


def validate_settings(settings: OfficeSettings) -> OfficeSettings:
    """Check every value a person can set against its declaration; return them normalised."""
    return office_options.validate(settings)


def save_settings(
    uow: UnitOfWork, settings: OfficeSettings, *, read: OfficeSettings | None = None
) -> OfficeSettings:
    """Save the office settings. `read` is what the person's copy started from: a save on top of
    settings someone else has changed since is refused, so it cannot undo their change."""
    permissions.require(uow, Allow.EDIT_SETTINGS)
    settings = validate_settings(settings)
    current = load_settings(uow)
    if read is not None and current != read:
        raise ConflictError(
            "The office settings were changed by someone else since you opened them. Close "
            "Settings, open them again and make your change again; nothing was saved."
        )
    before = current.to_json_dict()
    after = settings.to_json_dict()
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if not changed:
        return settings
    for key, value in changed.items():
        row = uow.session.get(Setting, key)
        if row is None:
            uow.session.add(Setting(key=key, value_json=json.dumps(value)))
        else:
            row.value_json = json.dumps(value)
    audit.record(
        uow,
        "settings_changed",
        entity="settings",
        entity_id=None,
        description="Changed " + ", ".join(sorted(changed)),
        before={k: before.get(k) for k in changed},
        after=changed,
    )
    return settings


@dataclass(frozen=True)
class CategoryRow:
    id: int
    name: str
    active: bool
    version: int = 1


def list_categories(uow: UnitOfWork, *, include_inactive: bool = False) -> list[CategoryRow]:
    query = select(Category).order_by(func.lower(Category.name))
    if not include_inactive:
        query = query.where(Category.active.is_(True))
    return [CategoryRow(c.id, c.name, c.active, c.version) for c in uow.session.scalars(query)]


def find_category(uow: UnitOfWork, name: str) -> Category:
    wanted = validation.short_text(name, "category", required=True)
    category = find_by_name(uow, Category, wanted)
    if category is None:
        known = ", ".join(c.name for c in list_categories(uow))
        raise NotFoundError(
            f"There is no category '{wanted}'. Known categories: {known}.", field="category"
        )
    return category


def add_category(uow: UnitOfWork, name: str) -> int:
    permissions.require(uow, Allow.EDIT_SETTINGS)
    cleaned = validation.short_text(name, "category", required=True)
    exists = find_by_name(uow, Category, cleaned)
    if exists is not None:
        if exists.active:
            raise ValidationError(f"The category '{exists.name}' already exists.", field="category")
        exists.active = True
        category = exists
    else:
        category = Category(name=cleaned, active=True)
        uow.session.add(category)
        uow.session.flush()
    audit.record(
        uow,
        "category_added",
        entity="category",
        entity_id=category.id,
        description=f"Category '{cleaned}'",
        after={"name": cleaned},
    )
    return category.id


def set_category_active(
    uow: UnitOfWork, category_id: int, active: bool, *, expected_version: int | None = None
) -> None:
    permissions.require(uow, Allow.EDIT_SETTINGS)
    category = uow.session.get(Category, category_id)
    if category is None:
        raise NotFoundError(f"There is no category with id {category_id}.")
    versions.check(category, expected_version, f"The category '{category.name}'")
    if category.active == active:
        return
    category.active = active
    audit.record(
        uow,
        "category_activated" if active else "category_deactivated",
        entity="category",
        entity_id=category.id,
        description=f"Category '{category.name}'",
        before={"active": not active},
        after={"active": active},
    )


def rename_category(
    uow: UnitOfWork, category_id: int, name: str, *, expected_version: int | None = None
) -> None:
    permissions.require(uow, Allow.EDIT_SETTINGS)
    category = uow.session.get(Category, category_id)
    if category is None:
        raise NotFoundError(f"There is no category with id {category_id}.")
    versions.check(category, expected_version, f"The category '{category.name}'")
    cleaned = validation.short_text(name, "category", required=True)
    clash = find_by_name(uow, Category, cleaned, exclude_id=category_id)
    if clash is not None:
        raise ValidationError(f"The category '{clash.name}' already exists.", field="category")
    before = category.name
    category.name = cleaned
    audit.record(
        uow,
        "category_renamed",
        entity="category",
        entity_id=category.id,
        description=f"Category '{before}' renamed '{cleaned}'",
        before={"name": before},
        after={"name": cleaned},
    )


def has_categories(uow: UnitOfWork) -> bool:
    """The log has categories (every log but a new one)."""
    return bool(uow.session.scalar(select(func.count()).select_from(Category)))


def ensure_defaults(uow: UnitOfWork) -> None:
    """Give a new database its starting categories, once."""
    if has_categories(uow):
        return
    for name in DEFAULT_CATEGORIES:
        uow.session.add(Category(name=name, active=True))
    audit.record(
        uow,
        "database_created",
        entity="database",
        entity_id=None,
        description="New complaint log with default categories",
        after={"categories": list(DEFAULT_CATEGORIES)},
    )
