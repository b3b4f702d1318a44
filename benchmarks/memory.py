"""How much memory the app holds with a 100,000-complaint log open, against a bare window.

The app is started through the real entry point with CEO_DESK_EXIT_AFTER_FIRST_SCREEN set: it
quits once its first screen (the opening page's rows and the counts) is painted, and the peak
resident size of the whole process is read from the operating system. The floor is a process
showing a bare QMainWindow, painted once. Both roles (their opening pages differ), pair by pair.
A second floor, in the same run: that window with SQLAlchemy's ORM imported first, the least any
process that reads the log through the ORM holds.

Usage: uv run python benchmarks/memory.py [--complaints 100000] [--pairs 5] [--log DEMO.sqlite3]
Last line: app_mib=… bare_window_mib=… ratio=… orm_window_mib=… orm_window_ratio=…  (the larger
of the two roles; the second floor's peak and its ratio to the bare window)
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

import measure
from startup import BARE_WINDOW, ORM_WINDOW, acting_as

from ceo_desk.ui.app import FIRST_SCREEN_ENV, FIRST_SCREEN_LINE


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=measure.PAIRS)
    parser.add_argument("--log", type=Path, help="a demo log built before, instead of a new one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ceo-desk-bench-") as tmp:
        folder = Path(tmp)
        log = measure.demo_log(folder, args.complaints, reuse=args.log)
        env = measure.environment(folder, **{FIRST_SCREEN_ENV: "1"})
        worst: tuple[float, float, float] | None = None

        def window(script: str) -> float:
            command = [measure.PYTHON, "-c", script]
            return measure.run(command, env, until=FIRST_SCREEN_LINE).peak_rss_mib

        for role in ("ceo", "assistant"):
            acting_as([log], role, env)

            def app() -> float:
                command = [measure.ENTRY_POINT, "--db", str(log)]
                return measure.run(command, env, until=FIRST_SCREEN_LINE).peak_rss_mib

            pairs = measure.interleave(app, lambda: window(BARE_WINDOW), args.pairs)
            print(
                f"{role}: median {pairs.product_median:.0f} MiB against "
                f"{pairs.floor_median:.0f} MiB; ratio {pairs.ratio:.2f} "
                f"(pairs {min(pairs.ratios):.2f}-{max(pairs.ratios):.2f}; app "
                f"{min(pairs.product):.0f}-{max(pairs.product):.0f} MiB, "
                f"stdev {statistics.pstdev(pairs.product):.1f})",
                flush=True,
            )
            if worst is None or pairs.ratio > worst[2]:
                worst = (pairs.product_median, pairs.floor_median, pairs.ratio)
        orm = measure.interleave(
            lambda: window(ORM_WINDOW), lambda: window(BARE_WINDOW), args.pairs
        )
        print(
            f"bare window with the ORM imported: median {orm.product_median:.0f} MiB against "
            f"{orm.floor_median:.0f} MiB; ratio {orm.ratio:.2f}",
            flush=True,
        )
        assert worst is not None
        print(
            f"app_mib={worst[0]:.0f} bare_window_mib={worst[1]:.0f} ratio={worst[2]:.2f} "
            f"orm_window_mib={orm.product_median:.0f} orm_window_ratio={orm.ratio:.2f}"
        )


if __name__ == "__main__":
    main()
