"""Strategies for the events of the talks themselves: calls, statements, positions, talks,
ceasefires and aid. Sanctions and tariffs are in :mod:`negotiations.testing._measures`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Final

from hypothesis import strategies as st

from negotiations.domain.events import (
    AID_CATEGORIES,
    TALKS_LEVELS,
    AidAnnounced,
    AidPaused,
    AidResumed,
    CallHeld,
    CeasefireAgreed,
    CeasefireEnded,
    PositionStated,
    StatementMade,
    TalksHeld,
    TalksProposed,
)
from negotiations.domain.values import PartialDate, Party, Person
from negotiations.testing._values import (
    _distinct,
    _envelope,
    _flip,
    _id,
    _index,
    _issues,
    _later,
    _optional_day,
    _optional_reference,
    _optional_text,
    _parties,
    _person,
    _pick,
    _reference,
    _speaker,
    _text,
    _text_tuple,
)

# -- events: contacts and statements ------------------------------------------------------------


@st.composite
def call_held(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
) -> CallHeld:
    """:class:`~negotiations.domain.CallHeld` events.

    Like every event strategy here, it draws the event's id from ``event_ids`` (default
    :func:`ids`), its date from ``occurred`` (default :func:`partial_dates`) and, where the event
    names parties, their codes from ``parties`` (default :func:`parties`; it must be able to give
    two distinct codes).
    """
    pool = _parties() if parties is None else parties
    return CallHeld(
        **_envelope(draw, event_ids, occurred),
        parties=draw(_distinct(pool)),
        persons=tuple(_person(draw) for _ in range(draw(_index(3)))),
        summary=_optional_text(draw),
    )


@st.composite
def statement_made(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
) -> StatementMade:
    """:class:`~negotiations.domain.StatementMade` events, the speaker (if any) of the party."""
    pool = _parties() if parties is None else parties
    party = draw(pool)
    return StatementMade(
        **_envelope(draw, event_ids, occurred),
        party=party,
        summary=_text(draw),
        speaker=_speaker(draw, party),
        channel=_optional_text(draw),
    )


@st.composite
def position_stated(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
) -> PositionStated:
    """:class:`~negotiations.domain.PositionStated` events, on a few common issues mostly, so that
    stances replace one another.
    """
    pool = _parties() if parties is None else parties
    party = draw(pool)
    return PositionStated(
        **_envelope(draw, event_ids, occurred),
        party=party,
        issue=draw(_issues()),
        stance=_text(draw),
        demands=_text_tuple(draw),
        speaker=_speaker(draw, party),
    )


# A round of talks lasts a day or a few, now and then a fortnight.
_ROUND_DAYS: Final = 14


@functools.cache
def _rounds() -> st.SearchStrategy[int]:
    return st.integers(0, 50)


# -- events: talks and ceasefires ---------------------------------------------------------------


@st.composite
def talks_proposed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    proposal_ids: st.SearchStrategy[str] | None = None,
) -> TalksProposed:
    """:class:`~negotiations.domain.TalksProposed` events, defining a proposal id drawn from
    ``proposal_ids`` (default :func:`ids`).
    """
    pool = _parties() if parties is None else parties
    proposer, counterpart = draw(_distinct(pool, 2, 2))
    return TalksProposed(
        **_envelope(draw, event_ids, occurred),
        proposal_id=_id(draw) if proposal_ids is None else draw(proposal_ids),
        proposer=proposer,
        counterpart=counterpart,
        level=_pick(draw, TALKS_LEVELS),
        venue=_optional_text(draw),
        proposed_by=_speaker(draw, proposer),
    )


@st.composite
def talks_held(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    proposal_ids: Sequence[str] | None = None,
) -> TalksHeld:
    """:class:`~negotiations.domain.TalksHeld` events: maybe over several days (``ends`` not
    before the earliest day they began), at a ``level``, with hosts and mediators from outside
    the parties (a host may mediate too), and delegations of people of the parties, hosts and
    mediators. The ``proposal_id`` is absent or one of ``proposal_ids`` (absent when that is
    empty; any id when it is ``None``).
    """
    pool = _parties() if parties is None else parties
    envelope = _envelope(draw, event_ids, occurred)
    cast = draw(_distinct(pool, 2, 5))
    members = cast[: 2 + draw(_index(len(cast) - 1))]
    others = cast[len(members) :]
    hosts = tuple(party for party in others if _flip(draw))
    mediators = tuple(party for party in others if _flip(draw))
    at_table = (*members, *hosts, *mediators)
    return TalksHeld(
        **envelope,
        parties=members,
        venue=_text(draw),
        round=draw(_rounds()) if _flip(draw) else None,
        summary=_optional_text(draw),
        proposal_id=_optional_reference(draw, proposal_ids),
        ends=_later(draw, envelope["occurred"].earliest, _ROUND_DAYS) if _flip(draw) else None,
        level=_pick(draw, TALKS_LEVELS) if _flip(draw) else None,
        hosts=hosts,
        mediators=mediators,
        delegations=tuple(
            Person(name=_text(draw), party=_pick(draw, at_table), role=_optional_text(draw))
            for _ in range(draw(_index(4)))
        ),
    )


@st.composite
def ceasefire_agreed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    ceasefire_ids: st.SearchStrategy[str] | None = None,
    proposal_ids: Sequence[str] | None = None,
) -> CeasefireAgreed:
    """:class:`~negotiations.domain.CeasefireAgreed` events, defining a ceasefire id drawn from
    ``ceasefire_ids`` (default :func:`ids`); ``ends`` is never before ``starts``. The
    ``proposal_id`` it settles is absent or one of ``proposal_ids`` (absent when that is empty;
    any id when it is ``None``).
    """
    pool = _parties() if parties is None else parties
    starts, ends = _optional_day(draw), _optional_day(draw)
    if starts is not None and ends is not None and ends < starts:
        starts, ends = ends, starts
    return CeasefireAgreed(
        **_envelope(draw, event_ids, occurred),
        ceasefire_id=_id(draw) if ceasefire_ids is None else draw(ceasefire_ids),
        parties=draw(_distinct(pool)),
        starts=starts,
        ends=ends,
        scope=_optional_text(draw),
        proposal_id=_optional_reference(draw, proposal_ids),
    )


@st.composite
def ceasefire_ended(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    ceasefire_ids: Sequence[str] | None = None,
) -> CeasefireEnded:
    """:class:`~negotiations.domain.CeasefireEnded` events, ending one of ``ceasefire_ids``
    (which must not be empty; any id when it is ``None``).
    """
    return CeasefireEnded(
        **_envelope(draw, event_ids, occurred),
        ceasefire_id=_reference(draw, ceasefire_ids),
        reason=_optional_text(draw),
    )


# -- events: aid ---------------------------------------------------------------------------------


@st.composite
def aid_announced(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
) -> AidAnnounced:
    """:class:`~negotiations.domain.AidAnnounced` events."""
    pool = _parties() if parties is None else parties
    return AidAnnounced(
        **_envelope(draw, event_ids, occurred),
        donor=draw(pool),
        recipient=draw(pool),
        category=_pick(draw, AID_CATEGORIES),
        items=_text_tuple(draw),
        reason=_optional_text(draw),
    )


@st.composite
def aid_paused(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
) -> AidPaused:
    """:class:`~negotiations.domain.AidPaused` events."""
    pool = _parties() if parties is None else parties
    return AidPaused(
        **_envelope(draw, event_ids, occurred),
        donor=draw(pool),
        recipient=draw(pool),
        category=_pick(draw, AID_CATEGORIES),
        reason=_optional_text(draw),
    )


@st.composite
def aid_resumed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
) -> AidResumed:
    """:class:`~negotiations.domain.AidResumed` events."""
    pool = _parties() if parties is None else parties
    return AidResumed(
        **_envelope(draw, event_ids, occurred),
        donor=draw(pool),
        recipient=draw(pool),
        category=_pick(draw, AID_CATEGORIES),
        reason=_optional_text(draw),
    )
