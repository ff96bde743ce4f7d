"""What every store is: the :class:`EventStore` protocol, the records it returns, and the
catch-up subscription built on it.

A store holds many streams, one log per negotiation track. Each event it holds has a version in
its stream (1, 2, ... with no gaps) and a position in the whole store (1, 2, ... with no gaps,
in commit order).
"""

from __future__ import annotations

import re
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Final, Protocol, runtime_checkable

from attrs import frozen

from negotiations.domain.events import Event
from negotiations.errors import InvalidValueError
from negotiations.log import EventLog

__all__ = [
    "EventStore",
    "Recorded",
    "Snapshot",
    "StreamInfo",
    "check_stream",
    "file_kind",
    "load_stream",
    "subscribe",
]

STREAM_PATTERN: Final = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
_STREAM_RE: Final = re.compile(STREAM_PATTERN)


def check_stream(name: str) -> str:
    """Return ``name`` if it is a stream name (letters, digits, ``.``, ``_``, ``-``; at most 128),
    else raise :class:`InvalidValueError`.
    """
    if not _STREAM_RE.fullmatch(name):
        reason = f"{name!r} is not a stream name (letters, digits, '.', '_' and '-', such as russia-ukraine)"
        raise InvalidValueError(reason, field="stream")
    return name


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words: ``a directory``, ``a FIFO``, ..."""
    kinds = [
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


@frozen(kw_only=True)
class Recorded:
    """An event as a store holds it: its stream, its version there, and its global position."""

    stream: str
    version: int
    position: int
    event: Event


@frozen(kw_only=True)
class StreamInfo:
    """A stream's name and version (the number of events in it)."""

    name: str
    version: int


@frozen(kw_only=True)
class Snapshot:
    """A view saved by a projection runner: its name, the tag of the projector that made it, the
    global position it has folded up to, and the view as JSON text.
    """

    name: str
    tag: str
    checkpoint: int
    data: str


@runtime_checkable
class EventStore(Protocol):
    """A durable home for many event streams. Every backend passes the same contract tests."""

    url: str
    """The URL the store was opened from."""

    def append(self, stream: str, events: Sequence[Event], *, expected_version: int | None = None) -> int:
        """Append ``events`` to ``stream`` atomically, all of them or none; return its new version.

        Events already in the stream with identical content are skipped, so a retry is a no-op
        (and then ``expected_version`` is not checked). Otherwise, when ``expected_version`` is
        given and the stream is at another version, raise
        :class:`~negotiations.errors.ConcurrencyError`. The checks of
        :meth:`~negotiations.log.EventLog.extend` apply to the stream.
        """
        ...

    def stream_version(self, stream: str) -> int:
        """The version of ``stream``: how many events it holds (0 for a stream with none)."""
        ...

    def read_stream(self, stream: str, from_version: int = 1) -> Iterator[Recorded]:
        """The events of ``stream`` from version ``from_version`` on, in order."""
        ...

    def read_all(self, from_position: int = 1, limit: int | None = None) -> Iterator[Recorded]:
        """Every stream's events from global position ``from_position`` on, in order, at most
        ``limit`` of them.
        """
        ...

    def head(self) -> int:
        """The last global position (0 for an empty store)."""
        ...

    def streams(self) -> list[StreamInfo]:
        """Every stream, by name."""
        ...

    def wait(self, after: int, timeout: float) -> None:
        """Return once an event after global position ``after`` may be there, or after
        ``timeout`` seconds.
        """
        ...

    def save_snapshots(self, snapshots: Sequence[Snapshot]) -> None:
        """Save snapshots, replacing those of the same names, all in one transaction."""
        ...

    def load_snapshot(self, name: str) -> Snapshot | None:
        """The snapshot called ``name``, or ``None``."""
        ...

    def close(self) -> None:
        """Release the store's connections and files."""
        ...


def load_stream(store: EventStore, stream: str) -> EventLog:
    """The whole of ``stream`` as an :class:`~negotiations.log.EventLog`."""
    return EventLog(record.event for record in store.read_stream(stream))


def subscribe(
    store: EventStore,
    after: int = 0,
    *,
    stop: threading.Event | None = None,
    poll: float = 0.2,
    batch: int = 500,
    on_idle: Callable[[], None] | None = None,
) -> Iterator[Recorded]:
    """Every event after global position ``after``, in order and exactly once, then each new one as
    it is committed, until ``stop`` is set.

    Between reads it waits with :meth:`EventStore.wait`: polling every ``poll`` seconds, or
    LISTEN/NOTIFY on PostgreSQL. Global positions are gap-free and committed in order by every
    backend, so reading on from the last position seen can never skip an event. ``on_idle`` is
    called each time the subscriber has caught up and is about to wait.
    """
    position = after
    while stop is None or not stop.is_set():
        got = False
        for record in store.read_all(position + 1, limit=batch):
            got = True
            position = record.position
            yield record
        if not got:
            if on_idle is not None:
                on_idle()
            store.wait(position, poll)
