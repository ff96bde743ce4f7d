"""The PostgreSQL store (``postgresql://USER@HOST:PORT/DB``): one log shared by many processes and
machines. It needs the ``postgres`` extra (psycopg 3).

Opening the store creates its tables if they are missing. Several processes may open a new
database at once: each creates the tables under a transaction-scoped advisory lock, so only one
of them does the work and none fails.

How appends stay in order: each append is one transaction that first takes ``LOCK TABLE events
IN EXCLUSIVE MODE``. The lock is held until the transaction commits, so appends run one at a time
across every connection: an append reads the head only after the one before it has committed,
gives its events the next positions, and commits before the next append may start. Global
positions are therefore handed out and committed in the same order, with no gaps, and a reader
that reads on from the last position it saw can never skip an event that commits late. (A
sequence or an identity column would not do: two transactions could take positions 7 and 8 and
commit 8 first, and a reader that saw 8 would never look back for 7.) The lock does not block
readers: plain ``SELECT`` s go on beside it. A writer waits at most ``timeout`` seconds for it.

Each append also sends ``NOTIFY negotiations_events`` with the new head, inside its transaction,
so the notice goes out when the events are committed and never before. :meth:`PostgresStore.wait`
listens on its own connection instead of polling.

An acknowledged append is as durable as the server makes a commit (``synchronous_commit``).

Opened ``readonly``, the store runs no DDL and opens no writing connection: its connections run
with ``default_transaction_read_only``, a database without the tables is an error ("does not
exist yet"), and appends raise :class:`~negotiations.errors.StoreError`.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

import psycopg

from negotiations.errors import StoreError
from negotiations.log import Key
from negotiations.stores._layout import upgrade_keys
from negotiations.stores._recorder import Data
from negotiations.stores._sql import READ_TABLES, Cursor, SqlRecorder, schema, sort_found
from negotiations.stores._store import RecorderStore

__all__ = ["CHANNEL", "PostgresRecorder", "PostgresStore"]

CHANNEL: Final = "negotiations_events"
"""The channel each append notifies, with the new head as the payload."""

_SCHEMA_LOCK: Final = 0x6E65676F74696174
"""The advisory lock key held while the tables are created ("negotiat")."""

_Connection = psycopg.Connection[tuple[Any, ...]]

# The arrays go in binary (``%b``): psycopg writes a text array element by element in Python, at
# a hundred times the cost.
_INSERT_EVENTS: Final = """INSERT INTO events (position, stream, version, event_id, type, data)
    SELECT p, %s, v, i, t, d FROM unnest(%b::bigint[], %b::bigint[], %b::text[], %b::text[], %b::text[])
        AS u (p, v, i, t, d)"""
_INSERT_KEYS: Final = """INSERT INTO keys (stream, kind, name)
    SELECT %s, k, n FROM unnest(%b::text[], %b::text[]) AS u (k, n)"""
_LOOKUP: Final = """SELECT 1, kind, name FROM keys WHERE stream = %s AND (kind, name) IN
        (SELECT * FROM unnest(%b::text[], %b::text[]))
    UNION ALL SELECT 0, event_id, data FROM events WHERE stream = %s AND event_id = ANY(%b::text[])"""
_UPSERT_STREAM: Final = """INSERT INTO streams (name, version) VALUES (%s, %s)
    ON CONFLICT (name) DO UPDATE SET version = excluded.version"""


def _one_line(exc: BaseException) -> str:
    """The error's message as one line: libpq spreads its hints over several."""
    lines = (" ".join(line.split()) for line in str(exc).splitlines())
    return "; ".join(line for line in lines if line) or type(exc).__name__


def _without_password(url: str) -> str:
    """The URL with any password masked, fit for an error message."""
    url = re.sub(r"(//[^/@:]*):[^/@]*@", r"\1:***@", url)
    return re.sub(r"(password=)[^&\s]*", r"\1***", url)


class PostgresStore(RecorderStore):
    """A store in a PostgreSQL database. One object may be shared between threads.

    It holds one connection for writing, one for reading, and, once :meth:`wait` is first called,
    one that listens for appends.

    Raises:
        StoreError: the URL is not a PostgreSQL URL, or the server cannot be reached, or the tables
            cannot be created (or, ``readonly``, are not there).

    """

    recorder: PostgresRecorder

    def __init__(self, url: str, *, timeout: float = 30.0, readonly: bool = False) -> None:
        super().__init__(PostgresRecorder(url, timeout=timeout, readonly=readonly))
        self.timeout = timeout
        """How many seconds an append waits for the write lock before it fails."""


class PostgresRecorder(SqlRecorder):
    """The rows of a store in a PostgreSQL database; see :class:`PostgresStore`."""

    placeholder = "%s"

    def __init__(self, url: str, *, timeout: float = 30.0, readonly: bool = False) -> None:
        self._where = _without_password(url)
        super().__init__(url, name=f"the PostgreSQL store {self._where}", readonly=readonly)
        self.timeout = timeout
        """How many seconds an append waits for the write lock before it fails."""
        self._closed = False
        self._write_lock = threading.RLock()
        self._read_lock = threading.RLock()
        self._listen_lock = threading.Lock()
        self._listener: _Connection | None = None
        self._writer: _Connection | None = None if readonly else self._connect_writer()
        self._reader: _Connection | None = None
        try:
            self._reader = self._connect()
            if readonly:
                self._check_read_tables()
            else:
                self._create_tables()
        except BaseException:
            self.close()
            raise

    # -- connections ----------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"the PostgreSQL store {self._where} is closed")

    def _connect(self) -> _Connection:
        try:
            connection = psycopg.connect(self.url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to the PostgreSQL store {self._where}: {_one_line(exc)}"
            ) from None
        if self.readonly:
            try:
                with self._failing("set up"):
                    connection.execute("SET default_transaction_read_only = on")
            except BaseException:
                connection.close()
                raise
        return connection

    def _connect_writer(self) -> _Connection:
        connection = self._connect()
        try:
            with self._failing("set up"):
                connection.execute(
                    "SELECT set_config('lock_timeout', %s, false)", (f"{round(self.timeout * 1000)}ms",)
                )
        except BaseException:
            connection.close()
            raise
        return connection

    def _live(self, connection: _Connection | None) -> _Connection:
        """``connection`` if it is still open, else a new one: a server restart costs one failed call."""
        self._check_open()
        return connection if connection is not None and not connection.closed else self._connect()

    @contextmanager
    def _failing(self, doing: str) -> Iterator[None]:
        """Turn the driver's errors into a one-line :class:`StoreError`."""
        try:
            yield
        except psycopg.Error as exc:
            raise StoreError(f"cannot {doing} the PostgreSQL store {self._where}: {_one_line(exc)}") from exc

    def _check_read_tables(self) -> None:
        """Check, writing nothing, that the database holds the tables a store is read from."""
        assert self._reader is not None  # noqa: S101 - connected just before
        with self._read_lock, self._failing("read from"):
            missing = [
                table
                for table in READ_TABLES
                if self._reader.execute("SELECT to_regclass(%s)", (table,)).fetchone() == (None,)
            ]
        if missing:
            raise StoreError(f"{self.name} does not exist yet; import a log to create it")

    def _create_tables(self) -> None:
        writer = self._writer
        assert writer is not None  # noqa: S101 - a store that writes has a writer
        with (
            self._write_lock,
            self._failing("create the tables of"),
            writer.transaction(),
            writer.cursor() as cur,
        ):
            cur.execute("SET LOCAL client_min_messages = warning")  # not a notice per existing table
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            for statement in schema(sqlite=False):
                cur.execute(statement)
            upgrade_keys(cur, self._sql)

    # -- what SqlRecorder needs ----------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        with self._write_lock, self._failing("write to"):
            self._check_open()
            if self._writer is None or self._writer.closed:
                self._writer = self._connect_writer()
            writer = self._writer
            # In pipeline mode, statements are sent without waiting for each one's reply; the
            # client waits only where it reads a result, and at the commit. An append then costs
            # three round trips (lock and look, look up, write and commit), not one a statement.
            with (
                writer.pipeline(),
                writer.transaction(),
                writer.cursor() as cur,
            ):
                # Serialise appends so positions commit in order; see the module's docstring.
                cur.execute("LOCK TABLE events IN EXCLUSIVE MODE")
                yield cur

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        with self._read_lock, self._failing("read from"):
            self._reader = self._live(self._reader)
            with self._reader.cursor() as cur:
                yield cur

    def _lookup(
        self, cur: Cursor, stream: str, event_ids: Sequence[str], keys: Collection[Key]
    ) -> tuple[dict[str, Data], set[Key]]:
        """The stored text of the events of ``stream`` with any of ``event_ids``, and which of
        ``keys`` it defines, in one query, one round trip: the keys go as two arrays (kinds and
        names) and the ids as one, sent in binary, so that one plan serves every batch.
        """
        found: dict[str, Data] = {}
        held: set[Key] = set()
        if not event_ids and not keys:
            return found, held
        kinds, names = [kind for kind, _ in keys], [name for _, name in keys]
        cur.execute(_LOOKUP, (stream, kinds, names, stream, list(event_ids)))
        sort_found(cur.fetchall(), found, held)
        return found, held

    def _insert(
        self,
        cur: Cursor,
        rows: Sequence[tuple[int, str, int, str, str, str]],
        keys: Sequence[tuple[str, str, str]],
        stream: tuple[str, int],
    ) -> bool:
        """Write an append in one statement per table, its rows sent as one array per column: a
        round trip and a plan for the whole batch rather than for each row.
        """
        positions, _, versions, ids, types, data = (list(column) for column in zip(*rows, strict=True))
        cur.execute(_INSERT_EVENTS, (stream[0], positions, versions, ids, types, data))
        if keys:
            _, kinds, names = (list(column) for column in zip(*keys, strict=True))
            cur.execute(_INSERT_KEYS, (stream[0], kinds, names))
        cur.execute(_UPSERT_STREAM, stream)
        return True  # a row already there is an error: ids are always looked up first here

    def _appended(self, cur: Cursor, head: int) -> None:
        # Sent on commit, and only if the append commits.
        cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(head)))

    # -- the rest of the store ------------------------------------------------------------------

    def wait(self, after: int, timeout: float) -> None:
        """Return once an event after ``after`` is there, or after ``timeout`` seconds: LISTEN for
        appends, then return at once if the head is already past ``after``, else until a notice of
        a head past it arrives.
        """
        deadline = time.monotonic() + timeout
        if not self._listen_lock.acquire(timeout=min(max(timeout, 0.0), threading.TIMEOUT_MAX)):
            return
        try:
            with self._failing("listen to"):
                self._listener = listener = self._live(self._listener)
                # Listen first, then look: an append that commits after LISTEN is heard, and one
                # that committed before it is in the head.
                listener.execute(f"LISTEN {CHANNEL}")
                try:
                    if self.head() > after:
                        return
                    for notice in listener.notifies(timeout=max(deadline - time.monotonic(), 0.0)):
                        if not notice.payload.isdigit() or int(notice.payload) > after:
                            return
                finally:
                    # Unheard notices would pile up in the server's queue while no one waits.
                    if not listener.closed:
                        listener.execute(f"UNLISTEN {CHANNEL}")
        finally:
            self._listen_lock.release()

    def close(self) -> None:
        """Close every connection. Closing twice is harmless."""
        self._closed = True
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
        with self._read_lock:
            if self._reader is not None:
                self._reader.close()
        with self._listen_lock:
            if self._listener is not None:
                self._listener.close()
