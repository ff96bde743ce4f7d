"""The store contract's stateful test: a Hypothesis state machine that appends batches of every kind
of event to a store, and checks each outcome against a small model of a stream.

The model is written apart from the code it checks: plain dicts and sets, and the rules of
:mod:`negotiations.log` as its docstring and issues 13 and 14 state them, not
:class:`~negotiations.log.EventLog` or the checks the stores share. The rules it states:

- deadline, agreement, proposal, ceasefire and measure ids are each defined once (else
  ``DuplicateKeyError``), and a reference comes after its definition (else
  ``UnknownReferenceError``, as for every rule below). A TalksProposed and a TermsProposed define
  proposal ids of one namespace; a PrisonerExchangeAgreed and an AgreementReached, agreement ids;
  a SanctionsImposed and a TariffsImposed, measure ids, when they have a ``measure_id`` (without
  one they define nothing).
- A proposal is put to its addressees: a TermsProposed's ``to``, a TalksProposed's
  ``counterpart``. An answer is by one of them, and its counter-proposal is an earlier proposal.
- An AgreementReached has terms. An AgreementStatusChanged or a CommitmentMet names an
  AgreementReached, a CommitmentMet one of its terms; an AgreementExtended or a ViolationReported
  names an AgreementReached or a CeasefireAgreed, and a violation's term is one of the
  agreement's. A PrisonersExchanged or a RemainsRepatriated names only a PrisonerExchangeAgreed.
- A MeasureChanged, MeasureSuspended, MeasureReinstated or MeasureLifted names a measure. Only a
  tariff takes a ``rate_percent`` (in a change or a suspension), only sanctions a non-empty
  ``measures`` (in a change).
- An event that both defines a taken id and refers to what is not there is refused as a
  duplicate: the log checks what an event defines before what it refers to.
- A retraction frees no id and takes no addressee, term or kind of measure away. Corrections
  change only a ``summary``, so that whether one applies is plain to see (it does when the event
  first corrected has a ``summary`` field), and so that no proposal's addressees, agreement's
  terms nor measure's kind ever change.

The state machine draws references that fit, mostly, and in a stream that holds events, half the
time ones that do not: an answer by a party the proposal was not put to, a term the agreement
lacks, an agreement of the other kind, a rate for sanctions, a list of measures for a tariff, a
counter-proposal or an id that nothing defines.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Collection, Sequence
from datetime import timedelta
from typing import Any, Final

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from negotiations.domain.events import (
    AgreementExtended,
    AgreementReached,
    AgreementStatusChanged,
    CallHeld,
    CeasefireAgreed,
    CeasefireEnded,
    CommitmentMet,
    DeadlineChanged,
    DeadlineMet,
    DeadlineSet,
    DeadlineWithdrawn,
    Event,
    EventCorrected,
    EventRetracted,
    MeasureChanged,
    MeasureLifted,
    MeasureReinstated,
    MeasureSuspended,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    ProposalAnswered,
    ProposalWithdrawn,
    RemainsRepatriated,
    ReportDisputed,
    SanctionsImposed,
    StatementMade,
    TalksHeld,
    TalksProposed,
    TariffsImposed,
    Term,
    TermsProposed,
    ViolationReported,
)
from negotiations.domain.values import Party
from negotiations.errors import (
    ConcurrencyError,
    DuplicateEventError,
    DuplicateKeyError,
    InvalidAmendmentError,
    LogError,
    UnknownReferenceError,
)
from negotiations.stores import EventStore
from negotiations.testing._logs import STRATEGIES, event_corrected
from negotiations.testing._measures import MeasureKind
from negotiations.testing._record import event_retracted, report_disputed

__all__ = ["check_against_model"]

# What each kind defines, by its namespace and the field that names it: the model's own table.
_DEFINES: Final[dict[type[Event], tuple[str, str]]] = {
    DeadlineSet: ("deadline", "deadline_id"),
    PrisonerExchangeAgreed: ("agreement", "agreement_id"),
    AgreementReached: ("agreement", "agreement_id"),
    TalksProposed: ("proposal", "proposal_id"),
    TermsProposed: ("proposal", "proposal_id"),
    CeasefireAgreed: ("ceasefire", "ceasefire_id"),
    SanctionsImposed: ("measure", "measure_id"),
    TariffsImposed: ("measure", "measure_id"),
}
_RECORD: Final = (EventRetracted, EventCorrected, ReportDisputed)
_FACTS: Final = sorted((cls for cls in STRATEGIES if cls not in _RECORD), key=lambda cls: cls.__name__)
_EXPECT: Final = ("none", "right", "stale") * 2 + ("again",)
"""How a step appends: a new batch with no, the right or a stale expected version, or, one time
in seven, the last batch written, again. One rule, not two, since Hypothesis picks among rules
evenly: so that most steps draw new events."""


@attrs.define
class Defined:
    """What the ids of a stream name: each deadline and ceasefire, each proposal with its
    addressees, each agreement with its terms, or ``None`` for a prisoner exchange, each measure
    with its kind.
    """

    deadlines: set[str] = attrs.Factory(set)
    ceasefires: set[str] = attrs.Factory(set)
    proposals: dict[str, frozenset[Party]] = attrs.Factory(dict)
    agreements: dict[str, frozenset[str] | None] = attrs.Factory(dict)
    measures: dict[str, MeasureKind] = attrs.Factory(dict)

    def copy(self) -> Defined:
        """A copy to change apart from this one."""
        return Defined(
            {*self.deadlines}, {*self.ceasefires}, {**self.proposals}, {**self.agreements}, {**self.measures}
        )

    def names(self, namespace: str) -> Collection[str]:
        """The ids of ``namespace`` defined."""
        by_namespace: dict[str, Collection[str]] = {
            "deadline": self.deadlines,
            "ceasefire": self.ceasefires,
            "proposal": self.proposals.keys(),
            "agreement": self.agreements.keys(),
            "measure": self.measures.keys(),
        }
        return by_namespace[namespace]

    def reached(self) -> dict[str, frozenset[str]]:
        """Each agreement reached, with its terms."""
        return {name: terms for name, terms in self.agreements.items() if terms is not None}

    def exchanges(self) -> list[str]:
        """The prisoner-exchange agreements."""
        return sorted(name for name, terms in self.agreements.items() if terms is None)

    def of_kind(self, kind: MeasureKind) -> list[str]:
        """The measures of ``kind``."""
        return sorted(name for name, of in self.measures.items() if of == kind)

    def add(self, event: Event) -> None:
        """Take in what ``event`` defines, if it defines what is not defined yet."""
        match event:
            case DeadlineSet():
                self.deadlines.add(event.deadline_id)
            case CeasefireAgreed():
                self.ceasefires.add(event.ceasefire_id)
            case TalksProposed():
                self.proposals.setdefault(event.proposal_id, frozenset({event.counterpart}))
            case TermsProposed():
                self.proposals.setdefault(event.proposal_id, frozenset(event.to))
            case AgreementReached():
                self.agreements.setdefault(event.agreement_id, frozenset(t.term_id for t in event.terms))
            case PrisonerExchangeAgreed():
                self.agreements.setdefault(event.agreement_id, None)
            case SanctionsImposed() if event.measure_id is not None:
                self.measures.setdefault(event.measure_id, "sanctions")
            case TariffsImposed() if event.measure_id is not None:
                self.measures.setdefault(event.measure_id, "tariffs")
            case _:
                pass

    def refers_rightly(self, event: Event) -> bool:  # noqa: PLR0911 - a return per rule
        """Whether every id ``event`` refers to is defined, as what it must name, and every
        party and term it names belongs to that.
        """
        match event:
            case DeadlineChanged() | DeadlineWithdrawn() | DeadlineMet():
                return event.deadline_id in self.deadlines
            case CeasefireEnded():
                return event.ceasefire_id in self.ceasefires
            case TalksHeld() | CeasefireAgreed() | AgreementReached():
                return event.proposal_id is None or event.proposal_id in self.proposals
            case ProposalWithdrawn():
                return event.proposal_id in self.proposals
            case ProposalAnswered():
                counter = event.counter_proposal_id
                addressees = self.proposals.get(event.proposal_id, frozenset())
                return event.party in addressees and (counter is None or counter in self.proposals)
            case PrisonersExchanged() | RemainsRepatriated():
                return event.agreement_id is None or event.agreement_id in self.exchanges()
            case MeasureChanged() | MeasureSuspended() | MeasureReinstated() | MeasureLifted():
                return self._moves_a_measure_rightly(event)
            case _:
                return self._names_an_agreement_reached(event)

    def _moves_a_measure_rightly(
        self, event: MeasureChanged | MeasureSuspended | MeasureReinstated | MeasureLifted
    ) -> bool:
        """Whether ``event`` names a measure, and gives a rate only to a tariff and a list of
        measures only to sanctions.
        """
        kind = self.measures.get(event.measure_id)
        rate = event.rate_percent if isinstance(event, MeasureChanged | MeasureSuspended) else None
        listed = event.measures if isinstance(event, MeasureChanged) else ()
        return (
            kind is not None and (rate is None or kind == "tariffs") and (not listed or kind == "sanctions")
        )

    def _names_an_agreement_reached(self, event: Event) -> bool:
        """Whether ``event``, if it must name an agreement reached (or a ceasefire, for some
        kinds), names one that is, and a term of it when it names a term.
        """
        reached = self.reached()
        match event:
            case AgreementStatusChanged():
                return event.agreement_id in reached
            case CommitmentMet():
                return event.term_id in reached.get(event.agreement_id, frozenset())
            case AgreementExtended() | ViolationReported() if event.agreement_id is None:
                return event.ceasefire_id in self.ceasefires
            case AgreementExtended():
                return event.agreement_id in reached
            case ViolationReported():
                terms = reached.get(event.agreement_id or "")
                return terms is not None and (event.term_id is None or event.term_id in terms)
            case _:
                return True


@attrs.define
class Stream:
    """What the model knows of one stream."""

    events: list[Event] = attrs.Factory(list)
    by_id: dict[str, Event] = attrs.Factory(dict)
    defined: Defined = attrs.Factory(Defined)
    retracted: set[str] = attrs.Factory(set)
    roots: dict[str, str] = attrs.Factory(dict)
    """Each correction's id to the id of the event it corrects in the end."""

    def outcome(self, batch: Sequence[Event]) -> type[LogError] | Stream:
        """The error an append of ``batch`` must raise, or the stream after it."""
        after = Stream([*self.events], {**self.by_id}, self.defined.copy(), {*self.retracted}, {**self.roots})
        for event in batch:
            known = after.by_id.get(event.id)
            if known is not None:
                if known != event:
                    return DuplicateEventError
                continue  # a retry
            entry = _DEFINES.get(type(event))
            if entry is not None and getattr(event, entry[1]) in after.defined.names(entry[0]):
                return DuplicateKeyError
            if not after.defined.refers_rightly(event):
                return UnknownReferenceError
            error = after.amendment_error(event)
            if error is not None:
                return error
            after.defined.add(event)
            after.events.append(event)
            after.by_id[event.id] = event
        return after

    def amendment_error(self, event: Event) -> type[LogError] | None:  # noqa: PLR0911 - a return per rule
        """Why ``event`` cannot apply, if it is a retraction, correction or dispute that cannot;
        else take it into account.
        """
        if isinstance(event, ReportDisputed):
            return self._dispute_error(event)
        if not isinstance(event, EventRetracted | EventCorrected):
            return None
        target = self.by_id.get(event.target)
        if target is None:
            return UnknownReferenceError
        root = self.roots.get(target.id, target.id)
        if isinstance(target, EventRetracted) or root in self.retracted:
            return InvalidAmendmentError
        if isinstance(event, EventRetracted):
            if isinstance(target, EventCorrected):
                return InvalidAmendmentError
            self.retracted.add(target.id)
            return None
        # The model's corrections change only a summary: they apply to a kind that has one.
        if isinstance(self.by_id[root], ReportDisputed) or not hasattr(self.by_id[root], "summary"):
            return InvalidAmendmentError
        self.roots[event.id] = root
        return None

    def _dispute_error(self, event: ReportDisputed) -> type[LogError] | None:
        """Why a dispute cannot apply: a claim that is not there, or not a fact, or claims of
        different kinds.
        """
        claims = [self.by_id.get(claim) for claim in event.claims]
        for claim in claims:
            if claim is None:
                return UnknownReferenceError
            if isinstance(claim, _RECORD):
                return InvalidAmendmentError
        return InvalidAmendmentError if len({type(c) for c in claims}) > 1 else None


_CHOICES: Final = ("new",) * 6 + ("retry", "altered", "record", "record")
"""What each event of a batch is, and how often: mostly new, so that most batches apply."""


def _draw_batch(data: st.DataObject, stream: Stream, fresh: Callable[[str], str]) -> list[Event]:
    """A batch of one to three events: new events of every kind, referring to what the stream
    holds or not, retries and altered copies of its events, retractions, corrections and disputes
    of any of its events or those earlier in the batch.
    """
    batch: list[Event] = []
    for _ in range(data.draw(st.integers(1, 3), label="size")):
        choice = data.draw(st.sampled_from(_CHOICES), label="what")
        if choice in ("retry", "altered") and stream.events:
            held = data.draw(st.sampled_from(stream.events), label="held")
            if choice == "altered":
                held = attrs.evolve(held, recorded=held.recorded + timedelta(seconds=1))
            batch.append(held)
        elif choice == "record" and (stream.events or batch):
            batch.append(_draw_record(data, [*stream.events, *batch], fresh))
        else:
            batch.extend(_draw_new(data, stream, batch, fresh))
    return batch


# What each kind that refers to ids draws first, now and then, when nothing it may refer to is
# defined yet: so that references meet their definitions early in a stream.
_NEEDS: Final[dict[type[Event], type[Event]]] = {
    DeadlineChanged: DeadlineSet,
    DeadlineWithdrawn: DeadlineSet,
    DeadlineMet: DeadlineSet,
    CeasefireEnded: CeasefireAgreed,
    PrisonersExchanged: PrisonerExchangeAgreed,
    RemainsRepatriated: PrisonerExchangeAgreed,
    TalksHeld: TalksProposed,
    CeasefireAgreed: TalksProposed,
    AgreementReached: TermsProposed,
    ProposalAnswered: TermsProposed,
    ProposalWithdrawn: TermsProposed,
    AgreementStatusChanged: AgreementReached,
    AgreementExtended: AgreementReached,
    CommitmentMet: AgreementReached,
    ViolationReported: AgreementReached,
    MeasureChanged: SanctionsImposed,
    MeasureSuspended: TariffsImposed,
    MeasureReinstated: TariffsImposed,
    MeasureLifted: SanctionsImposed,
}
_NOWHERE: Final = "undefined"
"""An id no event defines: the model's definitions all take fresh ids."""
_OUTSIDER: Final = Party("OUTSIDER")
"""A party no proposal is put to, mostly: the strategies draw codes that are seldom this one."""
_NO_TERM: Final = "no-such-term"
"""A term id no agreement has, mostly."""
_RATE: Final = {"rate_percent": 12.5}
"""What only a tariff takes: a rate."""
_LISTED: Final = {"measures": ("asset freeze",)}
"""What only sanctions take: a list of measures."""
_AIM: Final = (True, False)
"""Whether a reference is drawn to fit, where it need not: half the time."""
_KINDS: Final = (
    *_FACTS,
    *[cls for cls in _FACTS if cls in _NEEDS] * 2,
    *[MeasureChanged] * 4,
    *[MeasureSuspended] * 2,
)
"""The kinds a new event is drawn from: those that refer to ids three times as often as the
others, so that a run meets each of their rules both ways, as a rule. A suspension of a measure
five times, and a change seven, as they have rules of the kind of measure besides the id's: a rate
for tariffs only, and for a change a list for sanctions only."""


def _pools(cls: type[Event], known: Defined) -> dict[str, Any] | None:
    """The pools an event of ``cls`` draws fitting references from, or ``None`` when every one
    is empty: nothing is defined that it may refer to.
    """
    proposals = sorted(known.proposals)
    ceasefires = sorted(known.ceasefires)
    reached = {name: sorted(terms) for name, terms in sorted(known.reached().items())}
    measures = dict(sorted(known.measures.items()))
    table: dict[type[Event], dict[str, Any]] = {
        DeadlineChanged: {"deadline_ids": sorted(known.deadlines)},
        DeadlineWithdrawn: {"deadline_ids": sorted(known.deadlines)},
        DeadlineMet: {"deadline_ids": sorted(known.deadlines)},
        CeasefireEnded: {"ceasefire_ids": ceasefires},
        PrisonersExchanged: {"agreement_ids": known.exchanges()},
        RemainsRepatriated: {"agreement_ids": known.exchanges()},
        TalksHeld: {"proposal_ids": proposals},
        CeasefireAgreed: {"proposal_ids": proposals},
        AgreementReached: {"proposal_ids": proposals},
        ProposalWithdrawn: {"proposal_ids": proposals},
        ProposalAnswered: {
            "proposal_addressees": {name: sorted(known.proposals[name]) for name in proposals}
        },
        AgreementStatusChanged: {"agreement_ids": sorted(reached)},
        AgreementExtended: {"agreement_ids": sorted(reached), "ceasefire_ids": ceasefires},
        CommitmentMet: {"agreement_terms": {name: terms for name, terms in reached.items() if terms}},
        ViolationReported: {"agreement_terms": reached, "ceasefire_ids": ceasefires},
        MeasureChanged: {"measure_kinds": measures},
        MeasureSuspended: {"measure_kinds": measures},
        MeasureReinstated: {"measure_ids": sorted(measures)},
        MeasureLifted: {"measure_ids": sorted(measures)},
    }
    pools = table[cls]
    return pools if any(pools.values()) else None


_Unfit = tuple[dict[str, Any], dict[str, Any]]
"""The pools to draw an event from, and the fields to set on it after: one way for it to refer to
what does not fit."""


def _unfit(data: st.DataObject, cls: type[Event], known: Defined) -> _Unfit:
    """A way for an event of ``cls`` to refer to what does not fit: a party its proposal was not
    put to, an agreement of the other kind, a term its agreement lacks, a rate for sanctions, a
    list of measures for a tariff, an id nothing defines. Hypothesis draws the first of a few most
    often, so the rules of issues 13 and 14 come before the ids nothing defines.
    """
    nowhere = [_NOWHERE]
    alternatives: list[_Unfit]
    if cls in (DeadlineChanged, DeadlineWithdrawn, DeadlineMet):
        alternatives = [({"deadline_ids": nowhere}, {})]
    elif cls is CeasefireEnded:
        alternatives = [({"ceasefire_ids": nowhere}, {})]
    elif cls in (TalksHeld, CeasefireAgreed, AgreementReached, ProposalWithdrawn):
        alternatives = [({"proposal_ids": nowhere}, {})]
    elif cls is ProposalAnswered:
        alternatives = []
        if known.proposals:
            addressees = {name: sorted(parties) for name, parties in sorted(known.proposals.items())}
            counter = {"answer": "countered", "counter_proposal_id": _NOWHERE}
            alternatives = [
                ({"proposal_addressees": dict.fromkeys(addressees, (_OUTSIDER,))}, {}),
                ({"proposal_addressees": addressees}, counter),
            ]
        alternatives.append(({"proposal_addressees": {_NOWHERE: [_OUTSIDER]}}, {}))
    elif cls in (MeasureChanged, MeasureSuspended, MeasureReinstated, MeasureLifted):
        alternatives = _unfit_measures(cls, known)
    else:
        alternatives = _unfit_agreements(cls, known)
    return data.draw(st.sampled_from(alternatives), label=f"unfit, not after a {_NEEDS[cls].__name__}")


def _unfit_agreements(cls: type[Event], known: Defined) -> list[_Unfit]:
    """The ways for an event of ``cls``, which names an agreement, to name one of the other kind,
    or a term it lacks, or one that is not there; or a ceasefire that is not there.
    """
    nowhere, exchanges, reached = [_NOWHERE], known.exchanges(), sorted(known.reached())
    if cls in (PrisonersExchanged, RemainsRepatriated):
        return [({"agreement_ids": pool}, {}) for pool in (reached, nowhere) if pool]
    if cls is AgreementStatusChanged:
        return [({"agreement_ids": pool}, {}) for pool in (exchanges, nowhere) if pool]
    if cls is AgreementExtended:
        subjects = [{"agreement_ids": pool, "ceasefire_ids": []} for pool in (exchanges, nowhere) if pool]
        return [(pools, {}) for pools in [*subjects, {"agreement_ids": [], "ceasefire_ids": nowhere}]]
    # A CommitmentMet or a ViolationReported, whose strategies take the terms with the agreements:
    # a CommitmentMet must name one.
    terms = (_NO_TERM,) if cls is CommitmentMet else ()
    alternatives: list[_Unfit] = []
    if reached:
        alternatives.append(({"agreement_terms": dict.fromkeys(reached, terms)}, {"term_id": _NO_TERM}))
    alternatives += [
        ({"agreement_terms": dict.fromkeys(pool, terms)}, {}) for pool in (exchanges, nowhere) if pool
    ]
    if cls is ViolationReported:
        alternatives = [({**pools, "ceasefire_ids": []}, fix) for pools, fix in alternatives]
        alternatives.append(({"agreement_terms": {}, "ceasefire_ids": nowhere}, {}))
    return alternatives


def _unfit_measures(cls: type[Event], known: Defined) -> list[_Unfit]:
    """The ways for an event of ``cls``, which moves a measure, to give sanctions a rate or a
    tariff a list of measures, where it may take one; else to name a measure that is not there.
    """
    sanctions = dict.fromkeys(known.of_kind("sanctions"), "sanctions")
    tariffs = dict.fromkeys(known.of_kind("tariffs"), "tariffs")
    alternatives: list[_Unfit] = []
    # A list for a tariff first: only a change can give one, while a suspension, drawn as often,
    # gives sanctions a rate as well.
    if tariffs and cls is MeasureChanged:
        alternatives.append(({"measure_kinds": tariffs}, _LISTED))
    if sanctions and cls in (MeasureChanged, MeasureSuspended):
        alternatives.append(({"measure_kinds": sanctions}, _RATE))
    # Only where a measure takes nothing of the wrong kind: a change or a suspension reaches an
    # undefined id in a stream without measures, and a step gives each too few draws to spare.
    if not alternatives:
        pools = {"measure_ids": [_NOWHERE]} if cls in (MeasureReinstated, MeasureLifted) else {}
        alternatives.append((pools or {"measure_kinds": {_NOWHERE: "tariffs"}}, {}))
    return alternatives


def _with_a_term(event: Event) -> Event:
    """``event``, with a term if it is an agreement reached without one, so that a CommitmentMet
    or a ViolationReported drawn after it has a term to name.
    """
    if isinstance(event, AgreementReached) and not event.terms:
        return attrs.evolve(event, terms=(Term(term_id="t1", party=event.parties[0], commitment="comply"),))
    return event


def _draw_new(
    data: st.DataObject,
    stream: Stream,
    batch: list[Event],
    fresh: Callable[[str], str],
    cls: type[Event] | None = None,
    *,
    loose: bool | None = None,
) -> list[Event]:
    """A new event of any kind (or of ``cls``), after one that defines what it refers to when
    nothing does yet. A ``loose`` one (the default, in a stream that holds events) may define a
    taken id, and refers to what does not fit half the time.
    """
    cls = cls or data.draw(st.sampled_from(_KINDS), label="kind")
    loose = bool(stream.events) if loose is None else loose
    known = stream.defined.copy()
    for earlier in batch:
        known.add(earlier)
    options: dict[str, Any] = {}
    before: list[Event] = []
    if cls in _DEFINES:  # a new id, or now and then one already defined
        namespace = _DEFINES[cls][0]
        taken = sorted(known.names(namespace))
        if cls in (SanctionsImposed, TariffsImposed):
            # A measure of the other kind first, as the namespace is shared across kinds.
            taken = known.of_kind("tariffs" if cls is SanctionsImposed else "sanctions") or taken
        taken = taken[:1] if loose else []
        options[f"{namespace}_ids"] = st.sampled_from([fresh(namespace)] * 3 + taken)
    fix: dict[str, Any] = {}
    if cls in _NEEDS:  # mostly what fits, or now and then what does not
        right = not loose or data.draw(st.sampled_from(_AIM), label="fits")
        pools = _pools(cls, known)
        if pools is None and (not loose or data.draw(st.booleans(), label="define first")):
            before = _draw_new(data, stream, batch, fresh, _NEEDS[cls], loose=False)
            before[-1] = _with_a_term(before[-1])
            for definition in before:
                known.add(definition)
            pools = _pools(cls, known)
        if pools is None or not right:
            pools, fix = _unfit(data, cls, known)
        options.update(pools)
    event: Event = data.draw(STRATEGIES[cls](**options), label="event")
    if not loose and isinstance(event, SanctionsImposed | TariffsImposed) and event.measure_id is None:
        # An imposition defines a measure only half the time; one drawn to be referred to, or to
        # start a stream with, defines one, so that each kind of measure has moves to meet.
        fix["measure_id"] = fresh("measure")
    return [*before, attrs.evolve(event, id=fresh("event"), **fix)]


def _draw_record(data: st.DataObject, events: list[Event], fresh: Callable[[str], str]) -> Event:
    """A retraction, correction or dispute of any of ``events``, or of an id none of them has."""
    ids = sorted({*(e.id for e in events), fresh("missing")})
    kind = data.draw(st.sampled_from(_RECORD), label="record")
    if kind is EventRetracted:
        record: Event = data.draw(event_retracted(targets=ids), label="retraction")
    elif kind is EventCorrected:
        # Without a target, the strategy changes only the summary, as the model needs; mostly of
        # an event that has one (or of a correction of one).
        correction = data.draw(event_corrected(), label="correction")
        fitting = sorted(e.id for e in events if hasattr(e, "summary") or isinstance(e, EventCorrected))
        aim = bool(fitting) and data.draw(st.booleans(), label="fitting")
        pool = fitting if aim else ids
        record = attrs.evolve(correction, target=data.draw(st.sampled_from(pool), label="target"))
    else:
        # Mostly claims of one kind, which a dispute needs, else any.
        first = data.draw(st.sampled_from(events), label="claim")
        alike = sorted({e.id for e in events if type(e) is type(first)})
        aim = len(alike) > 1 and data.draw(st.booleans(), label="alike")
        pool = alike if aim else ids
        record = data.draw(report_disputed(claims=pool), label="dispute")
    return attrs.evolve(record, id=fresh("record"))


class _StoreMachine(RuleBasedStateMachine):
    """Appends to two streams of :attr:`store`, compared step by step with the model."""

    store: EventStore
    appended: set[type[Event]]
    """The kinds of event appended, over every run."""

    def __init__(self) -> None:
        super().__init__()
        run = uuid.uuid4().hex[:8]
        self.names = {"a": f"a-{run}", "b": f"b-{run}"}
        self.model = {"a": Stream(), "b": Stream()}
        self.order: list[tuple[str, str]] = []
        self.last: tuple[str, list[Event], int | None] | None = None
        self.start = self.store.head()
        counter = itertools.count()
        self.fresh: Callable[[str], str] = lambda what: f"{what}-{run}-{next(counter)}"

    @initialize(data=st.data())
    def append_every_kind(self, data: st.DataObject) -> None:
        """Start stream ``a`` with a batch of every kind of fact, each that refers to an id after
        the one that defines it, and to what fits (an addressee's answer, a term of the agreement),
        then a retraction, a correction and a dispute that apply.
        """
        batch: list[Event] = []
        # Definitions first, those that refer to nothing before those that do.
        for cls in sorted(_FACTS, key=lambda cls: (cls not in _DEFINES, cls in _NEEDS)):
            batch.extend(_draw_new(data, self.model["a"], batch, self.fresh, cls, loose=False))
        # A second statement, so that a dispute has two reports of one kind.
        batch.extend(_draw_new(data, self.model["a"], batch, self.fresh, StatementMade, loose=False))
        first, second = [e for e in batch if isinstance(e, StatementMade)][-2:]
        correction = data.draw(event_corrected(), label="correction")
        dispute = data.draw(report_disputed(claims=[first.id, second.id]), label="dispute")
        retracted = next(e for e in batch if isinstance(e, CallHeld))
        retraction = data.draw(event_retracted(targets=[retracted.id]), label="retraction")
        records: list[Event] = [attrs.evolve(correction, target=first.id), dispute, retraction]
        batch.extend(attrs.evolve(record, id=self.fresh("record")) for record in records)
        self.check("a", batch, 0)

    @rule(stream=st.sampled_from(["a", "b"]), expect=st.sampled_from(_EXPECT), data=st.data())
    def append(self, stream: str, expect: str, data: st.DataObject) -> None:
        """Append a new batch with no, the right, or a stale expected version; or the last batch
        written, again.
        """
        if expect == "again":
            self.retry_the_last_append()
            return
        held = self.model[stream]
        batch = _draw_batch(data, held, self.fresh)
        stale = data.draw(st.sampled_from([len(held.events) + 1, max(len(held.events) - 1, 0)]))
        version = {"none": None, "right": len(held.events), "stale": stale}[expect]
        self.check(stream, batch, version)

    def retry_the_last_append(self) -> None:
        """Append the last batch that was written again, with the expected version it had."""
        if self.last is not None:
            self.check(*self.last)

    def check(self, stream: str, batch: list[Event], version: int | None) -> None:
        """Append ``batch`` to ``stream``, and check the outcome is the model's."""
        held = self.model[stream]
        outcome = held.outcome(batch)
        grows = isinstance(outcome, Stream) and len(outcome.events) > len(held.events)
        try:
            got = self.store.append(self.names[stream], batch, expected_version=version)
        except ConcurrencyError as error:
            assert grows, f"{error} for a batch that adds nothing or is refused"
            assert version not in (None, len(held.events))
            assert (error.expected, error.actual) == (version, len(held.events))
            return
        except LogError as error:
            assert type(error) is outcome, f"{type(error).__name__}: {error}; the model: {outcome}"
            return
        assert isinstance(outcome, Stream), f"appended, but the model says {outcome.__name__}"
        assert not grows or version in (None, len(held.events)), "a stale append was written"
        added = outcome.events[len(held.events) :]
        self.order.extend((stream, e.id) for e in added)
        self.appended.update(type(e) for e in added)
        self.model[stream] = outcome
        assert got == len(outcome.events)
        if grows:
            self.last = (stream, batch, version)

    @invariant()
    def streams_match_the_model(self) -> None:
        """Each stream holds exactly the model's events, with versions 1..n."""
        for key, name in self.names.items():
            records = list(self.store.read_stream(name))
            assert [r.event for r in records] == self.model[key].events
            assert [r.version for r in records] == list(range(1, len(records) + 1))
            assert self.store.stream_version(name) == len(records)

    @invariant()
    def global_order_is_gap_free(self) -> None:
        """The store's global positions since the run began are gap-free, in append order."""
        records = list(self.store.read_all(self.start + 1))
        assert [r.position for r in records] == list(range(self.start + 1, self.start + len(records) + 1))
        assert [(r.stream[0], r.event.id) for r in records] == self.order


def check_against_model(store: EventStore, *, max_examples: int = 30, steps: int = 15) -> None:
    """Run the state machine on ``store``, in streams of its own for every run; then check that
    every kind of event was appended at least once.
    """
    appended: set[type[Event]] = set()
    machine = type("StoreMachine", (_StoreMachine,), {"store": store, "appended": appended})
    run_state_machine_as_test(
        machine, settings=settings(max_examples=max_examples, stateful_step_count=steps, deadline=None)
    )
    missing = sorted(cls.__name__ for cls in STRATEGIES if cls not in appended)
    assert not missing, f"the runs never appended {', '.join(missing)}: the model was not exercised"
