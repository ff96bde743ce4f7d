"""What the SQLite store promises beyond the contract: durable settings, the layout that keeps appends
and reads cheap, and stores made by earlier versions opening as before.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from negotiations import EventRetracted, PartialDate, Party, StatementMade, seed_timeline
from negotiations.stores import SQLiteStore

SEED: Final = list(seed_timeline())

# The tables as the first SQLite stores made them: position a BIGINT beside the rowid, keys and
# streams with rowids, and an index by type that every append had to update.
OLD_SCHEMA: Final = (
    """CREATE TABLE events (
        position BIGINT PRIMARY KEY, stream TEXT NOT NULL, version BIGINT NOT NULL,
        event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
        UNIQUE (stream, version), UNIQUE (stream, event_id))""",
    "CREATE INDEX events_by_type ON events (stream, type)",
    "CREATE TABLE streams (name TEXT PRIMARY KEY, version BIGINT NOT NULL)",
    """CREATE TABLE keys (
        stream TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (stream, kind, name))""",
    """CREATE TABLE snapshots (
        name TEXT PRIMARY KEY, tag TEXT NOT NULL, checkpoint BIGINT NOT NULL, data TEXT NOT NULL)""",
)


def statement(event_id: str) -> StatementMade:
    """A valid statement with the given id."""
    return StatementMade(
        id=event_id,
        occurred=PartialDate.parse("2025-07-21"),
        recorded=datetime(2025, 7, 21, tzinfo=UTC),
        party=Party("UKR"),
        summary="said something",
    )


def plan(store: SQLiteStore, query: str, *params: object) -> str:
    """SQLite's plan for ``query``, as one line."""
    rows = store.recorder._connection.execute(f"EXPLAIN QUERY PLAN {query}", params).fetchall()  # noqa: SLF001 - the store's own connection
    return "; ".join(row[-1] for row in rows)


def indexes(path: Path) -> set[str]:
    """The names of the indexes made explicitly in the database at ``path``."""
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        return {name for (name,) in rows}


def test_appends_are_durable(tmp_path: Path) -> None:
    """The store runs in WAL mode with synchronous=FULL, so an acknowledged append survives a crash."""
    with SQLiteStore(tmp_path / "events.db") as store:
        connection = store.recorder._connection  # noqa: SLF001 - the settings are the point
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL


def test_reads_and_checks_use_the_cheap_paths(tmp_path: Path) -> None:
    """Reading in position order walks the table by rowid, and amendments are found by their partial index."""
    with SQLiteStore(tmp_path / "events.db") as store:
        store.append("s", SEED)
        assert "INTEGER PRIMARY KEY" in plan(
            store, "SELECT data FROM events WHERE position >= 1 ORDER BY position"
        )
        amendments = (
            "SELECT data FROM events WHERE stream = ? AND type IN ('EventRetracted', 'EventCorrected')"
        )
        assert "events_amendments" in plan(store, amendments, "s")
    assert indexes(tmp_path / "events.db") == {"events_amendments"}


def test_a_store_made_by_an_earlier_version_opens_as_before(tmp_path: Path) -> None:
    """A store with the first tables keeps its events, takes appends, and loses only the index by type."""
    path = tmp_path / "events.db"
    with SQLiteStore(path) as store:
        store.append("s", SEED[:10])
        connection = store.recorder._connection  # noqa: SLF001 - its rows are copied as they are
        rows = connection.execute("SELECT * FROM events ORDER BY position").fetchall()
        keys = connection.execute("SELECT * FROM keys").fetchall()
    assert keys, "the first events define keys, which the later ones refer to"
    path.unlink()
    with closing(sqlite3.connect(path)) as connection:
        for statement in OLD_SCHEMA:
            connection.execute(statement)
        connection.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", rows)
        connection.executemany("INSERT INTO keys VALUES (?, ?, ?)", keys)
        connection.execute("INSERT INTO streams VALUES ('s', 10)")
        connection.commit()

    retraction = EventRetracted(
        id="retracted",
        occurred=PartialDate.parse("2025-07-22"),
        recorded=datetime(2025, 7, 22, tzinfo=UTC),
        target=SEED[0].id,
        reason="wrong",
    )
    with SQLiteStore(path) as store:
        assert [r.event for r in store.read_all()] == SEED[:10]
        assert store.append("s", SEED) == len(SEED)
        assert store.append("s", [retraction]) == len(SEED) + 1
        assert [r.event for r in store.read_stream("s")] == [*SEED, retraction]
    assert indexes(path) == {"events_amendments"}


def test_reads_fetch_a_page_at_a_time(tmp_path: Path) -> None:
    """read_all and read_stream fetch 1,000 events a query, and only when the reader gets there."""
    events = [statement(f"s{n}") for n in range(2_500)]
    with SQLiteStore(tmp_path / "events.db") as store:
        store.append("s", events)
        queries: list[str] = []
        store.recorder._connection.set_trace_callback(queries.append)  # noqa: SLF001 - to watch its queries
        for records in (store.read_all(), store.read_stream("s")):
            queries.clear()
            assert next(records).event == events[0]
            assert len(queries) == 1
            assert "LIMIT 1000" in queries[0]
            assert [r.event for r in records] == events[1:]
            assert len(queries) == 3
