"""The positions view: each party's current stance on each issue, with its history."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import attrgetter
from types import MappingProxyType

from attrs import frozen

from negotiations.domain.events import PositionStated
from negotiations.domain.values import PartialDate, Party, Person
from negotiations.projections._projection import EMPTY, Builder, Chrono, Evidence, OneEvent, Projection

__all__ = ["POSITIONS", "Position", "Positions", "Stance"]


@frozen(kw_only=True)
class Stance(OneEvent):
    """One statement of a party's position on an issue."""

    stance: str
    demands: tuple[str, ...]
    since: PartialDate
    speaker: Person | None
    event_id: str


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


_since: Callable[[Stance], int] = attrgetter("since.sort_rank")


class _Builder(Builder[Positions]):
    __slots__ = ("frozen", "parties")

    def __init__(self, view: Positions) -> None:
        self.parties = {
            party: {issue: Chrono(position.history, _since) for issue, position in issues.items()}
            for party, issues in view.parties.items()
        }
        # Each position as last frozen, kept while its history is the same tuple: a freeze gives
        # the very objects that did not change.
        self.frozen = {
            (party, issue): position
            for party, issues in view.parties.items()
            for issue, position in issues.items()
        }

    def _position(self, party: Party, issue: str, history: Chrono[Stance]) -> Position:
        stances = history.freeze()
        known = self.frozen.get((party, issue))
        if known is None or known.history is not stances:
            known = self.frozen[party, issue] = Position(party=party, issue=issue, history=stances)
        return known

    def freeze(self) -> Positions:
        return Positions(
            parties=MappingProxyType(
                {
                    party: MappingProxyType(
                        {issue: self._position(party, issue, history) for issue, history in issues.items()}
                    )
                    for party, issues in self.parties.items()
                }
            )
        )

    def stated(self, event: PositionStated) -> None:
        stance = Stance(
            stance=event.stance,
            demands=event.demands,
            since=event.occurred,
            speaker=event.speaker,
            event_id=event.id,
        )
        issues = self.parties.setdefault(event.party, {})
        history = issues.get(event.issue)
        if history is None:
            history = issues[event.issue] = Chrono((), _since)
        history.add(stance)


POSITIONS: Projection[Positions] = Projection(
    "positions", Positions(), _Builder, {PositionStated: _Builder.stated}
)
"""The positions projection."""
