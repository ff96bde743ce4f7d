"""The bundled seed timeline: the Russia–Ukraine negotiations of July 2025, from one news report.

Every fact and quote comes from the report (The Epoch Times, 2025-07-20). The log is kept as a
tracker following the story would have kept it: a fact the report dates to a day was recorded at
18:00 UTC that day, and the rest when the report came out, 2025-07-20 18:00 UTC; the events are
in the order they were recorded. So ``known_at`` has something to show: on 2025-07-15 the
50-day ultimatum was known, the EU's sanctions of 2025-07-18 were not.

>>> from negotiations.seed import seed_timeline
>>> len(seed_timeline()) > 0
True
"""

from __future__ import annotations

from importlib.resources import files

from negotiations.log import EventLog, loads

__all__ = ["SEED_FILE", "seed_timeline"]

SEED_FILE = "russia_ukraine_2025_07.jsonl"
"""The name of the seed timeline's JSON Lines file inside this package."""


def seed_timeline() -> EventLog:
    """The seed timeline as a log: every fact of the report, each with its source and quote."""
    return loads(files(__package__).joinpath(SEED_FILE).read_text(encoding="utf-8"))
