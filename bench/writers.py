"""PostgreSQL with concurrent writers: total events a second of four processes appending at once
to one database, against one process appending everything, ours and eventsourcing's.

Each writer is a forked process (it inherits the generated batches, so nothing is pickled) that
owns some of the streams and appends their batches in order, as :func:`storage.ours_append` and
:func:`storage.es_append` do for every stream. Every writer opens its store or application first,
then waits at a barrier; the clock runs from the barrier to the last writer's exit. The one-writer
side runs through the same code with one process owning every stream, on a fresh database of its
own, so both sides pay for the same start and the same payloads.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from multiprocessing.synchronize import Barrier
from typing import Final

import storage
from _harness import Row, Value
from negotiations import to_json
from negotiations.stores import open_store

WRITERS: Final = 4
"""The concurrent writers of the figure."""

FIGURES: Final = {
    "ours": "postgres 4 writers vs 1: PostgresStore, events/s",
    "es": "postgres 4 writers vs 1: eventsourcing recorder, events/s",
}


def _shares(batches: storage.Batches, writers: int) -> list[storage.Batches]:
    """The batches, split by stream among ``writers``: each stream's batches go to one writer."""
    streams = list(dict.fromkeys(stream for stream, _ in batches))
    owner = {stream: i % writers for i, stream in enumerate(streams)}
    shares: list[storage.Batches] = [[] for _ in range(writers)]
    for stream, batch in batches:
        shares[owner[stream]].append((stream, batch))
    return shares


def _ours(url: str, share: storage.Batches, start: Barrier) -> None:
    with open_store(url) as store:
        start.wait()
        for stream, batch in share:
            store.append(stream, batch)


def _es(url: str, share: storage.Batches, start: Barrier) -> None:
    # The parent created the tables: four applications creating them at once make PostgreSQL fail
    # ("tuple concurrently updated").
    with storage.environment({**storage.es_postgres_env(url), "CREATE_TABLE": "no"}):
        app = storage.Negotiations()
    aggregates: dict[str, storage.Negotiation] = {}
    start.wait()
    for stream, batch in share:
        aggregate = aggregates.setdefault(stream, storage.Negotiation())
        for e in batch:
            aggregate.record(to_json(e))
        app.save(aggregate)
    app.close()


WRITE: Final[dict[str, Callable[[str, storage.Batches, Barrier], None]]] = {"ours": _ours, "es": _es}


def _writer(kind: str, url: str, share: storage.Batches, start: Barrier) -> None:
    """One writer's process: append ``share``; on failure, break the barrier so nobody waits."""
    try:
        WRITE[kind](url, share, start)
    except BaseException:
        start.abort()
        raise


def _prepare(kind: str, url: str) -> None:
    """Create the tables once, before the writers start, so they do not race to create them."""
    if kind == "ours":
        with open_store(url):
            return
    with storage.environment(storage.es_postgres_env(url)):
        storage.Negotiations().close()


def throughput(kind: str, url: str, batches: storage.Batches, writers: int, *, limit: float) -> float | None:
    """Events a second of ``writers`` processes appending ``batches`` to the fresh database at
    ``url``; ``None`` when they run past ``limit`` seconds (they are then stopped).
    """
    _prepare(kind, url)
    context = multiprocessing.get_context("fork")  # the children inherit the batches as they are
    start = context.Barrier(writers + 1)
    children = [
        context.Process(target=_writer, args=(kind, url, share, start), daemon=True)
        for share in _shares(batches, writers)
    ]
    for child in children:
        child.start()
    try:
        start.wait(timeout=120)
    except threading.BrokenBarrierError:
        for child in children:
            child.join(10)
            child.terminate()
        codes = [child.exitcode for child in children]
        raise RuntimeError(f"{kind}: a writer failed before it started (exit statuses {codes})") from None
    started = time.perf_counter()
    for child in children:
        child.join(max(limit - (time.perf_counter() - started), 0.0))
    seconds = time.perf_counter() - started
    late = [child for child in children if child.is_alive()]
    for child in late:
        child.terminate()
        child.join()
    if late:
        return None
    failed = [child.exitcode for child in children if child.exitcode]
    if failed:
        raise RuntimeError(f"{kind}: a writer failed with exit status {failed[0]}")
    return sum(len(batch) for _, batch in batches) / seconds


def rows(batches: storage.Batches, fresh: Callable[[], str], *, limit: float) -> list[Row]:
    """The two figures: 4 writers' events a second over one writer's, ours and eventsourcing's;
    ``fresh`` makes a new database and returns its URL.
    """
    out = []
    for kind, figure in FIGURES.items():
        try:
            one = throughput(kind, fresh(), batches, 1, limit=limit)
            four = throughput(kind, fresh(), batches, WRITERS, limit=limit)
        except RuntimeError as error:  # one figure lost, not the whole run's
            out.append(Row(figure, "x", Value(None, why=str(error))))
            continue
        if one is None or four is None:
            why = f"a side ran past {limit:g}s"
            out.append(Row(figure, "x", Value(None, why=why)))
            continue
        note = f"{four:,.0f} events/s with {WRITERS} writers, {one:,.0f} with 1; one database"
        out.append(Row(figure, "x", Value(four / one), note=note))
    return out
