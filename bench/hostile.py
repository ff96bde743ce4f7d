"""Hostile input: the text tables of ``show`` for a log whose one summary is an unbroken word,
against the same with a word a tenth as long.

Text wrapping that is linear keeps the ratio near 10; textwrap's breaking of long words, which
copies the rest of the word for every line, made it near 100 (10 MB took 12 s). This row is a
gate: if it fails, the run fails, so CI's quick run catches a wrapper that turns quadratic again.
"""

from __future__ import annotations

import json

from _harness import Row, Value, timed
from negotiations import loads, project
from negotiations.render import views_to_text

GATE_RATIO = 25.0
"""The most the ten-times-longer word may cost, as a multiple: linear is 10, quadratic 100."""


def _log(megabytes: float) -> str:
    event = {"type": "StatementMade", "id": "s", "occurred": "2025-07-14", "party": "USA",
             "recorded": "2025-07-14T18:00:00+00:00", "summary": "w" * int(megabytes * 1e6)}  # fmt: skip
    return json.dumps(event)


def rows(megabytes: float, *, repeats: int, limit: float) -> list[Row]:
    """The gate row: ``show``'s text of a ``megabytes`` MB word against one a tenth as long."""
    timings = []
    for size in (megabytes, megabytes / 10):
        views = project(loads(_log(size)))
        timings.append(
            timed(lambda views=views: views_to_text(views, ("timeline",)), repeats=repeats, limit=limit)
        )
    ours, baseline = timings
    return [
        Row(
            "hostile: show's text, one unbroken word, 10x longer",
            "s",
            Value(ours.seconds, ours.over),
            Value(baseline.seconds, baseline.over),
            limit=GATE_RATIO,
            gate=True,
            note=f"{megabytes:g} MB vs {megabytes / 10:g} MB; a gate: failing it fails the run",
        )
    ]
