"""The restart figure: a :class:`ProjectionRunner` that resumes from its snapshots, against one
that replays the whole store.

Both run on a copy of the SQLite store the store figures wrote. The replay is a fresh runner's
``catch_up`` with no snapshots (it saves them as it goes, every ``save_every`` events, as it does
in service). The resume is a new runner on the same store, once one more batch of events has
been appended: loading the snapshots, then ``catch_up`` of that batch.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from _harness import Row, Value, timed
from negotiations import Event
from negotiations.services import ProjectionRunner
from negotiations.stores import open_store


def rows(db: Path, extra: tuple[str, list[Event]], *, limit: float) -> list[Row]:
    """The restart figure, on a copy of the SQLite store at ``db``; ``extra`` is the batch appended
    between the replay and the resume.
    """
    copy = db.with_name("restart.db")
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{db}{suffix}").exists():
            shutil.copyfile(f"{db}{suffix}", f"{copy}{suffix}")
    url = f"sqlite:{copy}"

    def replay() -> None:
        with open_store(url) as store:
            ProjectionRunner(store).catch_up()

    replayed = timed(replay, repeats=1, limit=limit)
    if replayed.over:
        why = f"the replay ran past {limit:g}s, so there is no snapshot to resume from"
        return [Row("restart: runner resume from snapshot vs full replay", "s", Value(None, why=why),
                    Value(replayed.seconds, over=True), limit=0.05)]  # fmt: skip
    with open_store(url) as store:
        store.append(*extra)

    def resume() -> None:
        with open_store(url) as store:
            ProjectionRunner(store).catch_up()

    resumed = timed(resume, repeats=1, limit=limit)  # a second resume would find nothing new
    return [
        Row("restart: runner resume from snapshot vs full replay", "s", Value(resumed.seconds, resumed.over),
            Value(replayed.seconds), limit=0.05, note=f"resume folds {len(extra[1])} new events"),
    ]  # fmt: skip
