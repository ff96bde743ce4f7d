"""Crashes: writers killed with SIGKILL mid-append, and the JSON Lines store's torn-tail repair."""

from __future__ import annotations

import logging
import random
import re
from collections import defaultdict
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from negotiations.errors import StoreError
from negotiations.stores import EventStore, JsonlStore, Recorded, open_store

from ._harness import Child, Reply, statement, write_batches

_BATCH_ID = re.compile(r"^(r\d+-\d+)-(\d+)of(\d+)$")


def rounds(url: str) -> int:
    """How many writers to kill: fewer against PostgreSQL, where each costs more."""
    return 5 if url.startswith("postgres") else 20


def kill_writers(url: str, count: int) -> list[list[Reply]]:
    """Start ``count`` writers one after another, killing each at a random moment of its
    appends; return each one's acknowledged appends.
    """
    acknowledged = []
    for r in range(count):
        with Child(write_batches, url=url, tag=f"r{r}") as child:
            assert child.receive() == {"ready": True}
            replies = child.gather(random.uniform(0, 0.2))  # noqa: S311 - not cryptography
            acknowledged.append(replies + child.kill())
    return acknowledged


def parse(event_id: str) -> tuple[str, int, int]:
    """A written event's batch, its place in the batch, and the batch's size."""
    match = _BATCH_ID.match(event_id)
    assert match is not None, f"{event_id!r} was never written"
    return match[1], int(match[2]), int(match[3])


def check_gap_free(records: list[Recorded]) -> None:
    """Global positions run 1..n in order, and each stream's versions run 1..m in order."""
    assert [record.position for record in records] == list(range(1, len(records) + 1))
    versions: dict[str, int] = defaultdict(int)
    for record in records:
        versions[record.stream] += 1
        assert record.version == versions[record.stream], f"a gap before {record}"


def test_killed_writers_leave_whole_acknowledged_batches(durable_store_url: str) -> None:
    """Killed writers lose no acknowledged append and leave no partial batch; the store takes new appends."""
    acknowledged = kill_writers(durable_store_url, rounds(durable_store_url))

    with closing(open_store(durable_store_url)) as store:
        records = list(store.read_all())
        check_gap_free(records)
        batches: dict[str, list[Recorded]] = defaultdict(list)
        for record in records:
            batches[parse(record.event.id)[0]].append(record)
        for batch, members in batches.items():
            size = parse(members[0].event.id)[2]
            assert [parse(m.event.id)[1] for m in members] == list(range(size)), f"batch {batch} is partial"
            assert [m.position for m in members] == list(
                range(members[0].position, members[0].position + size)
            )

        # Writers ran one after another, each appending in turn: the batches are in that order.
        assert list(batches) == sorted(batches, key=lambda b: tuple(int(n) for n in b[1:].split("-")))

        by_id = {record.event.id: record for record in records}
        assert len(by_id) == len(records), "an event was stored twice"
        for r, replies in enumerate(acknowledged):
            for reply in replies:
                assert set(reply["ids"]) <= by_id.keys(), f"round {r} lost an acknowledged append {reply}"
                last = by_id[reply["ids"][-1]]
                assert (last.stream, last.version) == (reply["stream"], reply["version"])
            # Only the append under way when the writer was killed may be there unacknowledged.
            told = {parse(reply["ids"][0])[0] for reply in replies}
            there = {batch for batch in batches if batch.startswith(f"r{r}-")}
            assert told <= there
            assert len(there - told) <= 1, f"round {r} stored {sorted(there - told)} unacknowledged"
        assert sum(map(len, acknowledged)) > 0, "no writer got to append, so the test proved nothing"

        check_takes_appends(store)


def check_takes_appends(store: EventStore) -> None:
    """The store takes a new batch at the next versions and positions."""
    head, version = store.head(), store.stream_version("s0")
    assert (
        store.append("s0", [statement("after-1"), statement("after-2")], expected_version=version)
        == version + 2
    )
    added = list(store.read_all(head + 1))
    assert [(r.position, r.version, r.event.id) for r in added] == [
        (head + 1, version + 1, "after-1"),
        (head + 2, version + 2, "after-2"),
    ]


# -- the JSON Lines store's torn tail -----------------------------------------------------------

WHOLE_IDS = ["a", "b0", "b1", "b2", "c"]


def write_whole(path: Path) -> bytes:
    """Write three whole appends (one event, a batch of three, one event) and return the bytes."""
    with JsonlStore(path) as store:
        store.append("s", [statement("a")])
        store.append("s", [statement("b0"), statement("b1"), statement("b2")])
        store.append("t", [statement("c")])
    return path.read_bytes()


def batch_lines(tmp_path: Path) -> list[bytes]:
    """The lines a batch of three events, x0 to x2 in stream ``s``, is written as."""
    scratch = tmp_path / "scratch.jsonl"
    with JsonlStore(scratch) as store:
        store.append("s", [statement("x0"), statement("x1"), statement("x2")])
    lines = scratch.read_bytes().splitlines(keepends=True)
    assert len(lines) == 3
    assert b'"batch": 3' in lines[0]
    return lines


TORN_TAILS: dict[str, Callable[[list[bytes]], bytes]] = {
    "half of a line": lambda lines: lines[0][: len(lines[0]) // 2],
    "a line without its newline": lambda lines: lines[0][:-1],
    "a batch missing its last line": lambda lines: b"".join(lines[:2]),
    "a batch with a half last line": lambda lines: b"".join(lines[:2]) + lines[2][:20],
    "the first line of a batch": lambda lines: lines[0],
}


@pytest.mark.parametrize("tear", TORN_TAILS.values(), ids=TORN_TAILS.keys())
def test_torn_tail_is_cut_on_open(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, tear: Callable[[list[bytes]], bytes]
) -> None:
    """Opening a file store cuts a torn last append, warns, sets recovered and keeps what came before."""
    path = tmp_path / "events.jsonl"
    whole = write_whole(path)
    with path.open("ab") as file:
        file.write(tear(batch_lines(tmp_path)))

    with caplog.at_level(logging.WARNING, logger="negotiations.stores.jsonl"), JsonlStore(path) as store:
        assert store.recovered is not None
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING and str(path) in r.getMessage()]
        assert len(warnings) == 1
        assert path.read_bytes() == whole
        assert [r.event.id for r in store.read_all()] == WHOLE_IDS
        check_gap_free(list(store.read_all()))
        # The torn events were never there, so appending them now is new, not a retry.
        assert store.append("s", [statement("x0"), statement("x1")], expected_version=4) == 6

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="negotiations.stores.jsonl"), JsonlStore(path) as store:
        assert store.recovered is None
        assert caplog.records == []
        assert [r.event.id for r in store.read_all()] == [*WHOLE_IDS, "x0", "x1"]
        check_gap_free(list(store.read_all()))


def test_torn_tail_under_an_open_store_is_hidden_then_cut(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A torn append under an open file store is never read, and its next append cuts and reports it."""
    path = tmp_path / "events.jsonl"
    whole = write_whole(path)
    with JsonlStore(path) as store:
        assert store.head() == 5
        with path.open("ab") as file:
            file.write(b"".join(batch_lines(tmp_path)[:2]))

        assert [r.event.id for r in store.read_all()] == WHOLE_IDS
        assert store.head() == 5
        assert store.stream_version("s") == 4
        reported = store.recovered  # a name of its own, so that the check does not narrow the attribute
        assert reported is None

        with caplog.at_level(logging.WARNING, logger="negotiations.stores.jsonl"):
            assert store.append("s", [statement("d")], expected_version=4) == 5
        assert store.recovered is not None
        assert [r for r in caplog.records if r.levelno == logging.WARNING]
        assert path.read_bytes().startswith(whole)
        assert len(path.read_bytes().splitlines()) == 6

    with JsonlStore(path) as store:
        assert store.recovered is None
        assert [r.event.id for r in store.read_all()] == [*WHOLE_IDS, "d"]
        check_gap_free(list(store.read_all()))


def test_damage_before_the_tail_is_an_error_not_mended(tmp_path: Path) -> None:
    """A damaged line with whole lines after it is a StoreError, and the file is left as it is."""
    path = tmp_path / "events.jsonl"
    lines = write_whole(path).splitlines(keepends=True)
    damaged = b"".join([lines[0], lines[1][:30] + b"\n", *lines[2:]])
    path.write_bytes(damaged)

    with pytest.raises(StoreError, match="line 2"):
        JsonlStore(path)
    assert path.read_bytes() == damaged
