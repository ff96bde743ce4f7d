"""The PostgreSQL store's own behaviour: its connections, its errors, LISTEN/NOTIFY, and the
ordered commits that let a subscriber read on without ever skipping an event.

The contract every backend shares is in ``test_contract.py``; these tests run against the
throwaway server of ``tests/pgserver.py``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import psycopg
import pytest

from negotiations import PartialDate, Party, StatementMade, seed_timeline
from negotiations.errors import StoreError
from negotiations.stores import RecorderStore, Snapshot, StreamInfo, load_stream, open_store, subscribe
from negotiations.stores._sql import Cursor
from negotiations.stores.postgres import PostgresRecorder, PostgresStore

SEED = list(seed_timeline())


def statement(event_id: str) -> StatementMade:
    """A valid statement with the given id."""
    return StatementMade(
        id=event_id,
        occurred=PartialDate.parse("2025-07-21"),
        recorded=datetime(2025, 7, 21, 9, 0, tzinfo=UTC),
        party=Party("UKR"),
        summary="said something",
    )


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    """A PostgreSQL store on a fresh database."""
    with PostgresStore(pg_url) as opened:
        yield opened


def in_thread(target: Callable[[], object]) -> threading.Thread:
    """Start a daemon thread running ``target``."""
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_append_and_read(store: PostgresStore) -> None:
    """Appends read back by stream and by position, with versions, positions and stream list."""
    assert store.append("russia-ukraine", SEED) == len(SEED)
    assert store.append("other", [statement("o1")]) == 1
    assert load_stream(store, "russia-ukraine") == seed_timeline()
    assert store.head() == len(SEED) + 1
    assert store.stream_version("other") == 1
    assert [(r.stream, r.version, r.position) for r in store.read_all(len(SEED), limit=5)] == [
        ("russia-ukraine", len(SEED), len(SEED)),
        ("other", 1, len(SEED) + 1),
    ]
    assert store.streams() == [
        StreamInfo(name="other", version=1),
        StreamInfo(name="russia-ukraine", version=len(SEED)),
    ]


def test_snapshots(store: PostgresStore) -> None:
    """A saved snapshot loads back, and saving one of the same name replaces it."""
    first = Snapshot(name="v", tag="t", checkpoint=1, data='{"é": 1}')
    store.save_snapshots([first])
    assert store.load_snapshot("v") == first
    newer = Snapshot(name="v", tag="t2", checkpoint=5, data="{}")
    store.save_snapshots([newer])
    assert store.load_snapshot("v") == newer
    assert store.load_snapshot("w") is None


def test_open_store_url(pg_url: str) -> None:
    """open_store opens postgresql:// and postgres:// URLs as a PostgresStore holding the same log."""
    with PostgresStore(pg_url) as first:
        first.append("s", [statement("a")])
    for url in (pg_url, pg_url.replace("postgresql://", "postgres://", 1)):
        opened = open_store(url)
        try:
            assert isinstance(opened, PostgresStore)
            assert opened.url == url
            assert [r.event.id for r in opened.read_all()] == ["a"]
        finally:
            opened.close()


def test_wait_wakes_on_notify(pg_url: str) -> None:
    """Waiting returns soon after another connection appends, long before its timeout."""
    with PostgresStore(pg_url) as waiter, PostgresStore(pg_url) as writer:
        writer.append("s", [statement("a")])

        def append_later() -> None:
            time.sleep(0.3)
            writer.append("s", [statement("b")])

        thread = in_thread(append_later)
        started = time.monotonic()
        waiter.wait(1, timeout=20)
        assert time.monotonic() - started < 10
        thread.join()
        assert waiter.head() == 2


def test_wait_returns_at_once_or_times_out(store: PostgresStore) -> None:
    """Waiting returns at once when the head is past ``after``, and after the timeout when not."""
    store.append("s", [statement("a")])
    started = time.monotonic()
    store.wait(0, timeout=20)
    assert time.monotonic() - started < 10
    started = time.monotonic()
    store.wait(1, timeout=0.3)
    assert 0.3 <= time.monotonic() - started < 10


def test_subscriber_is_woken_by_notify(pg_url: str) -> None:
    """A subscriber polling every 60 s still sees another connection's append at once."""
    with PostgresStore(pg_url) as reader, PostgresStore(pg_url) as writer:
        stop = threading.Event()
        seen: list[int] = []
        got = threading.Event()

        def follow() -> None:
            for record in subscribe(reader, stop=stop, poll=60):
                seen.append(record.position)
                got.set()
                stop.set()

        thread = in_thread(follow)
        time.sleep(0.3)  # let the subscriber start waiting
        writer.append("s", [statement("a")])
        assert got.wait(10)
        thread.join(10)
        assert seen == [1]


class SlowCommit(PostgresRecorder):
    """A recorder whose appends hold their transaction open for a while after writing, as a slow
    client or a busy server would.
    """

    def __init__(self, url: str, written: threading.Event) -> None:
        self.written = written
        super().__init__(url)

    def _appended(self, cur: Cursor, head: int) -> None:
        super()._appended(cur, head)
        self.written.set()
        time.sleep(0.5)


def test_late_commit_is_never_skipped(pg_url: str) -> None:
    """A second append waits for a first that commits late, takes the next position, and no reader
    ever sees the later position without the earlier one.
    """
    written = threading.Event()
    with (
        PostgresStore(pg_url) as fast,
        RecorderStore(SlowCommit(pg_url, written)) as slow,
        PostgresStore(pg_url) as reader,
    ):
        fast.append("a", [statement("first")])
        done: dict[str, float] = {}
        stop = threading.Event()
        followed: list[int] = []

        followed_all = threading.Event()

        def follow() -> None:
            for record in subscribe(reader, stop=stop, poll=0.01):
                followed.append(record.position)
                if len(followed) == 3:
                    followed_all.set()

        def append(name: str, store: RecorderStore, stream: str) -> None:
            store.append(stream, [statement(name)])
            done[name] = time.monotonic()

        follower = in_thread(follow)
        late = in_thread(lambda: append("late", slow, "b"))
        assert written.wait(10)
        early = in_thread(lambda: append("early", fast, "c"))
        observed: set[tuple[int, ...]] = set()
        while late.is_alive() or early.is_alive():
            positions = tuple(r.position for r in reader.read_all())
            assert positions == tuple(range(1, len(positions) + 1))
            observed.add(positions)
        late.join()
        early.join()
        assert followed_all.wait(10)
        stop.set()
        follower.join(10)

        assert (1,) in observed  # the reader did look while the late append was uncommitted
        assert done["late"] <= done["early"]
        assert [(r.event.id, r.position) for r in reader.read_all()] == [
            ("first", 1),
            ("late", 2),
            ("early", 3),
        ]
        assert followed == [1, 2, 3]


def test_concurrent_first_opens(pg_url: str) -> None:
    """Several stores opening a new database at once all succeed: one of them makes the tables."""
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            PostgresStore(pg_url).close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [in_thread(open_one) for _ in range(8)]
    for thread in threads:
        thread.join()
    assert errors == []


def test_lock_timeout(pg_url: str) -> None:
    """An append that cannot get the write lock in time fails with StoreError and writes nothing."""
    with PostgresStore(pg_url, timeout=0.2) as store, psycopg.connect(pg_url) as other:
        other.execute("LOCK TABLE events IN EXCLUSIVE MODE")
        with pytest.raises(StoreError, match="lock timeout"):
            store.append("s", [statement("a")])
        other.rollback()
        assert store.head() == 0
        assert store.append("s", [statement("a")]) == 1


def test_reconnects_after_lost_connection(store: PostgresStore, pg_url: str) -> None:
    """When the server drops the store's connections, one call fails with StoreError and the next
    reconnects.
    """
    store.append("s", [statement("a")])
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    with pytest.raises(StoreError, match="cannot read from"):
        store.head()
    assert store.head() == 1
    with pytest.raises(StoreError, match="cannot write to"):
        store.append("s", [statement("b")])
    assert store.append("s", [statement("b")]) == 2


def test_closed_store(pg_url: str) -> None:
    """A closed store raises StoreError on use, and closing it again is harmless."""
    store = PostgresStore(pg_url)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="is closed"):
        store.head()
    with pytest.raises(StoreError, match="is closed"):
        store.append("s", [statement("a")])
    with pytest.raises(StoreError, match="is closed"):
        store.wait(0, timeout=1)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:{port}/postgres",
        "postgresql://who:s3cret@127.0.0.1:{port}/postgres",
        "postgresql://127.0.0.1:not-a-port/postgres",
        "postgresql://postgres@127.0.0.1:{port}/postgres?nonsense=1",
    ],
    ids=["refused", "password", "bad-port", "bad-option"],
)
def test_cannot_connect(url: str) -> None:
    """A refused connection or a bad URL raises StoreError in one line, with no password in it."""
    url = url.format(port=free_port())
    with pytest.raises(StoreError, match="cannot connect to the PostgreSQL store") as caught:
        open_store(url)
    message = str(caught.value)
    assert "\n" not in message
    assert "s3cret" not in message


def tables(url: str) -> list[str]:
    """The tables of the database at ``url``, read with the driver itself."""
    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        ).fetchall()
    return [name for (name,) in rows]


def test_read_only_on_an_empty_database_creates_no_table(pg_url: str) -> None:
    """Opened read-only, a database without the tables says the store does not exist yet, and stays empty."""
    with pytest.raises(StoreError) as caught:
        PostgresStore(pg_url, readonly=True)
    assert str(caught.value) == f"the PostgreSQL store {pg_url} does not exist yet; import a log to create it"
    assert tables(pg_url) == []


def test_read_only_store_reads_hears_appends_and_refuses_writes(pg_url: str) -> None:
    """A read-only store reads and LISTENs for another's appends, and its own append is refused."""
    with PostgresStore(pg_url) as writer, PostgresStore(pg_url, readonly=True) as reader:
        writer.append("s", SEED)
        assert load_stream(reader, "s") == seed_timeline()
        with pytest.raises(StoreError, match="it was opened read-only"):
            reader.append("s", [statement("x")])
        with pytest.raises(StoreError, match="it was opened read-only"):
            reader.save_snapshots([Snapshot(name="v", tag="t", checkpoint=1, data="{}")])

        def append_later() -> None:
            time.sleep(0.2)
            writer.append("s", [statement("late")])

        in_thread(append_later)
        started = time.monotonic()
        reader.wait(len(SEED), timeout=10)
        assert time.monotonic() - started < 5
        assert reader.head() == len(SEED) + 1
