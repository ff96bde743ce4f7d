"""Writers in several processes racing on one stream, each append expecting the version it read."""

from __future__ import annotations

from contextlib import ExitStack, closing

from negotiations.stores import open_store

from ._harness import Child, Reply, contend

WRITERS = 4
APPENDS = 25
STREAM = "russia-ukraine"


def race(url: str) -> list[list[Reply]]:
    """Run the writers at once to the end; return each one's replies."""
    with ExitStack() as stack:
        children = [
            stack.enter_context(Child(contend, url=url, stream=STREAM, worker=w, appends=APPENDS))
            for w in range(WRITERS)
        ]
        for child in children:
            assert child.receive() == {"ready": True}
        for child in children:
            child.send("go")
        return [child.finish() for child in children]


def test_racing_writers_land_every_append_once_in_order(durable_store_url: str) -> None:
    """Racing writers land each acknowledged append once, whole and in order; losers get ConcurrencyError."""
    replies = race(durable_store_url)

    with closing(open_store(durable_store_url)) as store:
        records = list(store.read_stream(STREAM))
        everything = list(store.read_all())
        head = store.head()
    stored = [record.event.id for record in records]
    assert [record.version for record in records] == list(range(1, len(records) + 1))
    assert [record.position for record in everything] == list(range(1, len(records) + 1))
    assert [record.event.id for record in everything] == stored
    assert head == len(stored)
    assert len(set(stored)) == len(stored), "an event was stored twice"

    acknowledged = [reply for per_writer in replies for reply in per_writer if "ids" in reply]
    assert len(acknowledged) == WRITERS * APPENDS
    assert sorted(i for reply in acknowledged for i in reply["ids"]) == sorted(stored)
    for reply in acknowledged:
        # An append expecting version v that succeeds takes the versions right after v.
        assert reply["version"] == reply["read"] + len(reply["ids"])
        assert stored[reply["read"] : reply["version"]] == reply["ids"]
    for worker, per_writer in enumerate(replies):
        own = [i for reply in per_writer if "ids" in reply for i in reply["ids"]]
        assert [i for i in stored if i.startswith(f"w{worker}-")] == own

    conflicts = [reply["conflict"] for per_writer in replies for reply in per_writer if "conflict" in reply]
    assert conflicts, "the writers never contended, so the test proved nothing"
    for conflict in conflicts:
        assert conflict["expected"] == conflict["read"]
        assert conflict["actual"] > conflict["read"], "a stream can only have grown since it was read"
