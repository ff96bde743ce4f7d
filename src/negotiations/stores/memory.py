"""The in-memory store (``memory:``): for tests and short-lived programs. It dies with its process."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from negotiations.stores._base import Snapshot, StreamInfo
from negotiations.stores._recorder import Row
from negotiations.stores._rows import RowTable, TableTransaction
from negotiations.stores._store import RecorderStore

__all__ = ["MemoryRecorder", "MemoryStore"]


class MemoryRecorder:
    """Rows held in memory, safe to share between threads."""

    insert_finds_repeats = False
    keeps_events = True

    def __init__(self, url: str = "memory:", *, readonly: bool = False) -> None:
        self.url = url
        self.name = f"the memory store {url}"
        self.readonly = readonly
        self._table = RowTable()
        self._snapshots: dict[str, Snapshot] = {}
        self._changed = threading.Condition()

    @contextmanager
    def transaction(self, stream: str) -> Iterator[TableTransaction]:
        """An append's transaction: it holds the lock, and its rows are taken in when it ends well."""
        with self._changed:
            tx = TableTransaction(self._table, stream)
            yield tx
            if tx.staged:
                tx.commit()
                self._changed.notify_all()

    def stream_version(self, stream: str) -> int:
        """How many rows ``stream`` holds."""
        return self._table.version(stream)

    def read_stream(self, stream: str, from_version: int) -> Iterator[Row]:
        """The rows of ``stream`` from ``from_version`` on."""
        return self._table.read_stream(stream, from_version)

    def read_all(self, from_position: int, limit: int | None) -> Iterator[Row]:
        """The rows from ``from_position`` on, at most ``limit``."""
        return self._table.read_all(from_position, limit)

    def head(self) -> int:
        """The last position."""
        return len(self._table.rows)

    def streams(self) -> list[StreamInfo]:
        """Every stream, by name."""
        return self._table.streams()

    def wait(self, after: int, timeout: float) -> None:
        """Wait until a row after ``after`` is inserted, or ``timeout`` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: len(self._table.rows) > after, timeout)

    def save_snapshots(self, snapshots: Sequence[Snapshot]) -> None:
        """Save snapshots, replacing those of the same names."""
        with self._changed:
            self._snapshots.update((s.name, s) for s in snapshots)

    def load_snapshot(self, name: str) -> Snapshot | None:
        """The snapshot called ``name``, or ``None``."""
        return self._snapshots.get(name)

    def close(self) -> None:
        """Nothing to release."""


class MemoryStore(RecorderStore):
    """A store held in memory. Safe to share between threads.

    With ``readonly`` it stays empty: appends and snapshot saves raise
    :class:`~negotiations.errors.StoreError`, as they do on every store opened read-only.
    """

    def __init__(self, url: str = "memory:", *, readonly: bool = False) -> None:
        super().__init__(MemoryRecorder(url, readonly=readonly))
