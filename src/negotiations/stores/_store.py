"""The one store above every backend: :class:`RecorderStore` encodes events, checks each append
with the log's rule (:func:`~negotiations.log.new_events`), and decodes what it reads, so that
every backend accepts what a log accepts and a backend holds no rule of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Final, Self

from negotiations.codec import encode, load_json, structure, wire_type_of
from negotiations.domain.events import Event
from negotiations.errors import ConcurrencyError, LogError, NegotiationsError, StoreError
from negotiations.log import KEYLESS, Key, append_keys, new_events, referenced_ids
from negotiations.stores._base import Recorded, Snapshot, StreamInfo, check_stream
from negotiations.stores._recorder import Data, NewRow, Recorder, Row, Transaction

__all__ = ["Batch", "RecorderStore", "check_batch", "decode", "record"]


class _Unsure(Exception):  # noqa: N818 - not an error: the signal to look every id up
    """Raised inside a trusting append's transaction, to roll it back: the assumption that the
    batch's ids are new may be what made it fail.
    """


class Batch:
    """What an append works out before its transaction: the events, their ids and the ids they
    refer to (each in the batch's order), and the keys they define or refer to.
    """

    __slots__ = ("events", "ids", "keys", "recorded", "targets")

    def __init__(self, events: Sequence[Event]) -> None:
        self.events = events
        self.ids: dict[str, None] = dict.fromkeys(event.id for event in events)  # ordered sets
        self.targets: dict[str, None] = {}
        self.keys: set[Key] = set()
        self.recorded: dict[int, list[Key]] = {}
        """The keys each event that records any records, by the event's ``id()``."""
        for event in events:
            for target in referenced_ids(event):
                self.targets[target] = None
            if type(event) in KEYLESS:
                continue  # most events: they name no key
            recorded, looked_up = append_keys(event)
            self.keys.update(looked_up)
            self.recorded[id(event)] = recorded
        self.ids.update(self.targets)


def decode(data: Data, name: str, where: str) -> Event:
    """The event a row at ``where`` (``stream 's' version 3``) of the store ``name`` holds.

    Raises:
        StoreError: ``data`` is not JSON, or not a valid event.

    """
    if not isinstance(data, str):
        return data  # a recorder that keeps its events decoded gives them as they are
    try:
        # Leniently: a store may hold events of kinds a newer library wrote (``import --lenient``).
        return structure(load_json(data), lenient=True)
    except (ValueError, TypeError, NegotiationsError) as exc:
        what = (
            f"is not a valid event ({exc})" if isinstance(exc, NegotiationsError) else f"is not JSON ({exc})"
        )
        raise StoreError(f"{name} is damaged: the event at {where} {what}") from None


def check_batch(
    tx: Transaction, stream: str, batch: Batch, name: str, *, assumed_new: Iterable[str] = ()
) -> list[Event]:
    """The events of ``batch`` new to ``stream``, after the log's checks against the rows ``tx``
    looks up: the ids the batch names, but none of ``assumed_new``, and the keys it names. A row
    is decoded only when a check asks for it.

    Raises:
        LogError: the batch does not fit the stream.

    """
    skip = frozenset(assumed_new)
    asked = [event_id for event_id in batch.ids if event_id not in skip]
    found, held_keys = tx.lookup(asked, batch.keys)
    decoded: dict[str, Event | None] = {}

    def get(event_id: str) -> Event | None:
        if event_id in decoded:
            return decoded[event_id]
        if event_id in skip:
            return None  # proven by the insert, or the append is run again
        if event_id not in batch.ids:
            # Only a correction of a correction asks for an event the batch does not name: the
            # event first corrected.
            found.update(tx.lookup([event_id], ())[0])
        data = found.get(event_id)
        event = decoded[event_id] = (
            None if data is None else decode(data, name, f"stream '{stream}' id '{event_id}'")
        )
        return event

    def amendments() -> list[Event]:
        return [decode(data, name, f"stream '{stream}' version {v}") for v, data in tx.amendments()]

    def has_key(key: Key) -> bool:
        if key not in held_keys and key not in batch.keys:
            # Only a correction asks for a key the batch does not name: whether an event relies
            # on a fact that the correction removes.
            batch.keys.add(key)
            held_keys.update(tx.lookup((), [key])[1])
        return key in held_keys

    recorded = batch.recorded
    return new_events(batch.events, get, has_key, amendments, lambda event: recorded.get(id(event), ()))


def new_keys(tx: Transaction, fresh: Sequence[Event], recorded: dict[int, list[Key]]) -> list[Key]:
    """The keys ``fresh`` records (``recorded``, by each event's ``id()``; an event missing there
    records none) that the stream does not hold yet. Only the keys of an event relying on a fact
    (a second answer by a party, a second report on a term) can be held.
    """
    keys = list(dict.fromkeys(key for event in fresh for key in recorded.get(id(event), ())))
    repeatable = [key for key in keys if key[0] in ("answered", "term-used")]
    if not repeatable:
        return keys
    held = tx.lookup((), repeatable)[1]
    return [key for key in keys if key not in held]


_new: Final = object.__new__
_tuple_new: Final = tuple.__new__
_set_stream, _set_version, _set_position, _set_event = (
    Recorded.__dict__[name].__set__ for name in ("stream", "version", "position", "event")
)


def record(stream: str, version: int, position: int, event: Event) -> Recorded:
    """``Recorded(stream=..., version=..., position=..., event=...)`` at half the cost, for the
    loops that make many: the class has no validators or converters, so its slots are set
    directly rather than through the frozen class's keyword ``__init__``.
    """
    made: Recorded = _new(Recorded)
    _set_stream(made, stream)
    _set_version(made, version)
    _set_position(made, position)
    _set_event(made, event)
    return made


class RecorderStore:
    """An :class:`~negotiations.stores.EventStore` on a :class:`~negotiations.stores.Recorder`.

    Every backend of this library is one, and so can a user's own be: write a recorder, wrap it
    in this class, and run :mod:`negotiations.testing.stores` against it.
    """

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        """The backend that stores the rows."""
        self.url = recorder.url
        self.readonly = recorder.readonly
        """Whether the store was opened only to read."""

    def append(self, stream: str, events: Sequence[Event], *, expected_version: int | None = None) -> int:
        """Append atomically; see :meth:`negotiations.stores.EventStore.append`.

        Every id of the batch has to be looked for in the stream, to skip retries and refuse other
        content under a known id, and that lookup costs about what inserting the rows does. An
        append is almost always of new events, so where the recorder's insert finds repeated ids
        (:attr:`~negotiations.stores.Recorder.insert_finds_repeats`), it first assumes that no id
        of the batch is in the stream, and lets the insert prove it. When the insert finds an id
        already there, or the checks refuse the batch or a stale ``expected_version`` would (either
        may come of a retry the assumption hid), that transaction is rolled back, having written
        nothing, and the append runs again in a new one, looking every id up.
        """
        check_stream(stream)
        self._check_writable()
        # Worked out before the transaction, so that the lock is held for less.
        batch = Batch(events)
        # Each row made as the tuple it is, without the Python call of ``NewRow(...)``: this loop
        # runs for every event appended.
        if self.recorder.keeps_events:
            rows = {id(e): _tuple_new(NewRow, (e.id, wire_type_of(e), "", e)) for e in events}
        else:
            rows = {id(e): _tuple_new(NewRow, (e.id, wire_type_of(e), encode(e), e)) for e in events}
        if self.recorder.insert_finds_repeats:
            try:
                return self._append(stream, batch, rows, expected_version, trusting=True)
            except _Unsure:
                pass
        return self._append(stream, batch, rows, expected_version, trusting=False)

    def _append(
        self,
        stream: str,
        batch: Batch,
        rows: dict[int, NewRow],
        expected_version: int | None,
        *,
        trusting: bool,
    ) -> int:
        """One attempt at an append, in one transaction. ``trusting``: assume that no id of the
        batch is in the stream, and raise :class:`_Unsure` (writing nothing) where that may be
        wrong.
        """
        name = self.recorder.name
        with self.recorder.transaction(stream) as tx:
            own = [event.id for event in batch.events if event.id not in batch.targets] if trusting else ()
            try:
                fresh = check_batch(tx, stream, batch, name, assumed_new=own)
            except LogError:
                if trusting:
                    raise _Unsure from None
                raise
            version = tx.version
            if not fresh:
                return version
            if expected_version is not None and expected_version != version:
                raise _Unsure if trusting else ConcurrencyError(stream, expected_version, version)
            keys = new_keys(tx, fresh, batch.recorded)
            if not tx.insert([rows[id(e)] for e in fresh], keys):
                # When not trusting, every id was looked up in the transaction: no writer can have
                # added one since, and this is never raised.
                changed = f"stream {stream!r} changed during an append to it; nothing was written"
                raise _Unsure if trusting else StoreError(changed)
            return version + len(fresh)

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(f"cannot write to {self.recorder.name}: it was opened read-only")

    def _records(self, rows: Iterator[Row]) -> Iterator[Recorded]:
        """The records of ``rows``, decoded one at a time as the reader gets to them."""
        # The read loop of every store: the decoding is written out here, not called.
        read, load = structure, load_json
        for row in rows:
            if type(row) is Recorded:
                yield row
                continue
            stream, version, position, data = row  # type: ignore[misc]  # a tuple, then
            if isinstance(data, str):
                try:
                    # Leniently: a store may hold events of kinds a newer library wrote.
                    event = read(load(data), lenient=True)
                except (ValueError, TypeError, NegotiationsError):
                    # Decoded again, only to raise the error that names the row.
                    event = decode(data, self.recorder.name, _where(stream, version, position))
            else:
                event = data
            yield record(stream, version, position, event)

    def stream_version(self, stream: str) -> int:
        """The stream's version (0 for none)."""
        return self.recorder.stream_version(check_stream(stream))

    def read_stream(self, stream: str, from_version: int = 1) -> Iterator[Recorded]:
        """The stream's events from ``from_version`` on."""
        return self._records(self.recorder.read_stream(check_stream(stream), max(from_version, 1)))

    def read_all(self, from_position: int = 1, limit: int | None = None) -> Iterator[Recorded]:
        """Every event from ``from_position`` on, at most ``limit``."""
        return self._records(self.recorder.read_all(max(from_position, 1), limit))

    def head(self) -> int:
        """The last global position."""
        return self.recorder.head()

    def streams(self) -> list[StreamInfo]:
        """Every stream, by name."""
        return self.recorder.streams()

    def wait(self, after: int, timeout: float) -> None:
        """Return once an event after ``after`` may be there, or after ``timeout`` seconds."""
        self.recorder.wait(after, timeout)

    def save_snapshots(self, snapshots: Sequence[Snapshot]) -> None:
        """Save snapshots, replacing those of the same names, all at once."""
        self._check_writable()
        self.recorder.save_snapshots(snapshots)

    def load_snapshot(self, name: str) -> Snapshot | None:
        """The snapshot called ``name``, or ``None``."""
        return self.recorder.load_snapshot(name)

    def close(self) -> None:
        """Release the store's connections and files."""
        self.recorder.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _where(stream: str, version: int, position: int) -> str:
    return f"stream '{stream}' version {version} (position {position})"
