"""What a backend provides: a :class:`Recorder`, which stores and reads rows and knows nothing of
the log's rules, and the :class:`Transaction` in which it looks rows up and inserts them.

A row is an event as a backend keeps it: its stream, version and global position, its id, its
kind (the wire type), and its data, the event's JSON text. The store above it
(:class:`~negotiations.stores.RecorderStore`) encodes the events, asks the transaction for the
rows and keys it needs, checks the batch with the log's rule, and decodes what it reads, the same
for every backend.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Final, NamedTuple, Protocol

from negotiations.domain.events import AMENDMENT_TYPES, Event
from negotiations.log import Key
from negotiations.stores._base import Recorded, Snapshot, StreamInfo

__all__ = ["AMENDMENT_KINDS", "NewRow", "Recorder", "Row", "Transaction"]

AMENDMENT_KINDS: Final = frozenset(kind.wire_type for kind in AMENDMENT_TYPES)
"""The kinds of the rows :meth:`Transaction.amendments` returns: retractions and corrections."""

Data = str | Event
"""A row's data: the event's JSON text, or the event itself, where a recorder holds its events
decoded (the memory and file recorders, which have read them already)."""

Row = tuple[str, int, int, Data] | Recorded
"""A row as a recorder reads it back: ``(stream, version, position, data)``, or the
:class:`~negotiations.stores.Recorded` itself, where a recorder keeps its events decoded and so
can give the very records it gave before."""


class NewRow(NamedTuple):
    """A row to insert: the event's id, its kind, its JSON text (empty for a recorder that
    :attr:`~Recorder.keeps_events`), and the event itself.
    """

    event_id: str
    kind: str
    data: str
    event: Event


class Transaction(Protocol):
    """One append's transaction on one stream: no other append runs beside it, and leaving it by
    an exception writes nothing.
    """

    version: int
    """The stream's version when the transaction began (0 for a new stream)."""

    def lookup(self, event_ids: Sequence[str], keys: Collection[Key]) -> tuple[dict[str, Data], set[Key]]:
        """The data of the stream's rows with any of ``event_ids``, by id, and the keys among
        ``keys`` that the stream's rows define.
        """
        ...

    def amendments(self) -> list[tuple[int, Data]]:
        """The version and data of each of the stream's rows of :data:`AMENDMENT_KINDS`, in order."""
        ...

    def insert(self, rows: Sequence[NewRow], keys: Sequence[Key]) -> bool:
        """Insert ``rows`` at the next versions and positions, and record the ``keys`` they define.

        A recorder whose :attr:`Recorder.insert_finds_repeats` may return ``False`` when the id
        of a row is in the stream already; the store then leaves the transaction by an exception.
        Any other recorder writes every row and returns ``True``.
        """
        ...


class Recorder(Protocol):
    """A backend: it stores rows, and reads them back, and holds no rule of the log.

    :class:`~negotiations.stores.RecorderStore` makes an :class:`~negotiations.stores.EventStore`
    of any recorder; the contract suite of :mod:`negotiations.testing.stores` checks it.
    """

    url: str
    """The URL the store was opened from."""

    name: str
    """The store in words, as its errors name it: ``the SQLite store events.db``."""

    readonly: bool
    """Whether the store was opened only to read: then the store never asks it to write."""

    insert_finds_repeats: bool
    """Whether :meth:`Transaction.insert` tells when an id is in the stream already. Then the
    store looks up only the ids a batch refers to, not its own, and leaves those to the insert
    (running the append again, looking every id up, when it finds one there or a check fails).
    """

    keeps_events: bool
    """Whether the recorder keeps the events it is given, as they are, and never reads a new row's
    JSON text: then the store does not encode them.
    """

    def transaction(self, stream: str) -> AbstractContextManager[Transaction]:
        """An append's transaction on ``stream``: no other runs beside it, and it is committed
        when left normally, and rolled back (writing nothing) when left by an exception.
        """
        ...

    def stream_version(self, stream: str) -> int:
        """How many rows ``stream`` holds."""
        ...

    def read_stream(self, stream: str, from_version: int) -> Iterator[Row]:
        """The rows of ``stream`` from version ``from_version`` (at least 1) on, in order."""
        ...

    def read_all(self, from_position: int, limit: int | None) -> Iterator[Row]:
        """The rows from position ``from_position`` (at least 1) on, in order, at most ``limit``."""
        ...

    def head(self) -> int:
        """The last position (0 with no rows)."""
        ...

    def streams(self) -> list[StreamInfo]:
        """Every stream, by name."""
        ...

    def wait(self, after: int, timeout: float) -> None:
        """Return once a row after position ``after`` may be there, or after ``timeout`` seconds."""
        ...

    def save_snapshots(self, snapshots: Sequence[Snapshot]) -> None:
        """Save snapshots, replacing those of the same names, all at once."""
        ...

    def load_snapshot(self, name: str) -> Snapshot | None:
        """The snapshot called ``name``, or ``None``."""
        ...

    def close(self) -> None:
        """Release the recorder's connections and files."""
        ...
