"""The runner's snapshot deltas: a view patched with what changed equals the later view, and a
save after a few events writes what they changed, not the whole view.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from types import MappingProxyType

from hypothesis import given
from hypothesis import strategies as st

from negotiations.codec import dump_json, unstructure_view
from negotiations.log import EventLog
from negotiations.projections import PROJECTIONS, Fold, Positions, counted, project
from negotiations.seed import seed_timeline
from negotiations.services import ProjectionRunner
from negotiations.services._deltas import delta, patched
from negotiations.stores import MemoryStore, Snapshot
from negotiations.testing import event_logs


@given(log=event_logs(max_size=25), cuts=st.lists(st.integers(0, 25), max_size=4))
def test_patched_with_the_delta_equals_the_later_view(log: EventLog, cuts: list[int]) -> None:
    """Folding on after each cut, the earlier view patched with the JSON of its delta is the later one."""
    events = list(counted(log))
    fold = Fold(PROJECTIONS.values())
    before = fold.views()
    done = 0
    for cut in [*sorted(cuts), len(events)]:
        for event in events[done:cut]:
            fold.apply(event)
        done = max(done, cut)
        after = fold.views()
        for name in PROJECTIONS:
            text = json.dumps(delta(before[name], after[name]))
            again = patched(before[name], json.loads(text))
            assert again == after[name], name
            # Equal mappings may differ in order, which their JSON keeps.
            assert dump_json(unstructure_view(again)) == dump_json(unstructure_view(after[name])), name
        before = after


@given(log=event_logs(max_size=25))
def test_the_delta_of_a_view_against_itself_is_empty(log: EventLog) -> None:
    """A view that did not change has an empty delta, and patching with it gives the same view."""
    views = Fold(PROJECTIONS.values()).fold(counted(log))
    for view in views.values():
        assert delta(view, view) == {}
        assert patched(view, {}) is view


def test_a_new_key_ahead_of_the_old_ones_keeps_its_place() -> None:
    """A mapping whose new key comes first (an agreement reached earlier, say) is patched in the new order."""
    later = project(seed_timeline()).positions
    parties = list(later.parties)
    assert len(parties) >= 2
    earlier = Positions(parties=MappingProxyType({p: later.parties[p] for p in parties[1:]}))
    again = patched(earlier, json.loads(json.dumps(delta(earlier, later))))
    assert list(again.parties) == parties
    assert again == later


class Saving(MemoryStore):
    """A memory store that keeps every batch of snapshots saved."""

    def __init__(self) -> None:
        super().__init__()
        self.saves: list[list[Snapshot]] = []

    def save_snapshots(self, snapshots: Sequence[Snapshot]) -> None:
        """Save, and keep what was saved."""
        self.saves.append(list(snapshots))
        super().save_snapshots(snapshots)


def test_a_save_after_one_event_writes_what_it_changed() -> None:
    """After a save of the seed, one more event saves a timeline delta far smaller than the timeline."""
    store = Saving()
    seed = list(seed_timeline())
    store.append("russia-ukraine", seed[:-1])
    ProjectionRunner(store, stream="russia-ukraine").catch_up()
    first = {s.name: s for s in store.saves[-1]}
    store.append("russia-ukraine", seed[-1:])
    runner = ProjectionRunner(store, stream="russia-ukraine")
    runner.catch_up()
    second = {s.name: s for s in store.saves[-1]}
    whole = first["views/russia-ukraine/timeline#0"].data
    assert "views/russia-ukraine/timeline#0" not in second, "the timeline was written whole again"
    added = second["views/russia-ukraine/timeline#1"].data
    assert len(added) < len(whole) / 5
    assert json.loads(second["views/russia-ukraine/timeline"].data) == {"chunks": 2}
    again = ProjectionRunner(store, stream="russia-ukraine")
    assert again.rebuilt == []
    assert again.views == Fold(PROJECTIONS.values()).fold(counted(seed))
