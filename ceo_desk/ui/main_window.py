"""The main window: the working lists side by side with the log, the counters in the status bar,
and "Log a call" one keystroke away from anywhere."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

import shiboken6
from PySide6.QtCore import QSize, QStandardPaths, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QIcon,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QSystemTrayIcon,
    QWidget,
)

from ceo_desk import __version__
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.enums import Role, Severity
from ceo_desk.ui import qsettings_store, theme
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.screen_fit import fit_when_shown
from ceo_desk.ui.widgets.elided_label import ElidedLabel
from ceo_desk.ui.widgets.sidebar import Sidebar

# The window appears before the log is open: everything that needs SQLAlchemy (the views, the
# dialogs, the queries) is imported when the log is attached, not when this module loads.
if TYPE_CHECKING:
    from ceo_desk.core.database import Database, UnitOfWork
    from ceo_desk.core.page_counts import PageCount
    from ceo_desk.core.queries import Counters
    from ceo_desk.core.services.reminders import RunReport
    from ceo_desk.ui.complaint_window import ComplaintWindow
    from ceo_desk.ui.dialogs.delegate import DelegateDialog
    from ceo_desk.ui.dialogs.log_call import LogCallDialog
    from ceo_desk.ui.reminder_runner import ReminderRunner
    from ceo_desk.ui.views.all_complaints import AllComplaintsView
    from ceo_desk.ui.views.chase import ChaseView
    from ceo_desk.ui.views.directory import DirectoryView
    from ceo_desk.ui.views.reports_page import ReportsPage
    from ceo_desk.ui.views.to_delegate import ToDelegateView
    from ceo_desk.ui.views.today import TodayView

APP_TITLE = "CEO Desk"
COUNTERS_INTERVAL_MS = 60_000
# Narrower than this, the sidebar shows icons and counts only (titles in their tooltips).
COMPACT_SIDEBAR_BELOW = 1100
# The pages in sidebar order. Each page's icon is resources/icons/<key>.svg; a page that lists
# work declares how to count it (`Page.count`), and the sidebar shows that count beside it.
PAGE_TITLES: tuple[tuple[str, str], ...] = (
    ("today", "Today"),
    ("to_delegate", "To delegate"),
    ("chase", "Chase"),
    ("all", "All complaints"),
    ("directory", "Directory"),
    ("reports", "Reports"),
    ("my_work", "My work"),
    ("outbox", "Outbox"),
)


def window_title(identity: str) -> str:
    """'ann — CEO Desk': the app named once, last, as the desktop itself would add it (Qt
    appends the application's display name to a title that does not already end with it)."""
    return f"{identity} — {APP_TITLE}" if identity else APP_TITLE


@dataclass(frozen=True)
class Pulse:
    """What the status bar and the tray need, read in one go."""

    counters: Counters
    due_references: frozenset[str]
    today: date
    identity: str = ""
    roles: frozenset[Role] = frozenset()
    page_counts: dict[str, PageCount | None] = field(default_factory=dict)
    due_customers: Mapping[str, str] = field(default_factory=dict)  # reference -> name


# Counts a page: run on the worker with the counters, given a unit of work and the local day;
# None when the page has nothing to count for this person.
PageCounter = Callable[["UnitOfWork", date], "PageCount | None"]


def choose_pdf_path(parent: QWidget, reference: str) -> Path | None:
    """Ask where to save a call brief; None when cancelled. Replaced in tests."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = str(Path(folder or Path.home()) / f"call-brief-{reference}.pdf")
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, f"Save the call brief for {reference}", suggested, "PDF documents (*.pdf)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def open_file(path: Path) -> bool:
    """Open a written file with the desktop's viewer (to print it); replaced in tests."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def read_pulse(db: Database, counted: dict[str, PageCounter] | None = None) -> Pulse:
    """The counters, the callbacks due and each counted page's count, in one read."""
    from ceo_desk.core import queries

    today = SYSTEM_CLOCK.today()
    with db.reading() as uow:
        counts = queries.counters(uow, today=today)
        due = queries.callback_customers_due(uow, today=today)
        pages = {key: count(uow, today) for key, count in (counted or {}).items()}
        return Pulse(counts, frozenset(due), today, uow.identity, uow.roles, pages, due)


def _count_today(uow: UnitOfWork, day: date) -> PageCount:
    from ceo_desk.core import page_counts

    return page_counts.today(uow, day)


def _count_to_delegate(uow: UnitOfWork, day: date) -> PageCount:
    from ceo_desk.core import page_counts, to_delegate

    waiting = to_delegate.waiting(uow, now=to_delegate.moment_for(day))
    return page_counts.PageCount(waiting.count, waiting.overdue)


def _count_chase(uow: UnitOfWork, day: date) -> PageCount:
    from ceo_desk.core import page_counts
    from ceo_desk.ui.views.chase import HORIZON_BUSINESS_DAYS

    return page_counts.chase(uow, day, horizon_business_days=HORIZON_BUSINESS_DAYS)


def _count_open(uow: UnitOfWork, day: date) -> PageCount:
    from ceo_desk.core import page_counts

    return page_counts.open_complaints(uow, day)


def _count_my_work(uow: UnitOfWork, day: date) -> PageCount | None:
    from ceo_desk.core import page_counts

    return page_counts.my_work(uow, day)


def _count_outbox(uow: UnitOfWork, day: date) -> PageCount | None:
    from ceo_desk.core.mail import outbox

    return outbox.page_count(uow)


@dataclass
class Page:
    """A section of the window, built the first time it is shown (or asked for).

    `count`, when given, says how much work the page lists: the sidebar shows it beside the
    page's name (and its overdue part apart), read with the status bar's counters."""

    key: str
    title: str
    build: Callable[[], QWidget]
    widget: QWidget | None = None
    count: PageCounter | None = None

    def refresh(self) -> None:
        """Reload a built page; a page not built yet loads fresh when it is."""
        refresh = getattr(self.widget, "refresh", None)
        if refresh is not None:
            refresh()


LAST_PAGE_KEY = "main_window/page"  # in the layout file: the page last chosen on this computer


def opening_page(roles: frozenset[Role]) -> str:
    """The page a person's work starts on: the CEO's is Today (the callbacks to make), a
    delegate's (holding no other role) My work, anyone else's All complaints."""
    if Role.CEO in roles:
        return "today"
    if roles == {Role.DELEGATE}:
        return "my_work"
    return "all"


def _last_page() -> str | None:
    value = qsettings_store.settings().value(LAST_PAGE_KEY)
    return value if value in {key for key, _title in PAGE_TITLES} else None


class MainWindow(QMainWindow):
    """Hosts the views; knows who is signed in and keeps the counters current.

    The window can be shown before the log is open (`MainWindow(None)`): sections, menus and
    Quit work at once, and `attach(db)` brings in the views when the log is ready. `role` opens
    on that role's first page (the CEO's is Today); the person's granted roles, read with the
    counters, decide which actions are offered.

    Signals:
        opening_note(str): why opening takes long (sent by the worker opening the log); the
            window shows it in place of "Opening the complaint log…".
        attached(): the log is open and the views are in place.
        first_screen(): the opening page's rows and the status bar's counters are in; the
            sidebar's counts are read straight after, so the first paint waits for no other page.
        ready(): the opening page, the counters and the sidebar's counts have loaded.
        complaint_changed(str): anything saved from this window changed a complaint.
    """

    opening_note = Signal(str)
    attached = Signal()
    first_screen = Signal()
    ready = Signal()
    complaint_changed = Signal(str)
    counters_updated = Signal(object)
    brief_written = Signal(str)

    def __init__(
        self, db: Database | None, role: Role | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db: Database | None = None
        self.identity = ""
        self.roles: frozenset[Role] = frozenset()
        self.counters: Counters | None = None
        self._known_due: frozenset[str] | None = None
        self.first_run_guide: QWidget | None = None  # shown on a new, empty log
        self.last_due_message: tuple[str, str] | None = None  # the tray's, title and text
        self._waiting_for_first_screen = {"counters", "page"}
        self._waiting_for_ready = {"counters", "page", "page_counts"}
        self._pages_counted = False  # the first read brings the status bar's counters alone
        self._pulse_loading = False
        self._pulse_again = False
        self._open_windows: dict[str, QWidget] = {}
        self.pages: list[Page] = []
        self.reminder_runner: ReminderRunner | None = None
        self._chosen_page = opening_page(frozenset({role}) if role is not None else frozenset())
        self._page_chosen_by_person = False  # a click while the log opens is kept at attach
        self._showing_page = False
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(theme.app_icon())
        self.setAccessibleName(f"{APP_TITLE} main window")
        self.setMinimumSize(QSize(640, 400))

        self.nav = Sidebar(self)
        for key, title in PAGE_TITLES:
            self.nav.add_page(key, title, key)
        self.nav.fit_width()
        self.stack = QStackedWidget(self)
        self.opening_label = QLabel("Opening the complaint log…", self)
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening_label.setAccessibleName("Opening the complaint log")
        self.opening_label.setWordWrap(True)
        self.opening_label.setContentsMargins(48, 0, 48, 0)
        self.stack.addWidget(self.opening_label)
        self.opening_note.connect(self._on_opening_note)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)

        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_status_bar()
        self._build_tray()
        self.show_page(self._chosen_page)

        self._timer = QTimer(self)
        self._timer.setInterval(COUNTERS_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.resize(1280, 800)
        qsettings_store.remember("main_window", self)
        fit_when_shown(self)
        if db is not None:
            self.attach(db, frozenset({role}) if role is not None else None)

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("the log is not open yet")
        return self._db

    @property
    def is_attached(self) -> bool:
        return self._db is not None

    def attach(self, db: Database, roles: frozenset[Role] | None = None) -> None:
        """Bring in the views over the now-open log and start keeping the counters. Only the
        opening page is built now; each other page is built (and loads) when first shown.

        It opens on the page the person last chose on this computer, else on their roles' page
        (`opening_page`; `roles` as granted on the log, when the opener read them)."""
        from ceo_desk.ui import file_menu
        from ceo_desk.ui.changes import ChangeHub
        from ceo_desk.ui.dialogs import first_run

        self._db = db
        self.hub = ChangeHub(db, self)
        self.hub.changed.connect(self._on_hub_changed)
        self.pages = [
            Page("today", "Today", self._build_today, count=_count_today),
            Page("to_delegate", "To delegate", self._build_to_delegate, count=_count_to_delegate),
            Page("chase", "Chase", self._build_chase, count=_count_chase),
            Page("all", "All complaints", self._build_all_complaints, count=_count_open),
            Page("directory", "Directory", self._build_directory),
            Page("reports", "Reports", self._build_reports),
            Page("my_work", "My work", self._build_my_work, count=_count_my_work),
            Page("outbox", "Outbox", self._build_outbox, count=_count_outbox),
        ]
        assert [p.key for p in self.pages] == [key for key, _t in PAGE_TITLES]

        self.stack.removeWidget(self.opening_label)
        self.opening_label.deleteLater()
        self.safety_actions = file_menu.file_menu_actions(
            self, lambda: self.db, self._on_log_replaced
        )
        self.file_menu.insertActions(self._safety_anchor, self.safety_actions)
        for action in self._needs_log:
            action.setEnabled(True)
        self.counters_label.setText("Counting…")

        from ceo_desk.ui.reminder_runner import ReminderRunner

        self.reminder_runner = ReminderRunner(db, self)
        self.reminder_runner.set_roles(self.roles)
        self.reminder_runner.ran.connect(self._on_reminder_runner_ran)

        if not self._page_chosen_by_person:
            self._chosen_page = _last_page() or (
                opening_page(roles) if roles is not None else self._chosen_page
            )
        opening = self._chosen_page
        self.show_page(opening)
        self._connect_readiness(opening)
        self._timer.start()
        self.refresh_counters()
        self._start_mail_sending()
        first_run.offer(self)  # a new, empty log opens on the getting-started guide
        self.attached.emit()

    # ------------------------------------------------------------ the pages, built on first use

    def _build_today(self) -> QWidget:
        from ceo_desk.ui.views.today import TodayView

        view = TodayView(self.db, self)
        if self.identity:
            view.set_roles(self.roles)
        view.complaint_changed.connect(self._on_view_complaint_changed)
        view.open_requested.connect(self.open_complaint)
        view.print_requested.connect(self.print_call_brief)
        view.status_message.connect(self.show_message)
        return view

    def _build_to_delegate(self) -> QWidget:
        from ceo_desk.ui.views.to_delegate import ToDelegateView

        view = ToDelegateView(self.db, self)
        view.delegate_requested.connect(
            lambda row: self.offer_delegation(row.reference, row.summary, row.severity)
        )
        view.open_requested.connect(self.open_complaint)
        return view

    def _build_chase(self) -> QWidget:
        from ceo_desk.ui.views.chase import ChaseView

        view = ChaseView(self.db, self)
        view.open_requested.connect(self.open_complaint)
        view.to_delegate_requested.connect(lambda: self.show_page("to_delegate"))
        view.status_message.connect(self.show_message)
        return view

    def _build_all_complaints(self) -> QWidget:
        from ceo_desk.ui.views.all_complaints import AllComplaintsView

        view = AllComplaintsView(self.db, self)
        view.complaint_activated.connect(self.open_complaint)
        return view

    def _build_directory(self) -> QWidget:
        from ceo_desk.ui.views.directory import DirectoryView

        return DirectoryView(self.db, self)

    def _build_reports(self) -> QWidget:
        from ceo_desk.ui.views.reports_page import ReportsPage

        return ReportsPage(self.db, self)

    def _build_my_work(self) -> QWidget:
        from ceo_desk.ui.views.my_work import MyWorkView

        view = MyWorkView(self.db, parent=self)
        view.status_message.connect(self.show_message)
        return view

    def _build_outbox(self) -> QWidget:
        from ceo_desk.ui.views.outbox import OutboxView

        view = OutboxView(self.db, self)
        view.open_requested.connect(self.open_complaint)
        view.status_message.connect(self.show_message)
        view.send_requested.connect(self.mail_sending.send_now)
        self.mail_sending.sent.connect(lambda _report: view.refresh())
        return view

    def _start_mail_sending(self) -> None:
        """The outbox is sent in the background while the app is open (ui/mail_sending.py)."""
        from ceo_desk.ui.mail_offer import DraftOffer
        from ceo_desk.ui.mail_sending import MailSending

        self.mail_sending = MailSending(self.db, self)
        self.mail_sending.status_message.connect(self.show_message)
        self.draft_offer = DraftOffer(self.db, self)  # no mail server: offered at once instead
        self.hub.changed.connect(lambda _found: self.mail_sending.send_soon())
        self.hub.changed.connect(lambda _found: self.draft_offer.check())
        self.mail_sending.start()

    def _built(self, key: str) -> QWidget:
        """The page's view, built (and so loading) now if it was not yet."""
        page = next(p for p in self.pages if p.key == key)
        if page.widget is None:
            page.widget = page.build()
            self.stack.addWidget(page.widget)
        return page.widget

    @property
    def today(self) -> TodayView:
        return cast("TodayView", self._built("today"))

    @property
    def to_delegate(self) -> ToDelegateView:
        return cast("ToDelegateView", self._built("to_delegate"))

    @property
    def chase_view(self) -> ChaseView:
        return cast("ChaseView", self._built("chase"))

    @property
    def all_complaints(self) -> AllComplaintsView:
        return cast("AllComplaintsView", self._built("all"))

    @property
    def directory(self) -> DirectoryView:
        return cast("DirectoryView", self._built("directory"))

    @property
    def reports(self) -> ReportsPage:
        return cast("ReportsPage", self._built("reports"))

    # ------------------------------------------------------------ building

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        *,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.log_call_action = self._action(
            "&Log a call…",
            self.log_call,
            QKeySequence.StandardKey.New,
            tip="Record a complaint while the caller is on the line (Ctrl+N)",
        )
        # Ctrl+N works from every window of the app, including an open complaint.
        self.log_call_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.refresh_action = self._action(
            "&Refresh", self.refresh_all, QKeySequence.StandardKey.Refresh
        )
        self.print_action = self._action(
            "&Print call brief…",
            lambda: self.print_call_brief(self.reference_in_view()),
            QKeySequence.StandardKey.Print,
        )
        # Ctrl+P works in a complaint window too, and prints the complaint shown there.
        self.print_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.settings_action = self._action(
            "&Settings…",
            self.edit_settings,
            QKeySequence.StandardKey.Preferences,
            tip="Due-date policy, holidays, categories, office details and people",
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.about_action = self._action("&About CEO Desk", self._about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

        self.page_actions: dict[str, QAction] = {}
        for number, (key, title) in enumerate(PAGE_TITLES, start=1):
            self.page_actions[key] = self._action(title, self._page_opener(key), f"Ctrl+{number}")

        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu("&File")
        file_menu.addAction(self.log_call_action)
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        # Backup, restore, import and export join here once the log is open.
        self._safety_anchor = file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.file_menu = file_menu
        go_menu = menu_bar.addMenu("&Go")
        for action in self.page_actions.values():
            go_menu.addAction(action)
        go_menu.addSeparator()
        go_menu.addAction(self.refresh_action)
        self.go_menu = go_menu
        view_menu = menu_bar.addMenu("&View")
        view_menu.addMenu(self._build_appearance_menu())
        self.view_menu = view_menu
        help_menu = menu_bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.log_call_action.setIcon(
            QIcon.fromTheme(
                "document-new", self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
            )
        )
        self.refresh_action.setIcon(
            QIcon.fromTheme(
                "view-refresh", self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload)
            )
        )
        toolbar.addAction(self.log_call_action)
        toolbar.addAction(self.refresh_action)
        self._needs_log = [
            self.log_call_action,
            self.refresh_action,
            self.print_action,
            self.settings_action,
        ]
        for action in self._needs_log:
            action.setEnabled(False)

    def _build_appearance_menu(self) -> QMenu:
        """View → Colours: follow the system's light or dark scheme, or choose one here."""
        menu = QMenu("&Colours", self)
        group = QActionGroup(self)
        group.setExclusive(True)
        chosen = theme.apply_saved().appearance
        self.appearance_actions: dict[theme.Appearance, QAction] = {}
        for appearance in theme.Appearance:
            action = QAction(appearance.label, self, checkable=True)
            action.setChecked(appearance is chosen)
            action.triggered.connect(lambda _on=False, a=appearance: self.choose_appearance(a))
            group.addAction(action)
            menu.addAction(action)
            self.appearance_actions[appearance] = action
        return menu

    def choose_appearance(self, appearance: theme.Appearance) -> None:
        """Light, dark or the system's colours, on this computer from now on."""
        theme.theme().choose(appearance)
        self.appearance_actions[appearance].setChecked(True)

    def _page_opener(self, key: str) -> Callable[[], None]:
        return lambda: self.choose_page(key)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        # Both give way (ending in "…", the whole text in the tooltip) rather than widen the
        # window past a small screen.
        self.counters_label = ElidedLabel("Opening the log…", self)
        self.counters_label.setAccessibleName("Counters")
        self.role_label = ElidedLabel("", self)
        self.role_label.setContentsMargins(16, 0, 8, 0)
        self.role_label.setAccessibleName("Signed in as")
        bar.addPermanentWidget(self.counters_label)
        bar.addPermanentWidget(self.role_label)

    def _build_tray(self) -> None:
        self.tray: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        icon = self.windowIcon()
        if icon.isNull():
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        self.tray = QSystemTrayIcon(icon, self)
        self.tray.setToolTip(APP_TITLE)
        self.tray.activated.connect(self._on_tray_activated)
        self.tray.show()

    def _connect_readiness(self, opening: str) -> None:
        if opening == "today":
            self.today.refreshed.connect(self._on_opening_page_loaded)
        elif opening == "chase":
            self.chase_view.refreshed.connect(self._on_opening_page_loaded)
        elif opening == "all":
            self.all_complaints.model.query_finished.connect(self._on_opening_page_loaded)
        else:
            self._mark_ready("page")

    # ------------------------------------------------------------ pages

    def page(self, key: str) -> QWidget:
        if key not in {k for k, _title in PAGE_TITLES}:
            raise KeyError(key)
        return self._built(key)

    def current_page_key(self) -> str:
        return self._chosen_page

    def choose_page(self, key: str) -> None:
        """The person goes to a section (the sidebar, the menu): the next launch on this
        computer opens on it."""
        self.show_page(key)
        self._page_chosen_by_person = True
        qsettings_store.settings().setValue(LAST_PAGE_KEY, key)

    def show_page(self, key: str) -> None:
        """Show a section; chosen while the log is opening, it is shown once it is open."""
        for number, (page_key, _title) in enumerate(PAGE_TITLES):
            if page_key == key:
                self._showing_page = True
                try:
                    self.nav.setCurrentRow(number)
                    self._on_nav_current_row_changed(number)
                finally:
                    self._showing_page = False
                return

    @Slot(int)
    def _on_nav_current_row_changed(self, row: int) -> None:
        if not 0 <= row < len(PAGE_TITLES):
            return
        self._chosen_page = PAGE_TITLES[row][0]
        if not self._showing_page:  # a click in the sidebar
            self._page_chosen_by_person = True
            qsettings_store.settings().setValue(LAST_PAGE_KEY, self._chosen_page)
        if self.pages:
            self.stack.setCurrentWidget(self._built(self._chosen_page))

    @Slot()
    @Slot(str)
    def _on_opening_note(self, text: str) -> None:
        if not self.is_attached:  # the label goes once the views are in
            self.opening_label.setText(text)

    def _on_opening_page_loaded(self) -> None:
        self._mark_ready("page")

    def _mark_ready(self, part: str) -> None:
        if part in self._waiting_for_first_screen:
            self._waiting_for_first_screen.discard(part)
            if not self._waiting_for_first_screen:
                self.first_screen.emit()
        if part in self._waiting_for_ready:
            self._waiting_for_ready.discard(part)
            if not self._waiting_for_ready:
                self.ready.emit()

    def refresh_all(self) -> None:
        for page in self.pages:
            page.refresh()
        self.refresh_counters()

    def _on_log_replaced(self) -> None:
        """A restore put another file in place: every screen, and the watch on other
        processes, start afresh."""
        from ceo_desk.core.changes import EVERYTHING

        self.hub.watch_other_processes()
        self.hub.announce(EVERYTHING)
        self._refresh_built("reports")

    @Slot(object)
    def _on_hub_changed(self, found: object) -> None:
        """Something was written, here or elsewhere: each list that may show it refreshes in
        place (keeping its selection and scroll position), and so do the counters."""
        from ceo_desk.core.changes import Changes

        assert isinstance(found, Changes)
        if found.touches_lists or found.settings:
            self._refresh_built("today", "to_delegate", "chase", "all", "my_work", "outbox")
            self.refresh_counters()
        if found.directory or found.unknown:
            self._refresh_built("directory")

    def _refresh_built(self, *keys: str) -> None:
        """Refresh the pages already built; the others load fresh when first shown."""
        for page in self.pages:
            if page.key in keys:
                page.refresh()

    # ------------------------------------------------------------ counters and the tray

    def refresh_counters(self) -> None:
        if self._pulse_loading:
            self._pulse_again = True  # one more read once this one answers
            return
        self._pulse_loading = True
        db = self.db
        counted = {p.key: p.count for p in self.pages if p.count is not None}
        if not self._pages_counted:
            counted = {}
        run_in_background(
            lambda: read_pulse(db, counted),
            self._on_pulse_loaded,
            self._on_pulse_failed,
            owner=self,
        )

    def _on_pulse_loaded(self, pulse: Pulse) -> None:
        self._pulse_loading = False
        if not self._pages_counted:
            self._pages_counted = True
            self._pulse_again = True  # now with each page's count, for the sidebar
        else:
            self._mark_ready("page_counts")
        if self._pulse_again:
            self._pulse_again = False
            self.refresh_counters()
        self.counters = pulse.counters
        self.set_person(pulse.identity, pulse.roles)
        c = pulse.counters
        late_intake = f" ({c.to_delegate_overdue} late)" if c.to_delegate_overdue else ""
        self.counters_label.setText(
            f"Open: {c.open}   ·   To delegate: {c.to_delegate}{late_intake}   ·   "
            f"Overdue: {c.overdue}   ·   Callbacks today: {c.callbacks_today}"
        )
        self.counters_label.setToolTip(
            f"{c.open} open complaints; {c.to_delegate} not yet delegated; {c.overdue} past a "
            f"due time ({c.reports_overdue} reports late, {c.to_delegate_overdue} waiting too "
            f"long to be delegated); {c.callbacks_today} callbacks due now."
        )
        for key, count in pulse.page_counts.items():
            if count is None:
                self.nav.set_count(key, None)
            else:
                self.nav.set_count(key, count.listed, count.overdue)
        newly_due = self.newly_due(pulse.due_references)
        if newly_due:
            self.notify_due(newly_due, pulse.due_customers)
        self.counters_updated.emit(c)
        self._mark_ready("counters")

    def _on_pulse_failed(self, exc: BaseException) -> None:
        self._pulse_loading = False
        self.counters_label.setText("Counters unavailable")
        self.counters_label.setToolTip(str(exc))
        self._pages_counted = True
        self._mark_ready("counters")
        self._mark_ready("page_counts")

    @Slot(object)
    def _on_reminder_runner_ran(self, report: RunReport) -> None:
        if report.queued:
            self.show_message(f"Reminders: {len(report.queued)} queued. {report.sending}")

    def set_person(self, identity: str, roles: frozenset[Role]) -> None:
        """Who is signed in: named in the title and the status bar; only what their roles
        allow is offered (the same table the services enforce)."""
        from ceo_desk.core import permissions
        from ceo_desk.core.permissions import Action

        if (identity, roles) == (self.identity, self.roles):
            return
        self.identity, self.roles = identity, roles
        self.setWindowTitle(window_title(identity))
        held = ", ".join(r.label for r in sorted(roles, key=list(Role).index)) or "no role yet"
        self.role_label.setText(f"Signed in as {identity} ({held})")
        self.role_label.setToolTip(self.role_label.text())
        self.log_call_action.setVisible(permissions.allows(roles, Action.LOG_CALL))
        if self.reminder_runner is not None:
            self.reminder_runner.set_roles(roles)
        today = next((p.widget for p in self.pages if p.key == "today"), None)
        if today is not None:  # built: else it is given the roles when it is
            cast("TodayView", today).set_roles(roles)

    def newly_due(self, due: frozenset[str]) -> list[str]:
        """References that became due since the last look (all of them on the first look)."""
        previous = self._known_due or frozenset()
        self._known_due = due
        return sorted(due - previous)

    def notify_due(self, references: list[str], customers: Mapping[str, str]) -> bool:
        """A tray message naming the customers whose callbacks became due; False when there
        is no tray."""
        from ceo_desk.ui.due_notice import due_message

        self.last_due_message = due_message(references, customers)
        if self.tray is None:
            return False
        title, text = self.last_due_message
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)
        return True

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_tray_activated(self, _reason: QSystemTrayIcon.ActivationReason) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.show_page("today")

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.refresh_counters()
        if self.current_page_key() == "today":
            self.today.refresh()

    # ------------------------------------------------------------ the complaint loop

    def log_call(self) -> LogCallDialog:
        """Open "Log a call"; once saved, delegation is offered at once."""
        from ceo_desk.ui.dialogs.log_call import LogCallDialog

        parent = QApplication.activeWindow() or self
        dialog = LogCallDialog(self.db, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.complaint_logged.connect(self._on_log_call_complaint_logged)
        dialog.open_requested.connect(self.open_complaint)
        dialog.open()
        self.log_dialog = dialog
        return dialog

    @Slot(str, str, str)
    def _on_log_call_complaint_logged(self, reference: str, summary: str, severity: str) -> None:
        self.show_message(f"{reference} logged.")
        self._on_view_complaint_changed(reference)
        self.offer_delegation(reference, summary, Severity(severity))

    def offer_delegation(self, reference: str, summary: str, severity: Severity) -> DelegateDialog:
        from ceo_desk.ui.dialogs.delegate import DelegateDialog

        dialog = DelegateDialog(self.db, reference, summary, severity, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.complaint_delegated.connect(self._on_delegate_complaint_delegated)
        dialog.open()
        self.delegate_dialog = dialog
        return dialog

    @Slot(str)
    def _on_delegate_complaint_delegated(self, reference: str) -> None:
        dialog = self.sender()
        text = getattr(dialog, "result_text", f"{reference} delegated.")
        self.show_message(text)
        self._on_view_complaint_changed(reference)

    @Slot(str)
    def _on_view_complaint_changed(self, reference: str) -> None:
        """Something saved here changed a complaint (the lists hear of it from the hub)."""
        self.complaint_changed.emit(reference)

    def open_complaint(self, reference: str) -> ComplaintWindow:
        """Show the whole complaint in its own window (brought forward when already open)."""
        from ceo_desk.ui.complaint_watch import ComplaintWatch
        from ceo_desk.ui.complaint_window import ComplaintWindow

        window = self._open_windows.get(reference)
        if window is None or not shiboken6.isValid(window):
            window = ComplaintWindow(self.db, reference)
            ComplaintWatch(window, self.db, self.hub)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.complaint_changed.connect(self._on_view_complaint_changed)
            window.destroyed.connect(lambda *_: self._open_windows.pop(reference, None))
            self._open_windows[reference] = window
        assert isinstance(window, ComplaintWindow)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def reference_in_view(self) -> str:
        """The complaint the person is looking at: that of the complaint window in front, or
        else the call chosen on Today."""
        active = QApplication.activeWindow()
        for reference, window in self._open_windows.items():
            if window is active:
                return reference
        return self.today.brief.reference or ""

    def print_call_brief(self, reference: str) -> None:
        """Write the one-page call brief as a PDF and open it, ready to print."""
        if not reference:
            self.show_message("Choose a callback on Today to print its brief.")
            return
        target = choose_pdf_path(self, reference)
        if target is None:
            return
        db = self.db

        def render() -> Path:
            # Imported on first use: reportlab adds a third of a second to every start-up.
            from ceo_desk.reports.brief import render_call_brief

            return render_call_brief(db, reference, target, force=True).path  # dialog asked

        def done(path: Path) -> None:
            self.show_message(f"Call brief for {reference} saved to {path}.")
            self.brief_written.emit(str(path))
            open_file(path)

        run_in_background(render, done, self.show_error, owner=self)

    # ------------------------------------------------------------ misc

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8_000)

    def show_error(self, exc: BaseException) -> None:
        show_error(self, exc)

    def edit_settings(self) -> bool:
        """Open Settings (People among its pages); True when the settings were saved."""
        from ceo_desk.ui.dialogs.settings_dialog import SettingsDialog

        saved = SettingsDialog.edit(self, self.db)
        self.refresh_counters()  # a grant on the People page changes what is offered
        return saved

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About",  # the desktop adds the app's name
            f"<b>{APP_TITLE}</b> {__version__}<br>Every complaint that reaches the CEO, "
            "resolved and confirmed with the customer.",
        )

    # Qt overrides

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.nav.set_compact(event.size().width() < COMPACT_SIDEBAR_BELOW)
        super().resizeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        qsettings_store.save_all()
        self._timer.stop()
        if self.is_attached:
            self.hub.stop()
            self.mail_sending.stop()
        if self.tray is not None:
            self.tray.hide()
        for window in list(self._open_windows.values()):
            if shiboken6.isValid(window):
                window.close()
        super().closeEvent(event)
