"""The SQLite store (``sqlite:PATH.db``), the default: nothing to run, safe for several processes
on one machine.

The database runs in WAL mode with ``synchronous=FULL``, so an acknowledged append survives a
crash of the process or the machine. Each append takes the write lock first (``BEGIN
IMMEDIATE``); a writer that finds it taken waits up to ``timeout`` seconds. An append that fails
(``database or disk is full``, say) is rolled back, leaving the store as it was, and raises a
one-line :class:`~negotiations.errors.StoreError`.

Before it writes anything, opening a store checks that the file is one: a path that is not a
regular file, a file that is not a SQLite database, and another application's database (one with
tables a store does not have) are refused, and left as they were. Opened ``readonly``, the file
is opened with SQLite's ``mode=ro``: a missing file is an error rather than created, and no table
or index is added. (A reader of a WAL database shares SQLite's ``-wal`` and ``-shm`` files beside
it, and SQLite may create them; the database file itself is never written.)
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from negotiations.errors import StoreError
from negotiations.stores._base import file_kind
from negotiations.stores._layout import upgrade_keys
from negotiations.stores._sql import SqlRecorder, schema
from negotiations.stores._store import RecorderStore

__all__ = ["SQLiteRecorder", "SQLiteStore"]


class SQLiteStore(RecorderStore):
    """A store in one SQLite file. One object may be shared between threads.

    Raises:
        StoreError: the file cannot be opened, is not a store, or (``readonly``) does not exist.

    """

    recorder: SQLiteRecorder

    def __init__(
        self, path: str | Path, *, url: str | None = None, timeout: float = 30.0, readonly: bool = False
    ) -> None:
        super().__init__(SQLiteRecorder(path, url=url, timeout=timeout, readonly=readonly))
        self.path = self.recorder.path
        """The database file."""


class SQLiteRecorder(SqlRecorder):
    """The rows of a store in one SQLite file; see :class:`SQLiteStore`."""

    insert_finds_repeats = True  # an insert of a repeated id writes nothing for it, and says so

    def __init__(
        self, path: str | Path, *, url: str | None = None, timeout: float = 30.0, readonly: bool = False
    ) -> None:
        self.path = Path(path)
        super().__init__(url or f"sqlite:{path}", name=f"the SQLite store {self.path}", readonly=readonly)
        self._lock = threading.RLock()
        self._check_path()
        try:
            self._connection = self._connect(timeout)
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise StoreError(f"cannot open {self.name}: {reason}{self._why_unopenable()}") from None
        try:
            self._check_tables(self._columns(), readonly=readonly)
            if not readonly:
                self._connection.execute("PRAGMA journal_mode = WAL")
                self._connection.execute("PRAGMA synchronous = FULL")
                with self._write() as cur:
                    for statement in schema(sqlite=True):
                        cur.execute(statement)
                    upgrade_keys(cur, self._sql)
        except sqlite3.DatabaseError as exc:
            self._connection.close()
            raise StoreError(f"cannot open {self.name}: {_reason(exc)}{self._why_unopenable()}") from None
        except BaseException:
            self._connection.close()
            raise

    def _check_path(self) -> None:
        """Refuse a path that is not a regular file, and (read-only) one that does not exist."""
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            if self.readonly:
                raise StoreError(f"{self.name} does not exist yet; import a log to create it") from None
            return
        except OSError as exc:
            raise StoreError(f"cannot open {self.name}: {exc.strerror or exc}") from None
        if not stat.S_ISREG(mode):
            raise StoreError(f"cannot open {self.name}: it is {file_kind(mode)}, not a regular file")

    def _connect(self, timeout: float) -> sqlite3.Connection:
        """A connection to the file: read-only (``mode=ro``) for a reader, which creates nothing;
        on a read-only file system, where no one can write it, also ``immutable``, since SQLite
        could not make the files a reader of a WAL database otherwise shares.
        """
        if self.readonly:
            query = "mode=ro"
            with suppress(OSError):
                if os.statvfs(self.path).f_flag & os.ST_RDONLY:
                    query += "&immutable=1"
            target: str | Path = f"file:{urllib.parse.quote(str(self.path.absolute()))}?{query}"
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            target = self.path
        return sqlite3.connect(
            target, timeout=timeout, isolation_level=None, check_same_thread=False, uri=self.readonly
        )

    def _why_unopenable(self) -> str:
        """Why SQLite may have been ``unable to open database file``, when the cause is plain."""
        directory = self.path.parent
        if directory.is_dir() and not os.access(directory, os.W_OK):
            return f" (its directory {directory} is read-only)"
        return ""

    def _columns(self) -> dict[str, set[str]]:
        """The columns of each table of the database, read without writing anything."""
        found: dict[str, set[str]] = {}
        tables = self._connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        ).fetchall()
        for (table,) in tables:
            info = self._connection.execute("SELECT name FROM pragma_table_info(?)", (table,)).fetchall()
            found[table] = {column for (column,) in info}
        return found

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """A cursor in an immediate transaction, committed on exit; on any error rolled back. The
        driver's errors (``database or disk is full`` at the commit, say) become a
        :class:`StoreError`.
        """
        with self._lock:
            cur = self._connection.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot write to {self.name}: {_reason(exc)}") from None
            try:
                yield cur
                cur.execute("COMMIT")
            except BaseException as exc:
                # SQLite rolls some failed transactions back itself (a full disk among them).
                if self._connection.in_transaction:
                    with suppress(sqlite3.Error):
                        cur.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    reason = f"cannot write to {self.name}: {_reason(exc)}; nothing was written"
                    raise StoreError(reason) from None
                raise

    @contextmanager
    def _read(self) -> Iterator[Any]:
        with self._lock:
            try:
                yield self._connection.cursor()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read {self.name}: {_reason(exc)}") from None

    def wait(self, after: int, timeout: float) -> None:
        """Poll: sleep ``timeout`` seconds unless an event after ``after`` is already there."""
        if self.head() <= after:
            time.sleep(timeout)

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


def _reason(exc: sqlite3.Error) -> str:
    """What the driver says, and what it means where that is not plain."""
    text = str(exc)
    if text == "file is not a database":
        return "it is not a SQLite database (file is not a database); it was left as it is"
    return text
