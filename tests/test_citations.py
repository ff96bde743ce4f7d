"""Citations: views keep event ids, and their sources are read back from the log when rendered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiations import CallHeld, EventLog, PartialDate, Party, Source, project, seed_timeline
from negotiations.errors import NegotiationsError
from negotiations.projections import Citations, LiveViews, Views, counted
from negotiations.render import views_to_json, views_to_text
from negotiations.testing import event_logs

SAMPLE = Path(__file__).parent / "samples" / "seed-show-0.14.json"
"""``negotiations show --json`` of the seed as written by 0.14, when the views held the sources."""


def _call(event_id: str, outlet: str) -> CallHeld:
    return CallHeld(
        id=event_id,
        occurred=PartialDate.parse("2025-07-03"),
        recorded=datetime(2025, 7, 3, 18, tzinfo=UTC),
        sources=(Source(outlet=outlet),),
        parties=(Party("USA"), Party("RUS")),
    )


def _source_json(source: Source) -> dict[str, Any]:
    published = None if source.published is None else source.published.isoformat()
    return {"outlet": source.outlet, "url": source.url, "quote": source.quote, "published": published}


def _ids_and_sources(value: Any) -> Iterator[tuple[str, Any]]:  # noqa: ANN401 - any JSON value
    """Each ``(event id, sources)`` pair of a JSON value: ``event_id`` and ``held_in`` keys."""
    if isinstance(value, list):
        for item in value:
            yield from _ids_and_sources(item)
    elif isinstance(value, dict):
        if isinstance(value.get("event_id"), str):
            yield value["event_id"], value.get("sources")
        if isinstance(value.get("held_in"), str):
            yield value["held_in"], value.get("held_in_sources")
        for item in value.values():
            yield from _ids_and_sources(item)


def _within(old: Any, new: Any, path: str = "") -> None:  # noqa: ANN401 - any JSON value
    """Assert that ``new`` holds everything ``old`` holds: keys may only be added."""
    if isinstance(old, dict):
        assert isinstance(new, dict), path
        for key, value in old.items():
            assert key in new, f"{path}.{key} is gone"
            _within(value, new[key], f"{path}.{key}")
    elif isinstance(old, list):
        assert isinstance(new, list), path
        assert len(old) == len(new), path
        for n, (a, b) in enumerate(zip(old, new, strict=True)):
            _within(a, b, f"{path}[{n}]")
    else:
        assert old == new, path


def test_show_json_of_the_seed_holds_all_it_held_when_views_kept_sources() -> None:
    """The seed's JSON holds every key and value that it held when the views kept the sources."""
    old = json.loads(SAMPLE.read_text(encoding="utf-8"))
    new = json.loads(json.dumps(views_to_json(project(seed_timeline()))))
    _within(old, new)


@given(log=event_logs(), as_of=st.none() | st.dates(date(2025, 1, 1), date(2026, 1, 1)))
def test_every_event_id_in_the_json_carries_that_events_sources(log: EventLog, as_of: date | None) -> None:
    """Every event id in the views' JSON is followed by the sources of that event as counted."""
    events = {e.id: e for e in counted(log, as_of=as_of)}
    out = views_to_json(project(log, as_of=as_of))
    for event_id, sources in _ids_and_sources(out):
        assert sources == [_source_json(s) for s in events[event_id].sources], event_id


def test_views_folded_without_their_log_cannot_show_sources() -> None:
    """Live views know no log: the JSON asks for citations, naming the field, until given them."""
    events = [_call("c1", "Reuters")]
    live = LiveViews()
    for event in events:
        live.apply(event)
    views = live.views()
    assert views.citations is None
    with pytest.raises(NegotiationsError, match="folded without their log") as raised:
        views_to_json(views, ("contacts",))
    assert raised.value.field == "citations"
    with pytest.raises(NegotiationsError, match="'c1'"):
        views.sources_of("c1")
    assert "CONTACTS" in views_to_text(views, ("contacts",))  # no source asked for, none needed
    out = views_to_json(views, ("contacts",), citations=Citations(events))
    assert out["contacts"][0]["sources"] == [_source_json(Source(outlet="Reuters"))]


def test_an_event_applied_to_views_is_cited_too() -> None:
    """Views.apply keeps the citations, and adds those of the event it folds in."""
    views = project(EventLog([_call("c1", "Reuters")])).apply(_call("c2", "TASS"))
    assert views.citations is not None
    assert [s.outlet for s in views.sources_of("c1")] == ["Reuters"]
    assert [s.outlet for s in views.sources_of("c2")] == ["TASS"]
    assert views.sources_of("nothing") == ()
    assert Views(as_of=None).apply(_call("c3", "AP")).citations is None


def test_views_applied_apart_cite_only_their_own_events() -> None:
    """Two views applied from the same views cite each its own event, and the earlier views
    neither, however the applies interleave.
    """
    start = project(EventLog([_call("c1", "Reuters")]))
    left = start.apply(_call("c2", "TASS"))
    right = start.apply(_call("c3", "AP"))
    further = left.apply(_call("c4", "AFP"))
    assert [s.outlet for s in left.sources_of("c2")] == ["TASS"]
    assert left.sources_of("c3") == ()
    assert [s.outlet for s in right.sources_of("c3")] == ["AP"]
    assert right.sources_of("c2") == ()
    assert start.sources_of("c2") == start.sources_of("c3") == ()
    assert [s.outlet for s in further.sources_of("c4")] == ["AFP"]
    assert [s.outlet for s in further.sources_of("c2")] == ["TASS"]
    assert left.sources_of("c4") == ()


def test_citations_read_an_iterable_only_when_asked_and_then_once() -> None:
    """A fold over an iterable that is not a log reads it again only on the first citation."""
    reads = 0

    class Events:
        def __iter__(self) -> Iterator[CallHeld]:
            nonlocal reads
            reads += 1
            yield _call("c1", "Reuters")

    views = project(Events())
    assert views.citations is not None
    folded = reads
    assert [s.outlet for s in views.sources_of("c1")] == ["Reuters"]
    assert views.sources_of("c1") == (Source(outlet="Reuters"),)
    assert reads == folded + 1
