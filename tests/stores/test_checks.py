"""Appends are checked as the log checks them, whatever the batches. The SQL stores look a batch's
keys and references up together, a query per kind or a thousand ids, and SQLite leaves the batch's
own ids to the insert, checking again when it finds one already there; they must still agree with
:class:`~negotiations.log.EventLog` event by event.
"""

from __future__ import annotations

import itertools
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from typing import Final

import attrs
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from negotiations import DeadlineMet, DeadlineSet, DuplicateKeyError, Event, PartialDate, Party
from negotiations.errors import ConcurrencyError, LogError
from negotiations.log import EventLog
from negotiations.stores import open_store
from negotiations.testing import event_logs

_streams = itertools.count()

LARGE: Final = 2_500
"""More events than one lookup query takes (1,000 ids, and 1,000 names of a kind)."""


def _batch(data: st.DataObject, events: list[Event], start: int) -> tuple[list[Event], int]:
    """The next few events of the log from ``start``, mixed with repeats of any of its events
    (retries, or references to what is not there yet) and copies of them with other content;
    and where the next batch starts.
    """
    end = data.draw(st.integers(start, min(start + 8, len(events))), label="end")
    batch = events[start:end]
    if events:
        # Mostly events the stream holds already (retries), else any (references ahead of time).
        held = st.sampled_from(events[:start]) if start else st.nothing()
        extras = data.draw(st.lists(held | held | st.sampled_from(events), max_size=3), label="extras")
        for extra in extras:
            if data.draw(st.integers(0, 3), label="changed") == 0:
                extra = attrs.evolve(extra, recorded=extra.recorded + timedelta(seconds=1))  # noqa: PLW2901 - the changed copy
            batch.insert(data.draw(st.integers(0, len(batch)), label="at"), extra)
    return batch, end


@settings(
    max_examples=25,
    deadline=None,
    # Shrinking reruns hundreds of appends on a real database; a failing example of at most 25
    # events reads well enough as it is.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(log=event_logs(max_size=25), data=st.data())
def test_store_checks_any_batches_as_the_log_does(store_url: str, log: EventLog, data: st.DataObject) -> None:
    """Batches of a log's events, retried, reordered and altered, fare in a store as in a log."""
    events = list(log)
    run = next(_streams)
    streams = {name: f"checks-{run}-{name}" for name in "ab"}
    models = {name: EventLog() for name in streams}
    starts = dict.fromkeys(streams, 0)
    with closing(open_store(store_url)) as store:
        for _ in range(data.draw(st.integers(1, 8), label="appends")):
            name = data.draw(st.sampled_from(sorted(streams)), label="stream")
            batch, end = _batch(data, events, starts[name])
            model = models[name]
            expected_version = data.draw(
                st.sampled_from([None, len(model), len(model) + 1]), label="expected"
            )
            try:
                grown = model.extend(batch)
            except LogError as error:
                with pytest.raises(type(error)):
                    store.append(streams[name], batch, expected_version=expected_version)
            else:
                if len(grown) > len(model) and expected_version not in (None, len(model)):
                    with pytest.raises(ConcurrencyError):
                        store.append(streams[name], batch, expected_version=expected_version)
                else:
                    assert store.append(streams[name], batch, expected_version=expected_version) == len(grown)
                    models[name], starts[name] = grown, end
            assert store.stream_version(streams[name]) == len(models[name])
        for name, stream in streams.items():
            assert [r.event for r in store.read_stream(stream)] == list(models[name])


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


def _met(n: int, prefix: str = "met") -> DeadlineMet:
    return DeadlineMet(
        id=f"{prefix}-{n}",
        occurred=PartialDate.parse("2025-08-01"),
        recorded=datetime(2025, 8, 1, tzinfo=UTC),
        deadline_id=f"deadline-{n}",
    )


def test_large_batches_are_checked_across_several_queries(store_url: str) -> None:
    """Batches too large for one lookup query are checked whole, and written all or not at all."""
    definitions = [_deadline(n) for n in range(LARGE)]
    with closing(open_store(store_url)) as store:
        assert store.append("large", definitions) == LARGE
        # Every event a retry, then every deadline met: ids and keys far past the first query.
        assert store.append("large", definitions) == LARGE
        assert store.append("large", [*definitions, *map(_met, range(LARGE))]) == 2 * LARGE
        with pytest.raises(DuplicateKeyError, match=f"deadline-{LARGE - 1}"):
            store.append(
                "large",
                [_met(n, "again") for n in range(LARGE)] + [attrs.evolve(definitions[-1], id="again")],
            )
        assert store.stream_version("large") == 2 * LARGE
        assert store.head() == 2 * LARGE
