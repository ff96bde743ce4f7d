"""The agreements view and the proposals of the talks view (issue 13): properties over drawn lives
of one agreement, one ceasefire or one proposal, each against a plain oracle over the event list,
and a real sequence from public reporting, worked by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from negotiations.domain.events import (
    CHANGED_STATUSES,
    PROPOSAL_ANSWERS,
    REACHED_STATUSES,
    AgreementExtended,
    AgreementReached,
    AgreementStatusChanged,
    CeasefireAgreed,
    CeasefireEnded,
    CommitmentMet,
    Event,
    ProposalAnswered,
    ProposalWithdrawn,
    TalksHeld,
    TalksProposed,
    Term,
    TermsProposed,
    ViolationReported,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.projections import AGREEMENTS, TALKS, LiveViews, Views, project

RECORDED = datetime(2025, 10, 20, 18, 0, tzinfo=UTC)
START = date(2025, 10, 1)
A, B, C, D = Party("AAA"), Party("BBB"), Party("CCC"), Party("G7")
IN_FORCE = {"agreed", "signed", "ratified", "in-force"}


def _env(event_id: str, day: date) -> dict[str, Any]:
    return {"id": event_id, "occurred": PartialDate.of(day), "recorded": RECORDED}


def _day(offset: int) -> date:
    return START + timedelta(days=offset)


_OFFSETS = st.integers(min_value=-2, max_value=12)
"""Days around the first day: events before the agreement, on the same day, and after."""


# -- drawing one agreement's life ----------------------------------------------------------------


@st.composite
def _terms(draw: st.DrawFn) -> tuple[Term, ...]:
    """One to three terms, each due on a day, within some days, or never."""
    terms = []
    for n in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["due", "within", "none"]))
        terms.append(
            Term(
                term_id=f"t{n}",
                party=draw(st.sampled_from([A, B])),
                commitment=f"commitment {n}",
                due=_day(draw(_OFFSETS)) if how == "due" else None,
                within_days=draw(st.integers(0, 6)) if how == "within" else None,
            )
        )
    return tuple(terms)


@st.composite
def agreement_lives(draw: st.DrawFn) -> tuple[list[Event], date]:
    """One agreement, then status changes, extensions, commitments met and violations alleged, in
    any order of day, and an as-of day that is often a term's due day itself.
    """
    agreed = _day(draw(st.integers(0, 4)))
    starts = draw(st.one_of(st.none(), st.builds(_day, st.integers(0, 6))))
    ends = draw(st.one_of(st.none(), st.builds(_day, st.integers(6, 12))))
    if starts is not None and ends is not None and ends < starts:
        starts, ends = ends, starts
    terms = draw(_terms())
    log: list[Event] = [
        AgreementReached(
            **_env("deal", agreed),
            agreement_id="deal",
            parties=(A, B),
            title="a deal",
            status=draw(st.sampled_from(REACHED_STATUSES)),
            starts=starts,
            ends=ends,
            terms=terms,
        )
    ]
    for n in range(draw(st.integers(0, 10))):
        day = _day(draw(_OFFSETS))
        kind = draw(st.sampled_from(["status", "extended", "met", "violation"]))
        env = _env(f"e{n}", day)
        if kind == "status":
            log.append(
                AgreementStatusChanged(
                    **env, agreement_id="deal", status=draw(st.sampled_from(CHANGED_STATUSES))
                )
            )
        elif kind == "extended":
            if draw(st.booleans()):
                log.append(AgreementExtended(**env, agreement_id="deal", ends=_day(draw(_OFFSETS))))
            else:
                log.append(AgreementExtended(**env, agreement_id="deal", within_days=draw(st.integers(0, 5))))
        elif kind == "met":
            met = draw(st.sampled_from([t.term_id for t in terms]))
            log.append(CommitmentMet(**env, agreement_id="deal", term_id=met))
        else:
            accuser, accused = draw(st.permutations([A, B]))
            term_id = draw(st.one_of(st.none(), st.sampled_from([t.term_id for t in terms])))
            log.append(
                ViolationReported(
                    **env, agreement_id="deal", accuser=accuser, accused=accused, term_id=term_id
                )
            )
    # The days where a rule turns: each due day, the first and last day, the day agreed.
    edges = [d for d in (*(_oracle_due(t, agreed) for t in terms), starts, ends, agreed) if d is not None]
    as_of = draw(st.one_of(st.builds(_day, st.integers(-3, 16)), st.sampled_from(edges)))
    return log, as_of


# -- the oracles: plain functions over the event list ----------------------------------------------


def _counting(log: Sequence[Event], as_of: date) -> list[tuple[int, Event]]:
    """The events that count as of ``as_of``, with their place in the log."""
    return [(n, e) for n, e in enumerate(log) if e.occurred.earliest <= as_of]


def _last(events: Sequence[tuple[int, Event]]) -> Event | None:
    """The latest by day, and of one day the last in the log."""
    return max(events, key=lambda pair: (pair[1].occurred.earliest, pair[0]))[1] if events else None


def _oracle_due(term: Term, agreed: date) -> date | None:
    if term.due is not None:
        return term.due
    return None if term.within_days is None else agreed + timedelta(days=term.within_days)


def _oracle_term_statuses(log: Sequence[Event], as_of: date) -> dict[str, str]:
    deal = log[0]
    assert isinstance(deal, AgreementReached)
    met = {e.term_id for _, e in _counting(log, as_of) if isinstance(e, CommitmentMet)}
    statuses = {}
    for term in deal.terms:
        due = _oracle_due(term, deal.occurred.earliest)
        if term.term_id in met:
            statuses[term.term_id] = "met"
        else:
            statuses[term.term_id] = "overdue" if due is not None and as_of > due else "pending"
    return statuses


def _oracle_standing(log: Sequence[Event], as_of: date) -> tuple[str, date | None, bool, int | None]:
    """Status, end day, in force and days left, as the issue states the rules."""
    deal = log[0]
    assert isinstance(deal, AgreementReached)
    counting = _counting(log, as_of)
    changed = _last([(n, e) for n, e in counting if isinstance(e, AgreementStatusChanged)])
    status = changed.status if isinstance(changed, AgreementStatusChanged) else deal.status
    extended = _last([(n, e) for n, e in counting if isinstance(e, AgreementExtended)])
    ends = deal.ends
    if isinstance(extended, AgreementExtended):
        ends = extended.ends or extended.occurred.earliest + timedelta(days=extended.within_days or 0)
    in_force = (
        status in IN_FORCE
        and (deal.starts is None or as_of >= deal.starts)
        and (ends is None or as_of <= ends)
    )
    return status, ends, in_force, None if ends is None else (ends - as_of).days


# -- properties of the agreements view ------------------------------------------------------------


@given(agreement_lives())
def test_term_status_follows_its_own_commitment_met_or_its_due_day(life: tuple[list[Event], date]) -> None:
    """A term is met by its own CommitmentMet, overdue once its due day has passed, else pending."""
    log, as_of = life
    accord = project(log, as_of=as_of).agreements.by_id.get("deal")
    if log[0].occurred.earliest > as_of:
        assert accord is None
        return
    assert accord is not None
    assert {t.term_id: t.status(as_of) for t in accord.terms} == _oracle_term_statuses(log, as_of)


@given(agreement_lives())
def test_term_status_changes_only_through_its_own_events(life: tuple[list[Event], date]) -> None:
    """Leaving out every event but the agreement and a term's own CommitmentMet keeps its status."""
    log, as_of = life
    whole = project(log, as_of=as_of).agreements.by_id.get("deal")
    if whole is None:
        return
    for term in whole.terms:
        own = [log[0], *(e for e in log if isinstance(e, CommitmentMet) and e.term_id == term.term_id)]
        alone = project(own, as_of=as_of).agreements.by_id["deal"]
        (same,) = (t for t in alone.terms if t.term_id == term.term_id)
        assert same.status(as_of) == term.status(as_of)
        # and a day later, only the passing of the due day may have changed it
        later = as_of + timedelta(days=1)
        if term.status(as_of) != same.status(later):
            assert term.status(as_of) == "pending"
            assert same.status(later) == "overdue"
            assert term.due == as_of


@given(agreement_lives())
def test_status_ends_and_in_force_follow_the_rule(life: tuple[list[Event], date]) -> None:
    """Status, ends, in_force and days_left follow the issue's rule for any changes and extensions."""
    log, as_of = life
    accord = project(log, as_of=as_of).agreements.by_id.get("deal")
    if accord is None:
        return
    got = (accord.status, accord.ends, accord.in_force(as_of), accord.days_left(as_of))
    assert got == _oracle_standing(log, as_of)


@given(agreement_lives())
def test_a_violation_never_changes_an_agreement(life: tuple[list[Event], date]) -> None:
    """Without its violations an agreement has the same status, ends, in_force and terms."""
    log, as_of = life
    accord = project(log, as_of=as_of).agreements.by_id.get("deal")
    quiet = project([e for e in log if type(e) is not ViolationReported], as_of=as_of).agreements.by_id.get(
        "deal"
    )
    if accord is None or quiet is None:
        assert accord is quiet is None
        return
    assert (accord.status, accord.ends, accord.in_force(as_of)) == (
        quiet.status,
        quiet.ends,
        quiet.in_force(as_of),
    )
    assert accord.terms == quiet.terms
    alleged = [e.id for _, e in _counting(log, as_of) if isinstance(e, ViolationReported)]
    assert sorted(v.event_id for v in accord.violations) == sorted(alleged)
    assert not quiet.violations


@given(agreement_lives())
def test_incremental_equals_full_fold(life: tuple[list[Event], date]) -> None:
    """Views.apply and LiveViews, one event at a time, give what project gives, for both views."""
    log, as_of = life
    whole = project(log, as_of=as_of)
    stepped = Views(as_of=as_of)
    live = LiveViews(as_of=as_of)
    for event in log:
        stepped = stepped.apply(event)
        live.apply(event)
    for views in (stepped, live.views()):
        assert views.agreements == whole.agreements
        assert views.talks == whole.talks
    assert AGREEMENTS.fold(log, as_of=as_of) == whole.agreements


# -- ceasefires ------------------------------------------------------------------------------------


@st.composite
def ceasefire_lives(draw: st.DrawFn) -> tuple[list[Event], date]:
    """One ceasefire, then extensions, violations alleged and perhaps its end, in any order of day."""
    starts = draw(st.one_of(st.none(), st.builds(_day, st.integers(0, 3))))
    log: list[Event] = [
        CeasefireAgreed(
            **_env("truce", _day(0)),
            ceasefire_id="truce",
            parties=(A, B),
            starts=starts,
            ends=draw(st.one_of(st.none(), st.builds(_day, st.integers(4, 8)))),
        )
    ]
    for n in range(draw(st.integers(0, 6))):
        env = _env(f"e{n}", _day(draw(_OFFSETS)))
        kind = draw(st.sampled_from(["extended", "violation", "ended"]))
        if kind == "extended":
            log.append(AgreementExtended(**env, ceasefire_id="truce", ends=_day(draw(st.integers(3, 14)))))
        elif kind == "violation":
            accuser, accused = draw(st.permutations([A, B]))
            log.append(ViolationReported(**env, ceasefire_id="truce", accuser=accuser, accused=accused))
        elif not any(type(e) is CeasefireEnded for e in log):
            log.append(CeasefireEnded(**env, ceasefire_id="truce"))
    return log, _day(draw(st.integers(-1, 15)))


@given(ceasefire_lives())
def test_a_ceasefire_ends_and_in_force_follow_its_extensions_not_its_violations(
    life: tuple[list[Event], date],
) -> None:
    """A ceasefire ends on its last extension's day and lists violations, which never end it."""
    log, as_of = life
    ceasefire = project(log, as_of=as_of).talks.ceasefires.get("truce")
    if ceasefire is None:
        return
    counting = _counting(log, as_of)
    agreed = log[0]
    assert isinstance(agreed, CeasefireAgreed)
    extended = _last([(n, e) for n, e in counting if isinstance(e, AgreementExtended)])
    ends = extended.ends if isinstance(extended, AgreementExtended) else agreed.ends
    ended = any(isinstance(e, CeasefireEnded) for _, e in counting)
    first = agreed.starts or agreed.occurred.earliest
    assert ceasefire.ends == ends
    assert ceasefire.in_force(as_of) == (not ended and first <= as_of and (ends is None or as_of <= ends))
    assert len(ceasefire.violations) == sum(isinstance(e, ViolationReported) for _, e in counting)
    quiet = project([e for e in log if type(e) is not ViolationReported], as_of=as_of).talks.ceasefires[
        "truce"
    ]
    assert quiet.in_force(as_of) == ceasefire.in_force(as_of)


# -- proposals -------------------------------------------------------------------------------------


@st.composite
def proposal_lives(draw: st.DrawFn) -> tuple[list[Event], date]:
    """One proposal of talks or of terms, then answers by its addressees (often the same party
    twice, on one day or out of order), perhaps talks, a settlement or a withdrawal.
    """
    if draw(st.booleans()):
        to: tuple[Party, ...] = (B,)
        proposal: Event = TalksProposed(
            **_env("p", _day(0)), proposal_id="p", proposer=A, counterpart=B, level="leaders"
        )
    else:
        to = tuple(draw(st.lists(st.sampled_from([B, C, D]), min_size=1, max_size=3, unique=True)))
        proposal = TermsProposed(**_env("p", _day(0)), proposal_id="p", proposer=A, to=to, title="a plan")
    log = [proposal]
    # A few days only, so that answers often fall on one day or come out of order.
    for n in range(draw(st.integers(0, 8))):
        env = _env(f"e{n}", _day(draw(st.integers(0, 3))))
        answer = draw(st.sampled_from(PROPOSAL_ANSWERS))
        log.append(ProposalAnswered(**env, proposal_id="p", party=draw(st.sampled_from(to)), answer=answer))
    # At most one or two events that end the proposal's course, at any place among the answers.
    for n in range(draw(st.integers(0, 2))):
        env = _env(f"x{n}", _day(draw(st.integers(0, 4))))
        kind = draw(st.sampled_from(["withdrawn", "held", "agreement", "ceasefire"]))
        if kind == "withdrawn":
            event: Event = ProposalWithdrawn(**env, proposal_id="p")
        elif kind == "held":
            event = TalksHeld(**env, parties=(A, B), venue="Geneva", proposal_id="p")
        elif kind == "agreement":
            event = AgreementReached(
                **env, agreement_id=f"a{n}", parties=(A, B), title="deal", proposal_id="p"
            )
        else:
            event = CeasefireAgreed(**env, ceasefire_id=f"c{n}", parties=(A, B), proposal_id="p")
        log.insert(draw(st.integers(1, len(log))), event)
    return log, _day(draw(st.integers(0, 4)))


def _oracle_proposal(log: Sequence[Event], to: Sequence[Party], as_of: date) -> tuple[str, dict[Party, str]]:
    counting = _counting(log, as_of)
    latest: dict[Party, tuple[date, int, str]] = {}
    for n, e in counting:
        if isinstance(e, ProposalAnswered):
            key = (e.occurred.earliest, n, e.answer)
            if e.party not in latest or key > latest[e.party]:
                latest[e.party] = key
    answers = {party: answer for party, (_, _, answer) in latest.items()}
    kinds = {type(e) for _, e in counting}
    if ProposalWithdrawn in kinds:
        status = "withdrawn"
    elif kinds & {TalksHeld, AgreementReached, CeasefireAgreed}:
        status = "taken-up"
    elif "rejected" in answers.values():
        status = "rejected"
    elif "countered" in answers.values():
        status = "countered"
    elif set(answers) == set(to):
        status = "accepted"
    else:
        status = "pending"
    return status, answers


@given(proposal_lives())
def test_a_proposal_status_follows_the_rule(life: tuple[list[Event], date]) -> None:
    """Withdrawn > taken-up > rejected > countered > accepted (by all) > pending; pending agrees."""
    log, as_of = life
    proposal = project(log, as_of=as_of).talks.proposals["p"]
    status, answers = _oracle_proposal(log, proposal.to, as_of)
    assert (proposal.status, dict(proposal.answers)) == (status, answers)
    assert proposal.pending == (status == "pending")
    assert proposal.kind == ("talks" if type(log[0]) is TalksProposed else "terms")
    assert TALKS.fold(log, as_of=as_of).proposals["p"] == proposal
