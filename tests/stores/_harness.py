"""Helpers for the store tests that need more than one process: tasks to run in a child process,
:class:`Child` to run one and talk to it, and :class:`Relay`, a store that passes its calls on.

Children are forked by a ``multiprocessing`` fork server that has imported ``negotiations`` once,
so a child starts in a few milliseconds, not the half second a new interpreter takes to import it,
and yet shares nothing with the test process: no thread, no open store. A task sends each reply
over a pipe as soon as what it reports is done, so a reply the parent has read is a fact the child
had acknowledged before it died.
"""

from __future__ import annotations

import multiprocessing
import random
import signal
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from typing import Any, Final, Self

from negotiations.domain.events import Event, StatementMade
from negotiations.domain.values import PartialDate, Party
from negotiations.errors import ConcurrencyError
from negotiations.services import ProjectionRunner
from negotiations.stores import EventStore, Recorded, Snapshot, StreamInfo, open_store

__all__ = [
    "TIMEOUT",
    "Child",
    "Relay",
    "Reply",
    "contend",
    "project",
    "spread",
    "spread_task",
    "statement",
    "write_batches",
]

TIMEOUT: Final = 60.0
"""How many seconds a test waits for a child or a thread before it fails rather than hangs."""

_ORPHAN_SECONDS: Final = 120.0
"""How long an endless task runs at most, so that a child whose test died stops by itself."""

_CONTEXT: Final = multiprocessing.get_context("forkserver")
# The fork server cannot preload this module: Python 3.11's ignores the sys.path it is given, and
# this module is found only through the path pytest adds. Each child imports it (milliseconds,
# once these are loaded) and runs pytest's script again as its main module, importing pytest.
_CONTEXT.set_forkserver_preload(["pytest", "negotiations.stores"])

Reply = dict[str, Any]
Emit = Callable[[Reply], None]

_parent: Connection | None = None
"""In a child, its pipe to the parent."""


def statement(event_id: str) -> StatementMade:
    """A valid statement with the given id."""
    return StatementMade(
        id=event_id,
        occurred=PartialDate.parse("2025-07-21"),
        recorded=datetime(2025, 7, 21, 9, 0, tzinfo=UTC),
        party=Party("UKR"),
        summary="said something",
    )


# -- the tasks, run in a child process ----------------------------------------------------------


def _emit(reply: Reply) -> None:
    assert _parent is not None
    _parent.send(reply)


def _ready() -> None:
    """Say the store is open, then wait for the parent's go, so that every child starts at once."""
    _emit({"ready": True})
    assert _parent is not None
    _parent.recv()


def _run(task: Callable[..., None], parent: Connection, arguments: Mapping[str, object]) -> None:
    """Run ``task`` in a child; send its traceback, if it fails, as the last reply."""
    global _parent  # noqa: PLW0603 - one pipe per child process
    _parent = parent
    try:
        task(**arguments)
    except BaseException:
        _emit({"error": traceback.format_exc()})
        raise


def contend(url: str, stream: str, worker: int, appends: int) -> None:
    """Append ``appends`` batches of one to three events to ``stream``, each expecting the version
    just read; on a :class:`ConcurrencyError`, report it, read the version again and retry.
    """
    store = open_store(url)
    _ready()
    for n in range(appends):
        batch = [statement(f"w{worker}-{n}-{k}") for k in range(n % 3 + 1)]
        while True:
            read = store.stream_version(stream)
            # Widen the window between reading and writing, in which another writer may get in.
            time.sleep(random.random() / 500)  # noqa: S311 - not cryptography
            try:
                version = store.append(stream, batch, expected_version=read)
            except ConcurrencyError as exc:
                _emit({"conflict": {"read": read, "expected": exc.expected, "actual": exc.actual}})
            else:
                _emit({"ids": [event.id for event in batch], "read": read, "version": version})
                break
    store.close()


def spread(store: EventStore, worker: int, appends: int, streams: int, emit: Emit) -> None:
    """Append ``appends`` batches of one or two events, going round ``streams`` streams, and
    ``emit`` each acknowledged one.
    """
    for n in range(appends):
        stream = f"s{(worker + n) % streams}"
        batch = [statement(f"w{worker}-{n}-{k}") for k in range(n % 2 + 1)]
        version = store.append(stream, batch)
        emit({"stream": stream, "ids": [event.id for event in batch], "version": version})


def spread_task(url: str, worker: int, appends: int, streams: int) -> None:
    """:func:`spread` on the store at ``url``, once the parent says go."""
    store = open_store(url)
    _ready()
    spread(store, worker, appends, streams, _emit)
    store.close()


def write_batches(url: str, tag: str) -> None:
    """Append batches of two to four events to two streams, without end, until killed. Each id
    tells its batch and the batch's size: ``{tag}-{n}-{k}of{size}``.
    """
    store = open_store(url)
    _emit({"ready": True})
    deadline = time.monotonic() + _ORPHAN_SECONDS
    n = 0
    while time.monotonic() < deadline:
        size = 2 + n % 3
        stream = f"s{n % 2}"
        batch = [statement(f"{tag}-{n}-{k}of{size}") for k in range(size)]
        version = store.append(stream, batch)
        _emit({"stream": stream, "ids": [event.id for event in batch], "version": version})
        n += 1


class _ReportingRunner(ProjectionRunner):
    """A runner that reports each checkpoint it saves, then pauses, so a kill can land mid-way."""

    pause = 0.0

    def save(self) -> None:
        super().save()
        _emit({"saved": self.checkpoint})
        time.sleep(self.pause)


def project(url: str, save_every: int, pause: float) -> None:
    """Catch a runner of every view over every stream up, reporting where it started and each
    checkpoint it saves.
    """
    store = open_store(url)
    _ReportingRunner.pause = pause
    runner = _ReportingRunner(store, save_every=save_every)
    _emit({"start": runner.checkpoint, "rebuilt": runner.rebuilt})
    runner.catch_up()
    _emit({"done": runner.checkpoint})
    store.close()


# -- the parent's side --------------------------------------------------------------------------


class Child:
    """A task of this module run in a child process: send it messages, receive its replies.

    Leaving the ``with`` block kills the child if it still runs, and closes the pipe.
    """

    def __init__(self, task: Callable[..., None], **arguments: object) -> None:
        self.task = task.__name__
        self._pipe, there = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_run, args=(task, there, arguments), daemon=True)
        self.process.start()
        there.close()

    def send(self, message: object) -> None:
        """Send ``message`` to the child."""
        self._pipe.send(message)

    def receive(self, timeout: float = TIMEOUT) -> Reply:
        """The child's next reply; fail if it fails, exits or stays silent for ``timeout`` seconds."""
        if not self._pipe.poll(timeout):
            raise AssertionError(f"{self.task}: no reply within {timeout} s")
        try:
            reply: Reply = self._pipe.recv()
        except EOFError:
            self.process.join(timeout)
            raise AssertionError(f"{self.task} exited with {self.process.exitcode} before replying") from None
        assert "error" not in reply, f"{self.task} failed:\n{reply['error']}"
        return reply

    def gather(self, seconds: float) -> list[Reply]:
        """The replies that arrive within ``seconds``; fail if the child fails or exits."""
        deadline = time.monotonic() + seconds
        replies = []
        while (left := deadline - time.monotonic()) > 0 and self._pipe.poll(left):
            replies.append(self.receive(0))
        return replies

    def _rest(self) -> list[Reply]:
        """The replies not yet received, up to the end of the pipe; a torn last one is dropped."""
        replies = []
        while self._pipe.poll(0):
            try:
                replies.append(self._pipe.recv())
            except (EOFError, OSError):
                break
        errors = [reply["error"] for reply in replies if "error" in reply]
        assert not errors, f"{self.task} failed:\n{errors[0]}"
        return replies

    def finish(self, timeout: float = TIMEOUT) -> list[Reply]:
        """Wait for the child to end by itself, check that it succeeded, and return the replies not
        yet received. They are read as they come, so that a full pipe never stalls the child.
        """
        deadline = time.monotonic() + timeout
        replies = []
        while True:
            if not self._pipe.poll(max(deadline - time.monotonic(), 0)):
                raise AssertionError(f"{self.task} did not finish within {timeout} s")
            try:
                replies.append(self._pipe.recv())
            except EOFError:  # the child has ended
                break
        self.process.join(timeout)
        errors = [reply["error"] for reply in replies if "error" in reply]
        assert not errors, f"{self.task} failed:\n{errors[0]}"
        assert self.process.exitcode == 0, f"{self.task} ended with exit code {self.process.exitcode}"
        return replies

    def kill(self) -> list[Reply]:
        """Kill the child with SIGKILL, check that it was still running, and return the replies
        not yet received.
        """
        self.process.kill()
        self.process.join(TIMEOUT)
        replies = self._rest()
        code = self.process.exitcode
        assert code == -signal.SIGKILL, f"{self.task} had already ended with exit code {code}"
        return replies

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        if self.process.exitcode is None:
            self.process.kill()
        self.process.join(TIMEOUT)
        self.process.close()
        self._pipe.close()


class Relay:
    """A store that passes every call on to ``store``; subclasses watch or break some of them."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.url = store.url

    def append(self, stream: str, events: Sequence[Event], *, expected_version: int | None = None) -> int:
        """Append to the store."""
        return self.store.append(stream, events, expected_version=expected_version)

    def stream_version(self, stream: str) -> int:
        """The store's stream version."""
        return self.store.stream_version(stream)

    def read_stream(self, stream: str, from_version: int = 1) -> Iterator[Recorded]:
        """Read a stream of the store."""
        return self.store.read_stream(stream, from_version)

    def read_all(self, from_position: int = 1, limit: int | None = None) -> Iterator[Recorded]:
        """Read every stream of the store."""
        return self.store.read_all(from_position, limit)

    def head(self) -> int:
        """The store's head."""
        return self.store.head()

    def streams(self) -> list[StreamInfo]:
        """The store's streams."""
        return self.store.streams()

    def wait(self, after: int, timeout: float) -> None:
        """Wait on the store."""
        self.store.wait(after, timeout)

    def save_snapshots(self, snapshots: Sequence[Snapshot]) -> None:
        """Save snapshots in the store."""
        self.store.save_snapshots(snapshots)

    def load_snapshot(self, name: str) -> Snapshot | None:
        """Load a snapshot from the store."""
        return self.store.load_snapshot(name)

    def close(self) -> None:
        """Close the store."""
        self.store.close()
