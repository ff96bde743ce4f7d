"""The event log itself, :class:`EventLog`, and the checks an appended event must pass
(:func:`new_events`, which every store shares). :mod:`negotiations.log` states the checks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Final, Literal

from negotiations.domain.events import (
    AMENDMENT_TYPES,
    CeasefireAgreed,
    CeasefireEnded,
    DeadlineChanged,
    DeadlineMet,
    DeadlineSet,
    DeadlineWithdrawn,
    Event,
    EventCorrected,
    EventRetracted,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    RemainsRepatriated,
    ReportDisputed,
    TalksHeld,
    TalksProposed,
)
from negotiations.errors import DuplicateEventError, DuplicateKeyError, UnknownReferenceError
from negotiations.log.amendments import Amendments

__all__ = ["EventLog", "Key", "KeyKind", "defined_key", "new_events", "referenced_ids", "referenced_key"]

KeyKind = Literal["deadline", "agreement", "proposal", "ceasefire"]
"""The kinds of things events define by id and refer to."""

Key = tuple[KeyKind, str]
"""A defined thing: its kind and its id, such as ``("deadline", "us-ceasefire-ultimatum")``."""

_DEFINES: Final[dict[type[Event], tuple[KeyKind, str]]] = {
    DeadlineSet: ("deadline", "deadline_id"),
    PrisonerExchangeAgreed: ("agreement", "agreement_id"),
    TalksProposed: ("proposal", "proposal_id"),
    CeasefireAgreed: ("ceasefire", "ceasefire_id"),
}
_REFERS: Final[dict[type[Event], tuple[KeyKind, str]]] = {
    DeadlineChanged: ("deadline", "deadline_id"),
    DeadlineWithdrawn: ("deadline", "deadline_id"),
    DeadlineMet: ("deadline", "deadline_id"),
    PrisonersExchanged: ("agreement", "agreement_id"),
    RemainsRepatriated: ("agreement", "agreement_id"),
    TalksHeld: ("proposal", "proposal_id"),
    CeasefireEnded: ("ceasefire", "ceasefire_id"),
}


def _key(table: dict[type[Event], tuple[KeyKind, str]], event: Event) -> tuple[Key, str] | None:
    entry = table.get(type(event))
    if entry is None:
        return None
    kind, name = entry
    value = getattr(event, name)
    return None if value is None else ((kind, value), name)


def defined_key(event: Event) -> tuple[Key, str] | None:
    """The thing ``event`` defines, with the name of the field that holds its id, if any."""
    return _key(_DEFINES, event)


def referenced_key(event: Event) -> tuple[Key, str] | None:
    """The thing ``event`` refers to, with the name of the field that holds its id, if any."""
    return _key(_REFERS, event)


_CHECKED: Final = (*AMENDMENT_TYPES, ReportDisputed)


def referenced_ids(event: Event) -> tuple[str, ...]:
    """The ids of the events that ``event`` refers to: a retraction's or correction's target,
    or a dispute's claims.
    """
    if type(event) is ReportDisputed:
        return event.claims
    if isinstance(event, EventRetracted | EventCorrected):
        return (event.target,)
    return ()


def _check_keys(event: Event, batch_keys: set[Key], has_key: Callable[[Key], bool]) -> None:
    """Check the key ``event`` defines is new and the key it refers to exists, in the log or
    earlier in its batch; add the key it defines to ``batch_keys``.
    """
    defined = defined_key(event)
    if defined is not None:
        (kind, value), name = defined
        if defined[0] in batch_keys or has_key(defined[0]):
            reason = f"{kind} '{value}' is already defined"
            raise DuplicateKeyError(reason, event_id=event.id, field=name)
        batch_keys.add(defined[0])
    referred = referenced_key(event)
    if referred is not None:
        (kind, value), name = referred
        if referred[0] not in batch_keys and not has_key(referred[0]):
            reason = f"unknown {kind} '{value}': no event before it defines it"
            raise UnknownReferenceError(reason, event_id=event.id, field=name)


def new_events(
    events: Iterable[Event],
    get: Callable[[str], Event | None],
    has_key: Callable[[Key], bool],
    amendments: Callable[[], Iterable[Event]] = tuple,
) -> list[Event]:
    """The events of a batch that are new to a log, after every check against it.

    ``get`` finds an event of the log by id, ``has_key`` tells whether the log defines a key, and
    ``amendments`` gives the log's retractions and corrections in order (it is called only when
    the batch holds a retraction, a correction or a dispute). The log and every store share this
    one rule, so that a store accepts what a log accepts.

    Raises:
        DuplicateEventError: an id is in the log, or earlier in ``events``, with other content.
        DuplicateKeyError: a deadline, agreement, proposal or ceasefire id is defined twice.
        UnknownReferenceError: an event refers to such an id that is not defined before it.
        InvalidAmendmentError: a retraction, correction or dispute that cannot apply.

    """
    fresh: list[Event] = []
    batch_ids: dict[str, Event] = {}
    batch_keys: set[Key] = set()
    known: Amendments | None = None

    def get_any(event_id: str) -> Event | None:
        return batch_ids.get(event_id) or get(event_id)

    for event in events:
        earlier = batch_ids.get(event.id) or get(event.id)
        if earlier is not None:
            if earlier != event:
                reason = f"id '{event.id}' is already in the log with other content"
                raise DuplicateEventError(reason, event_id=event.id, field="id")
            continue
        _check_keys(event, batch_keys, has_key)
        if type(event) in _CHECKED:
            if known is None:
                known = Amendments(amendments())
            known.check(event, get_any)
            known.add(event)
        batch_ids[event.id] = event
        fresh.append(event)
    return fresh


class _Storage:
    """The list and indexes that a chain of logs shares. A log sees only its first ``size``
    events, so one that is appended to in turn can grow the list in place.
    """

    __slots__ = ("amendments", "events", "ids", "keys", "lock")

    def __init__(
        self,
        events: list[Event],
        ids: dict[str, int],
        keys: dict[Key, int],
        amendments: list[tuple[int, Event]],
    ) -> None:
        self.events = events
        self.ids = ids
        self.keys = keys
        self.amendments = amendments
        """The retractions and corrections, with their positions."""
        self.lock = threading.Lock()


class EventLog:
    """An immutable, append-only log of events, with positions 1..n.

    >>> log = EventLog()
    >>> len(log)
    0
    """

    __slots__ = ("_size", "_storage")

    def __init__(self, events: Iterable[Event] = ()) -> None:
        """Build a log by appending ``events`` in order, with every check of :meth:`extend`."""
        self._storage = _Storage([], {}, {}, [])
        self._size = 0
        if events:
            grown = self.extend(events)
            self._storage, self._size = grown._storage, grown._size  # noqa: SLF001 - its own class

    @classmethod
    def _view(cls, storage: _Storage, size: int) -> EventLog:
        log = cls.__new__(cls)
        log._storage = storage  # noqa: SLF001 - its own class
        log._size = size  # noqa: SLF001 - its own class
        return log

    def append(self, *events: Event) -> EventLog:
        """Return a new log with ``events`` appended; see :meth:`extend`."""
        return self.extend(events)

    def extend(self, events: Iterable[Event]) -> EventLog:
        """Return a new log with ``events`` appended, all of them or none.

        Raises:
            DuplicateEventError: an id is in the log, or earlier in ``events``, with other content.
            DuplicateKeyError: a deadline, agreement, proposal or ceasefire id is defined twice.
            UnknownReferenceError: an event refers to such an id that is not defined before it.

        """
        fresh = new_events(events, self.get, self._has_key, self.amendments)
        if not fresh:
            return self
        storage, size = self._storage, self._size
        with storage.lock:
            if len(storage.events) != size:
                storage = self._fork()
            for event in fresh:
                size += 1
                storage.events.append(event)
                storage.ids[event.id] = size
                defined = defined_key(event)
                if defined is not None:
                    storage.keys[defined[0]] = size
                if type(event) in AMENDMENT_TYPES:
                    storage.amendments.append((size, event))
        return EventLog._view(storage, size)

    def _has_key(self, key: Key) -> bool:
        position = self._storage.keys.get(key)
        return position is not None and position <= self._size

    def _fork(self) -> _Storage:
        """Copy this log's prefix, since a sibling log already grew the shared list past it."""
        events = self._storage.events[: self._size]
        ids = {e.id: n for n, e in enumerate(events, 1)}
        keys = {k: n for k, n in self._storage.keys.items() if n <= self._size}
        amendments = [(n, e) for n, e in self._storage.amendments if n <= self._size]
        return _Storage(events, ids, keys, amendments)

    def amendments(self) -> list[Event]:
        """The log's retractions and corrections, in order."""
        return [event for n, event in self._storage.amendments if n <= self._size]

    def get(self, event_id: str) -> Event | None:
        """The event with ``event_id``, or ``None``."""
        position = self.position_of(event_id)
        return None if position is None else self._storage.events[position - 1]

    def position_of(self, event_id: str) -> int | None:
        """The position (1..n) of the event with ``event_id``, or ``None``."""
        position = self._storage.ids.get(event_id)
        return position if position is not None and position <= self._size else None

    def read(self, start: int = 1) -> Iterator[Event]:
        """The events from position ``start`` (1-based) on, in order."""
        if start < 1:
            raise ValueError(f"positions start at 1, not {start}")
        events = self._storage.events
        for index in range(start - 1, self._size):
            yield events[index]

    def __contains__(self, event_id: object) -> bool:
        return isinstance(event_id, str) and self.position_of(event_id) is not None

    def __iter__(self) -> Iterator[Event]:
        return self.read()

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, position: int) -> Event:
        """The event at ``position``: 1-based, or negative to count from the end."""
        if position == 0 or not -self._size <= position <= self._size:
            raise IndexError(f"position {position} is not in 1..{self._size}")
        return self._storage.events[position - 1 if position > 0 else self._size + position]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EventLog):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal logs compare by content, like lists

    def __repr__(self) -> str:
        return f"<EventLog of {self._size} event(s)>"
