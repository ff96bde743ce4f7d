"""The HTML report of a long log: how long ``negotiations report`` takes to write it, how large
it is, and how long a real headless Chromium takes to open it and draw the timeline's first page.

The baseline of the writing is ``show --json`` of the same log (the fold and the views' JSON):
the report is that, and its markup. The file stays small because the timeline's rows are JSON
drawn a page at a time (:data:`~negotiations.render.report.PAGE_SIZE`), not markup for every
event; the other sections hold only what is current.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Final

from _harness import Row, Value, timed
from negotiations import Event, project
from negotiations.render import views_to_json
from negotiations.render.report import report_html

OPEN_TARGET: Final = 3.0
"""Seconds a report may take to open: "opens in a few seconds"."""


def rows(events: list[Event], *, repeats: int, limit: float) -> list[Row]:
    """Writing the report against ``show --json``, its size, and opening it in Chromium."""
    n = len(events)
    written = timed(lambda: report_html(events, title="bench"), repeats=repeats, limit=limit)
    shown = timed(lambda: json.dumps(views_to_json(project(events))), repeats=repeats, limit=limit)
    text = report_html(events, title="bench")
    size = len(text.encode()) / 1e6
    out = [
        Row(
            "report: write the HTML vs show --json",
            "s",
            Value(written.seconds, written.over),
            Value(shown.seconds, shown.over),
            note=f"{n:,} events; baseline: show --json of the same log",
        ),
        Row(
            "report: the file's size",
            "MB",
            Value(size),
            note="the timeline's rows as JSON, paged in the page",
        ),
    ]
    return [*out, _opened(text, n, repeats=repeats, limit=limit)]


def _opened(text: str, n: int, *, repeats: int, limit: float) -> Row:
    figure = "report: open in Chromium, to the timeline drawn"
    from chromium import ARGS, chromium_path  # noqa: PLC0415 - tests/chromium.py, on the path run.py sets

    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a dev dependency, used here only
    except ImportError:
        executable = None
    if executable is None:
        return Row(figure, "s", Value(None, why="no chromium or playwright"))
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        path = Path(tmp) / "report.html"
        path.write_text(text, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=executable, args=list(ARGS))
        seconds = []
        for _ in range(repeats):
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(path.as_uri(), timeout=limit * 1000)
            page.wait_for_selector("#timeline-list li", timeout=limit * 1000)
            seconds.append(time.perf_counter() - started)
            page.close()
        browser.close()
    seconds.sort()
    return Row(
        figure,
        "s",
        Value(seconds[len(seconds) // 2]),
        limit=OPEN_TARGET,
        on="value",
        note=f"{n:,} events, from navigation to the first page of rows drawn",
    )
