"""Rows held in memory, with the indexes an append's transaction looks up: the whole of the memory
store, and the file store's copy of its file.

A row keeps its event decoded, as the record a read gives, since these recorders have the event at
hand (the memory store was given it; the file store read it), and decoding it again, or making
a new record of it, on every read would only cost time.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

from negotiations.domain.events import Event
from negotiations.log import Key
from negotiations.stores._base import Recorded, StreamInfo
from negotiations.stores._recorder import AMENDMENT_KINDS, Data, NewRow, Row
from negotiations.stores._store import record

__all__ = ["RowTable", "TableTransaction"]


class RowTable:
    """Every stream's rows, in position order, and by stream."""

    def __init__(self) -> None:
        self.rows: list[Recorded] = []
        self.by_stream: dict[str, list[Recorded]] = {}
        self.ids: dict[str, dict[str, Event]] = {}
        """Each stream's events, by id."""
        self.keys: dict[str, set[Key]] = {}
        """The keys each stream's events define."""
        self.amendments: dict[str, list[tuple[int, Data]]] = {}
        """Each stream's retractions and corrections, with their versions."""

    def version(self, stream: str) -> int:
        """How many rows ``stream`` holds."""
        return len(self.by_stream.get(stream, ()))

    def add(self, stream: str, rows: Sequence[NewRow], keys: Sequence[Key]) -> None:
        """Take in ``rows`` at the next versions and positions, and the ``keys`` they define."""
        held = self.by_stream.setdefault(stream, [])
        ids = self.ids.setdefault(stream, {})
        for row in rows:
            version = len(held) + 1
            stored = record(stream, version, len(self.rows) + 1, row.event)
            self.rows.append(stored)
            held.append(stored)
            ids[row.event_id] = row.event
            if row.kind in AMENDMENT_KINDS:
                self.amendments.setdefault(stream, []).append((version, row.event))
        self.keys.setdefault(stream, set()).update(keys)

    def read_stream(self, stream: str, from_version: int) -> Iterator[Row]:
        """The rows of ``stream`` from ``from_version`` on."""
        return iter(self.by_stream.get(stream, [])[from_version - 1 :])

    def read_all(self, from_position: int, limit: int | None) -> Iterator[Row]:
        """The rows from ``from_position`` on, at most ``limit``."""
        end = None if limit is None else from_position - 1 + limit
        return iter(self.rows[from_position - 1 : end])

    def streams(self) -> list[StreamInfo]:
        """Every stream, by name."""
        return [StreamInfo(name=name, version=len(rows)) for name, rows in sorted(self.by_stream.items())]


class TableTransaction:
    """An append's transaction on a :class:`RowTable`: rows inserted are staged, and taken into the
    table only by :meth:`commit`, so that a transaction left by an exception leaves it unchanged.
    Lookups see the staged rows too.
    """

    def __init__(self, table: RowTable, stream: str) -> None:
        self.table = table
        self.stream = stream
        self.version = table.version(stream)
        self.staged: list[NewRow] = []
        self.staged_ids: dict[str, Event] = {}
        self.staged_keys: list[Key] = []

    def lookup(self, event_ids: Sequence[str], keys: Collection[Key]) -> tuple[dict[str, Data], set[Key]]:
        """The events of the stream with any of ``event_ids``, and which of ``keys`` it defines."""
        held, staged = self.table.ids.get(self.stream, {}), self.staged_ids
        found: dict[str, Data] = {}
        for event_id in event_ids:
            event = held.get(event_id) or staged.get(event_id)
            if event is not None:
                found[event_id] = event
        defined = self.table.keys.get(self.stream, set())
        return found, {key for key in keys if key in defined or key in self.staged_keys}

    def amendments(self) -> list[tuple[int, Data]]:
        """The stream's retractions and corrections, staged ones included, in order."""
        staged = [
            (self.version + n, row.event)
            for n, row in enumerate(self.staged, 1)
            if row.kind in AMENDMENT_KINDS
        ]
        return [*self.table.amendments.get(self.stream, []), *staged]

    def insert(self, rows: Sequence[NewRow], keys: Sequence[Key]) -> bool:
        """Stage ``rows`` and the ``keys`` they define."""
        self.staged.extend(rows)
        self.staged_ids.update((row.event_id, row.event) for row in rows)
        self.staged_keys.extend(keys)
        return True

    def commit(self) -> None:
        """Take the staged rows into the table."""
        self.table.add(self.stream, self.staged, self.staged_keys)
        self.version += len(self.staged)
        self.staged, self.staged_ids, self.staged_keys = [], {}, []
