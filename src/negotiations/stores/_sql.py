"""The SQL recorders' shared body: one schema (give or take a column type) and one set of queries,
run by SQLite and PostgreSQL.

Each append runs in one write transaction that the backend serialises (SQLite's ``BEGIN
IMMEDIATE``, PostgreSQL's table lock), so global positions are handed out and committed in
order, with no gaps: a reader that reads on from the last position it saw never skips an event.

A recorder stores and reads rows only: the store above it checks, encodes and decodes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Final, Protocol

from negotiations.domain.events import AMENDMENT_TYPES
from negotiations.errors import StoreError
from negotiations.log import Key
from negotiations.stores._base import Snapshot, StreamInfo
from negotiations.stores._recorder import Data, NewRow, Row

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


class SqlRecorder(ABC):
    """A recorder on a SQL database. Subclasses say how to connect and how to open transactions;
    queries are written with ``?`` placeholders and :attr:`placeholder` replaces them.
    """

    placeholder = "?"
    """The driver's parameter marker."""

    insert_finds_repeats = False
    """Whether :meth:`_insert` tells when a row's event id is already in its stream, writing
    nothing for it: see :attr:`negotiations.stores.Recorder.insert_finds_repeats`.
    """

    keeps_events = False

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

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

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

    # -- the recorder ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self, stream: str) -> Iterator[_SqlTransaction]:
        """An append's transaction on ``stream``, in the backend's serialised write transaction."""
        with self._write() as cur:
            yield _SqlTransaction(self, cur, stream)

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

    def _lookup(
        self, cur: Cursor, stream: str, event_ids: Sequence[str], keys: Collection[Key]
    ) -> tuple[dict[str, Data], set[Key]]:
        """The stored text of the events of ``stream`` with any of ``event_ids``, by id, and the
        keys among ``keys`` that ``stream`` defines: a query for the ids and one for the keys.

        Each id and key is one probe of a unique index, and the probes are joined by ``UNION
        ALL``, :data:`_PROBES` at most to a query (SQLite takes at most 500 parts). Their number
        is rounded up (:func:`_rounded`) by repeating the last, so that batches of any size and mix
        share a few statements, which the driver prepares once and keeps (``sqlite3`` keeps the
        last 128). Measured on SQLite, one such query costs what a query for each kind of key
        with ``IN (...)`` did, and half of what ``json_each`` of one parameter does.
        """
        found: dict[str, Data] = {}
        held: set[Key] = set()
        asked: list[tuple[str, list[tuple[str, ...]]]] = [
            (_ID_PROBE, [(event_id,) for event_id in event_ids]),
            (_KEY_PROBE, list(keys)),
        ]
        for probe, values in asked:
            for start in range(0, len(values), _PROBES):
                part = values[start : start + _PROBES]
                part += [part[-1]] * (_rounded(len(part)) - len(part))
                query = " UNION ALL ".join([probe] * len(part))
                cur.execute(self._sql(query), [value for given in part for value in (stream, *given)])
                sort_found(cur.fetchall(), found, held)
        return found, held

    def _appended(self, cur: Cursor, head: int) -> None:  # noqa: B027 - a hook most backends skip
        """Called inside an append's transaction with the new head, for backends that notify."""

    def stream_version(self, stream: str) -> int:
        """The stream's version (0 for none)."""
        with self._read() as cur:
            cur.execute(self._sql("SELECT version FROM streams WHERE name = ?"), (stream,))
            row = cur.fetchone()
        return 0 if row is None else int(row[0])

    def read_stream(self, stream: str, from_version: int) -> Iterator[Row]:
        """The stream's rows from ``from_version`` on, read a page at a time."""
        query = self._sql(
            "SELECT stream, version, position, data FROM events WHERE stream = ? AND version >= ? "
            "ORDER BY version LIMIT ?"
        )
        return self._pages(query, lambda last: (stream, last, _PAGE), from_version, 1, _PAGE)

    def read_all(self, from_position: int, limit: int | None) -> Iterator[Row]:
        """Every row from ``from_position`` on, at most ``limit``, read a page at a time."""
        page = _PAGE if limit is None else min(limit, _PAGE)
        query = self._sql(
            "SELECT stream, version, position, data FROM events WHERE position >= ? ORDER BY position LIMIT ?"
        )
        rows = self._pages(query, lambda last: (last, page), from_position, 2, page)
        if limit is None:
            return rows
        return (row for row, _ in zip(rows, range(limit), strict=False))

    def _pages(
        self, query: str, params: Callable[[int], tuple[Any, ...]], start: int, key: int, page: int
    ) -> Iterator[Row]:
        """Rows of ``query`` ``page`` at a time, each page starting after the last row's ``key``
        column. Only one page is held at a time, however long the log.
        """
        next_start = start
        while True:
            with self._read() as cur:
                cur.execute(query, params(next_start))
                rows = cur.fetchall()
            yield from rows
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


class _SqlTransaction:
    """An append's transaction on one stream, on the cursor of a write transaction."""

    __slots__ = ("cur", "head", "recorder", "stream", "version")

    def __init__(self, recorder: SqlRecorder, cur: Cursor, stream: str) -> None:
        self.recorder, self.cur, self.stream = recorder, cur, stream
        cur.execute(recorder._sql(_HEAD), (stream,))  # noqa: SLF001 - its recorder's helper
        stored, head = cur.fetchone()
        self.version = 0 if stored is None else int(stored)
        self.head = int(head)

    def lookup(self, event_ids: Sequence[str], keys: Collection[Key]) -> tuple[dict[str, Data], set[Key]]:
        """The stored text of the stream's events with any of ``event_ids``, and which of ``keys``
        it defines, in as few queries as :meth:`SqlRecorder._lookup` makes.
        """
        return self.recorder._lookup(self.cur, self.stream, event_ids, keys)  # noqa: SLF001 - its recorder's helper

    def amendments(self) -> list[tuple[int, Data]]:
        """The version and text of each retraction and correction of the stream, in order."""
        self.cur.execute(self.recorder._sql(_AMENDMENTS), (self.stream,))  # noqa: SLF001 - its recorder's helper
        return [(int(version), data) for version, data in self.cur.fetchall()]

    def insert(self, rows: Sequence[NewRow], keys: Sequence[Key]) -> bool:
        """Insert the rows after the stream's last version and the store's head."""
        version, position, stream = self.version, self.head, self.stream
        stored = [
            (position + n, stream, version + n, event_id, kind, data)
            for n, (event_id, kind, data, _) in enumerate(rows, 1)
        ]
        written = self.recorder._insert(  # noqa: SLF001 - its recorder's helper
            self.cur, stored, [(stream, *k) for k in keys], (stream, version + len(rows))
        )
        if not written:
            return False
        self.recorder._appended(self.cur, position + len(rows))  # noqa: SLF001 - its recorder's hook
        return True


_AMENDMENT_TYPES: Final = ", ".join(f"'{t.wire_type}'" for t in AMENDMENT_TYPES)
"""The wire types of retractions and corrections, as SQL literals: written out in the partial index
and in the query that uses it, since a database uses a partial index only for a query whose
condition is the index's own, not a parameter."""

_PROBES: Final = 256
_ID_PROBE: Final = "SELECT 0, event_id, data FROM events WHERE stream = ? AND event_id = ?"
_KEY_PROBE: Final = "SELECT 1, kind, name FROM keys WHERE stream = ? AND kind = ? AND name = ?"


def sort_found(rows: Sequence[Sequence[Any]], found: dict[str, Any], held: set[Key]) -> None:
    """Sort the rows of a lookup (``is_key, first, second``) into the ids ``found`` in the stream,
    with their data, and the keys ``held``.
    """
    for is_key, first, second in rows:
        if is_key:
            held.add((first, second))
        else:
            found[first] = second


def _rounded(size: int) -> int:
    """``size`` rounded up to a power of two up to 32, then to a multiple of 32: a dozen sizes
    up to :data:`_PROBES`, wasting less than half of the probes.
    """
    return 1 << (size - 1).bit_length() if size <= 32 else -(-size // 32) * 32  # noqa: PLR2004 - the step


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
