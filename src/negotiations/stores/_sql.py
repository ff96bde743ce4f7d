"""The SQL stores' shared body: one schema and one set of queries, run by SQLite and PostgreSQL.

Each append runs in one write transaction that the backend serialises (SQLite's ``BEGIN
IMMEDIATE``, PostgreSQL's table lock), so global positions are handed out and committed in
order, with no gaps: a reader that reads on from the last position it saw never skips an event.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Final, Protocol, Self

from negotiations.domain._converter import encode, load_json, structure, wire_type_of
from negotiations.domain.events import AMENDMENT_TYPES, Event
from negotiations.errors import ConcurrencyError
from negotiations.log import Key, defined_key, new_events, referenced_ids, referenced_key
from negotiations.stores._base import Recorded, Snapshot, StreamInfo, check_stream

_PAGE: Final = 1000


class Cursor(Protocol):
    """The part of a DB-API cursor the stores use."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any:  # noqa: ANN401 - DB-API
        """Run one statement."""

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], /) -> Any:  # noqa: ANN401 - DB-API
        """Run one statement per row."""

    def fetchone(self) -> Any:  # noqa: ANN401 - DB-API
        """One row, or ``None``."""

    def fetchall(self) -> list[Any]:
        """Every row."""


class SqlStore(ABC):
    """A store on a SQL database. Subclasses say how to connect and how to open transactions;
    queries are written with ``?`` placeholders and :attr:`placeholder` replaces them.
    """

    placeholder = "?"
    """The driver's parameter marker."""

    def __init__(self, url: str) -> None:
        self.url = url

    # -- what a backend provides ----------------------------------------------------------------

    @abstractmethod
    def _write(self) -> AbstractContextManager[Cursor]:
        """A cursor in a transaction that no other write runs beside, committed on exit."""

    @abstractmethod
    def _read(self) -> AbstractContextManager[Cursor]:
        """A cursor for reading."""

    @abstractmethod
    def wait(self, after: int, timeout: float) -> None:
        """Return once an event after ``after`` may be there, or after ``timeout`` seconds."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    @staticmethod
    def _decode(data: str | dict[str, Any]) -> Event:
        # Leniently: a store may hold events of kinds a newer library wrote (``import --lenient``).
        return structure(load_json(data) if isinstance(data, str) else data, lenient=True)

    # -- the store ------------------------------------------------------------------------------

    def append(self, stream: str, events: Sequence[Event], *, expected_version: int | None = None) -> int:
        """Append atomically; see :meth:`negotiations.stores.EventStore.append`."""
        check_stream(stream)
        with self._write() as cur:
            cur.execute(self._sql("SELECT version FROM streams WHERE name = ?"), (stream,))
            row = cur.fetchone()
            version = 0 if row is None else int(row[0])

            # Two queries for the whole batch, not two per event: the ids already in the stream,
            # and which of the keys the batch defines or refers to the stream already holds.
            asked = {i for e in events for i in (e.id, *referenced_ids(e))}
            held = self._held_events(cur, stream, list(asked))

            def get(event_id: str) -> Event | None:
                # The batch's ids and the ids it refers to are fetched above, in one query; a
                # correction of a correction also needs the event first corrected, fetched here.
                if event_id not in asked:
                    asked.add(event_id)
                    held.update(self._held_events(cur, stream, [event_id]))
                return held.get(event_id)

            wanted = {k[0] for e in events for k in (defined_key(e), referenced_key(e)) if k is not None}
            held_keys = self._held_keys(cur, stream, wanted)
            fresh = new_events(events, get, held_keys.__contains__, lambda: self._amendments(cur, stream))
            if not fresh:
                return version
            if expected_version is not None and expected_version != version:
                raise ConcurrencyError(stream, expected_version, version)
            cur.execute("SELECT COALESCE(MAX(position), 0) FROM events")
            position = int(cur.fetchone()[0])
            rows = [
                (
                    position + n,
                    stream,
                    version + n,
                    e.id,
                    wire_type_of(e),
                    encode(e),
                )
                for n, e in enumerate(fresh, 1)
            ]
            cur.executemany(
                self._sql(
                    "INSERT INTO events (position, stream, version, event_id, type, data) "
                    "VALUES (?, ?, ?, ?, ?, ?)"
                ),
                rows,
            )
            keys = [(stream, *k[0]) for k in map(defined_key, fresh) if k is not None]
            if keys:
                cur.executemany(self._sql("INSERT INTO keys (stream, kind, name) VALUES (?, ?, ?)"), keys)
            new_version = version + len(fresh)
            if row is None:
                cur.execute(
                    self._sql("INSERT INTO streams (name, version) VALUES (?, ?)"), (stream, new_version)
                )
            else:
                cur.execute(self._sql("UPDATE streams SET version = ? WHERE name = ?"), (new_version, stream))
            self._appended(cur, position + len(fresh))
            return new_version

    def _one_of(self, values: list[str]) -> tuple[str, tuple[Any, ...]]:
        """A condition that a column is one of ``values``, and its parameters: ``IN (?, ?, ...)``.
        PostgreSQL overrides it with one array parameter, which it plans once.
        """
        return f"IN ({', '.join('?' * len(values))})", tuple(values)

    def _held_events(self, cur: Cursor, stream: str, event_ids: list[str]) -> dict[str, Event]:
        """The events of ``stream`` with any of ``event_ids``, by id."""
        found: dict[str, Event] = {}
        unique = list(dict.fromkeys(event_ids))
        for start in range(0, len(unique), _PAGE):
            chunk = unique[start : start + _PAGE]
            within, params = self._one_of(chunk)
            query = f"SELECT event_id, data FROM events WHERE stream = ? AND event_id {within}"  # noqa: S608 - only markers
            cur.execute(self._sql(query), (stream, *params))
            found.update((event_id, self._decode(data)) for event_id, data in cur.fetchall())
        return found

    def _amendments(self, cur: Cursor, stream: str) -> list[Event]:
        """The retractions and corrections of ``stream``, in order."""
        within, params = self._one_of([t.wire_type for t in AMENDMENT_TYPES])
        query = f"SELECT data FROM events WHERE stream = ? AND type {within} ORDER BY version"  # noqa: S608 - only markers
        cur.execute(self._sql(query), (stream, *params))
        return [self._decode(data) for (data,) in cur.fetchall()]

    def _held_keys(self, cur: Cursor, stream: str, keys: set[Key]) -> set[Key]:
        """The keys among ``keys`` that ``stream`` defines."""
        held: set[Key] = set()
        for kind in {kind for kind, _ in keys}:
            names = sorted(name for k, name in keys if k == kind)
            for start in range(0, len(names), _PAGE):
                chunk = names[start : start + _PAGE]
                within, params = self._one_of(chunk)
                query = f"SELECT name FROM keys WHERE stream = ? AND kind = ? AND name {within}"  # noqa: S608 - only markers
                cur.execute(self._sql(query), (stream, kind, *params))
                held.update((kind, name) for (name,) in cur.fetchall())
        return held

    def _appended(self, cur: Cursor, head: int) -> None:  # noqa: B027 - a hook most backends skip
        """Called inside an append's transaction with the new head, for backends that notify."""

    def stream_version(self, stream: str) -> int:
        """The stream's version (0 for none)."""
        with self._read() as cur:
            cur.execute(self._sql("SELECT version FROM streams WHERE name = ?"), (check_stream(stream),))
            row = cur.fetchone()
        return 0 if row is None else int(row[0])

    def read_stream(self, stream: str, from_version: int = 1) -> Iterator[Recorded]:
        """The stream's events from ``from_version`` on, read a page at a time."""
        check_stream(stream)
        query = self._sql(
            "SELECT stream, version, position, data FROM events WHERE stream = ? AND version >= ? "
            "ORDER BY version LIMIT ?"
        )
        return self._pages(query, lambda last: (stream, last, _PAGE), max(from_version, 1), 1, _PAGE)

    def read_all(self, from_position: int = 1, limit: int | None = None) -> Iterator[Recorded]:
        """Every event from ``from_position`` on, at most ``limit``, read a page at a time."""
        page = _PAGE if limit is None else min(limit, _PAGE)
        query = self._sql(
            "SELECT stream, version, position, data FROM events WHERE position >= ? ORDER BY position LIMIT ?"
        )
        records = self._pages(query, lambda last: (last, page), max(from_position, 1), 2, page)
        if limit is None:
            return records
        return (record for record, _ in zip(records, range(limit), strict=False))

    def _pages(
        self, query: str, params: Callable[[int], tuple[Any, ...]], start: int, key: int, page: int
    ) -> Iterator[Recorded]:
        """Rows of ``query`` ``page`` at a time, each page starting after the last row's ``key``
        column.
        """
        next_start = start
        while True:
            with self._read() as cur:
                cur.execute(query, params(next_start))
                rows = cur.fetchall()
            for stream, version, position, data in rows:
                yield Recorded(stream=stream, version=version, position=position, event=self._decode(data))
            if len(rows) < page:
                return
            next_start = int(rows[-1][key]) + 1

    def head(self) -> int:
        """The last global position."""
        with self._read() as cur:
            cur.execute("SELECT COALESCE(MAX(position), 0) FROM events")
            return int(cur.fetchone()[0])

    def streams(self) -> list[StreamInfo]:
        """Every stream, by name."""
        with self._read() as cur:
            cur.execute("SELECT name, version FROM streams ORDER BY name")
            return [StreamInfo(name=name, version=int(version)) for name, version in cur.fetchall()]

    def save_snapshots(self, snapshots: Sequence[Snapshot]) -> None:
        """Save snapshots in one transaction, replacing those of the same names."""
        with self._write() as cur:
            cur.executemany(
                self._sql(
                    "INSERT INTO snapshots (name, tag, checkpoint, data) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET tag = excluded.tag, "
                    "checkpoint = excluded.checkpoint, data = excluded.data"
                ),
                [(s.name, s.tag, s.checkpoint, s.data) for s in snapshots],
            )

    def load_snapshot(self, name: str) -> Snapshot | None:
        """The snapshot called ``name``, or ``None``."""
        with self._read() as cur:
            cur.execute(
                self._sql("SELECT name, tag, checkpoint, data FROM snapshots WHERE name = ?"), (name,)
            )
            row = cur.fetchone()
        return None if row is None else Snapshot(name=row[0], tag=row[1], checkpoint=int(row[2]), data=row[3])


SCHEMA: Final = (
    """CREATE TABLE IF NOT EXISTS events (
        position BIGINT PRIMARY KEY,
        stream TEXT NOT NULL,
        version BIGINT NOT NULL,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        UNIQUE (stream, version),
        UNIQUE (stream, event_id)
    )""",
    """CREATE INDEX IF NOT EXISTS events_by_type ON events (stream, type)""",
    """CREATE TABLE IF NOT EXISTS streams (name TEXT PRIMARY KEY, version BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS keys (
        stream TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (stream, kind, name)
    )""",
    """CREATE TABLE IF NOT EXISTS snapshots (
        name TEXT PRIMARY KEY, tag TEXT NOT NULL, checkpoint BIGINT NOT NULL, data TEXT NOT NULL
    )""",
)
"""The tables every SQL store creates when it opens: events, stream versions, defined keys, and
the projection runner's snapshots."""
