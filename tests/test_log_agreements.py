"""The log's rules across events for proposals of terms and agreements (issue 13): what each
reference may name, who may answer, which terms exist, and what corrections may not take away.
Every example runs against :class:`EventLog` and against the memory, file and SQLite stores;
the property against a model is in ``test_log_agreements_model.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from logcases import BACKENDS, Accepts, correct, ev, make_accepts, refused, retract
from negotiations.domain.events import Event
from negotiations.errors import InvalidAmendmentError, LogError, UnknownReferenceError


def plan(pid: str = "plan", to: tuple[str, ...] = ("ISR", "HAM")) -> Event:
    """A proposal of terms by the USA to ``to``."""
    return ev("TermsProposed", proposal_id=pid, proposer="USA", to=list(to), title="20-point plan")


def talks(pid: str = "talks") -> Event:
    """A proposal of talks from RUS to UKR."""
    return ev("TalksProposed", proposal_id=pid, proposer="RUS", counterpart="UKR", level="delegations")


def deal(aid: str = "deal", terms: tuple[str, ...] = ("hostages", "withdraw"), **more: object) -> Event:
    """An agreement between ISR and HAM with a term for each of ``terms``."""
    listed = [{"term_id": t, "party": "HAM", "commitment": t, "within_days": 3} for t in terms]
    return ev(
        "AgreementReached", agreement_id=aid, parties=["ISR", "HAM"], title="phase one", terms=listed, **more
    )


def exchange(aid: str = "swap") -> Event:
    """A prisoner-exchange agreement between RUS and UKR."""
    return ev("PrisonerExchangeAgreed", agreement_id=aid, parties=["RUS", "UKR"], per_side=1000)


def ceasefire(cid: str = "truce", **more: object) -> Event:
    """A ceasefire between ISR and HAM."""
    return ev("CeasefireAgreed", ceasefire_id=cid, parties=["ISR", "HAM"], **more)


@pytest.fixture(params=BACKENDS)
def accepts(request: pytest.FixtureRequest, tmp_path: Path) -> Accepts:
    """Append events one batch each to a fresh log or each store; see :func:`make_accepts`."""
    return make_accepts(request.param, tmp_path)


# -- answers and withdrawals --------------------------------------------------------------------


def test_an_addressee_of_terms_may_answer(accepts: Accepts) -> None:
    """Any party among `to` may answer a proposal of terms, and answer again."""
    p = plan()
    answers = [ev("ProposalAnswered", proposal_id="plan", party=x, answer="accepted") for x in ("ISR", "HAM")]
    assert (
        accepts(p, *answers, ev("ProposalAnswered", proposal_id="plan", party="HAM", answer="rejected"))
        is None
    )


def test_the_counterpart_of_talks_may_answer(accepts: Accepts) -> None:
    """The counterpart of a proposal of talks is its one addressee."""
    assert (
        accepts(talks(), ev("ProposalAnswered", proposal_id="talks", party="UKR", answer="accepted")) is None
    )


@pytest.mark.parametrize("party", ["USA", "EGY"])
def test_anyone_else_may_not_answer_terms(accepts: Accepts, party: str) -> None:
    """The proposer, or a party it was not put to, cannot answer: the error names `party`."""
    error = accepts(plan(), ev("ProposalAnswered", proposal_id="plan", party=party, answer="accepted"))
    assert refused(error, UnknownReferenceError, "party")


def test_the_proposer_of_talks_may_not_answer(accepts: Accepts) -> None:
    """The proposer of talks is not its counterpart: the error names `party`."""
    error = accepts(talks(), ev("ProposalAnswered", proposal_id="talks", party="RUS", answer="rejected"))
    assert refused(error, UnknownReferenceError, "party")


def test_an_answer_to_an_unknown_proposal_is_refused(accepts: Accepts) -> None:
    """An answer must come after its proposal."""
    error = accepts(ev("ProposalAnswered", proposal_id="plan", party="HAM", answer="accepted"), plan())
    assert refused(
        accepts(ev("ProposalAnswered", proposal_id="plan", party="HAM", answer="accepted")),
        UnknownReferenceError,
        "proposal_id",
    )
    assert refused(error, UnknownReferenceError, "proposal_id")


def test_a_counter_proposal_must_come_earlier(accepts: Accepts) -> None:
    """`counter_proposal_id` names a proposal defined before the answer; a later one is refused."""
    answer = ev(
        "ProposalAnswered", proposal_id="plan", party="HAM", answer="countered", counter_proposal_id="alt"
    )
    alt = ev("TermsProposed", proposal_id="alt", proposer="HAM", to=["USA"], title="reply")
    assert accepts(plan(), alt, answer) is None
    assert refused(accepts(plan(), answer, alt), UnknownReferenceError, "counter_proposal_id")


def test_a_counter_proposal_may_be_talks(accepts: Accepts) -> None:
    """Proposals of talks and of terms share one namespace, so either may be the counter."""
    answer = ev(
        "ProposalAnswered", proposal_id="plan", party="HAM", answer="countered", counter_proposal_id="talks"
    )
    assert accepts(plan(), talks(), answer) is None


def test_a_withdrawal_refers_to_a_proposal(accepts: Accepts) -> None:
    """A withdrawal of a known proposal of either kind fits; of an unknown one it names `proposal_id`."""
    assert (
        accepts(
            plan(),
            talks(),
            ev("ProposalWithdrawn", proposal_id="plan"),
            ev("ProposalWithdrawn", proposal_id="talks"),
        )
        is None
    )
    assert refused(accepts(ev("ProposalWithdrawn", proposal_id="plan")), UnknownReferenceError, "proposal_id")


def test_one_namespace_of_proposals(accepts: Accepts) -> None:
    """A proposal of terms cannot reuse the id of a proposal of talks."""
    error = accepts(talks("p"), plan("p"))
    assert isinstance(error, LogError)
    assert error.field == "proposal_id"


# -- agreements and what refers to them ---------------------------------------------------------


def test_agreements_and_ceasefires_may_settle_a_proposal(accepts: Accepts) -> None:
    """`proposal_id` of an agreement or a ceasefire names an earlier proposal."""
    assert accepts(plan(), deal(proposal_id="plan"), ceasefire(proposal_id="plan")) is None
    assert refused(accepts(deal(proposal_id="plan")), UnknownReferenceError, "proposal_id")
    assert refused(accepts(ceasefire(proposal_id="plan")), UnknownReferenceError, "proposal_id")


def test_one_namespace_of_agreements(accepts: Accepts) -> None:
    """An agreement reached cannot reuse the id of an exchange agreement, nor the other way."""
    assert refused(accepts(exchange("a"), deal("a")), LogError, "agreement_id")
    assert refused(accepts(deal("a"), exchange("a")), LogError, "agreement_id")


@pytest.mark.parametrize(
    "make",
    [
        lambda aid: ev("AgreementStatusChanged", agreement_id=aid, status="signed"),
        lambda aid: ev("AgreementExtended", agreement_id=aid, ends="2026-01-01"),
        lambda aid: ev("CommitmentMet", agreement_id=aid, term_id="hostages"),
        lambda aid: ev("ViolationReported", agreement_id=aid, accuser="ISR", accused="HAM"),
    ],
)
def test_only_an_agreement_reached_has_status_extensions_terms_and_violations(
    accepts: Accepts, make: Callable[..., Event]
) -> None:
    """These refer to an AgreementReached: an exchange agreement or an unknown id names `agreement_id`."""
    assert accepts(deal(), make("deal")) is None
    error = accepts(exchange(), make("swap"))
    assert refused(error, UnknownReferenceError, "agreement_id")
    assert "prisoner-exchange" in str(error)
    assert refused(accepts(make("deal")), UnknownReferenceError, "agreement_id")


@pytest.mark.parametrize("kind", ["PrisonersExchanged", "RemainsRepatriated"])
def test_returns_refer_only_to_an_exchange_agreement(accepts: Accepts, kind: str) -> None:
    """Prisoners and remains go home under an exchange agreement, never an agreement reached."""
    assert accepts(exchange(), ev(kind, agreement_id="swap", returned={"UKR": 84})) is None
    assert refused(
        accepts(deal(), ev(kind, agreement_id="deal", returned={"HAM": 84})),
        UnknownReferenceError,
        "agreement_id",
    )


@pytest.mark.parametrize("kind", ["AgreementExtended", "ViolationReported"])
def test_extensions_and_violations_may_name_a_ceasefire(accepts: Accepts, kind: str) -> None:
    """A ceasefire id must be defined before: else the error names `ceasefire_id`."""
    extra = {"ends": "2026-01-01"} if kind == "AgreementExtended" else {"accuser": "ISR", "accused": "HAM"}
    assert accepts(ceasefire(), ev(kind, ceasefire_id="truce", **extra)) is None
    assert refused(accepts(ev(kind, ceasefire_id="truce", **extra)), UnknownReferenceError, "ceasefire_id")


@pytest.mark.parametrize("kind", ["CommitmentMet", "ViolationReported"])
def test_a_term_must_be_a_term_of_the_agreement(accepts: Accepts, kind: str) -> None:
    """`term_id` names a term of that very agreement: another's term names `term_id`."""
    extra = {} if kind == "CommitmentMet" else {"accuser": "ISR", "accused": "HAM"}
    assert accepts(deal(), ev(kind, agreement_id="deal", term_id="withdraw", **extra)) is None
    other = deal("other", terms=("aid",))
    error = accepts(deal(), other, ev(kind, agreement_id="deal", term_id="aid", **extra))
    assert refused(error, UnknownReferenceError, "term_id")


def test_a_whole_batch_is_checked_in_order(accepts: Accepts) -> None:
    """Definitions earlier in one batch count, and a bad reference refuses the whole batch."""
    good = [
        plan(),
        ev("ProposalAnswered", proposal_id="plan", party="HAM", answer="accepted"),
        deal(proposal_id="plan"),
        ev("CommitmentMet", agreement_id="deal", term_id="hostages"),
    ]
    assert accepts(*good, batch=True) is None
    bad = [*good, ev("CommitmentMet", agreement_id="deal", term_id="nothing")]
    assert refused(accepts(*bad, batch=True), UnknownReferenceError, "term_id")


# -- retractions, corrections and disputes ------------------------------------------------------


def test_amendments_work_on_every_new_kind(accepts: Accepts) -> None:
    """Each new kind can be corrected in a free field, retracted, and disputed."""
    events = [
        plan(),
        ev("ProposalAnswered", proposal_id="plan", party="HAM", answer="accepted"),
        deal(),
        ev("AgreementStatusChanged", agreement_id="deal", status="signed"),
        ev("AgreementExtended", agreement_id="deal", ends="2026-01-01"),
        ev("CommitmentMet", agreement_id="deal", term_id="hostages"),
        ev("ViolationReported", agreement_id="deal", accuser="ISR", accused="HAM"),
        ev("ProposalWithdrawn", proposal_id="plan"),
    ]
    free = [
        {"title": "plan"},
        {"summary": "x"},
        {"title": "deal"},
        {"reason": "x"},
        {"reason": "x"},
        {"summary": "x"},
        {"summary": "x"},
        {"reason": "x"},
    ]
    fixes = [correct(e, **c) for e, c in zip(events, free, strict=True)]
    twins = [ev("ViolationReported", agreement_id="deal", accuser="ISR", accused="HAM", summary="y")]
    dispute = ev("ReportDisputed", claims=[events[6].id, twins[0].id])
    assert accepts(*events, *fixes, *twins, dispute, *map(retract, events)) is None


@pytest.mark.parametrize(
    ("make", "change"),
    [
        (lambda: plan("p2"), {"proposal_id": "other"}),
        (lambda: deal("d2"), {"agreement_id": "other"}),
        (lambda: deal("d2", proposal_id="plan"), {"proposal_id": "talks"}),
        (
            lambda: ev("ProposalAnswered", proposal_id="plan", party="HAM", answer="accepted"),
            {"party": "ISR"},
        ),
        (
            lambda: ev(
                "ProposalAnswered",
                proposal_id="plan",
                party="HAM",
                answer="countered",
                counter_proposal_id="talks",
            ),
            {"counter_proposal_id": "plan"},
        ),
        (lambda: ev("CommitmentMet", agreement_id="deal", term_id="hostages"), {"term_id": "withdraw"}),
        (
            lambda: ev("ViolationReported", agreement_id="deal", accuser="ISR", accused="HAM"),
            {"ceasefire_id": "truce", "agreement_id": None},
        ),
    ],
)
def test_a_correction_may_not_change_an_id_it_defines_or_refers_by(
    accepts: Accepts, make: Callable[..., Event], change: dict[str, Any]
) -> None:
    """Ids, the answering party and the term named are fixed: the error names the change."""
    target = make()
    error = accepts(plan(), talks(), deal(), ceasefire(), target, correct(target, **change))
    assert refused(error, InvalidAmendmentError, f"changes.{next(iter(change))}")


def test_a_correction_may_not_remove_a_term_in_use(accepts: Accepts) -> None:
    """A term that a CommitmentMet or a violation named stays; others may go or be renamed."""
    d = deal()
    met = ev("CommitmentMet", agreement_id="deal", term_id="hostages")
    keep = [{"term_id": "hostages", "party": "HAM", "commitment": "c", "within_days": 3}]
    assert accepts(d, met, correct(d, terms=keep)) is None
    renamed = [{"term_id": "captives", "party": "HAM", "commitment": "c"}]
    assert refused(accepts(d, met, correct(d, terms=renamed)), InvalidAmendmentError, "changes.terms")
    alleged = ev("ViolationReported", agreement_id="deal", accuser="ISR", accused="HAM", term_id="withdraw")
    assert refused(accepts(d, alleged, correct(d, terms=keep)), InvalidAmendmentError, "changes.terms")


def test_a_corrected_agreement_has_its_corrected_terms(accepts: Accepts) -> None:
    """After a correction, a term it added can be met, and one it removed cannot."""
    d = deal()
    fix = correct(d, terms=[{"term_id": "aid", "party": "ISR", "commitment": "trucks"}])
    assert accepts(d, fix, ev("CommitmentMet", agreement_id="deal", term_id="aid")) is None
    error = accepts(d, fix, ev("CommitmentMet", agreement_id="deal", term_id="hostages"))
    assert refused(error, UnknownReferenceError, "term_id")
    assert accepts(d, fix, ev("CommitmentMet", agreement_id="deal", term_id="aid"), batch=True) is None


def test_a_correction_may_not_remove_an_addressee_who_answered(accepts: Accepts) -> None:
    """An addressee who answered stays among `to`; one who did not may be dropped or replaced."""
    p = plan()
    answer = ev("ProposalAnswered", proposal_id="plan", party="HAM", answer="accepted")
    assert accepts(p, answer, correct(p, to=["HAM", "EGY"])) is None
    assert refused(accepts(p, answer, correct(p, to=["ISR"])), InvalidAmendmentError, "changes.to")
    t = talks()
    spoke = ev("ProposalAnswered", proposal_id="talks", party="UKR", answer="rejected")
    assert refused(
        accepts(t, spoke, correct(t, counterpart="USA")), InvalidAmendmentError, "changes.counterpart"
    )


def test_a_corrected_proposal_has_its_corrected_addressees(accepts: Accepts) -> None:
    """After a correction of `to`, a new addressee may answer and a dropped one may not."""
    p = plan()
    fix = correct(p, to=["EGY"])
    assert accepts(p, fix, ev("ProposalAnswered", proposal_id="plan", party="EGY", answer="accepted")) is None
    error = accepts(p, fix, ev("ProposalAnswered", proposal_id="plan", party="HAM", answer="accepted"))
    assert refused(error, UnknownReferenceError, "party")


def test_a_retracted_definition_still_anchors_later_references(accepts: Accepts) -> None:
    """As for deadlines, a retraction frees no id and strands nothing: later references still fit,
    and the views pass over what the retraction took away.
    """
    p, d = plan(), deal()
    later = [
        ev("ProposalAnswered", proposal_id="plan", party="HAM", answer="accepted"),
        ev("CommitmentMet", agreement_id="deal", term_id="hostages"),
    ]
    assert accepts(p, d, retract(p), retract(d), *later) is None
    assert refused(accepts(p, retract(p), plan()), LogError, "proposal_id")


def test_a_retracted_use_still_holds_its_term(accepts: Accepts) -> None:
    """A term named by a retracted CommitmentMet still may not be removed: the key stays, as every
    key does, so that a store can tell without reading the stream.
    """
    d = deal()
    met = ev("CommitmentMet", agreement_id="deal", term_id="hostages")
    error = accepts(d, met, retract(met), correct(d, terms=[]))
    assert refused(error, InvalidAmendmentError, "changes.terms")


@pytest.mark.parametrize("batch", [False, True])
def test_the_log_checks_references_not_state(accepts: Accepts, batch: bool) -> None:  # noqa: FBT001 - a parameter
    """An answer after a withdrawal, a term met twice and an extension of a terminated agreement
    all fit, one batch each or all in one: the views say what they mean.
    """
    events = [
        plan(),
        ev("ProposalWithdrawn", proposal_id="plan"),
        ev("ProposalAnswered", proposal_id="plan", party="HAM", answer="accepted"),
        ev("ProposalAnswered", proposal_id="plan", party="HAM", answer="rejected"),
        deal(),
        ev("AgreementStatusChanged", agreement_id="deal", status="terminated"),
        ev("AgreementExtended", agreement_id="deal", ends="2026-01-01"),
        ev("CommitmentMet", agreement_id="deal", term_id="hostages"),
        ev("CommitmentMet", agreement_id="deal", term_id="hostages"),
        ev("ViolationReported", agreement_id="deal", accuser="ISR", accused="HAM", term_id="hostages"),
    ]
    assert accepts(*events, batch=batch) is None
