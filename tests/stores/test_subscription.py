"""Catch-up subscriptions read while several writers append to several streams."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import ExitStack, closing

from negotiations.stores import EventStore, Recorded, open_store, subscribe

from ._harness import TIMEOUT, Child, Relay, Reply, spread, spread_task, statement

WRITERS = 3
APPENDS = 15
STREAMS = 3
EARLY = 10
POLL = 0.05


class Watched(Relay):
    """A store that remembers the position after which each :meth:`wait` waited."""

    def __init__(self, store: EventStore) -> None:
        super().__init__(store)
        self.waited: list[int] = []

    def wait(self, after: int, timeout: float) -> None:
        """Note ``after``, then wait."""
        self.waited.append(after)
        super().wait(after, timeout)


class Subscriber:
    """A thread that collects what :func:`subscribe` yields until it is stopped."""

    def __init__(self, store: EventStore, after: int = 0) -> None:
        self.received: list[Recorded] = []
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(store, after), daemon=True)
        self._thread.start()

    def _run(self, store: EventStore, after: int) -> None:
        try:
            for record in subscribe(store, after, stop=self._stop, poll=POLL):
                self.received.append(record)
        except BaseException as exc:  # noqa: BLE001 - reported by stop()
            self.errors.append(exc)

    def stop(self) -> list[Recorded]:
        """Stop the subscription, check that it ended cleanly, and return what it received."""
        self._stop.set()
        self._thread.join(TIMEOUT)
        assert not self._thread.is_alive(), "the subscription did not stop"
        assert not self.errors, f"the subscription failed: {self.errors[0]!r}"
        return self.received


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Return once ``condition()`` holds; fail after :data:`TIMEOUT` seconds."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting until {what}"
        time.sleep(0.01)


def write_in_threads(store: EventStore) -> list[Reply]:
    """Run the writers as threads sharing ``store`` (a memory store lives in one process)."""
    replies: list[Reply] = []
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            spread(store, worker, APPENDS, STREAMS, replies.append)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    assert not errors, f"a writer failed: {errors[0]!r}"
    return replies


def write_in_processes(url: str) -> list[Reply]:
    """Run the writers as processes, each with its own store, all starting at once."""
    with ExitStack() as stack:
        children = [
            stack.enter_context(Child(spread_task, url=url, worker=w, appends=APPENDS, streams=STREAMS))
            for w in range(WRITERS)
        ]
        for child in children:
            assert child.receive() == {"ready": True}
        for child in children:
            child.send("go")
        return [reply for child in children for reply in child.finish()]


def test_subscriber_sees_every_event_once_in_order(store_url: str) -> None:
    """A subscriber sees concurrent writers' events once each, in position order, also after catching up."""
    memory = store_url == "memory:"
    with ExitStack() as stack:
        store = open_store(store_url)
        stack.callback(store.close)
        store.append("early", [statement(f"early-{n}") for n in range(EARLY // 2)])
        store.append("s0", [statement(f"early-{n}") for n in range(EARLY // 2, EARLY)])

        watched = Watched(store if memory else stack.enter_context(closing(open_store(store_url))))
        subscriber = Subscriber(watched)
        wait_until(lambda: EARLY in watched.waited, "the subscriber caught up and waited")
        assert [r.position for r in subscriber.received] == list(range(1, EARLY + 1))

        replies = write_in_threads(store) if memory else write_in_processes(store_url)
        total = EARLY + sum(len(reply["ids"]) for reply in replies)
        wait_until(lambda: len(subscriber.received) >= total, f"the subscriber received {total} events")
        received = subscriber.stop()

        everything = list(store.read_all())
    assert len(everything) == total
    assert [r.position for r in received] == list(range(1, total + 1))
    assert received == everything
    acknowledged = {i for reply in replies for i in reply["ids"]}
    assert acknowledged <= {r.event.id for r in received}
    assert {r.stream for r in received} == {"early", *(f"s{n}" for n in range(STREAMS))}


def test_subscriber_starts_after_the_position_given(store_url: str) -> None:
    """A subscription from a position yields only the events after it, then new ones."""
    with ExitStack() as stack:
        store = open_store(store_url)
        stack.callback(store.close)
        store.append("a", [statement(f"a{n}") for n in range(4)])
        own = store if store_url == "memory:" else stack.enter_context(closing(open_store(store_url)))
        watched = Watched(own)
        subscriber = Subscriber(watched, after=2)
        wait_until(lambda: 4 in watched.waited, "the subscriber caught up and waited")
        store.append("b", [statement("b0"), statement("b1")])
        wait_until(lambda: len(subscriber.received) >= 4, "the subscriber received 4 events")
        received = subscriber.stop()
    assert [(r.position, r.event.id) for r in received] == [(3, "a2"), (4, "a3"), (5, "b0"), (6, "b1")]
