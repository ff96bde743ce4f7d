"""The SQL stores' shared body: one schema (give or take a column type) and one set of queries, run
by SQLite and PostgreSQL.

Each append runs in one write transaction that the backend serialises (SQLite's ``BEGIN
IMMEDIATE``, PostgreSQL's table lock), so global positions are handed out and committed in
order, with no gaps: a reader that reads on from the last position it saw never skips an event.

A stored row that is not JSON, or not a valid event, is a :class:`StoreError` that names the
store, the stream, the version and position, and what is wrong: never a traceback.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Container, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Final, Protocol, Self

from negotiations.codec import encode, load_json, structure, wire_type_of
from negotiations.domain.events import AMENDMENT_TYPES, Event
from negotiations.errors import ConcurrencyError, LogError, NegotiationsError, StoreError
from negotiations.log import Key, defined_key, new_events, referenced_ids, referenced_key
from negotiations.stores._base import Recorded, Snapshot, StreamInfo, check_stream

_PAGE: Final = 1000

TABLES: Final = {
    "events": frozenset({"position", "stream", "version", "event_id", "type", "data"}),
    "streams": frozenset({"name", "version"}),
    "keys": frozenset({"stream", "kind", "name"}),
    "snapshots": frozenset({"name", "tag", "checkpoint", "data"}),
}
"""The tables of a SQL store, and the columns each has (at least)."""

READ_TABLES: Final = ("events", "streams", "keys")
"""The tables a store must have to be read: a store opened read-only creates none."""


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

    @property
    def rowcount(self) -> int:
        """How many rows the last statement wrote (summed over ``executemany``)."""


class SqlStore(ABC):
    """A store on a SQL database. Subclasses say how to connect and how to open transactions;
    queries are written with ``?`` placeholders and :attr:`placeholder` replaces them.
    """

    placeholder = "?"
    """The driver's parameter marker."""

    one_lookup_query = False
    """Whether :meth:`_lookup` runs its queries as one (``UNION ALL``): worth it where each query
    is a round trip to a server. SQLite runs them one by one instead, so that its statements take
    a few shapes, each prepared once and kept, rather than one for each mix of sizes.
    """

    insert_finds_repeats = False
    """Whether :meth:`_insert` tells when a row's event id is already in its stream, writing
    nothing for it. Such a backend looks up only the keys and the ids a batch refers to before it
    inserts, and leaves the batch's own ids to the events table's unique key: see :meth:`append`.
    """

    def __init__(self, url: str, *, name: str, readonly: bool = False) -> None:
        self.url = url
        self.name = name
        """The store in words, as its errors name it: ``the SQLite store events.db``."""
        self.readonly = readonly
        """Whether the store was opened only to read: then it never writes."""

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

    def _decode(self, data: str, where: str) -> Event:
        """The event stored as ``data`` at ``where`` (``stream 's' version 3``).

        Raises:
            StoreError: ``data`` is not JSON, or not a valid event.

        """
        try:
            # Leniently: a store may hold events of kinds a newer library wrote (``import --lenient``).
            return structure(load_json(data), lenient=True)
        except (ValueError, TypeError, NegotiationsError) as exc:
            raise self._damaged(where, exc) from None

    def _damaged(self, where: str, exc: Exception) -> StoreError:
        """The error for a stored row at ``where`` that :meth:`_decode` could not read."""
        what = (
            f"is not a valid event ({exc})" if isinstance(exc, NegotiationsError) else f"is not JSON ({exc})"
        )
        return StoreError(f"{self.name} is damaged: the event at {where} {what}")

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(f"cannot write to {self.name}: it was opened read-only")

    def _check_tables(self, columns: dict[str, set[str]], *, readonly: bool) -> None:
        """Refuse a database that is not a store of this library, given the ``columns`` of each
        of its tables: one with other tables is another application's, and one of our tables
        without our columns is not ours either. Opened ``readonly``, a database without the
        tables a store is read from has no store yet.

        Raises:
            StoreError: the database is not a store, or (``readonly``) holds none yet.

        """
        foreign = sorted(set(columns) - set(TABLES))
        if foreign:
            shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")  # noqa: PLR2004 - a few names
            reason = f"it is another application's database, with tables a store does not have ({shown})"
            raise StoreError(f"cannot open {self.name}: {reason}; it was left as it is")
        for table, has in sorted(columns.items()):
            lacking = sorted(TABLES[table] - has)
            if lacking:
                reason = f"its table {table} lacks the columns {', '.join(lacking)} of a store's"
                raise StoreError(f"cannot open {self.name}: {reason}; it was left as it is")
        if readonly and not set(READ_TABLES) <= set(columns):
            raise StoreError(f"{self.name} does not exist yet; import a log to create it")

    # -- the store ------------------------------------------------------------------------------

    def append(self, stream: str, events: Sequence[Event], *, expected_version: int | None = None) -> int:
        """Append atomically; see :meth:`negotiations.stores.EventStore.append`.

        Every id of the batch has to be looked for in the stream, to skip retries and refuse other
        content under a known id, and that lookup costs about what inserting the rows does. An
        append is almost always of new events, so where :attr:`insert_finds_repeats`, it first
        assumes that no id of the batch is in the stream, and lets the insert prove it: the events
        table's unique key on ``(stream, event_id)`` probes each id anyway. When the insert finds
        an id already there, or the checks refuse the batch or a stale ``expected_version`` would
        (either may come of a retry the assumption hid), that transaction is rolled back, having
        written nothing, and the append runs again in a new one, looking every id up.
        """
        check_stream(stream)
        self._check_writable()
        batch = _Batch(events)  # before the transaction, so that the lock is held for less
        if self.insert_finds_repeats:
            try:
                return self._append(stream, batch, expected_version, trusting=True)
            except _Unsure:
                pass
        return self._append(stream, batch, expected_version, trusting=False)

    def _append(self, stream: str, batch: _Batch, expected_version: int | None, *, trusting: bool) -> int:
        """One attempt at an append, in one transaction. ``trusting``: assume that no id of the
        batch is in the stream, and raise :class:`_Unsure` (writing nothing) where that may be
        wrong.
        """
        with self._write() as cur:
            cur.execute(self._sql(_HEAD), (stream,))
            stored, head = cur.fetchone()
            version = 0 if stored is None else int(stored)
            # One query for the whole batch: the events it repeats (unless trusting) or refers to,
            # and which of the keys it defines or refers to the stream holds.
            asked = batch.targets if trusting else batch.ids
            texts, held_keys = self._lookup(cur, stream, list(asked), batch.keys)
            held = _Held(self, cur, stream, texts, asked, assumed_new=batch.ids if trusting else {})
            try:
                fresh = new_events(batch.events, held.get, held_keys.__contains__, held.amendments)
            except LogError:
                if trusting:
                    raise _Unsure from None
                raise
            if not fresh:
                return version
            if expected_version is not None and expected_version != version:
                raise _Unsure if trusting else ConcurrencyError(stream, expected_version, version)
            position = int(head)
            rows = [(position + n, stream, version + n, *batch.rows[id(e)]) for n, e in enumerate(fresh, 1)]
            keys = [(stream, *k[0]) for k in map(defined_key, fresh) if k is not None]
            new_version = version + len(fresh)
            if not self._insert(cur, rows, keys, (stream, new_version)):
                # When not trusting, every id was looked up under the write lock: no writer can
                # have added one since, and this is never raised.
                changed = f"stream {stream!r} changed during an append to it; nothing was written"
                raise _Unsure if trusting else StoreError(changed)
            self._appended(cur, position + len(fresh))
            return new_version

    def _insert(
        self,
        cur: Cursor,
        rows: Sequence[tuple[int, str, int, str, str, str]],
        keys: Sequence[tuple[str, str, str]],
        stream: tuple[str, int],
    ) -> bool:
        """Write an append: its events' rows, the keys they define, and the stream's new version.
        Return whether every row was written; a row whose event id is already in the stream is
        not, and then nothing else is written.
        """
        cur.executemany(self._sql(_INSERT_NEW_EVENTS), rows)
        if cur.rowcount != len(rows):
            return False
        if keys:
            cur.executemany(self._sql(_INSERT_KEYS), keys)
        cur.execute(self._sql(_UPSERT_STREAM), stream)
        return True

    def _one_of(self, values: Sequence[str]) -> tuple[str, tuple[Any, ...]]:
        """A condition that a column is one of ``values``, and its parameters: ``IN (?, ?, ...)``.

        The list is padded to the next power of two by repeating its last value, so that batches
        of any size share a few statements, which the driver prepares once and keeps (``sqlite3``
        keeps the last 128). PostgreSQL overrides it with one array parameter instead.
        """
        size = 1 << (len(values) - 1).bit_length() if values else 0
        padded = (*values, *[values[-1]] * (size - len(values)))
        return f"IN ({', '.join('?' * size)})", padded

    def _lookup(
        self, cur: Cursor, stream: str, event_ids: Sequence[str], keys: set[Key]
    ) -> tuple[dict[str, str], set[Key]]:
        """The stored text of the events of ``stream`` with any of ``event_ids``, by id, and the
        keys among ``keys`` that ``stream`` defines: a query for each kind of key, and for each
        :data:`_PAGE` ids, or all of them in one (see :attr:`one_lookup_query`).
        """
        parts: list[tuple[str, tuple[Any, ...]]] = []
        for start in range(0, len(event_ids), _PAGE):
            within, given = self._one_of(event_ids[start : start + _PAGE])
            query = f"SELECT 0, event_id, data FROM events WHERE stream = ? AND event_id {within}"  # noqa: S608 - only markers
            parts.append((query, given))
        # A part per kind of key, so that each key asked for is one probe of the primary key.
        by_kind: dict[str, list[str]] = {}
        for key_kind, name in sorted(keys):
            by_kind.setdefault(key_kind, []).append(name)
        for kind, names in by_kind.items():
            for start in range(0, len(names), _PAGE):
                within, given = self._one_of(names[start : start + _PAGE])
                query = f"SELECT 1, kind, name FROM keys WHERE stream = ? AND kind = ? AND name {within}"  # noqa: S608 - only markers
                parts.append((query, (kind, *given)))
        found: dict[str, str] = {}
        held: set[Key] = set()
        groups = [parts] if self.one_lookup_query and parts else [[part] for part in parts]
        for group in groups:
            queries = " UNION ALL ".join(query for query, _ in group)
            cur.execute(self._sql(queries), [param for _, given in group for param in (stream, *given)])
            for is_key, first, second in cur.fetchall():
                if is_key:
                    held.add((first, second))
                else:
                    found[first] = second
        return found, held

    def _amendments(self, cur: Cursor, stream: str) -> list[Event]:
        """The retractions and corrections of ``stream``, in order."""
        cur.execute(self._sql(_AMENDMENTS), (stream,))
        return [
            self._decode(data, f"stream '{stream}' version {version}") for version, data in cur.fetchall()
        ]

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
        column. Only one page is held at a time, however long the log.
        """
        next_start = start
        while True:
            with self._read() as cur:
                cur.execute(query, params(next_start))
                rows = cur.fetchall()
            for stream, version, position, data in rows:
                try:
                    # Leniently: a store may hold events of kinds a newer library wrote.
                    event = structure(load_json(data), lenient=True)
                except (ValueError, TypeError, NegotiationsError) as exc:
                    where = f"stream '{stream}' version {version} (position {position})"
                    raise self._damaged(where, exc) from None
                yield _recorded(stream, version, position, event)
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
        self._check_writable()
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


_new: Final = object.__new__
_set_stream, _set_version, _set_position, _set_event = (
    Recorded.__dict__[name].__set__ for name in ("stream", "version", "position", "event")
)


class _Unsure(Exception):  # noqa: N818 - not an error: the signal to look every id up
    """Raised inside a trusting append's transaction, to roll it back: the assumption that the
    batch's ids are new may be what made it fail.
    """


class _Batch:
    """What an append works out before it takes the lock: the batch's ids, the ids its events
    refer to, the keys they define or refer to, and each event's row (by object, since
    :func:`~negotiations.log.new_events` gives back some of these same objects).
    """

    __slots__ = ("events", "ids", "keys", "rows", "targets")

    def __init__(self, events: Sequence[Event]) -> None:
        self.events = events
        self.ids: dict[str, None] = {}  # sets that keep the batch's order
        self.targets: dict[str, None] = {}
        self.keys: set[Key] = set()
        for event in events:
            self.ids[event.id] = None
            for target in referenced_ids(event):
                self.targets[target] = None
            for key in (defined_key(event), referenced_key(event)):
                if key is not None:
                    self.keys.add(key[0])
        self.ids.update(self.targets)
        self.rows = {id(e): (e.id, wire_type_of(e), encode(e)) for e in events}


class _Held:
    """The events of a stream that an append's checks ask for: looked up with the batch, or one by
    one for the rare id the batch does not name, and decoded only when asked for.
    """

    __slots__ = ("asked", "assumed_new", "cur", "decoded", "store", "stream", "texts")

    def __init__(
        self,
        store: SqlStore,
        cur: Cursor,
        stream: str,
        texts: dict[str, str],
        asked: Container[str],
        *,
        assumed_new: Container[str],
    ) -> None:
        self.store, self.cur, self.stream = store, cur, stream
        self.texts = texts
        """The stored text of the events found, by id."""
        self.asked = asked
        """The ids looked up with the batch."""
        self.assumed_new = assumed_new
        """The ids a trusting append assumes are not in the stream (those not in :attr:`asked`)."""
        self.decoded: dict[str, Event | None] = {}

    def get(self, event_id: str) -> Event | None:
        """The stream's event with ``event_id``, or ``None``."""
        if event_id in self.decoded:
            return self.decoded[event_id]
        if event_id not in self.asked:
            if event_id in self.assumed_new:
                return None  # proven by the insert, or the append is run again
            # Only a correction of a correction asks for an event the batch does not name: the
            # event first corrected.
            self.texts.update(self.store._lookup(self.cur, self.stream, [event_id], set())[0])  # noqa: SLF001 - the store's helper
        text = self.texts.get(event_id)
        where = f"stream '{self.stream}' id '{event_id}'"
        event = self.decoded[event_id] = None if text is None else self.store._decode(text, where)  # noqa: SLF001 - the store's helper
        return event

    def amendments(self) -> list[Event]:
        """The retractions and corrections of the stream, in order."""
        return self.store._amendments(self.cur, self.stream)  # noqa: SLF001 - the store's helper


def _recorded(stream: str, version: int, position: int, event: Event) -> Recorded:
    """``Recorded(stream=..., version=..., position=..., event=...)`` at half the cost, for the
    read loop: the class has no validators or converters, so its slots are set directly rather
    than through the frozen class's keyword ``__init__``.
    """
    record: Recorded = _new(Recorded)
    _set_stream(record, stream)
    _set_version(record, version)
    _set_position(record, position)
    _set_event(record, event)
    return record


_AMENDMENT_TYPES: Final = ", ".join(f"'{t.wire_type}'" for t in AMENDMENT_TYPES)
"""The wire types of retractions and corrections, as SQL literals: written out in the partial index
and in the query that uses it, since a database uses a partial index only for a query whose
condition is the index's own, not a parameter."""

_HEAD: Final = (
    "SELECT (SELECT version FROM streams WHERE name = ?), (SELECT COALESCE(MAX(position), 0) FROM events)"
)
_AMENDMENTS: Final = (
    f"SELECT version, data FROM events WHERE stream = ? AND type IN ({_AMENDMENT_TYPES}) ORDER BY version"  # noqa: S608 - constants
)
_INSERT_NEW_EVENTS: Final = (
    "INSERT INTO events (position, stream, version, event_id, type, data) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (stream, event_id) DO NOTHING"
)
_INSERT_KEYS: Final = "INSERT INTO keys (stream, kind, name) VALUES (?, ?, ?)"
_UPSERT_STREAM: Final = (
    "INSERT INTO streams (name, version) VALUES (?, ?) "
    "ON CONFLICT (name) DO UPDATE SET version = excluded.version"
)


def schema(*, sqlite: bool) -> tuple[str, ...]:
    """The statements that create the tables every SQL store holds, when they are missing: events,
    stream versions, defined keys, and the projection runner's snapshots.

    On SQLite, a new store's ``position`` is the table's rowid (``INTEGER PRIMARY KEY``), so that
    reading in position order walks the table itself rather than an index and then the table, and
    the keys and streams are ``WITHOUT ROWID`` tables, one B-tree each instead of two. A store made
    by an earlier version keeps its tables as they are, and works as before.

    Only retractions and corrections are indexed by type, in a partial index, since only they are
    ever looked up by type: an append of ordinary events writes nothing to it. The index by
    ``(stream, type)`` that earlier versions made, which every append had to update, is dropped.
    """
    position = "INTEGER PRIMARY KEY" if sqlite else "BIGINT PRIMARY KEY"
    without_rowid = " WITHOUT ROWID" if sqlite else ""
    return (
        f"""CREATE TABLE IF NOT EXISTS events (
            position {position},
            stream TEXT NOT NULL,
            version BIGINT NOT NULL,
            event_id TEXT NOT NULL,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            UNIQUE (stream, version),
            UNIQUE (stream, event_id)
        )""",
        "DROP INDEX IF EXISTS events_by_type",
        f"""CREATE INDEX IF NOT EXISTS events_amendments ON events (stream, version)
            WHERE type IN ({_AMENDMENT_TYPES})""",
        f"CREATE TABLE IF NOT EXISTS streams (name TEXT PRIMARY KEY, version BIGINT NOT NULL){without_rowid}",
        f"""CREATE TABLE IF NOT EXISTS keys (
            stream TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (stream, kind, name)
        ){without_rowid}""",
        """CREATE TABLE IF NOT EXISTS snapshots (
            name TEXT PRIMARY KEY, tag TEXT NOT NULL, checkpoint BIGINT NOT NULL, data TEXT NOT NULL
        )""",
    )
