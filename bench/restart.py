"""The runner's figures: its first replay against ``project()`` of the same events, its resume
from snapshots against a full replay, and a resume at N events against a resume at 10,000.

Every figure runs on copies of the SQLite store the store figures wrote, so the store itself is
left as it was.

- **First replay.** A fresh :class:`ProjectionRunner`'s ``catch_up`` on a copy with no snapshots
  (it saves them as it goes, every ``save_every`` events, as it does in service), against
  ``project(r.event for r in store.read_all())`` on the same store. Both read every event from
  the store and decode it, so the ratio is what the runner adds to a fold: its live builders, its
  checks for amendments and its snapshots.
- **Resume.** Once the replay has saved its snapshots, one more batch of events is appended; a
  resume opens the store, builds a new runner (which loads the snapshots) and catches up on that
  batch. Each repeat starts from a fresh copy of the replayed store, so every repeat has the same
  batch to fold.
- **Resume at N vs at 10k.** The same resume on a store of the first 10,000 events, with the next
  batch as its new events: both fold 100 new events, so the ratio is how a resume's cost grows
  with the log behind it. With N of 10,000 or fewer, the smaller store holds a tenth of N.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Final

from attrs import frozen

import storage
from _harness import Row, Timing, Value, timed
from negotiations import Event, project
from negotiations.services import ProjectionRunner
from negotiations.stores import open_store

SMALL: Final = 10_000
"""The events of the smaller store a resume at N is compared with."""

REPLAY = "runner: first replay (catch_up, no snapshots) vs project() of read_all"
RESUME = "restart: runner resume from snapshot vs full replay"
GROWTH = "restart: resume at N vs resume at 10k, 100 new events each"


def copy_store(db: Path, copy: Path) -> str:
    """Copy the SQLite store at ``db`` (with its WAL) to ``copy``; return the copy's URL."""
    storage.fresh(copy)()
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{db}{suffix}").exists():
            shutil.copyfile(f"{db}{suffix}", f"{copy}{suffix}")
    return f"sqlite:{copy}"


def catch_up(url: str) -> int:
    """Open the store at ``url``, start a runner (loading any snapshots) and catch up."""
    with open_store(url) as store:
        return ProjectionRunner(store).catch_up()


@frozen
class Replayed:
    """A store copy on which a first replay has run and saved its snapshots, and its timing."""

    db: Path
    timing: Timing


def replay(db: Path, copy: Path, *, limit: float) -> Replayed:
    """A runner's first replay on a fresh copy of ``db`` at ``copy``, timed once (a second replay
    would find the first one's snapshots).
    """
    url = copy_store(db, copy)
    return Replayed(copy, timed(lambda: catch_up(url), repeats=1, limit=limit))


def replay_row(db: Path, replayed: Replayed, *, repeats: int, limit: float) -> Row:
    """The first replay against ``project()`` of every event read from the store at ``db``."""

    def fold() -> None:
        with open_store(f"sqlite:{db}") as store:
            project(record.event for record in store.read_all())

    folded = timed(fold, repeats=repeats, limit=limit)
    return Row(REPLAY, "s", Value(replayed.timing.seconds, replayed.timing.over),
               Value(folded.seconds, folded.over), limit=1.5,
               note="both read and decode every event; the runner saves every 10,000")  # fmt: skip


def _resume(
    pristine: Path, work: Path, extra: tuple[str, list[Event]], *, repeats: int, limit: float
) -> Timing:
    """A resume that folds ``extra``, each repeat on a fresh copy of the replayed ``pristine``."""
    url = f"sqlite:{work}"

    def setup() -> None:
        copy_store(pristine, work)
        with open_store(url) as store:
            store.append(*extra)

    return timed(lambda: catch_up(url), repeats=repeats, limit=limit, setup=setup)


def resume_rows(
    replayed: Replayed,
    batches: storage.Batches,
    extra: tuple[str, list[Event]],
    *,
    repeats: int,
    limit: float,
) -> list[Row]:
    """A resume at N events (the replayed store, folding ``extra``) against the replay itself, and
    against a resume at 10,000 (a store of the first 10,000 of ``batches``, folding the batch after
    them).
    """
    if replayed.timing.over:
        why = f"the replay ran past {replayed.timing.seconds:g}s, so there is no snapshot to resume from"
        return [Row(RESUME, "s", Value(None, why=why), Value(replayed.timing.seconds, over=True), limit=0.02),
                Row(GROWTH, "s", Value(None, why=why), limit=2.0)]  # fmt: skip
    work = replayed.db.with_name("resumed.db")
    at_n = _resume(replayed.db, work, extra, repeats=repeats, limit=limit)
    storage.fresh(work)()
    n, size = sum(len(batch) for _, batch in batches), len(batches[0][1])
    small = SMALL if n > SMALL else n // 10
    head = batches[: max(small // size, 1)]
    news = f"{len(extra[1])} new events"
    resume = Row(RESUME, "s", Value(at_n.seconds, at_n.over), Value(replayed.timing.seconds), limit=0.02,
                 note=f"the resume folds {news}; median of {repeats}")  # fmt: skip
    if len(head) >= len(batches):
        return [resume, Row(GROWTH, "s", Value(None, why=f"{n:,} events: too few for a smaller store"))]
    small_db, small_work = replayed.db.with_name("small.db"), replayed.db.with_name("small-resumed.db")
    storage.fresh(small_db)()
    storage.ours_append(f"sqlite:{small_db}", head)
    catch_up(f"sqlite:{small_db}")  # its first replay, untimed: the snapshots to resume from
    at_small = _resume(small_db, small_work, batches[len(head)], repeats=repeats, limit=limit)
    for path in (small_db, small_work):
        storage.fresh(path)()
    note = f"N = {n:,}; each folds {news}; median of {repeats}"
    if small != SMALL:
        note += f"; N <= {SMALL:,}, so against {small:,} events, not the issue's 10k"
    return [resume, Row(GROWTH, "s", Value(at_n.seconds, at_n.over), Value(at_small.seconds, at_small.over),
                        limit=2.0, note=note)]  # fmt: skip
