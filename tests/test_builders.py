"""The builders behind every view: the batch fold and live views give exactly what the pure,
step-by-step fold gives, and a frozen view never changes afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from negotiations.domain.events import Event, EventRetracted
from negotiations.errors import RefoldRequiredError
from negotiations.log import EventLog
from negotiations.projections import PROJECTIONS, LiveViews, Views, counted, project
from negotiations.seed import seed_timeline
from negotiations.testing import days, event_logs

LOGS = event_logs(max_size=25)
"""Whole logs: facts, retractions, corrections and disputes."""
AS_OF = st.one_of(st.none(), days())


def _steps(log: EventLog, as_of: date | None) -> list[Event]:
    """The events a fold of ``log`` as of ``as_of`` counts, amendments applied, in log order."""
    return list(counted(log, as_of=as_of))


# Each property of every view checks all of them on one drawn log: drawing logs is the slow
# part, and a log serves every view as well as it serves one.


@given(log=LOGS, as_of=AS_OF)
def test_fold_equals_the_pure_step_one_event_at_a_time(log: EventLog, as_of: date | None) -> None:
    """Each projection's batch fold equals applying its pure step to each counted event in turn."""
    steps = _steps(log, as_of)
    for name, projection in PROJECTIONS.items():
        view = projection.empty
        for event in steps:
            view = projection.apply(view, event)
        assert projection.fold(log, as_of=as_of) == view, name


@given(log=LOGS, as_of=days())
def test_project_equals_views_apply_one_event_at_a_time(log: EventLog, as_of: date) -> None:
    """project() equals Views.apply over the counted events, one at a time, from empty views."""
    views = Views(as_of=as_of)
    for event in _steps(log, None):
        views = views.apply(event)
    assert project(log, as_of=as_of) == views


@given(log=LOGS, as_of=AS_OF, data=st.data())
def test_live_views_read_anywhere_equal_project_of_the_prefix(
    log: EventLog, as_of: date | None, data: st.DataObject
) -> None:
    """Live views read after any event equal project() of the events so far, and a view read
    earlier is left exactly as it was by the events after it.
    """
    events = _steps(log, None)
    reads = data.draw(st.sets(st.integers(0, len(events))), label="reads")
    live = LiveViews(as_of=as_of)
    seen: list[tuple[int, Views, str]] = []
    for k, event in enumerate([*events, None]):
        if k in reads:
            views = live.views()
            seen.append((k, views, repr(views)))
        if event is not None:
            live.apply(event)
    for k, views, shown in seen:
        assert repr(views) == shown
        expected = project(events[:k], as_of=as_of)
        assert views == evolve(expected, as_of=as_of)


@given(log=LOGS, as_of=AS_OF)
def test_builder_started_from_a_view_freezes_to_that_view(log: EventLog, as_of: date | None) -> None:
    """A builder started from any view, with no events, freezes to an equal view, twice over."""
    for name, projection in PROJECTIONS.items():
        view = projection.fold(log, as_of=as_of)
        builder = projection.builder(view)
        assert builder.freeze() == view, name
        assert builder.freeze() == view, name


@given(log=LOGS, data=st.data())
def test_live_views_go_on_from_views_folded_earlier(log: EventLog, data: st.DataObject) -> None:
    """Live views started from project() of the first k events, then given the rest, equal
    project() of them all, as of the same day.
    """
    events = _steps(log, None)
    as_of = data.draw(days(), label="as_of")
    k = data.draw(st.integers(0, len(events)), label="k")
    live = LiveViews(project(events[:k], as_of=as_of))
    for event in events[k:]:
        live.apply(event)
    assert live.views() == project(events, as_of=as_of)


def test_live_views_refuse_an_amendment() -> None:
    """A retraction cannot be folded into live views, which are left as they were: the log
    must be folded again.
    """
    target = next(iter(seed_timeline()))
    retraction = EventRetracted(
        id="retract-1",
        occurred=target.occurred,
        recorded=target.recorded,
        target=target.id,
        reason="misreported",
    )
    live = LiveViews()
    live.apply(target)
    before = live.views()
    with pytest.raises(RefoldRequiredError, match="retract-1"):
        live.apply(retraction)
    assert live.views() is before


def test_live_views_keep_the_seed_facts() -> None:
    """Live views fed the seed timeline give the 50-day ultimatum due on 2025-09-02."""
    live = LiveViews()
    for event in seed_timeline():
        live.apply(event)
    views = live.views()
    assert views.deadlines.by_id["us-ceasefire-ultimatum"].due == date(2025, 9, 2)
    assert views == evolve(project(seed_timeline()), as_of=None)


class _Rereadable:
    """A log read afresh each time it is iterated, as a store's events would be."""

    def __init__(self, events: list[Event]) -> None:
        self.events = events
        self.reads = 0

    def __iter__(self) -> Iterator[Event]:
        self.reads += 1
        return iter(self.events)


@given(log=LOGS, as_of=days())
def test_a_rereadable_log_is_streamed_twice_not_held(log: EventLog, as_of: date) -> None:
    """project() reads a re-readable log twice (for its amendments, then to fold) rather than
    holding it in memory, and gives what it gives for the log itself.
    """
    source = _Rereadable(list(log))
    expected = project(log, as_of=as_of)
    assert project(source, as_of=as_of) == expected
    assert source.reads == 2  # once for the amendments, once to fold
    assert project(iter(list(log)), as_of=as_of) == expected
