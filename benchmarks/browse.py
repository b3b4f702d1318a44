"""All complaints on a large log, as a person waits: Ctrl+End, a click on each header, each filter.

Builds a demo log (default 100,000 complaints) once with `ceo-desk demo`, then runs pairs of fresh
offscreen processes, interleaved:

* the product: the real All complaints view and its model at 1366x768 over the log, driven by
  real key presses and clicks (QTest): Ctrl+End from the first row (until the last row's
  columns are painted), a click on every sortable column header, twice (both directions), and every
  filter (each status, "open", each severity, a category, a department, a delegate, overdue,
  received from, received until), each until the first rows of the answer are painted;
  and the Today list's query (`queries.callbacks_due`) in the same process;
* its floor: Ctrl+End in a plain table over 100,000 rows held in memory, the first page read
  straight from the database in the received index's order (the query a list cannot beat), and
  the Today list's rows read directly with one SQL statement.

Each action starts from a quiet list (the last answer read and painted, as a person's next click
finds it) and its wait ends when the view's own paint of the new rows has ended, so the time
includes the worker thread, the model and the paint, once. The process keeps Python's cycle
collector as the app does (paused while it starts, what start-up loaded frozen once the first
screen is in), so a collection that the app would not make does not land on one action.
The last line is machine-readable:
    last_row_ms=… sort_max_ms=… filter_max_ms=… last_row_floor_ms=… page_floor_ms=…
    today_ms=… today_floor_ms=… last_row_ratio_min=… last_row_ratio_max=…

Usage: uv run python benchmarks/browse.py [--complaints 100000] [--pairs 5] [--log DEMO.sqlite3]
"""

from __future__ import annotations

import argparse
import sys

from big_log import QT_PRELUDE, demo_log, median, run_probe

PRODUCT = (
    QT_PRELUDE
    + r"""
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from ceo_desk.core.database import open_database
from ceo_desk.ui.models.complaints_table import COLUMNS
from ceo_desk.ui.views.all_complaints import AllComplaintsView

db = open_database(sys.argv[1])
view = AllComplaintsView(db)
view.resize(1366, 768)
view.show()
model, table = view.model, view.table
paints = Paints(table.viewport())
# For each query's first rows: the number the view's next paint will have, the one showing them.
shown = []
model.first_rows_shown.connect(lambda _n: shown.append(paints.started))
# For each page of columns read: whether it held the last row, and the next paint's number.
pages = []
model.page_loaded.connect(lambda _n: pages.append((model.is_read(last), paints.started)))
last = -1


def settled():
    return model.complete and not model.busy


def until_first_rows(action):
    # From a quiet list (the last answer read and painted, as before a person's next click)
    # until the view's own paint of the new first rows has ended.
    wait(settled)
    paints.quiet_for(0.05)
    before = len(shown)
    start = time.perf_counter()
    action()
    wait(lambda: len(shown) > before)
    ms = (paints.end_of(shown[before]) - start) * 1000
    wait(settled)
    return ms


wait(settled)
collector.settle()  # as the app does once its first screen is painted
paints.quiet_for(0.05)
last = model.rowCount() - 1
assert last > 0
table.setFocus()
table.setCurrentIndex(model.index(0, 0))
wait(lambda: model.is_read(0))
start = time.perf_counter()
QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
wait(lambda: model.is_read(last))
last_row = (paints.end_of(next(n for holds, n in pages if holds)) - start) * 1000
assert table.currentIndex().row() == last, "one press lands on the last row"
QTest.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
wait(settled)

header = table.horizontalHeader()
sorts = {}
# Every column the list can be sorted by (a click on another leaves the list as it is).
for column in (c for c in range(len(COLUMNS)) if COLUMNS[c].sort_key is not None):
    point = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    for direction in ("first click", "second click"):
        sorts[f"{COLUMNS[column].title}, {direction}"] = until_first_rows(
            lambda: QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
        )
# Back to the default order before the filters.
received = next(i for i, c in enumerate(COLUMNS) if c.title == "Received")
until_first_rows(lambda: table.sortByColumn(received, Qt.SortOrder.DescendingOrder))

filters = {}
for label, combo, choices in (
    ("status", view.status_combo, range(1, view.status_combo.count())),
    ("severity", view.severity_combo, range(1, view.severity_combo.count())),
    ("category", view.category_combo, [1]),
    ("caused by", view.unit_combo, [1]),
    ("delegate", view.staff_combo, [1]),
):
    for choice in choices:
        if choice < combo.count():
            # Named with its filter: a category and a department may share a name.
            name = f"{label}: {combo.itemText(choice)}"
            filters[name] = until_first_rows(lambda: combo.setCurrentIndex(choice))
            until_first_rows(lambda: combo.setCurrentIndex(0))
for check in (view.overdue_check, view.from_check, view.to_check):
    filters[check.text().replace("&", "")] = until_first_rows(lambda: check.setChecked(True))
    until_first_rows(lambda: check.setChecked(False))

from ceo_desk.core import queries

today = []
for _ in range(7):
    with db.reading() as uow:
        start = time.perf_counter()
        queries.callbacks_due(uow)
        today.append((time.perf_counter() - start) * 1000)
print(json.dumps({"last_row": [last_row], "sorts": sorts, "filters": filters, "today": today}))
"""
)

FLOOR = (
    QT_PRELUDE
    + r"""
import sqlite3
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView

count = int(sys.argv[2])
rows = [(f"C-{n:06d}", f"Customer {n}", f"Summary of complaint {n}") for n in range(count)]


class Memory(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 3

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return rows[index.row()][index.column()]
        return None


table = QTableView()
model = Memory()
table.setModel(model)
table.resize(1366, 768)
table.show()
wait(lambda: table.isVisible())
table.viewport().repaint()
table.setFocus()
table.setCurrentIndex(model.index(0, 0))
start = time.perf_counter()
QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
table.viewport().repaint()
last_row = (time.perf_counter() - start) * 1000

conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
page = []
for _ in range(5):
    start = time.perf_counter()
    conn.execute(
        "SELECT complaint.id, reference, status, received_at, customer.name, summary, severity "
        "FROM complaint JOIN customer ON customer.id = complaint.customer_id "
        "ORDER BY received_at DESC, complaint.id DESC LIMIT 200"
    ).fetchall()
    page.append((time.perf_counter() - start) * 1000)

# The Today list's rows (callbacks due today or earlier) read directly, as the floor of its query.
day = time.strftime("%Y-%m-%d")
today = []
for _ in range(7):
    start = time.perf_counter()
    conn.execute(
        "SELECT complaint.id, reference, customer.name, customer.phone, summary, severity, "
        "callback_due_on, unanswered_attempts, staff.name, report.flagged_terms, "
        "complaint.version FROM complaint JOIN customer ON customer.id = complaint.customer_id "
        "LEFT JOIN staff ON staff.id = complaint.current_delegate_id "
        "LEFT JOIN report ON report.id = complaint.latest_report_id "
        "WHERE status = 'awaiting_callback' AND callback_due_on <= ? "
        "ORDER BY callback_due_on, received_at, complaint.id",
        (day,),
    ).fetchall()
    today.append((time.perf_counter() - start) * 1000)
print(json.dumps({"last_row": [last_row], "page": [min(page)], "today": today}))
"""
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--log", help="a demo log built before with `ceo-desk demo`, reused")
    parser.add_argument("--verbose", action="store_true", help="every sort and filter's time")
    args = parser.parse_args()
    with demo_log(args.complaints, reuse=args.log) as (log, env):
        run_probe(PRODUCT, [log], env)  # warm-up: bytecode cache, the log in the page cache
        product: dict[str, list[float]] = {
            "last_row": [],
            "sort_max": [],
            "filter_max": [],
            "today": [],
        }
        floor: dict[str, list[float]] = {"last_row": [], "page": [], "today": []}
        ratios = []
        for pair in range(args.pairs):
            got = run_probe(PRODUCT, [log], env)
            base = run_probe(FLOOR, [log, str(args.complaints)], env)
            product["last_row"] += got["last_row"]
            sorts, filters = dict(got["sorts"]), dict(got["filters"])
            slowest_sort = max(sorts, key=sorts.__getitem__)
            slowest_filter = max(filters, key=filters.__getitem__)
            product["sort_max"].append(sorts[slowest_sort])
            product["filter_max"].append(filters[slowest_filter])
            if args.verbose:
                for name, ms in [*sorts.items(), *filters.items()]:
                    print(f"  {name}: {ms:.0f} ms", file=sys.stderr)
            floor["last_row"] += base["last_row"]
            floor["page"] += base["page"]
            product["today"].append(median(got["today"]))
            floor["today"].append(median(base["today"]))
            ratios.append(got["last_row"][0] / max(base["last_row"][0], 0.01))
            print(
                f"pair {pair + 1}: Ctrl+End {got['last_row'][0]:.0f} ms "
                f"(in-memory table {base['last_row'][0]:.1f} ms), slowest sort "
                f"{sorts[slowest_sort]:.0f} ms ({slowest_sort}), slowest filter "
                f"{filters[slowest_filter]:.0f} ms ({slowest_filter}) "
                f"(first page straight from the index {base['page'][0]:.1f} ms), Today query "
                f"{median(got['today']):.1f} ms (read directly {median(base['today']):.1f} ms)",
                file=sys.stderr,
            )
    print(
        f"last_row_ms={median(product['last_row']):.0f} "
        f"sort_max_ms={median(product['sort_max']):.0f} "
        f"filter_max_ms={median(product['filter_max']):.0f} "
        f"last_row_floor_ms={median(floor['last_row']):.1f} "
        f"page_floor_ms={median(floor['page']):.1f} "
        f"today_ms={median(product['today']):.1f} today_floor_ms={median(floor['today']):.1f} "
        f"last_row_ratio_min={min(ratios):.0f} last_row_ratio_max={max(ratios):.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
