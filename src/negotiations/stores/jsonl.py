"""The JSON Lines file store (``file:PATH.jsonl``): every stream in one append-only text file that
reads well in a diff and in git.

Each line is an event in the format of :mod:`negotiations.codec`, with one more key first:
``stream``, the stream it belongs to. The first line of an append of several events also carries
``batch``, how many lines the append wrote; that is how a torn append is told from a whole one.
A line's global position is its number in the file.

Writers take an exclusive ``flock`` on the file, read whatever other processes appended, write the
batch with one ``write`` and ``fsync`` it. A crash can leave only a torn tail: an incomplete last
line, or fewer lines than the last ``batch`` announced. Opening the store detects it, logs a
warning naming the lines, keeps :attr:`JsonlStore.recovered` as the report, and cuts the file back
to the last whole append; nothing before it is lost. Damage anywhere else is an error, not mended.

Snapshots live beside the file, in ``PATH.snapshots.json``, replaced atomically by rename.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Self

from negotiations.domain._converter import dump_json, structure, unstructure
from negotiations.domain.events import Event
from negotiations.errors import ConcurrencyError, NegotiationsError, StoreError
from negotiations.log import EventLog
from negotiations.stores._base import Recorded, Snapshot, StreamInfo, check_stream

__all__ = ["JsonlStore"]

_log = logging.getLogger(__name__)


class JsonlStore:
    """A store in one JSON Lines file. Safe for several threads and processes."""

    def __init__(self, path: str | Path, *, url: str | None = None) -> None:
        self.path = Path(path)
        self.url = url or f"file:{path}"
        self.recovered: str | None = None
        """What opening the store cut from a torn tail, or ``None``."""
        self._snapshots = self.path.with_name(self.path.name + ".snapshots.json")
        self._logs: dict[str, EventLog] = {}
        self._by_stream: dict[str, list[Recorded]] = {}
        self._all: list[Recorded] = []
        self._offset = 0
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file: IO[bytes] = self.path.open("a+b")
        except OSError as exc:
            raise StoreError(f"cannot open the file store {self.path}: {exc.strerror or exc}") from None
        try:
            with self._locked(exclusive=True):
                self._catch_up(repair=True)
        except BaseException:
            self._file.close()  # a damaged file must not leave the file open
            raise

    @contextmanager
    def _locked(self, *, exclusive: bool) -> Iterator[None]:
        with self._lock:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)

    def _catch_up(self, *, repair: bool = False) -> None:
        """Read the lines appended since the last read; with ``repair``, cut a torn tail."""
        self._file.seek(self._offset)
        tail = self._file.read()
        start, number = self._offset, len(self._all)
        pending: list[tuple[str, Event]] = []
        expected = 0
        whole = start  # the byte offset just after the last whole append
        lines = tail.splitlines(keepends=True)
        for index, raw in enumerate(lines):
            number += 1
            if not raw.endswith(b"\n"):
                break
            try:
                obj = json.loads(raw)
                stream = check_stream(obj.pop("stream"))
                size = obj.pop("batch", 1) if not pending else 1
                # Leniently: the file may hold events of kinds a newer library wrote.
                event = structure(obj, lenient=True)
            except (ValueError, KeyError, TypeError, AttributeError, NegotiationsError) as exc:
                if index == len(lines) - 1:
                    break  # a torn last line
                raise StoreError(f"{self.path}: line {number} is damaged: {exc}") from None
            if not pending:
                expected = int(size)
            pending.append((stream, event))
            start += len(raw)
            if len(pending) == expected:
                self._commit(pending)
                pending = []
                whole = start
        if whole != self._offset + len(tail):
            # Under any flock no append is under way, so an unfinished tail is a crashed writer's.
            # Readers leave it for the next writer, which holds the exclusive lock, to cut.
            if not repair:
                return
            dropped = tail[whole - self._offset :].decode("utf-8", "replace")
            self.recovered = f"cut a torn append of {len(dropped.splitlines())} line(s): {dropped[:200]!r}"
            _log.warning("%s: %s", self.path, self.recovered)
            self._file.truncate(whole)
            self._sync()
        self._offset = whole

    def _commit(self, batch: list[tuple[str, Event]]) -> None:
        """Take in a whole append read from the file."""
        for stream, event in batch:
            log = self._logs.get(stream, EventLog()).append(event)
            self._logs[stream] = log
            self._record(stream, len(log), event)

    def _record(self, stream: str, version: int, event: Event) -> None:
        record = Recorded(stream=stream, version=version, position=len(self._all) + 1, event=event)
        self._all.append(record)
        self._by_stream.setdefault(stream, []).append(record)

    def _sync(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())

    def append(self, stream: str, events: Sequence[Event], *, expected_version: int | None = None) -> int:
        """Append atomically; see :meth:`negotiations.stores.EventStore.append`."""
        check_stream(stream)
        with self._locked(exclusive=True):
            self._catch_up(repair=True)
            log = self._logs.get(stream, EventLog())
            grown = log.extend(events)
            fresh = list(grown.read(len(log) + 1))
            if not fresh:
                return len(log)
            if expected_version is not None and expected_version != len(log):
                raise ConcurrencyError(stream, expected_version, len(log))
            lines = []
            for n, event in enumerate(fresh):
                head: dict[str, Any] = {"stream": stream}
                if n == 0 and len(fresh) > 1:
                    head["batch"] = len(fresh)
                body = unstructure(event)
                if "stream" in body or "batch" in body:  # only an opaque event can have them
                    reason = "a field named 'stream' or 'batch', which this file keeps for itself"
                    raise StoreError(f"cannot store event '{event.id}' in {self.path}: it has {reason}")
                lines.append(dump_json(head | body) + "\n")
            data = "".join(lines).encode("utf-8")
            self._file.seek(0, os.SEEK_END)
            try:
                self._file.write(data)
                self._sync()
            except OSError as exc:
                self._file.truncate(self._offset)
                raise StoreError(f"cannot write to {self.path}: {exc.strerror or exc}") from None
            self._offset += len(data)
            # The grown log is the tip of its storage, so later appends to it stay O(1).
            self._logs[stream] = grown
            for version, event in enumerate(fresh, len(log) + 1):
                self._record(stream, version, event)
            return len(grown)

    def _fresh(self) -> None:
        with self._locked(exclusive=False):
            self._catch_up()

    def stream_version(self, stream: str) -> int:
        """The stream's version (0 for none)."""
        self._fresh()
        return len(self._logs.get(check_stream(stream), ()))

    def read_stream(self, stream: str, from_version: int = 1) -> Iterator[Recorded]:
        """The stream's events from ``from_version`` on."""
        self._fresh()
        records = self._by_stream.get(check_stream(stream), [])
        return iter(records[max(from_version, 1) - 1 :])

    def read_all(self, from_position: int = 1, limit: int | None = None) -> Iterator[Recorded]:
        """Every event from ``from_position`` on, at most ``limit``."""
        self._fresh()
        records = self._all[max(from_position, 1) - 1 :]
        return iter(records if limit is None else records[:limit])

    def head(self) -> int:
        """The last global position."""
        self._fresh()
        return len(self._all)

    def streams(self) -> list[StreamInfo]:
        """Every stream, by name."""
        self._fresh()
        return [StreamInfo(name=name, version=len(log)) for name, log in sorted(self._logs.items())]

    def wait(self, after: int, timeout: float) -> None:
        """Poll: sleep ``timeout`` seconds unless an event after ``after`` is already there."""
        if self.head() <= after:
            time.sleep(timeout)

    def save_snapshots(self, snapshots: Sequence[Snapshot]) -> None:
        """Save snapshots, replacing those of the same names, by an atomic rename."""
        with self._locked(exclusive=True):
            saved = self._read_snapshots()
            saved.update({s.name: [s.tag, s.checkpoint, s.data] for s in snapshots})
            temporary = self._snapshots.with_suffix(".tmp")
            with temporary.open("w", encoding="utf-8") as stream:
                json.dump(saved, stream, ensure_ascii=False)
                stream.flush()
                os.fsync(stream.fileno())
            temporary.replace(self._snapshots)

    def _read_snapshots(self) -> dict[str, list[Any]]:
        try:
            saved: dict[str, list[Any]] = json.loads(self._snapshots.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return saved

    def load_snapshot(self, name: str) -> Snapshot | None:
        """The snapshot called ``name``, or ``None``."""
        with self._locked(exclusive=False):
            found = self._read_snapshots().get(name)
        return (
            None if found is None else Snapshot(name=name, tag=found[0], checkpoint=found[1], data=found[2])
        )

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
