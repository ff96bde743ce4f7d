"""The projector type: a named, pure step function ``(view, event) -> view`` and its fold.

A projection dispatches on the event's exact class through a dict, the cheapest dispatch Python
offers; an event of a kind it does not handle leaves the view as it is. Folding never mutates a
view: each step returns a new one, so earlier views stay valid, and folding a log in two parts
gives what folding it whole gives.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from attrs import frozen

from negotiations.domain.events import Event
from negotiations.domain.values import PartialDate

__all__ = ["Projection", "counts_as_of", "default_as_of"]

V = TypeVar("V")
T = TypeVar("T")
K = TypeVar("K")


def counts_as_of(event: Event, as_of: date | None) -> bool:
    """Whether ``event`` counts in a view as of ``as_of``: it may have occurred on or before it.

    A partial date counts from its earliest day: an event of ``2025-06`` counts as of
    2025-06-01 and later. ``None`` means no cut-off.
    """
    return as_of is None or event.occurred.earliest <= as_of


def default_as_of(events: Iterable[Event]) -> date | None:
    """The day views are computed as of when none is given: the latest earliest day of any
    event's ``occurred``, or ``None`` for no events.
    """
    return max((event.occurred.earliest for event in events), default=None)


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

    def fold(self, events: Iterable[Event], *, as_of: date | None = None, start: V | None = None) -> V:
        """Fold ``events`` in order into ``start`` (the empty view by default), counting only
        those that may have occurred on or before ``as_of``.
        """
        view = self.empty if start is None else start
        handlers = self.handlers
        for event in events:
            handler = handlers.get(type(event))
            if handler is not None and (as_of is None or event.occurred.earliest <= as_of):
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
