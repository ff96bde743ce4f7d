"""The in-memory store (``memory:``): for tests and short-lived programs. It dies with its process,
and it is the model the other backends are tested against.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Self

from negotiations.domain.events import Event
from negotiations.errors import ConcurrencyError, StoreError
from negotiations.log import EventLog
from negotiations.stores._base import Recorded, Snapshot, StreamInfo, check_stream

__all__ = ["MemoryStore"]


class MemoryStore:
    """A store held in memory. Safe to share between threads.

    With ``readonly`` it stays empty: appends and snapshot saves raise :class:`StoreError`, as
    they do on every store opened read-only.
    """

    def __init__(self, url: str = "memory:", *, readonly: bool = False) -> None:
        self.url = url
        self.readonly = readonly
        """Whether the store was opened only to read."""
        self._logs: dict[str, EventLog] = {}
        self._all: list[Recorded] = []
        self._by_stream: dict[str, list[Recorded]] = {}
        self._snapshots: dict[str, Snapshot] = {}
        self._changed = threading.Condition()

    def append(self, stream: str, events: Sequence[Event], *, expected_version: int | None = None) -> int:
        """Append atomically; see :meth:`negotiations.stores.EventStore.append`."""
        check_stream(stream)
        self._check_writable()
        with self._changed:
            log = self._logs.get(stream, EventLog())
            grown = log.extend(events)
            if len(grown) == len(log):
                return len(log)
            if expected_version is not None and expected_version != len(log):
                raise ConcurrencyError(stream, expected_version, len(log))
            for version, event in enumerate(grown.read(len(log) + 1), len(log) + 1):
                record = Recorded(stream=stream, version=version, position=len(self._all) + 1, event=event)
                self._all.append(record)
                self._by_stream.setdefault(stream, []).append(record)
            self._logs[stream] = grown
            self._changed.notify_all()
            return len(grown)

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(f"cannot write to the memory store {self.url}: it was opened read-only")

    def stream_version(self, stream: str) -> int:
        """The stream's version (0 for none)."""
        return len(self._logs.get(check_stream(stream), ()))

    def read_stream(self, stream: str, from_version: int = 1) -> Iterator[Recorded]:
        """The stream's events from ``from_version`` on."""
        records = self._by_stream.get(check_stream(stream), [])
        return iter(records[max(from_version, 1) - 1 :])

    def read_all(self, from_position: int = 1, limit: int | None = None) -> Iterator[Recorded]:
        """Every event from ``from_position`` on, at most ``limit``."""
        records = self._all[max(from_position, 1) - 1 :]
        return iter(records if limit is None else records[:limit])

    def head(self) -> int:
        """The last global position."""
        return len(self._all)

    def streams(self) -> list[StreamInfo]:
        """Every stream, by name."""
        return [StreamInfo(name=name, version=len(log)) for name, log in sorted(self._logs.items())]

    def wait(self, after: int, timeout: float) -> None:
        """Wait until an event after ``after`` is appended, or ``timeout`` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: len(self._all) > after, timeout)

    def save_snapshots(self, snapshots: Sequence[Snapshot]) -> None:
        """Save snapshots, replacing those of the same names."""
        self._check_writable()
        with self._changed:
            self._snapshots.update((s.name, s) for s in snapshots)

    def load_snapshot(self, name: str) -> Snapshot | None:
        """The snapshot called ``name``, or ``None``."""
        return self._snapshots.get(name)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
