"""The projector type: a named, pure step function ``(view, event) -> view`` and its fold.

A projection dispatches on the event's exact class through a dict, the cheapest dispatch Python
offers; an event of a kind it does not handle leaves the view as it is. Folding never mutates a
view: each step returns a new one, so earlier views stay valid, and folding a log in two parts
gives what folding it whole gives.

Which events a fold counts, and as what, is :func:`counted`'s business: it cuts the log by
valid time (``as_of``) and record time (``known_at``), and applies retractions and corrections,
so that the step functions only ever see facts as they stand.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final, Generic, TypeVar

from attrs import frozen

from negotiations.domain.amendments import Amendments
from negotiations.domain.events import AMENDMENT_TYPES, Event, OpaqueEvent, ReportDisputed
from negotiations.domain.values import PartialDate, Source

__all__ = ["Evidence", "Projection", "counted", "counts_as_of", "default_as_of", "is_known"]

V = TypeVar("V")
T = TypeVar("T")
K = TypeVar("K")


def counts_as_of(event: Event, as_of: date | None) -> bool:
    """Whether ``event`` counts in a view as of ``as_of``: it may have occurred on or before it.

    A partial date counts from its earliest day: an event of ``2025-06`` counts as of
    2025-06-01 and later. ``None`` means no cut-off.
    """
    return as_of is None or event.occurred.earliest <= as_of


def is_known(event: Event, known_at: datetime | None) -> bool:
    """Whether ``event`` was known at ``known_at``: recorded at or before it. ``None`` means
    everything recorded so far.
    """
    return known_at is None or event.recorded <= known_at


_PASSED_OVER: Final = frozenset((*AMENDMENT_TYPES, OpaqueEvent))
"""Kinds no view sees: amendments act through :func:`counted`, and opaque events are unknown."""


def amendments_of(events: Iterable[Event], known_at: datetime | None = None) -> Amendments:
    """The retractions and corrections among ``events`` that were known at ``known_at``.

    ``events`` is read once; an :class:`~negotiations.log.EventLog` hands over its index of
    amendments instead of being read.
    """
    own = getattr(events, "amendments", None)
    found = own() if callable(own) else (e for e in events if type(e) in AMENDMENT_TYPES)
    return Amendments(e for e in found if is_known(e, known_at))


def counted(
    events: Iterable[Event],
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
    amendments: Amendments | None = None,
) -> Iterator[Event]:
    """The events of a log as a fold counts them, in log order.

    - only events known at ``known_at`` (recorded at or before it);
    - retracted events left out, and corrected events replaced by their corrected content,
      counting only the retractions and corrections known at ``known_at``;
    - then only events that may have occurred on or before ``as_of`` (see :func:`counts_as_of`);
    - disputes (:class:`~negotiations.domain.events.ReportDisputed`) are about the record, not
      the world, so ``as_of`` does not cut them;
    - retractions, corrections and events of unknown kinds are never counted themselves.

    ``amendments`` are those of the whole log; without them ``events`` is read twice (once to
    find them), so pass a collection or a log, not a one-shot iterator.
    """
    if amendments is None:
        if not isinstance(events, Collection) and not hasattr(events, "amendments"):
            events = tuple(events)
        amendments = amendments_of(events, known_at)
    passed_over = _PASSED_OVER
    current = amendments.current if amendments else None
    for event in events:
        if type(event) in passed_over or (known_at is not None and event.recorded > known_at):
            continue
        if current is not None:
            now = current(event)
            if now is None:
                continue
            event = now  # noqa: PLW2901 - the event as corrected is the one that counts
        if as_of is None or type(event) is ReportDisputed or event.occurred.earliest <= as_of:
            yield event


def default_as_of(events: Iterable[Event]) -> date | None:
    """The day views are computed as of when none is given: the latest earliest day of any
    event's ``occurred``, or ``None`` for no events.
    """
    return max((event.occurred.earliest for event in events), default=None)


@frozen
class Evidence:
    """One event behind an item of a view: its id and the sources it cites."""

    event_id: str
    sources: tuple[Source, ...] = ()


@frozen
class Projection(Generic[V]):
    """A view's pure projector: its ``name``, its ``empty`` view, and one handler per event
    class that returns the next view without changing the one it is given.

    ``version`` names the projector's logic: bump it when a handler changes what it computes, so
    that views saved by the older logic are rebuilt rather than trusted.
    """

    name: str
    empty: V
    handlers: Mapping[type[Event], Callable[[V, Any], V]]
    version: str = "1"

    def apply(self, view: V, event: Event) -> V:
        """The view after ``event``: ``view`` itself when this projection ignores the event."""
        handler = self.handlers.get(type(event))
        return view if handler is None else handler(view, event)

    def fold(
        self,
        events: Iterable[Event],
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
        start: V | None = None,
    ) -> V:
        """Fold ``events`` in order into ``start`` (the empty view by default), counting them as
        :func:`counted` does: as known at ``known_at``, as of ``as_of``.

        Retractions and corrections apply to the events of ``events``: to fold on from a view
        made of earlier events, make sure none of those were amended since, or fold again.
        """
        view = self.empty if start is None else start
        handlers = self.handlers
        for event in counted(events, as_of=as_of, known_at=known_at):
            handler = handlers.get(type(event))
            if handler is not None:
                view = handler(view, event)
        return view


# -- helpers for handlers: copy-on-write updates of immutable collections ------------------------


def chrono_insert(items: tuple[T, ...], item: T, when: Callable[[T], PartialDate]) -> tuple[T, ...]:
    """``items`` (kept in chronological order) with ``item`` inserted after every item that is
    not later than it, so items of the same date keep the order they were folded in.
    """
    index = bisect.bisect_right(items, when(item).sort_key(), key=lambda x: when(x).sort_key())
    return (*items[:index], item, *items[index:])


def with_item(mapping: Mapping[K, T], key: K, value: T) -> Mapping[K, T]:
    """A read-only copy of ``mapping`` with ``key`` set to ``value``."""
    return MappingProxyType({**mapping, key: value})


def added(totals: Mapping[K, int], extra: Mapping[K, int]) -> Mapping[K, int]:
    """A read-only copy of ``totals`` with ``extra`` added to it, key by key."""
    out = dict(totals)
    for key, n in extra.items():
        out[key] = out.get(key, 0) + n
    return MappingProxyType(out)


EMPTY: Mapping[Any, Any] = MappingProxyType({})
"""The empty read-only mapping that empty views start from."""
