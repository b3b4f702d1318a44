"""Settings: due-date policy, holidays, categories, office details and people."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ceo_desk import settings as settings_module
from ceo_desk.core.services import office
from ceo_desk.enums import Severity
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import Database
from ceo_desk.ui.dialogs.settings_dialog import SettingsDialog


@pytest.fixture
def dialog(qtbot: QtBot, sqlite_db: Database) -> SettingsDialog:
    widget = SettingsDialog(sqlite_db)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.show()
    return widget


def _saved(db: Database) -> tuple[OfficeSettings, list[office.CategoryRow]]:
    with db.reading() as uow:
        return office.load_settings(uow), office.list_categories(uow, include_inactive=True)


def test_shows_the_current_settings(dialog: SettingsDialog) -> None:
    assert dialog.report_days[Severity.CRITICAL].value() == 1
    assert dialog.report_days[Severity.CRITICAL].suffix() == " business day"
    assert dialog.report_days[Severity.LOW].value() == 10
    assert dialog.currency.text() == "USD"
    assert "Billing" in [c.name for c in dialog.categories]


def test_saving_policy_and_office_details(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    dialog.report_days[Severity.HIGH].setValue(3)
    dialog.callback_days.setValue(2)
    dialog.unreachable_after.setValue(4)
    dialog.ceo_name.setText("  Margaret   Osei ")
    dialog.phone_region.setText("gb")
    dialog.currency.setText("gbp")
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000):
        dialog.save_button.click()
    settings, _ = _saved(sqlite_db)
    assert settings.report_due_days[Severity.HIGH] == 3
    assert settings.callback_due_days == 2
    assert settings.unreachable_after_attempts == 4
    assert settings.ceo_name == "Margaret Osei"
    assert (settings.phone_region, settings.currency) == ("GB", "GBP")


def test_a_refused_value_is_shown_beside_its_field_on_its_tab(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    dialog.phone_region.setText("XX")
    dialog.tabs.setCurrentIndex(0)
    dialog.save()
    error = dialog.errors["phone_region"]
    assert error.isVisible()
    assert "two-letter country code" in error.text()
    assert dialog.tabs.currentIndex() == 3, "the Office tab is brought forward"
    assert dialog.isVisible()

    dialog.phone_region.setText("US")
    for box in dialog.weekend_boxes.values():
        box.setChecked(True)
    dialog.tabs.setCurrentIndex(0)
    dialog.save()
    assert dialog.errors["weekend_days"].isVisible()
    assert "at least 2 workdays" in dialog.errors["weekend_days"].text()
    assert dialog.tabs.currentIndex() == 1
    settings, _ = _saved(sqlite_db)
    assert settings.weekend_days == (5, 6)


def test_holidays_are_added_and_removed(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    dialog.holiday_date.setDate(QDate(2026, 12, 25))
    dialog.add_holiday_button.click()
    dialog.holiday_date.setDate(QDate(2026, 1, 1))
    dialog.add_holiday_button.click()
    dialog.add_holiday_button.click()
    assert "already a holiday" in dialog.errors["holidays"].text()
    assert dialog.holidays() == [date(2026, 1, 1), date(2026, 12, 25)]
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000):
        dialog.save()
    settings, _ = _saved(sqlite_db)
    assert settings.holidays == (date(2026, 1, 1), date(2026, 12, 25))

    again = SettingsDialog(sqlite_db)
    qtbot.addWidget(again)
    qtbot.waitSignal(again.loaded, timeout=10_000).wait()
    again.holiday_list.setCurrentRow(0)
    again.remove_holiday_button.click()
    with qtbot.waitSignal(again.settings_saved, timeout=10_000):
        again.save()
    settings, _ = _saved(sqlite_db)
    assert settings.holidays == (date(2026, 12, 25),)


def test_categories_are_added_renamed_and_deactivated(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    dialog.category_name.setText("billing")
    dialog.add_category_button.click()
    assert "already exists" in dialog.errors["category"].text()

    dialog.category_name.setText("Warranty")
    dialog.add_category_button.click()
    names = [c.name for c in dialog.categories]
    dialog.category_list.setCurrentRow(names.index("Delivery"))
    dialog.category_name.setText("Delivery and returns")
    dialog.rename_category_button.click()
    names = [c.name for c in dialog.categories]
    dialog.category_list.setCurrentRow(names.index("Other"))
    assert dialog.toggle_category_button.text().replace("&", "") == "Deactivate"
    dialog.toggle_category_button.click()
    assert dialog.category_list.currentItem().text() == "Other (deactivated)"

    _, before = _saved(sqlite_db)
    assert "Warranty" not in [c.name for c in before], "nothing is saved before Save"
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000):
        dialog.save()
    _, after = _saved(sqlite_db)
    by_name = {c.name: c.active for c in after}
    assert by_name["Warranty"] is True
    assert by_name["Delivery and returns"] is True
    assert "Delivery" not in by_name
    assert by_name["Other"] is False


def test_a_save_refused_halfway_changes_nothing(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    dialog.ceo_name.setText("Margaret Osei")
    dialog.category_name.setText("Warranty")
    dialog.add_category_button.click()
    dialog.category_name.setText("Returns")
    dialog.add_category_button.click()
    with sqlite_db.transaction() as uow:  # meanwhile, on another computer
        office.add_category(uow, "Returns")

    dialog.save()
    qtbot.waitUntil(lambda: "already exists" in dialog.errors["category"].text(), timeout=10_000)
    assert dialog.isVisible()
    settings, categories = _saved(sqlite_db)
    assert settings.ceo_name == "", "the office settings were not saved without the categories"
    assert "Warranty" not in [c.name for c in categories]


def test_cancel_changes_nothing(qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database) -> None:
    dialog.ceo_name.setText("Someone Else")
    dialog.reject()
    settings, _ = _saved(sqlite_db)
    assert settings.ceo_name == ""


def test_edit_returns_whether_saved(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog

    monkeypatch.setattr(SettingsDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert SettingsDialog.edit(None, sqlite_db) is True
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert SettingsDialog.edit(None, sqlite_db) is False


def test_spin_box_bounds_and_labels_come_from_the_declaration(dialog: SettingsDialog) -> None:
    for key, spin in dialog.spins.items():
        option = settings_module.option(key)
        # An option that may be off shows its "none" text one below its minimum.
        lowest = option.minimum - (option.type is settings_module.OptionType.OPTIONAL_COUNT)
        assert (spin.minimum(), spin.maximum()) == (lowest, option.maximum), key
        assert spin.accessibleName() == option.label
    assert (dialog.report_days[Severity.NORMAL].minimum(), dialog.callback_days.maximum()) == (
        1,
        20,
    )
    assert dialog.retention.specialValueText() == "Forever"
    assert dialog.spins["follow_up_weeks"].specialValueText() == "Off"
    assert dialog.retention.maximum() == settings_module.option("retention_years").maximum


def test_a_label_changed_in_the_declaration_shows_in_the_dialog(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "unreachable_after_attempts"
    changed = replace(settings_module.option(key), label="Give up after", maximum=9)
    options = tuple(changed if o.key == key else o for o in settings_module.OPTIONS)
    monkeypatch.setattr(settings_module, "OPTIONS", options)
    monkeypatch.setitem(settings_module.OPTION_BY_KEY, key, changed)
    widget = SettingsDialog(sqlite_db)
    qtbot.addWidget(widget)
    spin = widget.unreachable_after
    captions = [label.text() for label in widget.findChildren(QLabel) if label.buddy() is spin]
    assert captions == ["Give up after:"]
    assert spin.maximum() == 9


def test_weekend_days_and_retention_are_saved(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    assert dialog.weekend_boxes[5].isChecked() and dialog.weekend_boxes[6].isChecked()
    assert dialog.retention.text() == "Forever"
    dialog.weekend_boxes[4].setChecked(True)  # Friday
    dialog.weekend_boxes[6].setChecked(False)  # Sunday
    dialog.retention.setValue(7)
    assert dialog.retention.text() == "7 years"
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000):
        dialog.save_button.click()
    settings, _ = _saved(sqlite_db)
    assert settings.weekend_days == (4, 5)
    assert settings.retention_years == 7

    again = SettingsDialog(sqlite_db)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.loaded, timeout=10_000):
        again.show()
    assert again.weekend_boxes[4].isChecked() and not again.weekend_boxes[6].isChecked()
    again.retention.setValue(again.retention.minimum())
    with qtbot.waitSignal(again.settings_saved, timeout=10_000):
        again.save()
    assert _saved(sqlite_db)[0].retention_years is None


def test_a_refused_category_change_saves_no_setting_either(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    dialog.callback_days.setValue(4)
    dialog.category_name.setText("Refunds")
    dialog.add_category_button.click()
    with sqlite_db.transaction() as uow:  # another computer adds it meanwhile
        office.add_category(uow, "Refunds")
    saved: list[bool] = []
    dialog.settings_saved.connect(lambda: saved.append(True))
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["category"].isVisible(), timeout=10_000)
    assert "already exists" in dialog.errors["category"].text()
    assert not saved and dialog.isVisible()
    settings, categories = _saved(sqlite_db)
    assert settings.callback_due_days == 1, "half a save landed"
    assert [c.name for c in categories].count("Refunds") == 1


def test_a_save_on_settings_changed_meanwhile_is_refused(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    from dataclasses import replace

    with sqlite_db.transaction() as uow:  # meanwhile, on another computer
        office.save_settings(uow, replace(office.load_settings(uow), ceo_name="Margaret Osei"))
    dialog.callback_days.setValue(3)
    dialog.save()
    qtbot.waitUntil(
        lambda: "changed by someone else" in dialog.general_error.text(), timeout=10_000
    )
    assert dialog.isVisible()
    settings, _ = _saved(sqlite_db)
    assert settings.ceo_name == "Margaret Osei", "their change is not undone"
    assert settings.callback_due_days == 1


def test_did_it_stick_is_off_until_weeks_are_chosen(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    spin = dialog.spins["follow_up_weeks"]
    assert spin.text() == "Off"
    assert dialog.form_settings().follow_up_weeks is None
    spin.setValue(6)
    assert dialog.form_settings().follow_up_weeks == 6


def test_the_league_table_minimum_is_saved_from_the_office_tab(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    assert dialog.spins["league_min_cases"].value() == 5
    dialog.spins["league_min_cases"].setValue(3)
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000):
        dialog.save_button.click()
    settings, _ = _saved(sqlite_db)
    assert settings.league_min_cases == 3


def test_the_business_day_is_set_on_the_due_dates_tab_and_an_end_before_its_start_refused(
    qtbot: QtBot, dialog: SettingsDialog, sqlite_db: Database
) -> None:
    start, end = dialog.times["business_day_start"], dialog.times["business_day_end"]
    assert (start.text(), end.text()) == ("09:00", "17:00")
    assert end.accessibleName() == settings_module.option("business_day_end").label
    end.setTime(QTime(8, 30))
    dialog.tabs.setCurrentIndex(3)
    dialog.save()
    error = dialog.errors["business_day_end"]
    assert error.isVisible() and "start at 09:00 and end at 08:30" in error.text()
    assert dialog.tabs.currentIndex() == 0, "the Due dates tab is brought forward"
    assert _saved(sqlite_db)[0].business_day_end == time(17, 0)

    start.setTime(QTime(7, 30))
    end.setTime(QTime(18, 15))
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000):
        dialog.save_button.click()
    saved, _ = _saved(sqlite_db)
    assert (saved.business_day_start, saved.business_day_end) == (time(7, 30), time(18, 15))
