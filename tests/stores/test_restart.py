"""Projection runners stopped mid-way and started again, in process and as killed processes."""

from __future__ import annotations

import contextlib
import itertools
import random
from collections.abc import Iterator, Sequence
from contextlib import closing
from typing import Any, Final

import attrs
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st

from negotiations.domain.events import AMENDMENT_TYPES
from negotiations.errors import LogError
from negotiations.log import EventLog
from negotiations.projections import DEADLINES, PROJECTIONS, Views
from negotiations.projections import project as project_views
from negotiations.render import views_to_json
from negotiations.seed import seed_timeline
from negotiations.services import ProjectionRunner
from negotiations.stores import EventStore, Recorded, Snapshot, open_store
from negotiations.testing import event_logs

from ._harness import Child, Relay, project, statement

SEED: Final = seed_timeline()
_streams = itertools.count()


# Every example shares the test's store, each in a stream of its own, so each runner reads what
# the examples before it wrote. A few examples suffice; shrinking, which runs hundreds, would take
# minutes, and a failing log of at most 15 events reads well enough as it is.
def store_examples(count: int) -> settings:
    """Settings for ``count`` examples that share one store."""
    return settings(
        max_examples=count,
        deadline=None,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


class Killed(Exception):  # noqa: N818 - it names what happened to the runner
    """Raised into a runner to stop it mid-way, as a crash would."""


class Dying(Relay):
    """A store whose reads of every stream die after ``after`` events; it notes each checkpoint
    saved.
    """

    def __init__(self, store: EventStore, after: int) -> None:
        super().__init__(store)
        self.after = after
        self.saved: list[int] = []

    def read_all(self, from_position: int = 1, limit: int | None = None) -> Iterator[Recorded]:
        """The store's events, until ``after`` of them have been read."""
        for n, record in enumerate(super().read_all(from_position, limit)):
            if n == self.after:
                raise Killed
            yield record

    def save_snapshots(self, snapshots: Sequence[Snapshot]) -> None:
        """Save, and note the checkpoint."""
        super().save_snapshots(snapshots)
        self.saved.append(snapshots[0].checkpoint)


class Counting(Relay):
    """A store that notes where each read of every stream starts and how many events it yields."""

    def __init__(self, store: EventStore) -> None:
        super().__init__(store)
        self.reads: list[int] = []
        self.yielded = 0

    def read_all(self, from_position: int = 1, limit: int | None = None) -> Iterator[Recorded]:
        """The store's events, counted."""
        self.reads.append(from_position)
        for record in super().read_all(from_position, limit):
            self.yielded += 1
            yield record


def replay(store: EventStore, stream: str | None = None, upto: int | None = None) -> dict[str, Any]:
    """Every view folded afresh from the events of ``stream`` (every stream: ``None``) up to
    position ``upto``.
    """
    records = store.read_all() if stream is None else store.read_stream(stream)
    events = [r.event for r in records if upto is None or r.position <= upto]
    return {name: projection.fold(events) for name, projection in PROJECTIONS.items()}


def seeded(log: EventLog) -> list[Any]:
    """The seed timeline followed by ``log``'s events, if they fit together in one log."""
    try:
        whole = SEED.extend(log)
    except LogError:
        reject()  # an id of the generated log clashes with the seed's
    return list(whole)


@store_examples(8)
@given(log=event_logs(max_size=15), data=st.data())
def test_restarted_runner_resumes_from_its_snapshot(
    store_url: str, log: EventLog, data: st.DataObject
) -> None:
    """A runner stopped mid-catch-up resumes from its snapshot, reads only what follows, equals a replay."""
    stream = f"run-{next(_streams)}"
    events = seeded(log)
    split = data.draw(st.integers(len(SEED), len(events)), label="split")
    with closing(open_store(store_url)) as store:
        # A runner that was there before the events came: its snapshot is at the current head.
        start = ProjectionRunner(store, stream=stream).catch_up()
        store.append(stream, events[:split])
        store.append(f"{stream}.other", [statement(f"{stream}-other-{n}") for n in range(3)])
        save_every = data.draw(st.integers(2, 10), label="save_every")
        dying = Dying(store, after=data.draw(st.integers(0, store.head() - start + 1), label="after"))
        with contextlib.suppress(Killed):
            ProjectionRunner(dying, stream=stream, save_every=save_every).catch_up()
        store.append(stream, events[split:])
        checkpoint = dying.saved[-1] if dying.saved else start

        counting = Counting(store)
        runner = ProjectionRunner(counting, stream=stream)
        assert runner.rebuilt == []
        assert runner.checkpoint == checkpoint
        assert counting.reads == [], "a trusted snapshot needs no reading"
        assert runner.views == replay(store, stream, upto=checkpoint)

        assert runner.catch_up() == store.head()
        after = list(store.read_all(checkpoint + 1))
        refolds = sum(1 for r in after if r.stream == stream and type(r.event) in AMENDMENT_TYPES)
        # Each retraction or correction makes the runner fold again from the start, in two reads.
        assert counting.reads == [checkpoint + 1] + [1, 1] * refolds
        if not refolds:
            assert counting.yielded == store.head() - checkpoint
        assert runner.views == replay(store, stream)


@store_examples(5)
@given(log=event_logs(max_size=15), data=st.data())
def test_snapshot_of_an_older_projector_is_rebuilt(
    store_url: str, log: EventLog, data: st.DataObject
) -> None:
    """A view saved by an older projector version is rebuilt from the start; all views equal a replay."""
    stream = f"run-{next(_streams)}"
    events = seeded(log)
    split = data.draw(st.integers(len(SEED), len(events)), label="split")
    newer = [attrs.evolve(p, version="2") if p is DEADLINES else p for p in PROJECTIONS.values()]
    with closing(open_store(store_url)) as store:
        store.append(stream, events[:split])
        old = ProjectionRunner(store, stream=stream)
        old.catch_up()
        store.append(stream, events[split:])

        counting = Counting(store)
        runner = ProjectionRunner(counting, newer, stream=stream)
        assert runner.rebuilt == ["deadlines"]
        assert runner.checkpoint == old.checkpoint
        amended = any(type(e) in AMENDMENT_TYPES for e in events[:split])
        # Only the rebuilt view is folded again, from the start: in one read, or two when the
        # first finds retractions or corrections to apply.
        assert counting.reads == ([1, 1] if amended else [1])
        assert runner.views == replay(store, stream, upto=old.checkpoint)

        runner.catch_up()
        assert runner.views == replay(store, stream)
        again = ProjectionRunner(store, newer, stream=stream)
        assert again.rebuilt == []
        assert again.views == runner.views


SAVE_EVERY = 20
PAUSE = 0.02
ROUNDS = 3


def test_runner_killed_mid_catch_up_resumes(durable_store_url: str) -> None:
    """A runner process killed mid-catch-up resumes from its last snapshot and ends equal to a replay."""
    with closing(open_store(durable_store_url)) as store:
        store.append("russia-ukraine", list(SEED))
        for n in range(20):
            store.append(f"noise-{n % 3}", [statement(f"noise-{n}-{k}") for k in range(20)])
        head = store.head()

        saved = 0
        for r in range(ROUNDS):
            with Child(project, url=durable_store_url, save_every=SAVE_EVERY, pause=PAUSE) as child:
                start = child.receive()
                assert start["start"] >= saved, "a restarted runner went back before its last snapshot"
                assert start["rebuilt"] == ([] if r else list(PROJECTIONS))
                for _ in range(random.randint(1, 3)):  # noqa: S311 - not cryptography
                    saved = child.receive()["saved"]
                replies = child.gather(random.uniform(0, PAUSE)) + child.kill()  # noqa: S311 - the same
            assert all("done" not in reply for reply in replies), "the runner finished before the kill"
            saved = max([saved, *(reply["saved"] for reply in replies)])
        assert saved < head

        runner = ProjectionRunner(store)
        assert runner.rebuilt == []
        assert saved <= runner.checkpoint < head
        assert runner.catch_up() == head
        assert runner.views == replay(store)


def test_a_runners_views_render_with_their_sources_on_every_store(store_url: str) -> None:
    """A resumed runner's views, cited through the runner, give the JSON of a fold of the stream
    in memory, sources and summaries and all, after a later append too.
    """
    later = statement("later-statement")
    with closing(open_store(store_url)) as store:
        store.append("seed", list(SEED))
        ProjectionRunner(store, stream="seed").catch_up()
        store.append("seed", [later])
        runner = ProjectionRunner(store, stream="seed")
        runner.catch_up()
        ours = views_to_json(Views(as_of=None, **runner.views), citations=runner.citations)
    expected = views_to_json(attrs.evolve(project_views(EventLog([*SEED, later])), as_of=None))
    assert ours == expected
    assert any(entry["sources"] for entry in ours["timeline"])
    (entry,) = (e for e in ours["timeline"] if e["event_id"] == "later-statement")
    assert entry["summary"] == "UKR (UKR): said something"
    assert entry["sources"] == []


def test_runners_with_their_own_prefixes_keep_their_own_snapshots() -> None:
    """Two runners of one stream with their own prefixes each resume from the snapshot they saved."""
    with closing(open_store("memory:")) as store:
        store.append("shared", [statement("first")])
        behind = ProjectionRunner(store, stream="shared", prefix="behind")
        behind.catch_up()
        store.append("shared", [statement("second")])
        ahead = ProjectionRunner(store, stream="shared", prefix="ahead")
        ahead.catch_up()
        saved = {
            name: store.load_snapshot(f"{name}/shared/timeline") for name in ("behind", "ahead", "views")
        }
        assert {name: s.checkpoint if s else None for name, s in saved.items()} == {
            "behind": 1,
            "ahead": 2,
            "views": None,
        }
        assert ProjectionRunner(store, stream="shared", prefix="behind").checkpoint == 1
        assert ProjectionRunner(store, stream="shared", prefix="ahead").checkpoint == 2
