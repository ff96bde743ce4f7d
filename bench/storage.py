"""Store figures: appends of 100 events a call and whole-store reads, ours against the
``eventsourcing`` library (9.5, application level) and against bare ``sqlite3``.

- Ours: :meth:`SQLiteStore.append` of the events 100 at a time, the streams in turn (durable:
  WAL, ``synchronous=FULL``); reading is ``read_all`` from a freshly opened store, decoding every
  event.
- eventsourcing: one aggregate per stream, one aggregate event per event carrying its JSON object
  (``to_json``), ``app.save`` after every 100; reading is ``app.notification_log.select`` a
  section at a time (sections of 1,000, our page) with ``app.mapper.to_domain_event``, then
  ``from_json`` of the payload, so that both sides end with validated events. Its SQLite runs in
  WAL mode with SQLite's default ``synchronous``, which :func:`sqlite_synchronous` reports.
- The floor: raw ``sqlite3`` as below, turning each event into its JSON-ready dict with
  ``to_json`` and writing its text as it goes (:func:`floor_append`), with ``json``'s C encoder
  and, when orjson is installed, with orjson. It checks nothing and looks nothing up, so no
  store in Python appends faster; against eventsourcing and against raw ``sqlite3`` it shows
  how near the targets a store can come at all.
- Raw ``sqlite3``: the payloads our store writes, already encoded, inserted 100 a transaction
  (``BEGIN IMMEDIATE``, ``executemany``, ``COMMIT``) into a table with our events table's keys,
  WAL, ``synchronous=FULL``; reading pages 1,000 rows at a time and decodes each with
  ``from_json(json.loads(...))``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from negotiations import Event, from_json, to_json
from negotiations.stores import open_store

Batches = list[tuple[str, list[Event]]]
RawRow = tuple[int, str, int, str, str, str]
"""A row of the raw table: position, stream, version, event id, type and the event's JSON text."""

RAW_SCHEMA = """CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL,
    event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
    UNIQUE (stream, version), UNIQUE (stream, event_id))"""
PAGE = 1000


class Negotiation(Aggregate):
    """One stream of events, as an eventsourcing aggregate."""

    @event("Recorded")
    def record(self, data: dict[str, Any]) -> None:
        """Record one of our events, as its JSON object."""


class Negotiations(Application[uuid.UUID]):
    """The eventsourcing application: reads its log in sections of our page size."""

    log_section_size = PAGE


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables (eventsourcing reads its settings there) for a while."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def es_sqlite_env(path: Path) -> dict[str, str]:
    """Eventsourcing's settings for an SQLite file."""
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def es_postgres_env(url: str) -> dict[str, str]:
    """Eventsourcing's settings for a ``postgresql://user@host:port/db`` URL."""
    rest = url.split("://", 1)[1]
    user, _, place = rest.rpartition("@")
    hostport, _, dbname = place.partition("/")
    host, _, port = hostport.partition(":")
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": host,
        "POSTGRES_PORT": port or "5432",
        "POSTGRES_USER": user.split(":")[0] or "postgres",
        "POSTGRES_PASSWORD": user.partition(":")[2],
    }


def ours_append(url: str, batches: Batches) -> None:
    """Append every batch to our store at ``url``."""
    with open_store(url) as store:
        for stream, batch in batches:
            store.append(stream, batch)


def ours_read(url: str) -> int:
    """Read and decode every event of our store at ``url``; return how many."""
    with open_store(url) as store:
        return sum(1 for _ in store.read_all())


def es_append(env: dict[str, str], batches: Batches) -> None:
    """Save every batch through an eventsourcing application (one aggregate per stream)."""
    with environment(env):
        app = Negotiations()
    aggregates: dict[str, Negotiation] = {}
    for stream, batch in batches:
        aggregate = aggregates.setdefault(stream, Negotiation())
        for e in batch:
            aggregate.record(to_json(e))
        app.save(aggregate)
    app.close()


def es_read(env: dict[str, str]) -> int:
    """Read the eventsourcing application's whole log, map it to domain events and decode each
    payload into our validated event; return how many.
    """
    with environment(env):
        app = Negotiations()
    count, start = 0, 1
    while True:
        notifications = app.notification_log.select(start, PAGE)
        for notification in notifications:
            domain_event: Any = app.mapper.to_domain_event(notification)
            if isinstance(domain_event, Negotiation.Recorded):  # not the aggregates' Created
                from_json(domain_event.data)
                count += 1
        if len(notifications) < PAGE:
            break
        start = notifications[-1].id + 1
    app.close()
    return count


def _text(value: Any) -> str:  # noqa: ANN401 - a JSON-ready value
    """An event's JSON text as the payloads have it."""
    return json.dumps(value, ensure_ascii=False)


def _rows(batches: Batches, dumps: Callable[[Any], str]) -> Iterator[list[RawRow]]:
    """The rows our store writes, a list per batch as it is asked for: each event numbered (its
    position in the store, its version in its stream) and its data written by ``dumps`` of
    :func:`to_json`. Made a batch at a time, so a caller that inserts each list as it comes
    encodes inside its own timing.
    """
    versions: dict[str, int] = {}
    position = 0
    for stream, batch in batches:
        chunk = []
        for e in batch:
            position += 1
            version = versions[stream] = versions.get(stream, 0) + 1
            chunk.append((position, stream, version, e.id, e.wire_type, dumps(to_json(e))))
        yield chunk


def payloads(batches: Batches) -> list[list[RawRow]]:
    """The rows our store writes, encoded beforehand, a list per batch."""
    return list(_rows(batches, _text))


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    return connection


def raw_append(path: Path, rows: Iterable[list[RawRow]]) -> None:
    """Insert the encoded rows with bare sqlite3, a transaction per batch."""
    connection = _connect(path)
    connection.execute(RAW_SCHEMA)
    insert = "INSERT INTO events (position, stream, version, event_id, type, data) VALUES (?, ?, ?, ?, ?, ?)"
    for chunk in rows:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(insert, chunk)
        connection.execute("COMMIT")
    connection.close()


def floor_append(path: Path, batches: Batches, dumps: Callable[[Any], str]) -> None:
    """The least a store written in Python can do: each event turned into its JSON-ready dict by
    ``to_json`` and written by ``dumps``, and the rows inserted as :func:`raw_append` does, with
    no check and no lookup. A store must at least visit every field of every event and write
    its text, and ``to_json`` and a C encoder are the fastest ways this library has.

    The rows are :func:`payloads`' rows, numbered the same way; only their encoding differs, and
    it happens here, a batch before its insert.
    """
    raw_append(path, _rows(batches, dumps))


def fast_dumps() -> Callable[[Any], str] | None:
    """The orjson encoder, giving text, when orjson is installed: compact (``{"a":1}``), so not our
    lines' bytes, but the fastest JSON writer there is.
    """
    try:
        import orjson  # noqa: PLC0415 - optional
    except ImportError:
        return None
    encode = orjson.dumps
    return lambda value: encode(value).decode()


def raw_read(path: Path) -> int:
    """Page through the raw table and decode every row with ``from_json``; return how many."""
    connection = _connect(path)
    count, after = 0, 0
    while True:
        rows = connection.execute(
            "SELECT position, data FROM events WHERE position > ? ORDER BY position LIMIT ?", (after, PAGE)
        ).fetchall()
        for _, data in rows:
            from_json(json.loads(data))
        count += len(rows)
        if len(rows) < PAGE:
            break
        after = rows[-1][0]
    connection.close()
    return count


def sqlite_synchronous() -> int:
    """SQLite's default ``synchronous`` level here (2 is FULL), which eventsourcing keeps."""
    connection = sqlite3.connect(":memory:")
    level: int = connection.execute("PRAGMA synchronous").fetchone()[0]
    connection.close()
    return level


def fresh(path: Path) -> Callable[[], None]:
    """A setup that removes the SQLite file at ``path`` and its WAL."""

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return remove
