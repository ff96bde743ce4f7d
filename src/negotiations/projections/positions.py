"""The positions view: each party's current stance on each issue, with its history."""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from negotiations.domain.events import PositionStated
from negotiations.domain.values import PartialDate, Party, Person, Source
from negotiations.projections._projection import EMPTY, Evidence, Projection, chrono_insert, with_item

__all__ = ["POSITIONS", "Position", "Positions", "Stance"]


@frozen(kw_only=True)
class Stance:
    """One statement of a party's position on an issue."""

    stance: str
    demands: tuple[str, ...]
    since: PartialDate
    speaker: Person | None
    event_id: str
    sources: tuple[Source, ...]

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The event behind this stance: the PositionStated event."""
        return (Evidence(self.event_id, self.sources),)


@frozen(kw_only=True)
class Position:
    """A party's position on one issue: every stance stated, oldest first; the last is current."""

    party: Party
    issue: str
    history: tuple[Stance, ...]

    @property
    def current(self) -> Stance:
        """The latest stance, by when it was stated."""
        return self.history[-1]

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this position: every stance, oldest first."""
        return tuple(dict.fromkeys(e for stance in self.history for e in stance.provenance))


@frozen(kw_only=True)
class Positions:
    """Party code to issue key to :class:`Position`."""

    parties: Mapping[Party, Mapping[str, Position]] = EMPTY

    def get(self, party: str, issue: str) -> Position | None:
        """The position of ``party`` on ``issue``, or ``None``."""
        return self.parties.get(Party(party), EMPTY).get(issue)


def _stated(view: Positions, event: PositionStated) -> Positions:
    stance = Stance(
        stance=event.stance,
        demands=event.demands,
        since=event.occurred,
        speaker=event.speaker,
        event_id=event.id,
        sources=event.sources,
    )
    issues = view.parties.get(event.party, EMPTY)
    before = issues.get(event.issue)
    history = chrono_insert(before.history if before else (), stance, lambda s: s.since)
    position = Position(party=event.party, issue=event.issue, history=history)
    return Positions(parties=with_item(view.parties, event.party, with_item(issues, event.issue, position)))


POSITIONS: Projection[Positions] = Projection("positions", Positions(), {PositionStated: _stated})
"""The positions projection."""
