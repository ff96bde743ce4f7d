"""Where the sources behind views are read from when an item is rendered or explained.

Views keep the ids of the events behind their items (their ``provenance``), not those events'
sources: the sources, with their quotes, are most of a log's text, and a view that held them
would hold most of the log. A :class:`Citations` reads them back from the log on demand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from negotiations.domain.events import Event
from negotiations.domain.values import Source
from negotiations.errors import NegotiationsError
from negotiations.log.amendments import Amendments
from negotiations.projections._projection import amendments_of

__all__ = ["Citations", "uncited"]


def uncited(event_id: str) -> NegotiationsError:
    """The error of asking views folded without their log for what the event ``event_id`` says."""
    reason = (
        f"these views were folded without their log, which holds what '{event_id}' says: "
        "give the renderer citations=Citations(log)"
    )
    return NegotiationsError(reason, field="citations")


class Citations:
    """The sources each event of ``events`` cites, by event id, as views of them counted it:
    with the corrections known at ``known_at`` applied.

    ``citations(event_id)`` is those sources; an id ``events`` does not hold cites none. A log
    (anything with a ``get(event_id)`` method, such as an
    :class:`~negotiations.log.EventLog`) is asked for each event; any other iterable is read
    once, on the first call, and its events are held from then on. ``amendments``, when given,
    are the retractions and corrections of ``events`` known at ``known_at``, so that they are
    not looked for again.

    >>> from negotiations import seed_timeline
    >>> log = seed_timeline()
    >>> citations = Citations(log)
    >>> [s.outlet for s in citations("us-ru-call-2025-07-03")]
    ['The Epoch Times']
    """

    __slots__ = ("_added", "_amendments", "_by_id", "_count", "_events", "_get", "known_at")

    def __init__(
        self,
        events: Iterable[Event],
        *,
        known_at: datetime | None = None,
        amendments: Amendments | None = None,
    ) -> None:
        if isinstance(events, Iterator):
            events = tuple(events)  # read again on the first call: hold what a one-shot gave
        self._events = events
        self.known_at = known_at
        """The moment the corrections applied were known at (``None``: every one recorded)."""
        self._amendments = amendments
        get = getattr(events, "get", None)
        self._get: Callable[[str], Event | None] | None = get if callable(get) else None
        self._by_id: dict[str, Event] | None = None
        # The events folded in after ``events`` (by :meth:`plus`), each with its place: shared
        # by every citations of one chain, each of which sees the first ``_count`` of them, so
        # that a chain of applies costs one entry an event, not a copy of all before it.
        self._added: dict[str, tuple[int, Event]] = {}
        self._count = 0

    def plus(self, event: Event) -> Citations:
        """These citations, and those of ``event``, folded in after ``events`` (not an amendment:
        those call for a fold of the whole log again). These citations stay as they are.
        """
        if self._is_added(event.id):
            return self
        added = self._added
        if len(added) != self._count:  # a sibling grew the shared entries past these: fork
            added = {key: entry for key, entry in added.items() if entry[0] < self._count}
        added[event.id] = (self._count, event)
        more = Citations.__new__(Citations)
        for name in self.__slots__:
            setattr(more, name, getattr(self, name))
        more._added, more._count = added, self._count + 1  # noqa: SLF001 - its own kind
        return more

    def _is_added(self, event_id: str) -> bool:
        entry = self._added.get(event_id)
        return entry is not None and entry[0] < self._count

    def __call__(self, event_id: str) -> tuple[Source, ...]:
        """The sources the event ``event_id`` cites, as corrected; none if there is no such event."""
        event = self.event(event_id)
        return () if event is None else event.sources

    def event(self, event_id: str) -> Event | None:
        """The event ``event_id`` as it stands, corrected, or ``None`` if ``events`` has none of
        that id. A retracted event is given as it was recorded: only its evidence can name it.
        """
        if self._is_added(event_id):
            return self._added[event_id][1]
        found: Event | None
        if self._get is not None:
            found = self._get(event_id)
        else:
            if self._by_id is None:
                self._by_id = {event.id: event for event in self._events}
            found = self._by_id.get(event_id)
        if found is None:
            return None
        if self._amendments is None:
            self._amendments = amendments_of(self._events, self.known_at)
        return (self._amendments.current(found) or found) if self._amendments else found
