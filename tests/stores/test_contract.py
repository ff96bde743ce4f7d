"""The store contract: every backend (memory, file, SQLite, PostgreSQL) behaves the same."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import attrs
import pytest

from negotiations import (
    DeadlineMet,
    DuplicateEventError,
    DuplicateKeyError,
    Event,
    EventCorrected,
    EventLog,
    EventRetracted,
    InvalidAmendmentError,
    InvalidValueError,
    PartialDate,
    Party,
    StatementMade,
    UnknownReferenceError,
    project,
    seed_timeline,
)
from negotiations.errors import ConcurrencyError, StoreError
from negotiations.stores import EventStore, Snapshot, StreamInfo, load_stream, open_store

SEED = list(seed_timeline())
STREAM = "russia-ukraine"


def statement(event_id: str, summary: str = "said something") -> StatementMade:
    """A valid statement with the given id."""
    return StatementMade(
        id=event_id,
        occurred=PartialDate.parse("2025-07-21"),
        recorded=datetime(2025, 7, 21, 9, 0, tzinfo=UTC),
        party=Party("UKR"),
        summary=summary,
    )


@pytest.fixture
def store(store_url: str) -> Iterator[EventStore]:
    """A fresh, empty store of each backend."""
    opened = open_store(store_url)
    yield opened
    opened.close()


def ids(store: EventStore, stream: str = STREAM) -> list[str]:
    """The ids of a stream's events, in order."""
    return [record.event.id for record in store.read_stream(stream)]


def test_empty_store(store: EventStore) -> None:
    """A new store has no streams, head 0, and version 0 for any stream."""
    assert store.streams() == []
    assert store.head() == 0
    assert store.stream_version(STREAM) == 0
    assert list(store.read_stream(STREAM)) == []
    assert list(store.read_all()) == []


def test_append_and_read_back(store: EventStore) -> None:
    """Appended events read back in order, with gap-free versions and global positions."""
    assert store.append(STREAM, SEED[:10]) == 10
    assert store.append(STREAM, SEED[10:]) == len(SEED)
    records = list(store.read_stream(STREAM))
    assert [r.event for r in records] == SEED
    assert [r.version for r in records] == list(range(1, len(SEED) + 1))
    assert [r.position for r in store.read_all()] == list(range(1, len(SEED) + 1))
    assert load_stream(store, STREAM) == seed_timeline()


def test_streams_are_separate(store: EventStore) -> None:
    """Each stream has its own versions; global positions run across all of them."""
    store.append("a", [statement("x1"), statement("x2")])
    store.append("b", [statement("x1")])
    store.append("a", [statement("x3")])
    assert store.streams() == [StreamInfo(name="a", version=3), StreamInfo(name="b", version=1)]
    assert [(r.stream, r.version, r.position) for r in store.read_all()] == [
        ("a", 1, 1),
        ("a", 2, 2),
        ("b", 1, 3),
        ("a", 3, 4),
    ]
    assert ids(store, "a") == ["x1", "x2", "x3"]


def test_read_from_version_and_position(store: EventStore) -> None:
    """Reading starts at the version or position asked for, and stops at the limit."""
    store.append(STREAM, SEED)
    assert [r.version for r in store.read_stream(STREAM, 15)] == [15, 16, 17, 18, 19]
    assert [r.position for r in store.read_all(3, limit=4)] == [3, 4, 5, 6]
    assert list(store.read_all(len(SEED) + 1)) == []


def test_expected_version(store: EventStore) -> None:
    """An append with a stale expected version raises naming both versions, and writes nothing."""
    store.append(STREAM, SEED[:3], expected_version=0)
    with pytest.raises(ConcurrencyError) as caught:
        store.append(STREAM, SEED[3:5], expected_version=2)
    assert (caught.value.expected, caught.value.actual, caught.value.stream) == (2, 3, STREAM)
    assert "version 3" in str(caught.value)
    assert "expected 2" in str(caught.value)
    assert store.stream_version(STREAM) == 3
    assert store.head() == 3
    assert store.append(STREAM, SEED[3:5], expected_version=3) == 5


def test_retry_is_a_no_op(store: EventStore) -> None:
    """Appending the same events again, even with a stale expected version, changes nothing."""
    store.append(STREAM, SEED[:5], expected_version=0)
    assert store.append(STREAM, SEED[:5], expected_version=0) == 5
    assert store.append(STREAM, SEED[2:7]) == 7
    assert ids(store) == [e.id for e in SEED[:7]]
    assert store.head() == 7


def test_same_id_other_content(store: EventStore) -> None:
    """The same id with other content is rejected, and the batch it was in is not written."""
    store.append(STREAM, [statement("s1")])
    with pytest.raises(DuplicateEventError):
        store.append(STREAM, [statement("s2"), statement("s1", "said something else")])
    assert ids(store) == ["s1"]
    assert store.head() == 1


def test_unknown_reference_is_rejected(store: EventStore) -> None:
    """An event that refers to a deadline the stream does not hold is rejected, naming it."""
    store.append(STREAM, SEED)
    met = DeadlineMet(
        id="met",
        occurred=PartialDate.parse("2025-08-01"),
        recorded=datetime(2025, 8, 1, tzinfo=UTC),
        deadline_id="no-such-deadline",
    )
    with pytest.raises(UnknownReferenceError, match="no-such-deadline"):
        store.append(STREAM, [met])
    met_known = attrs.evolve(met, deadline_id="us-ceasefire-ultimatum")
    with pytest.raises(UnknownReferenceError):  # references hold within one stream only
        store.append("other-stream", [statement("first"), met_known])
    assert store.head() == len(SEED)
    assert store.streams() == [StreamInfo(name=STREAM, version=len(SEED))]
    assert store.append(STREAM, [met_known]) == len(SEED) + 1


def test_duplicate_definition_is_rejected(store: EventStore) -> None:
    """A second DeadlineSet for the same deadline id is rejected; the store is unchanged."""
    store.append(STREAM, SEED)
    (deadline_set,) = [e for e in SEED if e.wire_type == "DeadlineSet"]
    again = attrs.evolve(deadline_set, id="again")
    with pytest.raises(DuplicateKeyError):
        store.append(STREAM, [again])
    assert store.head() == len(SEED)


def test_bad_stream_name(store: EventStore) -> None:
    """A stream name with spaces or slashes is rejected before anything is written."""
    with pytest.raises(InvalidValueError, match="stream name"):
        store.append("no such/stream", SEED[:1])
    assert store.head() == 0


def test_snapshots(store: EventStore) -> None:
    """Snapshots save together, replace those of the same name, and load back."""
    assert store.load_snapshot("v") is None
    first = Snapshot(name="v", tag="t1", checkpoint=3, data='{"a": 1}')
    other = Snapshot(name="w", tag="t1", checkpoint=3, data="[]")
    store.save_snapshots([first, other])
    assert store.load_snapshot("v") == first
    newer = Snapshot(name="v", tag="t2", checkpoint=9, data='{"a": 2}')
    store.save_snapshots([newer])
    assert store.load_snapshot("v") == newer
    assert store.load_snapshot("w") == other


def test_reopened_store_keeps_everything(durable_store_url: str) -> None:
    """A durable store reopened from its URL holds the same streams and events."""
    with_events = open_store(durable_store_url)
    with_events.append(STREAM, SEED)
    with_events.close()
    reopened = open_store(durable_store_url)
    try:
        assert load_stream(reopened, STREAM) == EventLog(SEED)
        assert reopened.streams() == [StreamInfo(name=STREAM, version=len(SEED))]
    finally:
        reopened.close()


def test_wait_returns_when_events_exist(store: EventStore) -> None:
    """Waiting returns at once when an event after the position is already there."""
    store.append(STREAM, SEED[:2])
    store.wait(0, timeout=30)  # would take 30 s if it did not look first
    assert store.head() == 2


@pytest.mark.parametrize("url", ["nonsense", "sqlite:", "file:", "mysql://x", "memory:x"])
def test_bad_url(url: str) -> None:
    """A URL that names no backend raises StoreError saying which URLs work."""
    with pytest.raises(StoreError, match="is not a store URL"):
        open_store(url)


def _amend(
    kind: type[EventRetracted | EventCorrected], event_id: str, target: str, **fields: object
) -> Event:
    """A retraction or correction recorded on 2025-07-22."""
    envelope = {
        "id": event_id,
        "occurred": PartialDate.parse("2025-07-22"),
        "recorded": datetime(2025, 7, 22, 9, 0, tzinfo=UTC),
        "target": target,
    }
    return kind(**envelope, **fields)  # type: ignore[arg-type]  # each kind takes its own fields


def test_amendments_are_checked_like_the_log(store: EventStore) -> None:
    """A store rejects what a log rejects of retractions and corrections, writing nothing, and
    checks a correction against the corrections before it, also across appends.
    """
    ultimatum = "us-ceasefire-ultimatum-2025-07-14"
    store.append(STREAM, SEED)
    store.append(STREAM, [_amend(EventRetracted, "r1", "eu-sanctions-rus-2025-07-18", reason="wrong")])
    store.append(
        STREAM, [_amend(EventCorrected, "c1", ultimatum, changes={"due": "2025-09-01", "within_days": None})]
    )
    rejected: list[tuple[Event, type[Exception]]] = [
        (_amend(EventRetracted, "r2", "r1", reason="no"), InvalidAmendmentError),
        (_amend(EventRetracted, "r3", "eu-sanctions-rus-2025-07-18", reason="again"), InvalidAmendmentError),
        (_amend(EventRetracted, "r4", "nope", reason="unknown"), UnknownReferenceError),
        # valid on the original (which has within_days) but not after c1 set due instead
        (_amend(EventCorrected, "c2", ultimatum, changes={"within_days": 10}), InvalidAmendmentError),
    ]
    for event, error in rejected:
        with pytest.raises(error):
            store.append(STREAM, [event])
        assert store.stream_version(STREAM) == len(SEED) + 2
    store.append(STREAM, [_amend(EventCorrected, "c3", "c1", changes={"due": "2025-08-31"})])
    views = project(load_stream(store, STREAM))
    assert views.deadlines.by_id["us-ceasefire-ultimatum"].due == date(2025, 8, 31)
    assert views.sanctions.sanctions == ()
