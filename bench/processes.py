"""Figures measured in fresh processes: ``import negotiations``, ``negotiations show`` on the
bundled timeline, and the peak RSS of folding a whole SQLite store, streamed page by page.

Run as a script, this module is the child that folds: ``python bench/processes.py URL SECONDS``
folds every event of the store at ``URL`` with ``project(..., as_of=date.max)`` and prints one
JSON object: its peak RSS in MB (``VmHWM``), events folded, and whether it finished within ``SECONDS``. It
hands ``project`` the store's events as an iterable that reads the store afresh each time it is
iterated: a one-shot iterator would have to be held whole, since a retraction late in a log
changes how earlier events count; this one is read twice (once for its retractions and
corrections, once to fold) and never held.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Final

from _harness import OverBudgetError, Row, Value, budget

IMPORT = "import time; t = time.perf_counter(); import negotiations; print(time.perf_counter() - t)"


_CHILD_ENV: Final = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The children's environment: as a user's, Python caches compiled modules. Some sandboxes set
PYTHONDONTWRITEBYTECODE, which would make every child compile every module from source."""


def _python(*args: str, timeout: float) -> str:
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=timeout, check=True, env=_CHILD_ENV
    )
    return done.stdout


def import_row(runs: int) -> Row:
    """``import negotiations`` in a fresh interpreter, timed inside it; median of several, after
    one run that compiles and caches the modules, as the first import after an install does.
    """
    _python("-c", IMPORT, timeout=60)
    seconds = [float(_python("-c", IMPORT, timeout=60)) for _ in range(runs)]
    return Row("start-up: import negotiations (fresh process)", "ms", Value(statistics.median(seconds) * 1e3),
               limit=150, on="value", note=f"median of {runs}, modules compiled and cached")  # fmt: skip


def show_row(runs: int) -> Row:
    """``negotiations show`` of the bundled timeline, the installed console script, wall time."""
    script = shutil.which("negotiations", path=str(Path(sys.executable).parent))
    if script is None:
        return Row("start-up: negotiations show (seed)", "s", Value(None, why="console script not installed"))
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([script, "show"], capture_output=True, timeout=60, check=True, env=_CHILD_ENV)
        seconds.append(time.perf_counter() - started)
    return Row("start-up: negotiations show (seed), wall time", "s", Value(statistics.median(seconds)),
               limit=0.5, on="value", note=f"median of {runs}")  # fmt: skip


def rss_row(url: str, events: int, limit: float) -> Row:
    """The peak RSS of a fresh process that folds the whole store at ``url``."""
    out = json.loads(_python(__file__, url, str(limit), timeout=limit + 120))
    note = f"VmHWM; folded {out['folded']:,} of {events:,} events"
    if not out["finished"]:
        note += f", stopped after {limit:g}s"
    rss = Value(out["rss_mb"], over=not out["finished"])
    return Row(
        "memory: peak RSS folding the SQLite store, streamed", "MB", rss, limit=200, on="value", note=note
    )


def _child(url: str, limit: float) -> None:
    from negotiations import Event, project  # noqa: PLC0415 - the child's own work
    from negotiations.stores import open_store  # noqa: PLC0415 - the same

    folded = 0

    class Events:
        """The store's events, read afresh from the store each time they are iterated."""

        def __iter__(self) -> Iterator[Event]:
            nonlocal folded
            folded = 0
            for record in store.read_all():
                folded += 1
                yield record.event

    store = open_store(url)
    finished = True
    try:
        with budget(limit):
            project(Events(), as_of=date.max)
    except OverBudgetError:
        finished = False
    print(json.dumps({"rss_mb": _peak_rss_mb(), "folded": folded, "finished": finished}))


def _peak_rss_mb() -> float:
    """The peak RSS of the process itself: ``VmHWM`` of ``/proc/self/status`` where there is one.

    Not ``ru_maxrss`` alone: on Linux it keeps, across ``exec``, the peak of the memory the
    process had before it, which for a child that ``subprocess`` forked (or vforked) from the
    bench is the bench's own peak, hundreds of MB of generated events.
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB; macOS: bytes


if __name__ == "__main__":
    _child(sys.argv[1], float(sys.argv[2]))
