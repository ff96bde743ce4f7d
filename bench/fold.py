"""Fold figures: our fold of every view against the hand-written loop, each projection's own fold,
and the cost of folding one more event into live views of 1,000 events and of the whole log.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import handloop
from _harness import Row, Timing, Value, timed
from negotiations import Event, project
from negotiations.projections import PROJECTIONS, LiveViews

APPLY_SAMPLE = 1000
"""Events folded, one at a time, into the same views to time one incremental update."""


def _apply_cost(events: list[Event], count: int, sample: list[Event]) -> float:
    """Microseconds to fold one event of ``sample`` into live views of the first ``count``
    events (the mean over the sample).
    """
    live = LiveViews()
    for event in events[:count]:
        live.apply(event)
    started = time.perf_counter()
    for event in sample:
        live.apply(event)
    return (time.perf_counter() - started) / len(sample) * 1e6


def rows(events: list[Event], *, repeats: int, limit: float) -> list[Row]:
    """Every fold figure of ``events``."""
    n = len(events)
    check = min(n, 5000)
    try:
        handloop.check(project(events[:check]), events[:check])
        agrees = f"hand loop = project() on the first {check:,} events"
    except AssertionError as error:
        agrees = f"CHECK FAILED: {error}"
    loop = timed(lambda: handloop.fold(events), repeats=repeats, limit=limit)
    ours = timed(lambda: project(events), repeats=repeats, limit=limit)
    out = [
        Row("fold: project(), every view, vs hand-written loop", "us/event", Value.per_event(ours, n),
            Value.per_event(loop, n), limit=1.25, note=agrees),
    ]  # fmt: skip
    for name, projection in PROJECTIONS.items():
        fold: Callable[[], object] = lambda p=projection: p.fold(events)  # noqa: E731
        timing: Timing = timed(fold, repeats=repeats, limit=limit)
        out.append(Row(f"fold: PROJECTIONS[{name!r}].fold", "us/event", Value.per_event(timing, n)))

    sample = events[-APPLY_SAMPLE:] if n > 2 * APPLY_SAMPLE else events[n // 2 :]
    large = n - len(sample)
    at_small = min(_apply_cost(events, min(1000, large), sample) for _ in range(repeats))
    at_large = min(_apply_cost(events, large, sample) for _ in range(repeats))
    note = f"live views of {large:,} events; best of {repeats} means over {len(sample):,} events"
    out.append(
        Row("LiveViews.apply, one event, at N vs at 1k events", "us/event", Value(at_large), Value(at_small),
            limit=1.2, note=note),
    )  # fmt: skip
    return out
