"""Fold figures: our fold of every view against the hand-written loop, each projection's own fold,
and the cost of folding one more event into views of 1,000 events and of the whole log.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import handloop
from _harness import OverBudgetError, Row, Timing, Value, budget, timed
from negotiations import PROJECTIONS, Event, Views, project

APPLY_SAMPLE = 1000
"""Events folded, one at a time, into the same views to time one incremental update."""


def _apply_cost(views: Views, sample: list[Event]) -> float:
    """Microseconds to fold one event of ``sample`` into ``views`` (the mean over the sample)."""
    started = time.perf_counter()
    for event in sample:
        views.apply(event)
    return (time.perf_counter() - started) / len(sample) * 1e6


def _views_at(events: list[Event], count: int, limit: float) -> tuple[Views, int]:
    """The views of the first ``count`` events, folded with :meth:`Views.apply` (as ``project``
    does), or of as many as ``limit`` seconds allow; and how many that is.
    """
    views, done = Views(as_of=None), 0
    try:
        with budget(limit):
            for event in events[:count]:
                views = views.apply(event)
                done += 1
    except OverBudgetError:
        pass
    return views, done


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
            Value.per_event(loop, n), limit=2.0, note=agrees),
    ]  # fmt: skip
    for name, projection in PROJECTIONS.items():
        fold: Callable[[], object] = lambda p=projection: p.fold(events)  # noqa: E731
        timing: Timing = timed(fold, repeats=repeats, limit=limit)
        out.append(Row(f"fold: PROJECTIONS[{name!r}].fold", "us/event", Value.per_event(timing, n)))

    sample = events[-APPLY_SAMPLE:] if n > 2 * APPLY_SAMPLE else events[n // 2 :]
    small, _ = _views_at(events, 1000, limit)
    large, reached = _views_at(events, n - len(sample), limit)
    at_small = min(_apply_cost(small, sample) for _ in range(repeats))
    at_large = min(_apply_cost(large, sample) for _ in range(repeats))
    note = f"views of {reached:,} events" + (
        "" if reached == n - len(sample) else f" (all {limit:g}s allowed)"
    )
    out.append(
        Row("Views.apply, one event, at N vs at 1k events", "us/event", Value(at_large), Value(at_small),
            limit=1.5, note=note + f"; best of {repeats} means over {len(sample):,} events"),
    )  # fmt: skip
    return out
