"""The store contract: the tests every :class:`~negotiations.stores.EventStore` passes, to run
against a backend of your own, as this library runs them against each of its four.

Subclass :class:`StoreContract` in a test module, name the subclass ``Test...`` so that pytest
collects it, and say how to make a fresh, empty store; a store that outlives its objects
subclasses :class:`DurableStoreContract` and says how to open it again::

    from negotiations.stores import open_store
    from negotiations.testing.stores import DurableStoreContract

    class TestMyStore(DurableStoreContract):
        def make_store(self):
            return open_store("sqlite:/tmp/my-test.db")  # a fresh, empty one for each test

        def reopen_store(self, store):
            return open_store(store.url)

The tests are plain methods with plain ``assert`` s (pytest collects them; so does ``unittest``
if the subclass is also a ``TestCase``), and one of them is a Hypothesis state machine that checks
every kind of event, with references, retries, stale appends, retractions and corrections,
against a model of its own (:mod:`negotiations.testing._model`, run by :mod:`negotiations.testing._machine`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime

import attrs

from negotiations.domain.events import (
    DeadlineMet,
    DeadlineSet,
    Event,
    EventCorrected,
    EventRetracted,
    StatementMade,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.errors import (
    ConcurrencyError,
    DuplicateEventError,
    DuplicateKeyError,
    InvalidAmendmentError,
    InvalidValueError,
    NegotiationsError,
    UnknownReferenceError,
)
from negotiations.log import EventLog
from negotiations.projections import project
from negotiations.seed import seed_timeline
from negotiations.stores import EventStore, Snapshot, StreamInfo, load_stream
from negotiations.testing._machine import check_against_model

__all__ = ["DurableStoreContract", "StoreContract"]

_STREAM = "russia-ukraine"
_LARGE = 2_500  # more events than a SQL store's one lookup query takes (1,000)


def _statement(event_id: str, summary: str = "said something") -> StatementMade:
    return StatementMade(
        id=event_id,
        occurred=PartialDate.parse("2025-07-21"),
        recorded=datetime(2025, 7, 21, 9, 0, tzinfo=UTC),
        party=Party("UKR"),
        summary=summary,
    )


def _amend(
    kind: type[EventRetracted | EventCorrected], event_id: str, target: str, **fields: object
) -> Event:
    envelope = {
        "id": event_id,
        "occurred": PartialDate.parse("2025-07-22"),
        "recorded": datetime(2025, 7, 22, 9, 0, tzinfo=UTC),
        "target": target,
    }
    return kind(**envelope, **fields)  # type: ignore[arg-type]  # each kind takes its own fields


def _deadline(n: int) -> DeadlineSet:
    return DeadlineSet(
        id=f"set-{n}",
        occurred=PartialDate.parse("2025-07-01"),
        recorded=datetime(2025, 7, 1, tzinfo=UTC),
        deadline_id=f"deadline-{n}",
        issuer=Party("USA"),
        target=Party("RUS"),
        demand="a ceasefire",
        due=date(2025, 9, 1),
    )


def _met(n: int, prefix: str = "met", deadline: str | None = None) -> DeadlineMet:
    return DeadlineMet(
        id=f"{prefix}-{n}",
        occurred=PartialDate.parse("2025-08-01"),
        recorded=datetime(2025, 8, 1, tzinfo=UTC),
        deadline_id=deadline or f"deadline-{n}",
    )


@contextmanager
def _raises(error: type[NegotiationsError], match: str = "") -> Iterator[list[NegotiationsError]]:
    """Fail unless the block raises ``error`` with ``match`` in its message; give what it raised."""
    caught: list[NegotiationsError] = []
    try:
        yield caught
    except error as exc:
        assert match in str(exc), f"{exc!r} does not say {match!r}"
        caught.append(exc)
    else:
        raise AssertionError(f"did not raise {error.__name__}")


def _ids(store: EventStore, stream: str = _STREAM) -> list[str]:
    return [record.event.id for record in store.read_stream(stream)]


class StoreContract:
    """What every store does. Subclass it, and define :meth:`make_store`."""

    def make_store(self) -> EventStore:
        """A fresh, empty store: each test makes its own, and closes it."""
        raise NotImplementedError

    def test_empty_store(self) -> None:
        """A new store has no streams, head 0, and version 0 for any stream."""
        with closing(self.make_store()) as store:
            assert store.streams() == []
            assert store.head() == 0
            assert store.stream_version(_STREAM) == 0
            assert list(store.read_stream(_STREAM)) == []
            assert list(store.read_all()) == []

    def test_append_and_read_back(self) -> None:
        """Appended events read back in order, with gap-free versions and global positions."""
        seed = list(seed_timeline())
        with closing(self.make_store()) as store:
            assert store.append(_STREAM, seed[:10]) == 10
            assert store.append(_STREAM, seed[10:]) == len(seed)
            records = list(store.read_stream(_STREAM))
            assert [r.event for r in records] == seed
            assert [r.version for r in records] == list(range(1, len(seed) + 1))
            assert [r.position for r in store.read_all()] == list(range(1, len(seed) + 1))
            assert load_stream(store, _STREAM) == seed_timeline()

    def test_streams_are_separate(self) -> None:
        """Each stream has its own versions; global positions run across all of them."""
        with closing(self.make_store()) as store:
            store.append("a", [_statement("x1"), _statement("x2")])
            store.append("b", [_statement("x1")])
            store.append("a", [_statement("x3")])
            assert store.streams() == [StreamInfo(name="a", version=3), StreamInfo(name="b", version=1)]
            assert [(r.stream, r.version, r.position) for r in store.read_all()] == [
                ("a", 1, 1),
                ("a", 2, 2),
                ("b", 1, 3),
                ("a", 3, 4),
            ]
            assert _ids(store, "a") == ["x1", "x2", "x3"]

    def test_read_from_version_and_position(self) -> None:
        """Reading starts at the version or position asked for, and stops at the limit."""
        seed = list(seed_timeline())
        with closing(self.make_store()) as store:
            store.append(_STREAM, seed)
            assert [r.version for r in store.read_stream(_STREAM, 15)] == [15, 16, 17, 18, 19]
            assert [r.position for r in store.read_all(3, limit=4)] == [3, 4, 5, 6]
            assert list(store.read_all(len(seed) + 1)) == []

    def test_expected_version(self) -> None:
        """An append with a stale expected version raises naming both versions, and writes nothing."""
        seed = list(seed_timeline())
        with closing(self.make_store()) as store:
            store.append(_STREAM, seed[:3], expected_version=0)
            with _raises(ConcurrencyError) as caught:
                store.append(_STREAM, seed[3:5], expected_version=2)
            error = caught[0]
            assert isinstance(error, ConcurrencyError)
            assert (error.expected, error.actual, error.stream) == (2, 3, _STREAM)
            assert "version 3" in str(error)
            assert "expected 2" in str(error)
            assert store.stream_version(_STREAM) == 3
            assert store.head() == 3
            assert store.append(_STREAM, seed[3:5], expected_version=3) == 5

    def test_retry_is_a_no_op(self) -> None:
        """Appending the same events again, even with a stale expected version, changes nothing."""
        seed = list(seed_timeline())
        with closing(self.make_store()) as store:
            store.append(_STREAM, seed[:5], expected_version=0)
            assert store.append(_STREAM, seed[:5], expected_version=0) == 5
            assert store.append(_STREAM, seed[2:7]) == 7
            assert _ids(store) == [e.id for e in seed[:7]]
            assert store.head() == 7

    def test_same_id_other_content(self) -> None:
        """The same id with other content is rejected, and the batch it was in is not written."""
        with closing(self.make_store()) as store:
            store.append(_STREAM, [_statement("s1")])
            with _raises(DuplicateEventError):
                store.append(_STREAM, [_statement("s2"), _statement("s1", "said something else")])
            assert _ids(store) == ["s1"]
            assert store.head() == 1

    def test_unknown_reference_is_rejected(self) -> None:
        """An event that refers to a deadline the stream does not hold is rejected, naming it."""
        seed = list(seed_timeline())
        with closing(self.make_store()) as store:
            store.append(_STREAM, seed)
            with _raises(UnknownReferenceError, match="no-such-deadline"):
                store.append(_STREAM, [_met(1, deadline="no-such-deadline")])
            met_known = _met(1, deadline="us-ceasefire-ultimatum")
            with _raises(UnknownReferenceError):  # references hold within one stream only
                store.append("other-stream", [_statement("first"), met_known])
            assert store.head() == len(seed)
            assert store.streams() == [StreamInfo(name=_STREAM, version=len(seed))]
            assert store.append(_STREAM, [met_known]) == len(seed) + 1

    def test_duplicate_definition_is_rejected(self) -> None:
        """A second DeadlineSet for the same deadline id is rejected; the store is unchanged."""
        seed = list(seed_timeline())
        with closing(self.make_store()) as store:
            store.append(_STREAM, seed)
            (deadline_set,) = [e for e in seed if e.wire_type == "DeadlineSet"]
            with _raises(DuplicateKeyError):
                store.append(_STREAM, [attrs.evolve(deadline_set, id="again")])
            assert store.head() == len(seed)

    def test_bad_stream_name(self) -> None:
        """A stream name with spaces or slashes is rejected before anything is written."""
        with closing(self.make_store()) as store:
            with _raises(InvalidValueError, match="stream name"):
                store.append("no such/stream", [_statement("s1")])
            assert store.head() == 0

    def test_snapshots(self) -> None:
        """Snapshots save together, replace those of the same name, and load back."""
        with closing(self.make_store()) as store:
            assert store.load_snapshot("v") is None
            first = Snapshot(name="v", tag="t1", checkpoint=3, data='{"a": 1}')
            other = Snapshot(name="w", tag="t1", checkpoint=3, data="[]")
            store.save_snapshots([first, other])
            assert store.load_snapshot("v") == first
            newer = Snapshot(name="v", tag="t2", checkpoint=9, data='{"a": 2}')
            store.save_snapshots([newer])
            assert store.load_snapshot("v") == newer
            assert store.load_snapshot("w") == other

    def test_wait_returns_when_events_exist(self) -> None:
        """Waiting returns at once when an event after the position is already there."""
        with closing(self.make_store()) as store:
            store.append(_STREAM, [_statement("s1"), _statement("s2")])
            store.wait(0, timeout=30)  # would take 30 s if it did not look first
            assert store.head() == 2

    def test_amendments_are_checked_like_the_log(self) -> None:
        """A store rejects what a log rejects of retractions and corrections, writing nothing, and
        checks a correction against the corrections before it, also across appends.
        """
        seed = list(seed_timeline())
        ultimatum = "us-ceasefire-ultimatum-2025-07-14"
        sanctions = "eu-sanctions-rus-2025-07-18"
        with closing(self.make_store()) as store:
            store.append(_STREAM, seed)
            store.append(_STREAM, [_amend(EventRetracted, "r1", sanctions, reason="wrong")])
            changes = {"due": "2025-09-01", "within_days": None}
            store.append(_STREAM, [_amend(EventCorrected, "c1", ultimatum, changes=changes)])
            rejected: list[tuple[Event, type[NegotiationsError]]] = [
                (_amend(EventRetracted, "r2", "r1", reason="no"), InvalidAmendmentError),
                (_amend(EventRetracted, "r3", sanctions, reason="again"), InvalidAmendmentError),
                (_amend(EventRetracted, "r4", "nope", reason="unknown"), UnknownReferenceError),
                # valid on the original (which has within_days) but not after c1 set due instead
                (_amend(EventCorrected, "c2", ultimatum, changes={"within_days": 10}), InvalidAmendmentError),
            ]
            for event, error in rejected:
                with _raises(error):
                    store.append(_STREAM, [event])
                assert store.stream_version(_STREAM) == len(seed) + 2
            store.append(_STREAM, [_amend(EventCorrected, "c3", "c1", changes={"due": "2025-08-31"})])
            views = project(load_stream(store, _STREAM))
            assert views.deadlines.by_id["us-ceasefire-ultimatum"].due == date(2025, 8, 31)
            assert views.sanctions.sanctions == ()

    def test_large_batches_are_checked_whole(self) -> None:
        """Batches too large for one lookup query are checked whole, and written all or not at all."""
        definitions = [_deadline(n) for n in range(_LARGE)]
        with closing(self.make_store()) as store:
            assert store.append("large", definitions) == _LARGE
            # Every event a retry, then every deadline met: ids and keys far past the first query.
            assert store.append("large", definitions) == _LARGE
            assert store.append("large", [*definitions, *map(_met, range(_LARGE))]) == 2 * _LARGE
            with _raises(DuplicateKeyError, match=f"deadline-{_LARGE - 1}"):
                again = [_met(n, "again") for n in range(_LARGE)]
                store.append("large", [*again, attrs.evolve(definitions[-1], id="again")])
            assert store.stream_version("large") == 2 * _LARGE
            assert store.head() == 2 * _LARGE

    def test_store_matches_the_model(self) -> None:
        """Appends of every kind of event, with references, retries, stale expected versions,
        retractions, corrections and disputes, fare as a model of a stream says, and nothing else
        is written.
        """
        with closing(self.make_store()) as store:
            check_against_model(store)


class DurableStoreContract(StoreContract):
    """What every store that outlives its objects does, besides :class:`StoreContract`."""

    def reopen_store(self, store: EventStore) -> EventStore:
        """``store`` (closed) opened again, as a new object."""
        raise NotImplementedError

    def test_reopened_store_keeps_everything(self) -> None:
        """A durable store opened again holds the same streams and events."""
        seed = list(seed_timeline())
        store = self.make_store()
        store.append(_STREAM, seed)
        store.close()
        with closing(self.reopen_store(store)) as reopened:
            assert load_stream(reopened, _STREAM) == EventLog(seed)
            assert reopened.streams() == [StreamInfo(name=_STREAM, version=len(seed))]
