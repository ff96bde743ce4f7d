"""The talks view: rounds held, proposals still pending, and ceasefires.

A proposal is pending until talks are held that name its ``proposal_id``. A ceasefire is in force
as of a day when it has started (``starts``, or the first day it was agreed), has not passed its
``ends`` day, and no end of it has been folded in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from operator import attrgetter

from attrs import evolve, frozen

from negotiations.domain.events import CeasefireAgreed, CeasefireEnded, TalksHeld, TalksLevel, TalksProposed
from negotiations.domain.values import PartialDate, Party, Person, Source
from negotiations.projections._projection import EMPTY, Builder, Chrono, Evidence, Projection, frozen_map

__all__ = ["TALKS", "Ceasefire", "Proposal", "Round", "Talks"]


@frozen(kw_only=True)
class Round:
    """A round of talks held."""

    event_id: str
    occurred: PartialDate
    parties: tuple[Party, ...]
    venue: str
    round: int | None
    summary: str | None
    proposal_id: str | None
    sources: tuple[Source, ...] = ()

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The event behind this round: the TalksHeld event."""
        return (Evidence(self.event_id, self.sources),)


@frozen(kw_only=True)
class Proposal:
    """A proposal of talks, and the round that took it up, if any."""

    proposal_id: str
    proposer: Party
    counterpart: Party
    level: TalksLevel
    venue: str | None
    proposed_on: PartialDate
    proposed_by: Person | None
    event_id: str
    held_in: str | None = None
    """The id of the TalksHeld event that took it up."""
    sources: tuple[Source, ...] = ()
    held_in_sources: tuple[Source, ...] = ()
    """The sources of the TalksHeld event that took it up."""

    @property
    def pending(self) -> bool:
        """Whether no talks have taken the proposal up yet."""
        return self.held_in is None

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this proposal: the TalksProposed event, then the talks that took it up."""
        proposed = Evidence(self.event_id, self.sources)
        if self.held_in is None:
            return (proposed,)
        return (proposed, Evidence(self.held_in, self.held_in_sources))


@frozen(kw_only=True)
class Ceasefire:
    """A ceasefire agreed, and its end, if any."""

    ceasefire_id: str
    parties: tuple[Party, ...]
    agreed_on: PartialDate
    starts: date | None
    ends: date | None
    scope: str | None
    event_id: str
    ended: PartialDate | None = None
    end_reason: str | None = None
    sources: tuple[Source, ...] = ()
    ended_by: Evidence | None = None
    """The CeasefireEnded event that ended it, with its sources."""

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this ceasefire: the CeasefireAgreed event, then the one that ended it."""
        agreed = Evidence(self.event_id, self.sources)
        return (agreed,) if self.ended_by is None else (agreed, self.ended_by)

    def in_force(self, as_of: date) -> bool:
        """Whether the ceasefire holds on ``as_of``."""
        first = self.starts or self.agreed_on.earliest
        return self.ended is None and first <= as_of and (self.ends is None or as_of <= self.ends)


@frozen(kw_only=True)
class Talks:
    """Rounds held (in order of date), proposals and ceasefires by id."""

    rounds: tuple[Round, ...] = ()
    proposals: Mapping[str, Proposal] = EMPTY
    ceasefires: Mapping[str, Ceasefire] = EMPTY

    def pending_proposals(self) -> tuple[Proposal, ...]:
        """The proposals no talks have taken up."""
        return tuple(p for p in self.proposals.values() if p.pending)

    def ceasefires_in_force(self, as_of: date) -> tuple[Ceasefire, ...]:
        """The ceasefires that hold on ``as_of``."""
        return tuple(c for c in self.ceasefires.values() if c.in_force(as_of))


_occurred: Callable[[Round], int] = attrgetter("occurred.sort_rank")


class _Builder(Builder[Talks]):
    __slots__ = ("ceasefires", "proposals", "rounds")

    def __init__(self, view: Talks) -> None:
        self.rounds = Chrono(view.rounds, _occurred)
        self.proposals = dict(view.proposals)
        self.ceasefires = dict(view.ceasefires)

    def freeze(self) -> Talks:
        return Talks(
            rounds=self.rounds.freeze(),
            proposals=frozen_map(self.proposals),
            ceasefires=frozen_map(self.ceasefires),
        )

    def proposed(self, event: TalksProposed) -> None:
        self.proposals[event.proposal_id] = Proposal(
            proposal_id=event.proposal_id,
            proposer=event.proposer,
            counterpart=event.counterpart,
            level=event.level,
            venue=event.venue,
            proposed_on=event.occurred,
            proposed_by=event.proposed_by,
            event_id=event.id,
            sources=event.sources,
        )

    def held(self, event: TalksHeld) -> None:
        held = Round(
            event_id=event.id,
            occurred=event.occurred,
            parties=event.parties,
            venue=event.venue,
            round=event.round,
            summary=event.summary,
            proposal_id=event.proposal_id,
            sources=event.sources,
        )
        self.rounds.add(held)
        proposal = self.proposals.get(event.proposal_id) if event.proposal_id else None
        if proposal is not None and proposal.pending:
            taken_up = evolve(proposal, held_in=event.id, held_in_sources=event.sources)
            self.proposals[proposal.proposal_id] = taken_up

    def agreed(self, event: CeasefireAgreed) -> None:
        self.ceasefires[event.ceasefire_id] = Ceasefire(
            ceasefire_id=event.ceasefire_id,
            parties=event.parties,
            agreed_on=event.occurred,
            starts=event.starts,
            ends=event.ends,
            scope=event.scope,
            event_id=event.id,
            sources=event.sources,
        )

    def ended(self, event: CeasefireEnded) -> None:
        ceasefire = self.ceasefires.get(event.ceasefire_id)
        if ceasefire is None or ceasefire.ended is not None:
            return
        self.ceasefires[event.ceasefire_id] = evolve(
            ceasefire,
            ended=event.occurred,
            end_reason=event.reason,
            ended_by=Evidence(event.id, event.sources),
        )


TALKS: Projection[Talks] = Projection(
    "talks",
    Talks(),
    _Builder,
    {
        TalksProposed: _Builder.proposed,
        TalksHeld: _Builder.held,
        CeasefireAgreed: _Builder.agreed,
        CeasefireEnded: _Builder.ended,
    },
)
"""The talks projection."""
