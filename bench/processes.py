"""Figures measured in fresh processes: ``import negotiations``, ``negotiations show`` on the
bundled timeline, and the peak memory (``VmHWM``) of what a service or a user runs on a whole log:
folding a SQLite store streamed page by page, ``negotiations show LOG`` and ``negotiations
validate LOG`` of a JSON Lines file, and a :class:`ProjectionRunner`'s first ``catch_up``.

Run as a script, this module is the child that measures one of them, and prints one JSON object:
its peak RSS in MB (``VmHWM``), the events it went through when it counts them, and whether it
finished within ``SECONDS``:

    python bench/processes.py fold URL SECONDS      # project(..., as_of=date.max) of the store
    python bench/processes.py runner URL SECONDS    # ProjectionRunner(store).catch_up()
    python bench/processes.py show LOG SECONDS      # negotiations show LOG, output to /dev/null
    python bench/processes.py validate LOG SECONDS  # negotiations validate LOG, the same

The fold hands ``project`` the store's events as an iterable that reads the store afresh each time
it is iterated: a one-shot iterator would have to be held whole, since a retraction late in a log
changes how earlier events count; this one is read twice (once for its retractions and
corrections, once to fold) and never held. Every child inherits the bench's environment, so
``NEGOTIATIONS_NO_FAST=1`` reaches it as it reaches a user's process.
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


def _child_row(figure: str, what: list[str], limit: float, *, bound: float, note: str) -> Row:
    """The peak RSS of a fresh child running ``processes.py WHAT... SECONDS``; ``note`` may name
    ``{events}``, the events the child went through.
    """
    try:
        out = json.loads(_python(__file__, *what, str(limit), timeout=limit + 120))
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        detail = getattr(error, "stderr", None) or str(error)
        why = f"the child failed: {detail.strip()[-300:]}"
        return Row(figure, "MB", Value(None, why=why), limit=bound, on="value")
    note = "VmHWM; " + note.format(events=out.get("events", 0))
    if not out["finished"]:
        note += f", stopped after {limit:g}s"
    elif out.get("status"):
        note += f", exit status {out['status']}"
    rss = Value(out["rss_mb"], over=not out["finished"])
    return Row(figure, "MB", rss, limit=bound, on="value", note=note)


def rss_row(url: str, events: int, limit: float) -> Row:
    """The peak RSS of a fresh process that folds the whole store at ``url``, streamed."""
    return _child_row("memory: peak RSS folding the SQLite store, streamed", ["fold", url], limit,
                      bound=200, note=f"folded {{events:,}} of {events:,} events")  # fmt: skip


def runner_row(url: str, events: int, limit: float) -> Row:
    """The peak RSS of a fresh process whose :class:`ProjectionRunner` catches up on the store at
    ``url``: a copy with no snapshots, so its first start, saving every 10,000 events as it goes.
    """
    return _child_row("memory: peak RSS of a runner's live views, first catch_up", ["runner", url], limit,
                      bound=300, note=f"caught up on {{events:,}} of {events:,} events")  # fmt: skip


def cli_row(command: str, log: Path, events: int, limit: float) -> Row:
    """The peak RSS of ``negotiations COMMAND LOG`` in a fresh process; ``LOG`` holds ``events``."""
    size = log.stat().st_size / 2**20
    return _child_row(f"memory: peak RSS of negotiations {command} LOG (JSON Lines)", [command, str(log)],
                      limit, bound=300, note=f"{events:,} events, a {size:,.0f} MB file")  # fmt: skip


def _fold(url: str, limit: float) -> dict[str, object]:
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
    return {"events": folded, "finished": finished}


def _runner(url: str, limit: float) -> dict[str, object]:
    from negotiations.services import ProjectionRunner  # noqa: PLC0415 - the child's own work
    from negotiations.stores import open_store  # noqa: PLC0415 - the same

    finished, checkpoint = True, 0
    with open_store(url) as store:
        try:
            with budget(limit):
                runner = ProjectionRunner(store)
                checkpoint = runner.catch_up()
        except OverBudgetError:
            finished = False
    return {"events": checkpoint, "finished": finished}


def _cli(command: str, log: str, limit: float) -> dict[str, object]:
    from negotiations.cli import main  # noqa: PLC0415 - the child's own work

    finished, status = True, 0
    # The views' text goes nowhere: the figure is the memory of reading and folding, not of a
    # terminal; the child's own result goes to the real standard output once the command is done.
    with Path(os.devnull).open("w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        try:
            with budget(limit):
                status = main([command, log])
        except OverBudgetError:
            finished = False
    return {"finished": finished, "status": status}


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


CHILDREN: Final = {"fold": _fold, "runner": _runner}
"""The children that work on a store, by the name the bench runs them with."""

if __name__ == "__main__":
    kind, target, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    result = _cli(kind, target, seconds) if kind in ("show", "validate") else CHILDREN[kind](target, seconds)
    print(json.dumps({"rss_mb": _peak_rss_mb(), **result}))
