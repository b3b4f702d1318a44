"""Settings: the office's due-date policy, weekends and holidays, categories, retention and
details (shared by everyone using the same log), and the people who may use it (People, whose
grants are saved at once: see `settings_people`).

Each office setting's editor is built from its declaration in `ceo_desk.settings` (label, bounds,
unit, help). Nothing is saved until Save; then the office settings and category changes are
written in one transaction, and a refused value is answered beside its field, on its tab.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, time

from PySide6.QtCore import QDate, Qt, QTime, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ceo_desk import settings as declared
from ceo_desk.core import validation
from ceo_desk.core.database import Database
from ceo_desk.core.mail import templates
from ceo_desk.core.services import office
from ceo_desk.core.services.office import CategoryRow
from ceo_desk.enums import Severity
from ceo_desk.errors import CeoDeskError, ValidationError
from ceo_desk.settings import OfficeSettings, Option
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.base import Dialog
from ceo_desk.ui.dialogs.settings_email import (
    EmailPage,
    PasswordChange,
    TemplateChange,
    has_password,
)
from ceo_desk.ui.dialogs.settings_people import PeoplePage
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import FieldError, save_shortcuts
from ceo_desk.ui.widgets import colours


@dataclass
class CategoryEntry:
    """A category as edited in the dialog; compared with its saved state on Save."""

    id: int | None
    name: str
    active: bool
    saved_name: str | None = None
    saved_active: bool = True
    saved_version: int | None = None

    @property
    def changed(self) -> bool:
        return self.id is None or self.name != self.saved_name or self.active != self.saved_active


@dataclass(frozen=True)
class _Loaded:
    settings: OfficeSettings
    categories: list[CategoryRow]
    templates: list[templates.Template] = field(default_factory=list)
    password_kept: bool = False


@dataclass
class _Save:
    settings: OfficeSettings
    categories: list[CategoryEntry] = field(default_factory=list)
    templates: list[TemplateChange] = field(default_factory=list)
    password: PasswordChange | None = None


def counter(option: Option) -> QSpinBox:
    """A spin box bounded by the option, whose suffix agrees with its number ("1 business day",
    "2 business days"). An option that may be empty shows its "none" text below the minimum."""
    spin = QSpinBox()
    optional = option.type is declared.OptionType.OPTIONAL_COUNT
    spin.setRange(option.minimum - 1 if optional else option.minimum, option.maximum)
    if optional:
        spin.setSpecialValueText(option.none_text.capitalize())
    spin.setAccessibleName(option.label)
    spin.setToolTip(_sentence(option.help))
    spin.setMinimumWidth(190)

    def suffix(value: int) -> None:
        spin.setSuffix(" " + option.counted(value).partition(" ")[2])

    spin.valueChanged.connect(suffix)
    suffix(spin.value())
    return spin


def clock_time(option: Option) -> QTimeEdit:
    """A time of day on the 24-hour clock, to the minute."""
    edit = QTimeEdit()
    edit.setDisplayFormat("HH:mm")
    edit.setAccessibleName(option.label)
    edit.setToolTip(_sentence(option.help))
    edit.setMinimumWidth(190)
    return edit


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _caption(option: Option, mnemonic: str | None = None) -> str:
    text = option.label
    if mnemonic and mnemonic in text:
        at = text.index(mnemonic)
        text = f"{text[:at]}&{text[at:]}"
    return f"{text}:"


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class SettingsDialog(Dialog):
    """Signals:
    loaded(): the current settings are in the form.
    settings_saved(): everything was written.
    """

    loaded = Signal()
    settings_saved = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._settings: OfficeSettings | None = None
        self._saving = False
        self.categories: list[CategoryEntry] = []
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.errors: dict[str, FieldError] = {}
        self._error_tab: dict[str, int] = {}
        self._error_widget: dict[str, QWidget] = {}

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_policy(), "&Due dates")
        self.tabs.addTab(self._build_holidays(), "&Weekends and holidays")
        self.tabs.addTab(self._build_categories(), "C&ategories")
        self.tabs.addTab(self._build_office(), "&Office")
        self.email = EmailPage(self)
        email_tab = self.tabs.addTab(self.email, "E&mail")
        for key, (error, widget) in self.email.errors.items():
            self.errors[key], self._error_tab[key], self._error_widget[key] = (
                error,
                email_tab,
                widget,
            )
        self.people = PeoplePage(db, self)
        self.tabs.addTab(self.people, "&People")

        self.general_error = FieldError(self)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save settings")
        self.save_button.setEnabled(False)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        save_shortcuts(self, self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.resize(640, 500)
        # A deactivated category's grey, mixed again after a switch between light and dark.
        colours.follow_palette(
            self.category_list, lambda: self._show_categories(self._selected_category())
        )

        db_ref = db

        def op() -> _Loaded:
            with db_ref.reading() as uow:
                loaded = _Loaded(
                    office.load_settings(uow),
                    office.list_categories(uow, include_inactive=True),
                    templates.all_templates(uow),
                )
            return replace(loaded, password_kept=has_password(loaded.settings))

        run_in_background(op, self._on_loaded, self._on_load_failed, owner=self)

    # ------------------------------------------------------------ tabs

    def _error(self, key: str, tab: int, widget: QWidget) -> FieldError:
        error = FieldError(self)
        error.setMinimumWidth(380)
        self.errors[key] = error
        self._error_tab[key] = tab
        self._error_widget[key] = widget
        return error

    def _hint(self, text: str) -> QLabel:
        hint = QLabel(_sentence(text))
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return hint

    def _build_policy(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        # One line: a wrapped label in a tall form is squeezed and clips its last line.
        intro = QLabel("Due dates count business days and hours; weekends and holidays do not.")
        intro.setToolTip(
            "Reports and callbacks are due in business days; a logged complaint must be "
            "delegated within business hours, counted in the business day set below."
        )
        form.addRow(intro)
        # Alt+C belongs to the "This computer" tab, Alt+W to "Weekends and holidays".
        mnemonics = {"callback_due_days": "b", "unreachable_after_attempts": "U"}
        self.spins: dict[str, QSpinBox] = {}
        self.times: dict[str, QTimeEdit] = {}
        for option in declared.OPTIONS:
            if option.page != declared.DUE_DATES_PAGE:
                continue
            editor: QWidget
            if option.type is declared.OptionType.TIME:
                editor = self.times[option.key] = clock_time(option)
            else:
                editor = self.spins[option.key] = counter(option)
            caption = QLabel(_caption(option, mnemonics.get(option.key)))
            caption.setBuddy(editor)
            form.addRow(caption, editor)
            form.addRow("", self._error(option.key, 0, editor))
        self.report_days: dict[Severity, QSpinBox] = {
            severity: self.spins[f"report_due_days.{severity.value}"]
            for severity in reversed(Severity)
        }
        self.callback_days = self.spins["callback_due_days"]
        self.unreachable_after = self.spins["unreachable_after_attempts"]
        return page

    def _build_holidays(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        weekend = declared.option("weekend_days")
        weekend_row = QHBoxLayout()
        weekend_caption = QLabel(_caption(weekend, "e"))
        weekend_row.addWidget(weekend_caption)
        self.weekend_boxes: dict[int, QCheckBox] = {}
        for number, name in enumerate(calendar.day_abbr):
            box = QCheckBox(name)
            box.setAccessibleName(f"{calendar.day_name[number]} is a weekend day")
            self.weekend_boxes[number] = box
            weekend_row.addWidget(box)
        weekend_caption.setBuddy(self.weekend_boxes[0])
        weekend_row.addStretch(1)
        holidays = declared.option("holidays")
        self.holiday_list = QListWidget()
        self.holiday_list.setAccessibleName(holidays.label)
        self.holiday_date = QDateEdit(QDate.currentDate())
        self.holiday_date.setCalendarPopup(True)
        self.holiday_date.setDisplayFormat("yyyy-MM-dd (dddd)")
        self.holiday_date.setAccessibleName("Holiday to add")
        self.add_holiday_button = QPushButton("Add &holiday")
        self.add_holiday_button.setAccessibleName("Add holiday")
        self.remove_holiday_button = QPushButton("&Remove")
        self.remove_holiday_button.setAccessibleName("Remove selected holiday")
        self.add_holiday_button.clicked.connect(self._on_add_holiday_clicked)
        self.remove_holiday_button.clicked.connect(self._on_remove_holiday_clicked)
        row = QHBoxLayout()
        row.addWidget(self.holiday_date, 1)
        row.addWidget(self.add_holiday_button)
        row.addWidget(self.remove_holiday_button)
        layout.addLayout(weekend_row)
        layout.addWidget(self._hint(weekend.help))
        layout.addWidget(self._error("weekend_days", 1, self.weekend_boxes[0]))
        layout.addSpacing(8)
        layout.addWidget(QLabel(_caption(holidays)))
        layout.addWidget(self._hint(holidays.help))
        layout.addWidget(self.holiday_list, 1)
        layout.addLayout(row)
        layout.addWidget(self._error("holidays", 1, self.holiday_date))
        return page

    def _build_categories(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(
            "What complaints are about. A category in use is deactivated rather than deleted: "
            "old complaints keep it, new ones cannot choose it."
        )
        intro.setWordWrap(True)
        self.category_list = QListWidget()
        self.category_list.setAccessibleName("Categories")
        self.category_list.currentRowChanged.connect(self._on_category_list_current_row_changed)
        self.category_name = QLineEdit()
        self.category_name.setPlaceholderText("Category name")
        self.category_name.setAccessibleName("Category name")
        self.add_category_button = QPushButton("A&dd")
        self.add_category_button.setAccessibleName("Add category")
        self.rename_category_button = QPushButton("Re&name")
        self.rename_category_button.setAccessibleName("Rename selected category")
        self.toggle_category_button = QPushButton("Deac&tivate")
        self.toggle_category_button.setAccessibleName("Deactivate or reactivate category")
        self.add_category_button.clicked.connect(self._on_add_category_clicked)
        self.rename_category_button.clicked.connect(self._on_rename_category_clicked)
        self.toggle_category_button.clicked.connect(self._on_toggle_category_clicked)
        row = QHBoxLayout()
        row.addWidget(self.category_name, 1)
        row.addWidget(self.add_category_button)
        row.addWidget(self.rename_category_button)
        row.addWidget(self.toggle_category_button)
        layout.addWidget(intro)
        layout.addWidget(self.category_list, 1)
        layout.addLayout(row)
        layout.addWidget(self._error("category", 2, self.category_name))
        self._update_category_buttons()
        return page

    def _build_office(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        company, ceo_name, region, currency = (
            declared.option(key) for key in ("company_name", "ceo_name", "phone_region", "currency")
        )
        self.company_name = QLineEdit()
        self.company_name.setAccessibleName(company.label)
        self.company_name.setMaxLength(declared.MAX_NAME_LENGTH)
        self.company_name.setPlaceholderText("As customers know it")
        self.ceo_name = QLineEdit()
        self.ceo_name.setAccessibleName(ceo_name.label)
        self.ceo_name.setMaxLength(declared.MAX_NAME_LENGTH)
        self.ceo_name.setPlaceholderText("As it appears on letters and the call brief")
        self.phone_region = QLineEdit()
        self.phone_region.setAccessibleName(region.label)
        self.phone_region.setMaxLength(2)
        self.phone_region.setPlaceholderText(region.default)
        self.phone_region.setMaximumWidth(80)
        self.currency = QLineEdit()
        self.currency.setAccessibleName(currency.label)
        self.currency.setMaxLength(3)
        self.currency.setPlaceholderText(currency.default)
        self.currency.setMaximumWidth(80)
        retention = declared.option("retention_years")
        self.retention = counter(retention)
        self.retention.setMaximumWidth(self.retention.minimumWidth())
        largest = declared.option("attachment_max_mb")
        self.spins[largest.key] = counter(largest)  # loaded and saved with the other counts
        self.spins[largest.key].setMaximumWidth(self.retention.maximumWidth())
        league = declared.option("league_min_cases")
        self.spins[league.key] = counter(league)  # the board pack's league table
        self.spins[league.key].setMaximumWidth(self.retention.maximumWidth())
        for option, mnemonic, editor, hint in (
            (company, "y", self.company_name, False),
            (ceo_name, "n", self.ceo_name, False),
            (region, "P", self.phone_region, True),
            (currency, "u", self.currency, True),
            (retention, "K", self.retention, True),
            (largest, "L", self.spins[largest.key], True),
            (league, "m", self.spins[league.key], True),
        ):
            caption = QLabel(_caption(option, mnemonic))
            caption.setBuddy(editor)
            form.addRow(caption, editor)
            if hint:
                form.addRow("", self._hint(option.help))
            form.addRow("", self._error(option.key, 3, editor))
        return page

    # ------------------------------------------------------------ loading

    def _on_load_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _on_loaded(self, loaded: _Loaded) -> None:
        settings = loaded.settings
        self._settings = settings
        for key, spin in self.spins.items():
            value = declared.option(key).get(settings)
            spin.setValue(spin.minimum() if value is None else value)  # None: the "none" text
        for key, edit in self.times.items():
            moment = declared.option(key).get(settings)
            edit.setTime(QTime(moment.hour, moment.minute))
        for number, box in self.weekend_boxes.items():
            box.setChecked(number in settings.weekend_days)
        retention = settings.retention_years
        self.retention.setValue(self.retention.minimum() if retention is None else retention)
        self.holiday_list.clear()
        for day in sorted(settings.holidays):
            self._add_holiday_item(day)
        self.categories = [
            CategoryEntry(c.id, c.name, c.active, c.name, c.active, c.version)
            for c in loaded.categories
        ]
        self._show_categories()
        self.company_name.setText(settings.company_name)
        self.ceo_name.setText(settings.ceo_name)
        self.phone_region.setText(settings.phone_region)
        self.currency.setText(settings.currency)
        self.email.load(settings, loaded.templates, password_kept=loaded.password_kept)
        self.save_button.setEnabled(True)
        self.loaded.emit()

    # ------------------------------------------------------------ holidays

    def holidays(self) -> list[date]:
        days = []
        for row in range(self.holiday_list.count()):
            item = self.holiday_list.item(row)
            value = item.data(Qt.ItemDataRole.UserRole)
            assert isinstance(value, date)
            days.append(value)
        return days

    def _add_holiday_item(self, day: date) -> None:
        item = QListWidgetItem(day.strftime("%Y-%m-%d  %A"))
        item.setData(Qt.ItemDataRole.UserRole, day)
        self.holiday_list.addItem(item)

    @Slot()
    def _on_add_holiday_clicked(self) -> None:
        self.errors["holidays"].clear_message()
        day = _day(self.holiday_date.date())
        days = self.holidays()
        if day in days:
            self.errors["holidays"].show_message(f"{day.isoformat()} is already a holiday.")
            return
        self.holiday_list.clear()
        for each in sorted([*days, day]):
            self._add_holiday_item(each)
        self.holiday_list.setCurrentRow(sorted([*days, day]).index(day))

    @Slot()
    def _on_remove_holiday_clicked(self) -> None:
        row = self.holiday_list.currentRow()
        if row >= 0:
            self.holiday_list.takeItem(row)

    # ------------------------------------------------------------ categories

    def _show_categories(self, select: CategoryEntry | None = None) -> None:
        self.category_list.blockSignals(True)
        self.category_list.clear()
        ordered = sorted(self.categories, key=lambda c: (not c.active, c.name.lower()))
        self.categories = ordered
        muted = colours.muted_text(self.palette())
        for entry in ordered:
            item = QListWidgetItem(entry.name if entry.active else f"{entry.name} (deactivated)")
            if not entry.active:
                item.setForeground(muted)
            self.category_list.addItem(item)
        self.category_list.blockSignals(False)
        if select is not None:
            self.category_list.setCurrentRow(ordered.index(select))
        self._update_category_buttons()

    def _selected_category(self) -> CategoryEntry | None:
        row = self.category_list.currentRow()
        return self.categories[row] if 0 <= row < len(self.categories) else None

    @Slot(int)
    def _on_category_list_current_row_changed(self, _row: int) -> None:
        entry = self._selected_category()
        if entry is not None:
            self.category_name.setText(entry.name)
        self._update_category_buttons()

    def _update_category_buttons(self) -> None:
        entry = self._selected_category()
        self.rename_category_button.setEnabled(entry is not None)
        self.toggle_category_button.setEnabled(entry is not None)
        self.toggle_category_button.setText(
            "Reac&tivate" if entry is not None and not entry.active else "Deac&tivate"
        )

    def _clean_category_name(self, exclude: CategoryEntry | None) -> str | None:
        error = self.errors["category"]
        error.clear_message()
        try:
            name = validation.short_text(self.category_name.text(), "category", required=True)
        except ValidationError as exc:
            error.show_message(exc.message)
            return None
        for entry in self.categories:
            if entry is not exclude and entry.name.lower() == name.lower():
                if not entry.active and exclude is None:
                    return name  # adding a deactivated name reactivates it
                error.show_message(f"The category '{entry.name}' already exists.")
                return None
        return name

    @Slot()
    def _on_add_category_clicked(self) -> None:
        name = self._clean_category_name(None)
        if name is None:
            return
        existing = next((c for c in self.categories if c.name.lower() == name.lower()), None)
        if existing is not None:
            existing.active = True
            self._show_categories(existing)
            return
        entry = CategoryEntry(None, name, True)
        self.categories.append(entry)
        self._show_categories(entry)

    @Slot()
    def _on_rename_category_clicked(self) -> None:
        entry = self._selected_category()
        if entry is None:
            return
        name = self._clean_category_name(entry)
        if name is None:
            return
        entry.name = name
        self._show_categories(entry)

    @Slot()
    def _on_toggle_category_clicked(self) -> None:
        entry = self._selected_category()
        if entry is None:
            return
        if entry.id is None:
            self.categories.remove(entry)  # added in this dialog: just drop it
            self._show_categories()
            return
        entry.active = not entry.active
        self._show_categories(entry)

    # ------------------------------------------------------------ saving

    def form_settings(self) -> OfficeSettings:
        assert self._settings is not None
        settings = self._settings
        for key, spin in self.spins.items():
            option = declared.option(key)
            value: int | None = spin.value()
            if option.type is declared.OptionType.OPTIONAL_COUNT and spin.value() < option.minimum:
                value = None
            settings = option.put(settings, value)
        for key, edit in self.times.items():
            typed = edit.time()
            settings = declared.option(key).put(settings, time(typed.hour(), typed.minute()))
        retention = self.retention.value()
        settings = self.email.apply(settings)
        return replace(
            settings,
            weekend_days=tuple(n for n, box in self.weekend_boxes.items() if box.isChecked()),
            retention_years=None
            if retention < declared.option("retention_years").minimum
            else retention,
            holidays=tuple(self.holidays()),
            company_name=self.company_name.text(),
            ceo_name=self.ceo_name.text(),
            phone_region=self.phone_region.text(),
            currency=self.currency.text(),
        )

    def _show_error(self, exc: CeoDeskError) -> None:
        key = exc.field or ""
        error = self.errors.get(key)
        if error is None:
            self.general_error.show_message(exc.message)
            return
        self.tabs.setCurrentIndex(self._error_tab[key])
        error.show_message(exc.message)
        self._error_widget[key].setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def save(self) -> None:
        if self._settings is None or self._saving:
            return
        self.general_error.clear_message()
        for error in self.errors.values():
            error.clear_message()
        try:
            settings = office.validate_settings(self.form_settings())
            wording = self.email.template_changes()
            password = self.email.password_change(settings)
        except CeoDeskError as exc:
            self._show_error(exc)
            return
        plan = _Save(settings, [c for c in self.categories if c.changed], wording, password)
        db, read = self._db, self._settings

        def op() -> None:
            # One transaction: the settings and every category change land together or not at
            # all. Each is saved only onto what this dialog read: someone else's change since is
            # a conflict.
            with db.transaction() as uow:
                office.save_settings(uow, plan.settings, read=read)
                for entry in plan.categories:
                    if entry.id is None:
                        office.add_category(uow, entry.name)
                        continue
                    version = entry.saved_version
                    if entry.name != entry.saved_name:
                        office.rename_category(uow, entry.id, entry.name, expected_version=version)
                        version = None  # checked; the rename moved the counter on
                    if entry.active != entry.saved_active:
                        office.set_category_active(
                            uow, entry.id, entry.active, expected_version=version
                        )
                for change in plan.templates:
                    if change.to_default:
                        templates.reset(uow, change.kind)
                    else:
                        templates.save(uow, change.kind, change.subject, change.body)
            if plan.password is not None:
                plan.password.keep()  # after the commit: the settings it belongs to are saved

        self._saving = True
        self.save_button.setEnabled(False)
        run_in_background(op, self._on_saved, self._on_save_failed, owner=self)

    def _on_saved(self, _result: object) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.settings_saved.emit()
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, CeoDeskError):
            self._show_error(exc)
        else:
            show_error(self, exc)

    @classmethod
    def edit(cls, parent: QWidget | None, db: Database) -> bool:
        """Show the settings modally; True when they were saved."""
        dialog = cls(db, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
