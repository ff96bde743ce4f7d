"""The event log itself, :class:`EventLog`, and the checks an appended event must pass
(:func:`new_events`, which every store shares). :mod:`negotiations.log` states the checks.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Final

from negotiations.domain.events import (
    AMENDMENT_TYPES,
    Event,
    EventCorrected,
    EventRetracted,
    MeasureChanged,
    MeasureSuspended,
    ReportDisputed,
)
from negotiations.errors import (
    DuplicateEventError,
    DuplicateKeyError,
    InvalidAmendmentError,
    UnknownReferenceError,
)
from negotiations.log._references import (
    FACT_KINDS,
    KEYLESS,
    Key,
    KeyKind,
    check_references,
    defined_key,
    facts_of,
    recorded_keys,
    referenced_key,
)
from negotiations.log.amendments import Amendments, corrected

__all__ = [
    "EventLog",
    "Key",
    "KeyKind",
    "defined_key",
    "new_events",
    "recorded_keys",
    "referenced_ids",
    "referenced_key",
]

_CHECKED: Final = (*AMENDMENT_TYPES, ReportDisputed)
_UNCHECKED: Final = KEYLESS - {*_CHECKED}
"""The kinds that no check but their id's applies to: most of the events of a real log."""
_OWNERS: Final[dict[KeyKind, KeyKind]] = {"addressee": "proposal", "term": "agreement"}
"""The kind of definition that states each kind of fact."""
_USES: Final[dict[KeyKind, tuple[KeyKind, str]]] = {
    "addressee": ("answered", "an answer"),
    "term": ("term-used", "a CommitmentMet or ViolationReported"),
}
"""Each kind of fact, the key that records an event relying on it, and that event in words."""


def referenced_ids(event: Event) -> tuple[str, ...]:
    """The ids of the events that ``event`` refers to: a retraction's or correction's target,
    or a dispute's claims.
    """
    if type(event) is ReportDisputed:
        return event.claims
    if isinstance(event, EventRetracted | EventCorrected):
        return (event.target,)
    return ()


def _as_corrected(known: Amendments, event: Event) -> Event:
    """``event`` with its corrections applied, even when it is retracted since: a retraction
    leaves the keys a definition recorded (see :mod:`negotiations.log`).
    """
    current = known.current(event)
    if current is not None:
        return current
    for fix in known.corrections.get(event.id, ()):
        event = corrected(event, fix.changes)
    return event


class _Checker:
    """The keys of a log, those its batch records as it is checked, and the definitions that
    corrections changed, which overrule the facts their events first recorded.
    """

    def __init__(
        self,
        get: Callable[[str], Event | None],
        has_key: Callable[[Key], bool],
        amendments: Callable[[], Iterable[Event]],
        recorded: Callable[[Event], Iterable[Key]] = recorded_keys,
    ) -> None:
        self.get = get
        self.has_key = has_key
        self.read_amendments = amendments
        self.recorded = recorded
        self.batch_keys: set[Key] = set()
        self.known: Amendments | None = None
        self.corrected: dict[Key, str] | None = None
        """Each corrected definition's key to the id of its event, built when a fact is asked."""

    def amendments(self) -> Amendments:
        if self.known is None:
            self.known = Amendments(self.read_amendments())
        return self.known

    def has(self, key: Key) -> bool:
        """Whether the log with the batch so far holds ``key``; a fact by its current definition."""
        if key[0] in FACT_KINDS:
            owner = self._definition((_OWNERS[key[0]], json.loads(key[1])[0]))
            if owner is not None:
                return key in facts_of(owner)
        return key in self.batch_keys or self.has_key(key)

    def _definition(self, key: Key) -> Event | None:
        """The definition of ``key`` as corrected, when a correction changed it; else ``None``."""
        known = self.amendments()
        if not known.corrections:
            return None
        if self.corrected is None:
            self.corrected = {}
            for root_id in known.corrections:
                root = self.get(root_id)
                defined = None if root is None else defined_key(root)
                if defined is not None:
                    self.corrected[defined[0]] = root_id
        found = self.corrected.get(key)
        root = None if found is None else self.get(found)
        return None if root is None else _as_corrected(known, root)

    def check(self, event: Event) -> None:
        """Raise unless ``event`` fits: its id new, what it refers to there, its amendment valid."""
        if type(event) in _UNCHECKED:
            return
        defined = defined_key(event)
        if defined is not None:
            (kind, value), name = defined
            if defined[0] in self.batch_keys or self.has_key(defined[0]):
                reason = f"{kind} '{value}' is already defined"
                raise DuplicateKeyError(reason, event_id=event.id, field=name)
        check_references(event, self.has)
        if type(event) in _CHECKED:
            known = self.amendments()
            known.check(event, self.get)
            if type(event) is EventCorrected:
                self._check_facts(event, known)
            known.add(event)
            self.corrected = None
        self.batch_keys.update(self.recorded(event))

    def _check_facts(self, event: EventCorrected, known: Amendments) -> None:
        """Refuse a correction that takes away an addressee who answered or a term an event named,
        or that gives a measure what only the other kind of measure takes.
        """
        root = self.get(known.roots.get(event.target, event.target))
        if root is None:
            return
        before = _as_corrected(known, root)
        after = corrected(before, event.changes)
        for kind, name in sorted(facts_of(before) - facts_of(after)):
            used, what = _USES[kind]
            if self.has((used, name)):
                field = next(n for n in ("to", "counterpart", "terms") if n in event.changes)
                reason = f"cannot remove {kind} {name}: {what} refers to it; retract that first"
                raise InvalidAmendmentError(reason, event_id=event.id, field=f"changes.{field}")
        if not isinstance(after, MeasureChanged | MeasureSuspended):
            return
        try:
            # What a correction may change, besides ids, can still break a rule across events: a
            # rate given to sanctions, a list of measures given to a tariff.
            check_references(after, self.has)
        except UnknownReferenceError as exc:
            raise InvalidAmendmentError(exc.reason, event_id=event.id, field=f"changes.{exc.field}") from None


def new_events(
    events: Iterable[Event],
    get: Callable[[str], Event | None],
    has_key: Callable[[Key], bool],
    amendments: Callable[[], Iterable[Event]] = tuple,
    recorded: Callable[[Event], Iterable[Key]] = recorded_keys,
) -> list[Event]:
    """The events of a batch that are new to a log, after every check against it.

    ``get`` finds an event of the log by id, ``has_key`` tells whether the log holds a key (see
    :func:`recorded_keys`), and ``amendments`` gives the log's retractions and corrections in
    order (it is called only when the batch holds a retraction, a correction or a dispute, or
    names a fact that a correction may have changed). ``recorded`` gives the keys an event
    records, :func:`recorded_keys` unless the caller has them already. The log and every store
    share this one rule, so that a store accepts what a log accepts.

    Raises:
        DuplicateEventError: an id is in the log, or earlier in ``events``, with other content.
        DuplicateKeyError: a deadline, agreement, proposal or ceasefire id is defined twice.
        UnknownReferenceError: an event refers to such an id that is not defined before it, or
            to one of the wrong kind, or names a party or a term its proposal or agreement lacks.
        InvalidAmendmentError: a retraction, correction or dispute that cannot apply.

    """
    fresh: list[Event] = []
    batch_ids: dict[str, Event] = {}

    def get_any(event_id: str) -> Event | None:
        return batch_ids.get(event_id) or get(event_id)

    checker = _Checker(get_any, has_key, amendments, recorded)
    for event in events:
        earlier = get_any(event.id)
        if earlier is not None:
            if earlier != event:
                reason = f"id '{event.id}' is already in the log with other content"
                raise DuplicateEventError(reason, event_id=event.id, field="id")
            continue
        checker.check(event)
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
                for key in recorded_keys(event):
                    storage.keys.setdefault(key, size)
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
