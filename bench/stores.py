"""How fast each store appends and reads: one command, one table.

    .venv/bin/python bench/stores.py                 # 100,000 events
    .venv/bin/python bench/stores.py --quick         # 10,000 events
    .venv/bin/python bench/stores.py --postgres postgresql://bench@localhost:5432/bench

It builds N valid events with the seeded generator of ``bench/_data.py`` (the one
``bench/run.py`` uses), spread over a few streams. For each backend it then measures:

- appends: the events appended 100 at a time, the streams in turn; appends per second and events
  per second, each append durable as the backend makes it (SQLite and the file store ``fsync``);
- reads: every event appended, read back with ``read_all`` and decoded, from a freshly opened
  store (for the file store, opening is the reading: it decodes the whole file).

PostgreSQL runs only with ``--postgres URL``; give it a throwaway database. The benchmark appends
to streams named after the time it starts, and reads back only what it appended.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

from attrs import frozen

from _data import BATCH, STREAMS, generate
from negotiations.domain.events import Event
from negotiations.render import table
from negotiations.stores import EventStore, open_store


@frozen
class Result:
    """One backend's figures."""

    backend: str
    events: int
    appends: int
    append_seconds: float
    read_seconds: float
    read_events: int


def measure(backend: str, url: str, batches: list[tuple[str, list[Event]]]) -> Result:
    """Append every batch to the store at ``url``, then read it back from a fresh store."""
    store = open_store(url)
    start_position = store.head() + 1
    events = sum(len(batch) for _, batch in batches)
    gc.collect()
    started = time.perf_counter()
    for stream, batch in batches:
        store.append(stream, batch)
    append_seconds = time.perf_counter() - started
    if backend != "memory":  # a memory store cannot be opened again: it is its one object
        store.close()
    gc.collect()
    started = time.perf_counter()
    reader: EventStore = store if backend == "memory" else open_store(url)
    read = sum(1 for _ in reader.read_all(start_position))
    read_seconds = time.perf_counter() - started
    reader.close()
    if read != events:
        sys.exit(f"{backend}: read {read} events back, not the {events} appended")
    return Result(backend, events, len(batches), append_seconds, read_seconds, read)


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "-"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=100_000, help="how many events (default: 100,000)")
    parser.add_argument("--quick", action="store_true", help="10,000 events, for a quick look")
    parser.add_argument("--postgres", metavar="URL", help="also measure PostgreSQL at this URL")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed (default: 0)")
    args = parser.parse_args(argv)
    count = 10_000 if args.quick else args.events

    prefix = f"bench-{int(time.time())}"
    started = time.perf_counter()
    batches = generate(count, prefix, args.seed)
    # The generated events live through every measurement; keep the collector from walking them
    # again and again, so that the figures are the stores' and not the benchmark's own garbage.
    gc.collect()
    gc.freeze()
    print(
        f"generated {count:,} events in {len(batches):,} appends of up to {BATCH} "
        f"over {STREAMS} streams in {time.perf_counter() - started:.1f}s",
        file=sys.stderr,
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="negotiations-bench-") as tmp:
        backends = [
            ("memory", "memory:"),
            ("file", f"file:{Path(tmp) / 'events.jsonl'}"),
            ("sqlite", f"sqlite:{Path(tmp) / 'events.db'}"),
        ]
        if args.postgres:
            backends.append(("postgresql", args.postgres))
        for backend, url in backends:
            print(f"measuring {backend} ...", file=sys.stderr)
            results.append(measure(backend, url, batches))
    rows = [
        [
            r.backend,
            f"{r.events:,}",
            _rate(r.appends, r.append_seconds),
            _rate(r.events, r.append_seconds),
            f"{r.append_seconds:.2f}",
            _rate(r.read_events, r.read_seconds),
            f"{r.read_seconds:.2f}",
        ]
        for r in results
    ]
    headers = ["BACKEND", "EVENTS", "APPENDS/S", "APPENDED EVENTS/S", "APPEND S", "READ EVENTS/S", "READ S"]
    print(table(headers, rows, width=120))
    return 0


if __name__ == "__main__":
    sys.exit(main())
