"""How the store contract's state machine draws its batches: new events of every kind, whose
references fit what the model (:mod:`._model`) says the stream holds, mostly, retries and altered
copies of its events, and retractions, corrections and disputes.

The state machine draws references that fit, mostly, and in a stream that holds events, half the
time ones that do not: an answer by a party the proposal was not put to, a term the agreement
lacks, an agreement of the other kind, a rate for sanctions, a list of measures for a tariff, a
counter-proposal or an id that nothing defines.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, Final

import attrs
from hypothesis import strategies as st

from negotiations.domain.events import (
    AgreementExtended,
    AgreementReached,
    AgreementStatusChanged,
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
    SanctionsImposed,
    TalksHeld,
    TalksProposed,
    TariffsImposed,
    Term,
    TermsProposed,
    ViolationReported,
)
from negotiations.domain.values import Party
from negotiations.testing._logs import STRATEGIES, event_corrected
from negotiations.testing._model import DEFINES, RECORD, Defined, Stream
from negotiations.testing._record import event_retracted, report_disputed

__all__ = ["FACTS", "NEEDS", "draw_batch", "draw_new", "draw_record"]

FACTS: Final = sorted((cls for cls in STRATEGIES if cls not in RECORD), key=lambda cls: cls.__name__)


_CHOICES: Final = ("new",) * 6 + ("retry", "altered", "record", "record")
"""What each event of a batch is, and how often: mostly new, so that most batches apply."""


def draw_batch(data: st.DataObject, stream: Stream, fresh: Callable[[str], str]) -> list[Event]:
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
            batch.append(draw_record(data, [*stream.events, *batch], fresh))
        else:
            batch.extend(draw_new(data, stream, batch, fresh))
    return batch


# What each kind that refers to ids draws first, now and then, when nothing it may refer to is
# defined yet: so that references meet their definitions early in a stream.
NEEDS: Final[dict[type[Event], type[Event]]] = {
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
    *FACTS,
    *[cls for cls in FACTS if cls in NEEDS] * 2,
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
    return data.draw(st.sampled_from(alternatives), label=f"unfit, not after a {NEEDS[cls].__name__}")


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


def draw_new(
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
    if cls in DEFINES:  # a new id, or now and then one already defined
        namespace = DEFINES[cls][0]
        taken = sorted(known.names(namespace))
        if cls in (SanctionsImposed, TariffsImposed):
            # A measure of the other kind first, as the namespace is shared across kinds.
            taken = known.of_kind("tariffs" if cls is SanctionsImposed else "sanctions") or taken
        taken = taken[:1] if loose else []
        options[f"{namespace}_ids"] = st.sampled_from([fresh(namespace)] * 3 + taken)
    fix: dict[str, Any] = {}
    if cls in NEEDS:  # mostly what fits, or now and then what does not
        right = not loose or data.draw(st.sampled_from(_AIM), label="fits")
        pools = _pools(cls, known)
        if pools is None and (not loose or data.draw(st.booleans(), label="define first")):
            before = draw_new(data, stream, batch, fresh, NEEDS[cls], loose=False)
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


def draw_record(data: st.DataObject, events: list[Event], fresh: Callable[[str], str]) -> Event:
    """A retraction, correction or dispute of any of ``events``, or of an id none of them has."""
    ids = sorted({*(e.id for e in events), fresh("missing")})
    kind = data.draw(st.sampled_from(RECORD), label="record")
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
