"""The JSON Lines file store (``file:PATH.jsonl``): every stream in one append-only text file that
reads well in a diff and in git.

Each line is an event in the format of :mod:`negotiations.codec`, with one more key first:
``stream``, the stream it belongs to. The first line of an append of several events also carries
``batch``, how many lines the append wrote; that is how a torn append is told from a whole one.
A line's global position is its number in the file.

Writers take an exclusive ``flock`` on the file, read whatever other processes appended, write the
batch and ``fsync`` it. A crash can leave only a torn tail: an incomplete last line (no newline,
and a prefix of a line this store writes), or fewer lines than the last ``batch`` announced.
Readers pass over it. The next writer cuts the file back to the last whole append, logs a warning
naming the lines, and keeps :attr:`JsonlStore.recovered` as the report; nothing before it is lost.
A whole last line that lacks only its newline is not torn: it is read, and the next writer writes
the newline before its own lines.

Anything else is refused with a :class:`~negotiations.errors.StoreError` naming the file, the line
and what is wrong, and the file is left as it was: a file that is not one of this store's (not
JSON, or a plain event log, whose lines have no ``stream``), a complete line that is not valid,
and a path that is not a regular file (``/dev/null``, a directory, a FIFO).

Opened with ``readonly=True``, the store never writes: it does not create the file or its
directory, does not cut a torn tail, and refuses appends.

Snapshots live beside the file, in ``PATH.snapshots.json``, replaced atomically
(:class:`~negotiations.stores._snapfile.SnapshotFile`).
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import stat
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from io import FileIO
from pathlib import Path

from negotiations.codec import dump_json, unstructure, wire_type_of
from negotiations.domain.events import Event, OpaqueEvent
from negotiations.errors import LogError, StoreError
from negotiations.log import Key, recorded_keys
from negotiations.stores._base import Snapshot, StreamInfo, file_kind
from negotiations.stores._lines import LINE_START, Refused, is_whole, not_torn, parse, refusal
from negotiations.stores._recorder import NewRow, Row
from negotiations.stores._rows import RowTable, TableTransaction
from negotiations.stores._snapfile import SnapshotFile
from negotiations.stores._store import Batch, RecorderStore, check_batch

__all__ = ["JsonlRecorder", "JsonlStore"]

_log = logging.getLogger(__name__)


class JsonlStore(RecorderStore):
    """A store in one JSON Lines file. Safe for several threads and processes.

    With ``readonly``, the store only reads: a missing file is a :class:`StoreError`, a torn tail
    is left for the next writer, and appends and snapshots raise :class:`StoreError`.

    Raises:
        StoreError: the file cannot be opened, is not a file store, or is damaged (anywhere but
            a torn tail).

    """

    recorder: JsonlRecorder

    def __init__(self, path: str | Path, *, url: str | None = None, readonly: bool = False) -> None:
        super().__init__(JsonlRecorder(path, url=url, readonly=readonly))
        self.path = self.recorder.path
        """The file."""

    @property
    def recovered(self) -> str | None:
        """What opening the store, or a later append, cut from a torn tail, or ``None``."""
        return self.recorder.recovered


class JsonlRecorder:
    """The rows of a store in one JSON Lines file, and a copy of them in memory; see
    :class:`JsonlStore`.
    """

    insert_finds_repeats = False
    keeps_events = False  # it writes their text, and keeps the events it read and wrote

    def __init__(self, path: str | Path, *, url: str | None = None, readonly: bool = False) -> None:
        self.path = Path(path)
        self.url = url or f"file:{path}"
        self.name = f"the file store {self.path}"
        self.readonly = readonly
        self.recovered: str | None = None
        """What opening the store cut from a torn tail, or ``None``."""
        self._table = RowTable()
        self._offset = 0
        self._unterminated = False  # whether the last whole line read has no newline after it
        self._lock = threading.RLock()
        self._file = self._open()
        self._snapshots = SnapshotFile(self.path.with_name(self.path.name + ".snapshots.json"))
        try:
            with self._locked(exclusive=not readonly):
                self._catch_up(repair=not readonly)
        except BaseException:
            self._file.close()  # a damaged file must not leave the file open
            raise

    def _open(self) -> FileIO:
        """The file, opened to read (and, unless read-only, to append), once it is known to be a
        regular file. A FIFO is never waited on, and nothing is created for a reader.
        """
        try:
            self._check_regular(self.path.stat().st_mode)
        except FileNotFoundError:
            if self.readonly:
                reason = f"the file store {self.path} does not exist yet; import a log to create it"
                raise StoreError(reason) from None
        except OSError as exc:
            raise StoreError(f"cannot open the file store {self.path}: {exc.strerror or exc}") from None
        flags = os.O_RDONLY if self.readonly else os.O_RDWR | os.O_APPEND | os.O_CREAT
        try:
            if not self.readonly:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.path, flags | os.O_NONBLOCK | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            raise StoreError(f"cannot open the file store {self.path}: {exc.strerror or exc}") from None
        try:
            self._check_regular(os.fstat(descriptor).st_mode)  # it may have changed since
            os.set_blocking(descriptor, True)
            return FileIO(descriptor, "r" if self.readonly else "a+")
        except BaseException:
            os.close(descriptor)
            raise

    def _check_regular(self, mode: int) -> None:
        if not stat.S_ISREG(mode):
            reason = f"cannot open the file store {self.path}: it is {file_kind(mode)}, not a regular file"
            raise StoreError(reason)

    @contextmanager
    def _locked(self, *, exclusive: bool) -> Iterator[None]:
        with self._lock:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)

    def _catch_up(self, *, repair: bool = False) -> None:
        """Read the whole appends written since the last read; with ``repair``, cut a torn tail.

        Raises:
            StoreError: a line other than a torn tail is not one this store writes.

        """
        tail = self._tail()
        *lines, rest = tail.split(b"\n")  # ``rest``: what follows the last newline, if anything
        torn = bool(rest) and not is_whole(rest)
        if rest and not torn:
            lines.append(rest)  # a whole last line that lacks only its newline, as editors may save it
        number = len(self._table.rows)  # the number of the line before the first one read
        pending: list[tuple[int, str, Event]] = []  # the lines of the append under way
        expected = 0  # how many lines that append has
        start = whole = self._offset  # where the line read starts; just after the last whole append
        for raw in lines:
            number += 1
            stream, size, event = self._line(number, raw, pending, expected)
            if not pending:
                expected = size or 1
            pending.append((number, stream, event))
            start = min(start + len(raw) + 1, self._offset + len(tail))
            if len(pending) == expected:
                self._commit(pending)
                pending = []
                whole = start
        if torn and not LINE_START.startswith(rest[: len(LINE_START)]):
            raise refusal(self.path, number + 1, not_torn(rest))
        if whole > self._offset:
            self._unterminated = not tail[: whole - self._offset].endswith(b"\n")
        if whole != self._offset + len(tail) and repair:
            self._cut(tail[whole - self._offset :], whole)
        self._offset = whole

    def _tail(self) -> bytes:
        """What the file holds past the last whole append read, less the newline a writer put
        after a last line that had none.
        """
        try:
            self._file.seek(self._offset)
            tail = self._file.readall()
        except OSError as exc:
            raise StoreError(f"cannot read the file store {self.path}: {exc.strerror or exc}") from None
        if self._unterminated and tail:
            if not tail.startswith(b"\n"):
                what = "had no newline, and now runs on: it was changed after it was read"
                raise refusal(self.path, len(self._table.rows), Refused(what))
            self._offset += 1
            self._unterminated = False
            return tail[1:]
        return tail

    def _line(
        self, number: int, raw: bytes, pending: list[tuple[int, str, Event]], expected: int
    ) -> tuple[str, int | None, Event]:
        """Line ``number``'s stream, ``batch`` and event, checked against the append under way.

        Raises:
            StoreError: the line is not one this store writes there.

        """
        try:
            stream, size, event = parse(raw)
        except Refused as refused:
            raise refusal(self.path, number, refused) from None
        if pending and size is not None:
            what = f"starts an append inside the one of {expected} lines that line {pending[0][0]} starts"
            raise refusal(self.path, number, Refused(what))
        if pending and stream != pending[0][1]:
            what = f"is of stream '{stream}', inside an append to '{pending[0][1]}'"
            raise refusal(self.path, number, Refused(what))
        return stream, size, event

    def _cut(self, torn: bytes, whole: int) -> None:
        """Cut the torn tail ``torn`` off, back to ``whole`` bytes, and report it.

        Under the exclusive flock no append is under way, so an unfinished tail is a crashed
        writer's. Readers leave it for the next writer, which holds that lock, to cut.
        """
        dropped = torn.decode("utf-8", "replace")
        self.recovered = f"cut a torn append of {len(dropped.splitlines())} line(s): {dropped[:200]!r}"
        _log.warning("%s: %s", self.path, self.recovered)
        try:
            self._file.truncate(whole)
            os.fsync(self._file.fileno())
        except OSError as exc:
            raise StoreError(f"cannot cut the torn tail of {self.path}: {exc.strerror or exc}") from None

    def _commit(self, batch: list[tuple[int, str, Event]]) -> None:
        """Take in a whole append read from the file, all of it or (raising) none of it.

        A file is text that anyone may have edited, so what it holds must pass the checks an
        append passes, run by the store's one check: on the whole append, and only when that
        refuses it, an event at a time, to name the line.
        """
        stream = batch[0][1]
        events = [event for _, _, event in batch]
        try:
            whole = len(check_batch(TableTransaction(self._table, stream), stream, Batch(events), self.name))
        except LogError:
            whole = 0
        tx = TableTransaction(self._table, stream)
        if whole < len(events):
            self._refuse(tx, batch)
        keys = [key for event in events for key in recorded_keys(event)]
        tx.insert([NewRow(e.id, wire_type_of(e), "", e) for e in events], keys)
        tx.commit()

    def _refuse(self, tx: TableTransaction, batch: list[tuple[int, str, Event]]) -> None:
        """Raise the error that names the first line of ``batch`` that does not fit its stream."""
        stream = batch[0][1]
        for number, _, event in batch:
            try:
                fresh = check_batch(tx, stream, Batch([event]), self.name)
            except LogError as exc:
                what = f"does not fit its stream '{stream}': {exc}"
                raise refusal(self.path, number, Refused(what)) from None
            if not fresh:
                what = f"repeats event '{event.id}' of stream '{stream}'"
                raise refusal(self.path, number, Refused(what))
            tx.insert([NewRow(event.id, wire_type_of(event), "", event)], recorded_keys(event))

    @contextmanager
    def transaction(self, stream: str) -> Iterator[TableTransaction]:
        """An append's transaction: under the exclusive lock, after reading what others appended."""
        with self._locked(exclusive=True):
            self._catch_up(repair=True)
            tx = _FileTransaction(self, stream)
            yield tx
            tx.commit()

    def _lines(self, stream: str, rows: Sequence[NewRow]) -> bytes:
        """The lines of an append of ``rows`` to ``stream``, a newline first where the last line
        lacks its own, so that it stays a line of its own.

        Raises:
            StoreError: an event has a field that the file keeps for itself.

        """
        lines = [b"\n"] if self._unterminated else []
        for n, row in enumerate(rows):
            if type(row.event) is OpaqueEvent and {"stream", "batch"} & unstructure(row.event).keys():
                reason = "a field named 'stream' or 'batch', which this file keeps for itself"
                raise StoreError(f"cannot store event '{row.event_id}' in {self.path}: it has {reason}")
            # The event's own text, after the keys of the file: ``dump_json(head | event)``.
            head = f'{{"stream": {dump_json(stream)}' + (
                f', "batch": {len(rows)}' if n == 0 and len(rows) > 1 else ""
            )
            lines.append(f"{head}, {row.data[1:]}\n".encode())
        return b"".join(lines)

    def _write(self, data: bytes) -> None:
        """Write ``data`` at the end of the file and ``fsync`` it; on a failure, cut the file back
        to its last whole append and raise :class:`StoreError`.
        """
        try:
            view = memoryview(data)
            while view:
                written = self._file.write(view)
                if not written:  # a regular file takes some bytes or fails; never hang here
                    raise OSError(errno.EIO, os.strerror(errno.EIO))  # noqa: TRY301 - handled as one
                view = view[written:]
            os.fsync(self._file.fileno())
        except OSError as exc:
            with suppress(OSError):  # if even this fails, the next writer cuts the torn tail
                self._file.truncate(self._offset)
                os.fsync(self._file.fileno())
            reason = f"cannot write to the file store {self.path}: {exc.strerror or exc}; nothing was written"
            raise StoreError(reason) from None
        self._offset += len(data)
        self._unterminated = False

    def _fresh(self) -> None:
        with self._locked(exclusive=False):
            self._catch_up()

    def stream_version(self, stream: str) -> int:
        """How many rows ``stream`` holds."""
        self._fresh()
        return self._table.version(stream)

    def read_stream(self, stream: str, from_version: int) -> Iterator[Row]:
        """The rows of ``stream`` from ``from_version`` on."""
        self._fresh()
        return self._table.read_stream(stream, from_version)

    def read_all(self, from_position: int, limit: int | None) -> Iterator[Row]:
        """The rows from ``from_position`` on, at most ``limit``."""
        self._fresh()
        return self._table.read_all(from_position, limit)

    def head(self) -> int:
        """The last position."""
        self._fresh()
        return len(self._table.rows)

    def streams(self) -> list[StreamInfo]:
        """Every stream, by name."""
        self._fresh()
        return self._table.streams()

    def wait(self, after: int, timeout: float) -> None:
        """Poll: sleep ``timeout`` seconds unless an event after ``after`` is already there."""
        if self.head() <= after:
            time.sleep(timeout)

    def save_snapshots(self, snapshots: Sequence[Snapshot]) -> None:
        """Save snapshots, replacing those of the same names, by an atomic rename."""
        with self._locked(exclusive=True):
            self._snapshots.save(snapshots)

    def load_snapshot(self, name: str) -> Snapshot | None:
        """The snapshot called ``name``, or ``None``."""
        with self._locked(exclusive=False):
            return self._snapshots.load(name)

    def close(self) -> None:
        """Close the file."""
        self._file.close()


class _FileTransaction(TableTransaction):
    """An append's transaction on the file: an insert writes the lines and ``fsync`` s them."""

    def __init__(self, recorder: JsonlRecorder, stream: str) -> None:
        super().__init__(recorder._table, stream)  # noqa: SLF001 - its recorder's table
        self.recorder = recorder

    def insert(self, rows: Sequence[NewRow], keys: Sequence[Key]) -> bool:
        """Write the rows' lines, then stage them."""
        self.recorder._write(self.recorder._lines(self.stream, rows))  # noqa: SLF001 - its recorder's file
        return super().insert(rows, keys)
