"""Strategies for what a negotiation produces: proposals of terms and the answers to them, and
agreements with their terms, how each is kept, and the violations alleged.

Like the other strategies that refer to ids, each takes a pool of what it may refer to. Where
a reference must also fit what it names (an answer by an addressee, a term of the agreement),
the pool is a mapping: from each proposal id to its addressees, from each agreement id to its
term ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from negotiations.domain.events import (
    AGREEMENT_STAGES,
    CHANGED_STATUSES,
    PROPOSAL_ANSWERS,
    REACHED_STATUSES,
    AgreementExtended,
    AgreementReached,
    AgreementStatusChanged,
    CommitmentMet,
    ProposalAnswered,
    ProposalWithdrawn,
    Term,
    TermsProposed,
    ViolationReported,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.testing._values import (
    _distinct,
    _due,
    _envelope,
    _flip,
    _id,
    _index,
    _number,
    _optional_day,
    _optional_reference,
    _optional_text,
    _parties,
    _pick,
    _reference,
    _text,
    _text_tuple,
    _within_days,
)

# -- proposals of terms -------------------------------------------------------------------------


def _split(draw: st.DrawFn, cast: tuple[Party, ...], first: int) -> tuple[tuple[Party, ...], ...]:
    """``cast`` cut in three: its first ``first`` to ``len(cast)`` parties, then two groups of
    the rest (either may be empty).
    """
    head = first + draw(_index(len(cast) - first + 1))
    cut = head + draw(_index(len(cast) - head + 1))
    return cast[:head], cast[head:cut], cast[cut:]


@st.composite
def terms_proposed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    proposal_ids: st.SearchStrategy[str] | None = None,
) -> TermsProposed:
    """:class:`~negotiations.domain.TermsProposed` events, defining a proposal id drawn from
    ``proposal_ids`` (default :func:`ids`): a proposer, one or more addressees and maybe
    co-proposers and mediators, all distinct.
    """
    pool = _parties() if parties is None else parties
    cast = draw(_distinct(pool, 2, 5))
    (proposer, *to), co_proposers, mediators = _split(draw, cast, 2)
    return TermsProposed(
        **_envelope(draw, event_ids, occurred),
        proposal_id=_id(draw) if proposal_ids is None else draw(proposal_ids),
        proposer=proposer,
        to=tuple(to),
        title=_text(draw),
        co_proposers=co_proposers,
        points=_text_tuple(draw),
        mediators=mediators,
        summary=_optional_text(draw),
    )


@st.composite
def proposal_answered(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    proposal_addressees: Mapping[str, Sequence[Party]] | None = None,
) -> ProposalAnswered:
    """:class:`~negotiations.domain.ProposalAnswered` events: one addressee's answer to one of
    ``proposal_addressees`` (proposal id to its addressees; it must hold one). A counter-proposal
    goes only with ``countered``, and is another proposal of the pool. Without a pool, any
    proposal id and any party of ``parties``.
    """
    if proposal_addressees is None:
        proposal_id = _id(draw)
        party = draw(_parties() if parties is None else parties)
        counters: list[str] = [f"{proposal_id}-counter"]
    else:
        proposal_id = _reference(draw, sorted(proposal_addressees))
        party = _pick(draw, proposal_addressees[proposal_id])
        counters = sorted(set(proposal_addressees) - {proposal_id})
    answer = _pick(draw, PROPOSAL_ANSWERS)
    counter = _pick(draw, counters) if answer == "countered" and counters and _flip(draw) else None
    return ProposalAnswered(
        **_envelope(draw, event_ids, occurred),
        proposal_id=proposal_id,
        party=party,
        answer=answer,
        counter_proposal_id=counter,
        conditions=_text_tuple(draw),
        summary=_optional_text(draw),
    )


@st.composite
def proposal_withdrawn(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    proposal_ids: Sequence[str] | None = None,
) -> ProposalWithdrawn:
    """:class:`~negotiations.domain.ProposalWithdrawn` events, for one of ``proposal_ids``
    (which must not be empty; any id when it is ``None``).
    """
    return ProposalWithdrawn(
        **_envelope(draw, event_ids, occurred),
        proposal_id=_reference(draw, proposal_ids),
        reason=_optional_text(draw),
    )


# -- agreements ---------------------------------------------------------------------------------


def _term_due(draw: st.DrawFn, occurred: PartialDate) -> dict[str, Any]:
    """No due day, ``within_days`` (from a whole day only), or a ``due`` day: often within days
    of the agreement, before it or on its very day, so that terms fall due while a view looks.
    """
    kind = draw(_index(4))
    if kind == 0:
        return {}
    if kind == 1 and occurred.is_day:
        return {"within_days": draw(_within_days())}
    if kind == 2:  # noqa: PLR2004 - the third of four kinds
        return {"due": occurred.earliest + timedelta(days=draw(st.integers(-2, 5)))}
    return {"due": _optional_day(draw) or occurred.latest}


def _terms(draw: st.DrawFn, parties: tuple[Party, ...], occurred: PartialDate) -> tuple[Term, ...]:
    terms: list[Term] = []
    for n in range(draw(_index(4))):
        term_id = _id(draw) if _flip(draw) else f"t{n + 1}"
        if any(term.term_id == term_id for term in terms):
            term_id = f"{term_id}-{n + 1}"
        quantity = float(_number(draw)) if _flip(draw) else None
        terms.append(
            Term(
                term_id=term_id,
                party=_pick(draw, parties),
                commitment=_text(draw),
                **_term_due(draw, occurred),
                quantity=quantity,
                unit=_optional_text(draw) if quantity is not None else None,
            )
        )
    return tuple(terms)


@st.composite
def agreement_reached(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    agreement_ids: st.SearchStrategy[str] | None = None,
    proposal_ids: Sequence[str] | None = None,
) -> AgreementReached:
    """:class:`~negotiations.domain.AgreementReached` events, defining an agreement id drawn from
    ``agreement_ids`` (default :func:`ids`), with up to three terms of its parties and maybe
    mediators and guarantors from outside them. The ``proposal_id`` it settles is absent or one
    of ``proposal_ids`` (absent when that is empty; any id when it is ``None``).
    """
    pool = _parties() if parties is None else parties
    envelope = _envelope(draw, event_ids, occurred)
    members, mediators, guarantors = _split(draw, draw(_distinct(pool, 2, 5)), 2)
    starts, ends = _optional_day(draw), _optional_day(draw)
    if starts is not None and ends is not None and ends < starts:
        starts, ends = ends, starts
    return AgreementReached(
        **envelope,
        agreement_id=_id(draw) if agreement_ids is None else draw(agreement_ids),
        parties=members,
        title=_text(draw),
        stage=_pick(draw, AGREEMENT_STAGES) if _flip(draw) else None,
        status=_pick(draw, REACHED_STATUSES),
        mediators=mediators,
        guarantors=guarantors,
        starts=starts,
        ends=ends,
        proposal_id=_optional_reference(draw, proposal_ids),
        terms=_terms(draw, members, envelope["occurred"]),
    )


@st.composite
def agreement_status_changed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    agreement_ids: Sequence[str] | None = None,
) -> AgreementStatusChanged:
    """:class:`~negotiations.domain.AgreementStatusChanged` events, for one of ``agreement_ids``
    (which must not be empty; any id when it is ``None``).
    """
    return AgreementStatusChanged(
        **_envelope(draw, event_ids, occurred),
        agreement_id=_reference(draw, agreement_ids),
        status=_pick(draw, CHANGED_STATUSES),
        reason=_optional_text(draw),
    )


def _subject(
    draw: st.DrawFn, agreement_ids: Sequence[str] | None, ceasefire_ids: Sequence[str] | None
) -> dict[str, Any]:
    """Exactly one of ``agreement_id`` (of ``agreement_ids``) or ``ceasefire_id`` (of
    ``ceasefire_ids``); a pool that is ``None`` gives any id, an empty one nothing.
    """
    pools = {"agreement_id": agreement_ids, "ceasefire_id": ceasefire_ids}
    names = [name for name, pool in pools.items() if pool is None or pool]
    if not names:
        raise ValueError("an event that must refer to an id needs a non-empty pool of ids")
    name = _pick(draw, names)
    return {name: _reference(draw, pools[name])}


@st.composite
def agreement_extended(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    agreement_ids: Sequence[str] | None = None,
    ceasefire_ids: Sequence[str] | None = None,
) -> AgreementExtended:
    """:class:`~negotiations.domain.AgreementExtended` events, for one of ``agreement_ids`` or one
    of ``ceasefire_ids`` (one of them must not be empty; any id when it is ``None``), with a new
    ``ends`` or, when it occurred on a whole day, ``within_days``.
    """
    envelope = _envelope(draw, event_ids, occurred)
    due = _due(draw, envelope["occurred"])
    return AgreementExtended(
        **envelope,
        **_subject(draw, agreement_ids, ceasefire_ids),
        ends=due.get("due"),
        within_days=due.get("within_days"),
        reason=_optional_text(draw),
    )


def _of_terms(pool: Mapping[str, Sequence[str]] | None) -> Sequence[str] | None:
    return None if pool is None else sorted(pool)


@st.composite
def commitment_met(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    agreement_terms: Mapping[str, Sequence[str]] | None = None,
) -> CommitmentMet:
    """:class:`~negotiations.domain.CommitmentMet` events, for a term of one of
    ``agreement_terms`` (agreement id to its term ids; one must have a term; any ids when it is
    ``None``).
    """
    with_terms = None if agreement_terms is None else {a: t for a, t in agreement_terms.items() if t}
    agreement_id = _reference(draw, _of_terms(with_terms))
    term_id = _id(draw) if with_terms is None else _pick(draw, with_terms[agreement_id])
    return CommitmentMet(
        **_envelope(draw, event_ids, occurred),
        agreement_id=agreement_id,
        term_id=term_id,
        summary=_optional_text(draw),
    )


@st.composite
def violation_reported(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    agreement_terms: Mapping[str, Sequence[str]] | None = None,
    ceasefire_ids: Sequence[str] | None = None,
) -> ViolationReported:
    """:class:`~negotiations.domain.ViolationReported` events: one party accuses another of
    breaking one of ``agreement_terms`` (agreement id to its term ids), maybe one of its terms,
    or one of ``ceasefire_ids`` (one of them must not be empty; any ids when it is ``None``).
    """
    pool = _parties() if parties is None else parties
    accuser, accused = draw(_distinct(pool, 2, 2))
    subject = _subject(draw, _of_terms(agreement_terms), ceasefire_ids)
    term_id = None
    if "agreement_id" in subject and _flip(draw):
        known = None if agreement_terms is None else agreement_terms[subject["agreement_id"]]
        term_id = _id(draw) if known is None else _pick(draw, known) if known else None
    return ViolationReported(
        **_envelope(draw, event_ids, occurred),
        **subject,
        accuser=accuser,
        accused=accused,
        term_id=term_id,
        summary=_optional_text(draw),
    )
