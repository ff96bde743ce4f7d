"""The talks view: rounds held, proposals of talks and of terms, and ceasefires.

A proposal's status (:attr:`Proposal.status`) is ``withdrawn`` once withdrawn; otherwise
``taken-up`` once talks were held under it, or an agreement or a ceasefire settles it (names its
``proposal_id``); otherwise it follows each addressee's latest answer: ``rejected`` if any
rejected, else ``countered`` if any countered, else ``accepted`` if all accepted, else
``pending``. Answers are taken in order of their day (the same day in log order), and an answer
by a party that is not an addressee is left out.

A ceasefire is in force as of a day when it has started (``starts``, or the first day it was
agreed), has not passed its ``ends`` day (the one of its last :class:`AgreementExtended`, in
order of day, or the one it was agreed with), and no end of it has been folded in. Violations
alleged of it are listed, and never change whether it is in force.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from operator import attrgetter
from typing import Literal, TypeAlias

from attrs import frozen

from negotiations.domain.events import (
    AgreementExtended,
    AgreementReached,
    CeasefireAgreed,
    CeasefireEnded,
    ProposalAnswer,
    ProposalAnswered,
    ProposalWithdrawn,
    TalksHeld,
    TalksLevel,
    TalksProposed,
    TermsProposed,
    ViolationReported,
)
from negotiations.domain.values import PartialDate, Party, Person
from negotiations.projections._projection import (
    EMPTY,
    Builder,
    Chrono,
    Evidence,
    OneEvent,
    Projection,
    evolve,
    frozen_map,
)
from negotiations.projections.agreements import AgreementChange, Violation, violation_of

__all__ = ["TALKS", "Answer", "Ceasefire", "Proposal", "ProposalStatus", "Round", "Talks"]

ProposalStatus: TypeAlias = Literal["withdrawn", "taken-up", "rejected", "countered", "accepted", "pending"]


@frozen(kw_only=True)
class Round(OneEvent):
    """A round of talks held: from ``occurred`` through ``ends`` (when it spans days), at a
    ``level``, hosted and mediated by parties not among its ``parties``, with the people of its
    delegations (``persons``).
    """

    event_id: str
    occurred: PartialDate
    parties: tuple[Party, ...]
    venue: str
    round: int | None
    summary: str | None
    proposal_id: str | None
    ends: date | None = None
    level: TalksLevel | None = None
    hosts: tuple[Party, ...] = ()
    mediators: tuple[Party, ...] = ()
    persons: tuple[Person, ...] = ()
    """Its delegations: the persons who sat at the table."""


@frozen(kw_only=True)
class Answer:
    """One addressee's answer to a proposal."""

    event_id: str
    occurred: PartialDate
    party: Party
    answer: ProposalAnswer
    counter_proposal_id: str | None
    conditions: tuple[str, ...]
    summary: str | None


@frozen(kw_only=True)
class Proposal:
    """A proposal of talks (``kind`` ``talks``) or of terms (``kind`` ``terms``), the answers to
    it, and what became of it.

    ``to`` is the addressees: ``[counterpart]`` for a proposal of talks. ``counterpart``, ``level``,
    ``venue`` and ``proposed_by`` are a proposal of talks' (``None`` for one of terms); ``title``,
    ``points``, ``mediators`` and ``summary`` are a proposal of terms'.
    """

    proposal_id: str
    kind: Literal["talks", "terms"]
    proposer: Party
    to: tuple[Party, ...]
    co_proposers: tuple[Party, ...]
    counterpart: Party | None
    level: TalksLevel | None
    venue: str | None
    proposed_on: PartialDate
    proposed_by: Person | None
    event_id: str
    title: str | None = None
    points: tuple[str, ...] = ()
    mediators: tuple[Party, ...] = ()
    summary: str | None = None
    held_in: str | None = None
    """The id of the TalksHeld event that took it up."""
    responses: tuple[Answer, ...] = ()
    """Every answer, in order of day: a later one by the same party replaces its earlier one."""
    settled_by: Evidence | None = None
    """The AgreementReached or CeasefireAgreed event that settled it."""
    withdrawn_by: Evidence | None = None
    """The ProposalWithdrawn event."""

    @property
    def answers(self) -> Mapping[Party, ProposalAnswer]:
        """Each addressee's latest answer, in the order they first answered."""
        return {a.party: a.answer for a in self.responses}

    @property
    def status(self) -> ProposalStatus:
        """``withdrawn``, ``taken-up``, ``rejected``, ``countered``, ``accepted`` or ``pending``:
        the first that holds, in that order (see the module).
        """
        if self.withdrawn_by is not None:
            return "withdrawn"
        if self.held_in is not None or self.settled_by is not None:
            return "taken-up"
        answers = self.answers.values()
        if "rejected" in answers:
            return "rejected"
        if "countered" in answers:
            return "countered"
        if len(self.answers) == len(self.to):  # every answer is an addressee's, so all accepted
            return "accepted"
        return "pending"

    @property
    def pending(self) -> bool:
        """Whether the status is ``pending``."""
        return self.status == "pending"

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this proposal: the proposal, each answer, then the talks, the
        settlement and the withdrawal, as there were.
        """
        later = (
            Evidence(self.held_in) if self.held_in is not None else None,
            self.settled_by,
            self.withdrawn_by,
        )
        return (
            Evidence(self.event_id),
            *(Evidence(a.event_id) for a in self.responses),
            *(e for e in later if e is not None),
        )


@frozen(kw_only=True)
class Ceasefire:
    """A ceasefire agreed, its extensions, the violations alleged of it, and its end, if any."""

    ceasefire_id: str
    parties: tuple[Party, ...]
    agreed_on: PartialDate
    starts: date | None
    ends: date | None
    """The latest end day: that of the last extension, in order of day, or ``agreed_ends``."""
    scope: str | None
    event_id: str
    ended: PartialDate | None = None
    end_reason: str | None = None
    ended_by: Evidence | None = None
    """The CeasefireEnded event that ended it."""
    agreed_ends: date | None = None
    """The end day it was agreed with."""
    proposal_id: str | None = None
    extensions: tuple[AgreementChange, ...] = ()
    """Each AgreementExtended of it, in order of day."""
    violations: tuple[Violation, ...] = ()
    """Each violation alleged of it, in order of day."""

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this ceasefire: the agreement, each extension, the end, then each
        violation alleged.
        """
        ended = () if self.ended_by is None else (self.ended_by,)
        return (
            Evidence(self.event_id),
            *(e for x in self.extensions for e in x.provenance),
            *ended,
            *(e for v in self.violations for e in v.provenance),
        )

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
        """The proposals whose status is ``pending``."""
        return tuple(p for p in self.proposals.values() if p.pending)

    def ceasefires_in_force(self, as_of: date) -> tuple[Ceasefire, ...]:
        """The ceasefires that hold on ``as_of``."""
        return tuple(c for c in self.ceasefires.values() if c.in_force(as_of))


_occurred: Callable[[Round], int] = attrgetter("occurred.sort_rank")
_rank: Callable[[Answer | AgreementChange | Violation], int] = attrgetter("occurred.sort_rank")


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
            kind="talks",
            proposer=event.proposer,
            to=(event.counterpart,),
            co_proposers=(),
            counterpart=event.counterpart,
            level=event.level,
            venue=event.venue,
            proposed_on=event.occurred,
            proposed_by=event.proposed_by,
            event_id=event.id,
        )

    def terms_proposed(self, event: TermsProposed) -> None:
        self.proposals[event.proposal_id] = Proposal(
            proposal_id=event.proposal_id,
            kind="terms",
            proposer=event.proposer,
            to=event.to,
            co_proposers=event.co_proposers,
            counterpart=None,
            level=None,
            venue=None,
            proposed_on=event.occurred,
            proposed_by=None,
            event_id=event.id,
            title=event.title,
            points=event.points,
            mediators=event.mediators,
            summary=event.summary,
        )

    def answered(self, event: ProposalAnswered) -> None:
        proposal = self.proposals.get(event.proposal_id)
        if proposal is None or event.party not in proposal.to:  # only an addressee answers
            return
        answer = Answer(
            event_id=event.id,
            occurred=event.occurred,
            party=event.party,
            answer=event.answer,
            counter_proposal_id=event.counter_proposal_id,
            conditions=event.conditions,
            summary=event.summary,
        )
        responses = tuple(sorted((*proposal.responses, answer), key=_rank))
        self.proposals[event.proposal_id] = evolve(proposal, responses=responses)

    def withdrawn(self, event: ProposalWithdrawn) -> None:
        proposal = self.proposals.get(event.proposal_id)
        if proposal is not None and proposal.withdrawn_by is None:
            withdrawn = Evidence(event.id)
            self.proposals[event.proposal_id] = evolve(proposal, withdrawn_by=withdrawn)

    def _settled(self, proposal_id: str | None, event: AgreementReached | CeasefireAgreed) -> None:
        proposal = self.proposals.get(proposal_id) if proposal_id is not None else None
        if proposal is not None and proposal.settled_by is None:
            settled = Evidence(event.id)
            self.proposals[proposal.proposal_id] = evolve(proposal, settled_by=settled)

    def agreement(self, event: AgreementReached) -> None:
        self._settled(event.proposal_id, event)

    def held(self, event: TalksHeld) -> None:
        held = Round(
            event_id=event.id,
            occurred=event.occurred,
            parties=event.parties,
            venue=event.venue,
            round=event.round,
            summary=event.summary,
            proposal_id=event.proposal_id,
            ends=event.ends,
            level=event.level,
            hosts=event.hosts,
            mediators=event.mediators,
            persons=event.delegations,
        )
        self.rounds.add(held)
        proposal = self.proposals.get(event.proposal_id) if event.proposal_id else None
        if proposal is not None and proposal.held_in is None:
            taken_up = evolve(proposal, held_in=event.id)
            self.proposals[proposal.proposal_id] = taken_up

    def agreed(self, event: CeasefireAgreed) -> None:
        self.ceasefires[event.ceasefire_id] = Ceasefire(
            ceasefire_id=event.ceasefire_id,
            parties=event.parties,
            agreed_on=event.occurred,
            starts=event.starts,
            ends=event.ends,
            agreed_ends=event.ends,
            scope=event.scope,
            proposal_id=event.proposal_id,
            event_id=event.id,
        )
        self._settled(event.proposal_id, event)

    def extended(self, event: AgreementExtended) -> None:
        ceasefire = self.ceasefires.get(event.ceasefire_id) if event.ceasefire_id is not None else None
        if ceasefire is None:  # an agreement's, or a ceasefire agreed after the as-of day
            return
        extension = AgreementChange(
            event_id=event.id,
            occurred=event.occurred,
            kind="extended",
            status=None,
            ends=event.ends_on,
            reason=event.reason,
        )
        extensions = tuple(sorted((*ceasefire.extensions, extension), key=_rank))
        self.ceasefires[ceasefire.ceasefire_id] = evolve(
            ceasefire, extensions=extensions, ends=extensions[-1].ends
        )

    def violated(self, event: ViolationReported) -> None:
        ceasefire = self.ceasefires.get(event.ceasefire_id) if event.ceasefire_id is not None else None
        if ceasefire is None:
            return
        violations = tuple(sorted((*ceasefire.violations, violation_of(event)), key=_rank))
        self.ceasefires[ceasefire.ceasefire_id] = evolve(ceasefire, violations=violations)

    def ended(self, event: CeasefireEnded) -> None:
        ceasefire = self.ceasefires.get(event.ceasefire_id)
        if ceasefire is None or ceasefire.ended is not None:
            return
        self.ceasefires[event.ceasefire_id] = evolve(
            ceasefire,
            ended=event.occurred,
            end_reason=event.reason,
            ended_by=Evidence(event.id),
        )


TALKS: Projection[Talks] = Projection(
    "talks",
    Talks(),
    _Builder,
    {
        TalksProposed: _Builder.proposed,
        TermsProposed: _Builder.terms_proposed,
        ProposalAnswered: _Builder.answered,
        ProposalWithdrawn: _Builder.withdrawn,
        TalksHeld: _Builder.held,
        AgreementReached: _Builder.agreement,
        CeasefireAgreed: _Builder.agreed,
        AgreementExtended: _Builder.extended,
        ViolationReported: _Builder.violated,
        CeasefireEnded: _Builder.ended,
    },
    # 2: proposals of terms, answers, withdrawals and settlements (status); ceasefires'
    # extensions and violations. 3: rounds' ends, level, hosts, mediators and delegations.
    version="3",
)
"""The talks projection."""
