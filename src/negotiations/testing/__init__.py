"""Hypothesis strategies for negotiations' values, events and logs, to test code built on them.

Every value a strategy here generates passes every validator, and survives a round trip through
the JSON codec unchanged. Dates stay in a realistic range (2020 to 2030 by default), so that
deadline arithmetic cannot overflow.

Strategies for events that refer to deadlines, agreements, proposals or ceasefires take a pool
of the ids they may refer to, so that a log built from them stays consistent;
:func:`event_logs` does that bookkeeping for you::

    from hypothesis import given
    from negotiations import testing

    @given(testing.event_logs(max_size=10))
    def test_every_event_is_on_the_timeline(log):
        ...

Installing the package also registers a strategy for every event class, and for
:class:`~negotiations.domain.PartialDate`, :class:`~negotiations.domain.Person` and
:class:`~negotiations.domain.Source`, with Hypothesis (through its ``hypothesis`` entry point), so
``st.from_type(DeadlineSet)`` works without importing this module.

This is the only part of the package that imports Hypothesis; install it with the ``testing``
extra.
"""

from __future__ import annotations

import functools
import operator
import string
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, Final, Literal, TypeVar

from attrs import evolve
from hypothesis import strategies as st

from negotiations.domain._converter import unstructure
from negotiations.domain._fields import FIXED_FIELDS
from negotiations.domain.amendments import Amendments, corrected
from negotiations.domain.events import (
    AID_CATEGORIES,
    FACT_TYPES,
    TALKS_LEVELS,
    AidAnnounced,
    AidPaused,
    AidResumed,
    CallHeld,
    CeasefireAgreed,
    CeasefireEnded,
    DeadlineChanged,
    DeadlineMet,
    DeadlineSet,
    DeadlineWithdrawn,
    Event,
    EventCorrected,
    EventRetracted,
    PositionStated,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    RemainsRepatriated,
    ReportDisputed,
    SanctionsImposed,
    StatementMade,
    TalksHeld,
    TalksProposed,
    TariffsImposed,
)
from negotiations.domain.values import PartialDate, Party, Person, Qualifier, Source
from negotiations.errors import NegotiationsError
from negotiations.log import EventLog, KeyKind, defined_key

__all__ = [
    "MAX_DAY",
    "MIN_DAY",
    "Precision",
    "aid_announced",
    "aid_paused",
    "aid_resumed",
    "call_held",
    "ceasefire_agreed",
    "ceasefire_ended",
    "days",
    "deadline_changed",
    "deadline_met",
    "deadline_set",
    "deadline_withdrawn",
    "event_corrected",
    "event_logs",
    "event_retracted",
    "events",
    "ids",
    "issues",
    "partial_dates",
    "parties",
    "persons",
    "position_stated",
    "prisoner_exchange_agreed",
    "prisoners_exchanged",
    "recorded_datetimes",
    "remains_repatriated",
    "report_disputed",
    "sanctions_imposed",
    "sources",
    "statement_made",
    "talks_held",
    "talks_proposed",
    "tariffs_imposed",
    "texts",
]

MIN_DAY: Final = date(2020, 1, 1)
"""The first day the strategies use by default."""
MAX_DAY: Final = date(2030, 12, 31)
"""The last day the strategies use by default."""

Precision = Literal["year", "month", "day"]
"""How much of a partial date is known, as :func:`partial_dates` takes it."""

# A few real codes make parties meet each other often (the same pair on the same issue, the same
# donor pausing and resuming aid); arbitrary codes keep the validators honest.
_COMMON_PARTIES: Final = ("UKR", "RUS", "USA", "EU", "TUR", "CHN", "UN", "GBR")
_COMMON_ISSUES: Final = ("territory", "ceasefire", "prisoners", "security-guarantees", "sanctions")
_COMMON_TEXTS: Final = ("Istanbul", "talks continue", "no comment", "Reuters", "full ceasefire")
_ID_WORDS: Final = ("deadline", "swap", "talks", "truce", "call", "statement", "aid", "reuters")
_MAX_WITHIN_DAYS: Final = 366
_MAX_COUNT: Final = 10_000
_MAX_OFFSET_MINUTES: Final = 14 * 60

_T = TypeVar("_T")

# The fields shared by every event, as keyword arguments for its constructor.
_Envelope = dict[str, Any]


# -- values -------------------------------------------------------------------------------------
#
# Each strategy is built once and shared: Hypothesis validates a strategy object the first time it
# draws from it, and a log of thirty events would otherwise pay for that thousands of times.


@functools.cache
def _parties() -> st.SearchStrategy[Party]:
    return st.one_of(
        st.sampled_from(_COMMON_PARTIES),
        st.text(string.ascii_uppercase, min_size=2, max_size=8),
    ).map(Party)


def parties() -> st.SearchStrategy[Party]:
    """Party codes: mostly a few common ones (``UKR``, ``RUS``, ``EU``, ...), sometimes any code
    of two to eight uppercase letters.
    """
    return _parties()


@functools.cache
def _texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_COMMON_TEXTS),
        # Any Unicode text but NUL and lone surrogates, which the validators reject.
        st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=40).filter(
            lambda s: s.strip() != ""
        ),
    )


def texts() -> st.SearchStrategy[str]:
    """Non-blank strings, as every required text field needs: short phrases and any Unicode."""
    return _texts()


@functools.cache
def _ids() -> st.SearchStrategy[str]:
    slugs = st.builds("{}-{}".format, st.sampled_from(_ID_WORDS), st.integers(1, 999))
    return st.one_of(slugs, _texts())


def ids() -> st.SearchStrategy[str]:
    """Ids for events and for the deadlines, agreements, proposals and ceasefires they define:
    mostly slugs (``deadline-2``), sometimes any non-blank string.
    """
    return _ids()


@functools.cache
def _issues() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_COMMON_ISSUES),
        st.builds(
            operator.add,
            st.sampled_from(string.ascii_lowercase),
            st.text(string.ascii_lowercase + string.digits + "-", max_size=31),
        ),
    )


def issues() -> st.SearchStrategy[str]:
    """Issue keys for :class:`~negotiations.domain.PositionStated`: mostly common ones
    (``territory``), sometimes any key matching ``^[a-z][a-z0-9-]{0,31}$``.
    """
    return _issues()


@functools.cache
def _days(min_value: date, max_value: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=min_value, max_value=max_value)


def days(*, min_value: date = MIN_DAY, max_value: date = MAX_DAY) -> st.SearchStrategy[date]:
    """Whole days from ``min_value`` to ``max_value`` (2020 to 2030 by default)."""
    return _days(min_value, max_value)


_PRECISIONS: Final[tuple[Precision, ...]] = ("day", "month", "year")


def _partial_date(day: date, precision: Precision, qualifier: Qualifier) -> PartialDate:
    """The year, the month or the day ``day`` falls in."""
    return PartialDate(
        day.year,
        None if precision == "year" else day.month,
        day.day if precision == "day" else None,
        qualifier,
    )


@functools.cache
def _partial_dates(
    min_value: date, max_value: date, precisions: tuple[Precision, ...], *, qualifiers: bool
) -> st.SearchStrategy[PartialDate]:
    qualifier_strategy: st.SearchStrategy[Qualifier] = (
        st.sampled_from(("", "?", "~")) if qualifiers else st.just("")
    )
    return st.builds(
        _partial_date, _days(min_value, max_value), st.sampled_from(precisions), qualifier_strategy
    )


def partial_dates(
    *,
    min_value: date = MIN_DAY,
    max_value: date = MAX_DAY,
    precisions: Collection[Precision] = _PRECISIONS,
    qualifiers: bool = True,
) -> st.SearchStrategy[PartialDate]:
    """Partial dates: a year (``2025``), a month (``2025-06``) or a day (``2025-06-14``), of the
    given ``precisions``, that contains a day from ``min_value`` to ``max_value``; each maybe
    qualified as uncertain (``?``) or approximate (``~``) when ``qualifiers`` is true.
    """
    chosen = tuple(p for p in _PRECISIONS if p in precisions)
    if not chosen:
        raise ValueError(f"precisions must name some of {', '.join(_PRECISIONS)}")
    return _partial_dates(min_value, max_value, chosen, qualifiers=qualifiers)


@functools.cache
def _recorded_datetimes() -> st.SearchStrategy[datetime]:
    # Built from numbers rather than st.datetimes(timezones=...), which costs several times more
    # to draw; the instant shrinks toward 2020-01-01 UTC.
    first = datetime(MIN_DAY.year, 1, 1, tzinfo=UTC)
    seconds = st.integers(0, int((datetime(MAX_DAY.year + 1, 1, 1, tzinfo=UTC) - first).total_seconds()) - 1)
    offsets = st.one_of(
        st.just(0),
        st.integers(-12, 14).map(lambda h: h * 60),
        st.integers(-_MAX_OFFSET_MINUTES, _MAX_OFFSET_MINUTES),
    )
    microseconds = st.one_of(st.just(0), st.integers(0, 999_999))

    def build(second: int, offset: int, microsecond: int) -> datetime:
        instant = first + timedelta(seconds=second, microseconds=microsecond)
        return instant.astimezone(timezone(timedelta(minutes=offset)))

    return st.builds(build, seconds, offsets, microseconds)


def recorded_datetimes() -> st.SearchStrategy[datetime]:
    """Aware datetimes from 2020 to 2030, for ``recorded``: each carries a fixed UTC offset of
    whole minutes, so its ISO text reads back to an equal datetime with the same offset.
    """
    return _recorded_datetimes()


def _optional(strategy: st.SearchStrategy[_T]) -> st.SearchStrategy[_T | None]:
    return st.none() | strategy


@functools.cache
def _optional_texts() -> st.SearchStrategy[str | None]:
    return _optional(_texts())


@functools.cache
def _text_tuples(min_size: int = 0) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(_texts(), min_size=min_size, max_size=3).map(tuple)


@functools.cache
def _persons() -> st.SearchStrategy[Person]:
    return st.builds(Person, name=_texts(), party=_parties(), role=_optional_texts())


def persons(*, party: st.SearchStrategy[Party] | None = None) -> st.SearchStrategy[Person]:
    """People who speak or act for a party (drawn from ``party``, :func:`parties` by default)."""
    if party is None:
        return _persons()
    return st.builds(Person, name=_texts(), party=party, role=_optional_texts())


@functools.cache
def _optional_persons() -> st.SearchStrategy[Person | None]:
    return _optional(_persons())


def _speaker(draw: st.DrawFn, party: Party) -> Person | None:
    """Nobody, or a person of ``party``."""
    person = draw(_optional_persons())
    return None if person is None else evolve(person, party=party)


@functools.cache
def _sources() -> st.SearchStrategy[Source]:
    urls = st.builds("https://{}.example/{}".format, st.sampled_from(_ID_WORDS), st.integers(1, 10**6))
    return st.builds(
        Source,
        outlet=_texts(),
        url=_optional(st.one_of(urls, _texts())),
        quote=_optional_texts(),
        published=_optional(_days(MIN_DAY, MAX_DAY)),
    )


def sources() -> st.SearchStrategy[Source]:
    """Sources: an outlet, and maybe a url, a quote and the day it was published."""
    return _sources()


@functools.cache
def _distinct(
    pool: st.SearchStrategy[Party], min_size: int = 2, max_size: int = 4
) -> st.SearchStrategy[tuple[Party, ...]]:
    return st.lists(pool, min_size=min_size, max_size=max_size, unique=True).map(tuple)


@functools.cache
def _numbers() -> st.SearchStrategy[int]:
    # Small numbers often, so that batches add up to what an agreement owes.
    return st.one_of(st.integers(0, 5), st.integers(0, _MAX_COUNT))


@functools.cache
def _counts(pool: st.SearchStrategy[Party]) -> st.SearchStrategy[dict[Party, int]]:
    return st.dictionaries(pool, _numbers(), min_size=1, max_size=3)


@functools.cache
def _source_tuples() -> st.SearchStrategy[tuple[Source, ...]]:
    # Often none: a source costs a dozen draws, and most properties do not look at them.
    return st.one_of(st.just(()), st.lists(_sources(), min_size=1, max_size=2).map(tuple))


def _envelope(
    draw: st.DrawFn,
    event_ids: st.SearchStrategy[str] | None,
    occurred: st.SearchStrategy[PartialDate] | None,
) -> _Envelope:
    return {
        "id": draw(_ids() if event_ids is None else event_ids),
        "occurred": draw(partial_dates() if occurred is None else occurred),
        "recorded": draw(_recorded_datetimes()),
        "sources": draw(_source_tuples()),
    }


def _reference(draw: st.DrawFn, pool: Sequence[str] | None) -> str:
    """One id of ``pool``, or any id when there is no pool."""
    if pool is None:
        return draw(_ids())
    if not pool:
        raise ValueError("an event that must refer to an id needs a non-empty pool of ids")
    return draw(st.sampled_from(pool))


def _optional_reference(draw: st.DrawFn, pool: Sequence[str] | None) -> str | None:
    """Nothing, or one id of ``pool`` (any id when there is no pool)."""
    if pool is None:
        return draw(_optional(_ids()))
    if not pool or draw(st.booleans()):
        return None
    return draw(st.sampled_from(pool))


def _due(draw: st.DrawFn, occurred: PartialDate) -> dict[str, Any]:
    """Exactly one of ``due`` or ``within_days``; the latter only from a whole day."""
    if occurred.is_day and draw(st.booleans()):
        return {"within_days": draw(st.integers(0, _MAX_WITHIN_DAYS))}
    return {"due": draw(_days(MIN_DAY, MAX_DAY))}


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
        persons=tuple(draw(st.lists(_persons(), max_size=2))),
        summary=draw(_optional_texts()),
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
        summary=draw(_texts()),
        speaker=_speaker(draw, party),
        channel=draw(_optional_texts()),
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
        stance=draw(_texts()),
        demands=draw(_text_tuples()),
        speaker=_speaker(draw, party),
    )


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
        proposal_id=draw(_ids() if proposal_ids is None else proposal_ids),
        proposer=proposer,
        counterpart=counterpart,
        level=draw(st.sampled_from(TALKS_LEVELS)),
        venue=draw(_optional_texts()),
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
    """:class:`~negotiations.domain.TalksHeld` events. The ``proposal_id`` is absent or one of
    ``proposal_ids`` (absent when that is empty; any id when it is ``None``).
    """
    pool = _parties() if parties is None else parties
    return TalksHeld(
        **_envelope(draw, event_ids, occurred),
        parties=draw(_distinct(pool)),
        venue=draw(_texts()),
        round=draw(_optional(st.integers(0, 50))),
        summary=draw(_optional_texts()),
        proposal_id=_optional_reference(draw, proposal_ids),
    )


@st.composite
def ceasefire_agreed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    ceasefire_ids: st.SearchStrategy[str] | None = None,
) -> CeasefireAgreed:
    """:class:`~negotiations.domain.CeasefireAgreed` events, defining a ceasefire id drawn from
    ``ceasefire_ids`` (default :func:`ids`); ``ends`` is never before ``starts``.
    """
    pool = _parties() if parties is None else parties
    starts, ends = draw(_optional(_days(MIN_DAY, MAX_DAY))), draw(_optional(_days(MIN_DAY, MAX_DAY)))
    if starts is not None and ends is not None and ends < starts:
        starts, ends = ends, starts
    return CeasefireAgreed(
        **_envelope(draw, event_ids, occurred),
        ceasefire_id=draw(_ids() if ceasefire_ids is None else ceasefire_ids),
        parties=draw(_distinct(pool)),
        starts=starts,
        ends=ends,
        scope=draw(_optional_texts()),
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
        reason=draw(_optional_texts()),
    )


# -- events: aid, sanctions and tariffs ---------------------------------------------------------


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
        category=draw(st.sampled_from(AID_CATEGORIES)),
        items=draw(_text_tuples()),
        reason=draw(_optional_texts()),
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
        category=draw(st.sampled_from(AID_CATEGORIES)),
        reason=draw(_optional_texts()),
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
        category=draw(st.sampled_from(AID_CATEGORIES)),
        reason=draw(_optional_texts()),
    )


@st.composite
def sanctions_imposed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
) -> SanctionsImposed:
    """:class:`~negotiations.domain.SanctionsImposed` events, with at least one measure."""
    pool = _parties() if parties is None else parties
    return SanctionsImposed(
        **_envelope(draw, event_ids, occurred),
        imposer=draw(pool),
        target=draw(pool),
        measures=draw(_text_tuples(1)),
        sectors=draw(_text_tuples()),
        package=draw(_optional_texts()),
    )


@functools.cache
def _rates() -> st.SearchStrategy[float]:
    return st.one_of(
        st.integers(0, 200).map(float),
        st.floats(min_value=0, allow_nan=False, allow_infinity=False),
    )


@st.composite
def tariffs_imposed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
) -> TariffsImposed:
    """:class:`~negotiations.domain.TariffsImposed` events, at a finite rate of zero or more."""
    pool = _parties() if parties is None else parties
    return TariffsImposed(
        **_envelope(draw, event_ids, occurred),
        imposer=draw(pool),
        target=draw(pool),
        rate_percent=draw(_rates()),
        basis=draw(_optional_texts()),
    )


# -- events: deadlines --------------------------------------------------------------------------


@st.composite
def deadline_set(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    deadline_ids: st.SearchStrategy[str] | None = None,
) -> DeadlineSet:
    """:class:`~negotiations.domain.DeadlineSet` events, defining a deadline id drawn from
    ``deadline_ids`` (default :func:`ids`). Each has a ``due`` day or, when it occurred on a
    whole day, ``within_days``.
    """
    pool = _parties() if parties is None else parties
    envelope = _envelope(draw, event_ids, occurred)
    issuer, target = draw(_distinct(pool, 2, 2))
    return DeadlineSet(
        **envelope,
        **_due(draw, envelope["occurred"]),
        deadline_id=draw(_ids() if deadline_ids is None else deadline_ids),
        issuer=issuer,
        target=target,
        demand=draw(_texts()),
        consequence=draw(_optional_texts()),
    )


@st.composite
def deadline_changed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    deadline_ids: Sequence[str] | None = None,
) -> DeadlineChanged:
    """:class:`~negotiations.domain.DeadlineChanged` events, moving one of ``deadline_ids``
    (which must not be empty; any id when it is ``None``).
    """
    envelope = _envelope(draw, event_ids, occurred)
    return DeadlineChanged(
        **envelope,
        **_due(draw, envelope["occurred"]),
        deadline_id=_reference(draw, deadline_ids),
        reason=draw(_optional_texts()),
    )


@st.composite
def deadline_withdrawn(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    deadline_ids: Sequence[str] | None = None,
) -> DeadlineWithdrawn:
    """:class:`~negotiations.domain.DeadlineWithdrawn` events, for one of ``deadline_ids``
    (which must not be empty; any id when it is ``None``).
    """
    return DeadlineWithdrawn(
        **_envelope(draw, event_ids, occurred),
        deadline_id=_reference(draw, deadline_ids),
        reason=draw(_optional_texts()),
    )


@st.composite
def deadline_met(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    deadline_ids: Sequence[str] | None = None,
) -> DeadlineMet:
    """:class:`~negotiations.domain.DeadlineMet` events, for one of ``deadline_ids`` (which must
    not be empty; any id when it is ``None``).
    """
    return DeadlineMet(
        **_envelope(draw, event_ids, occurred),
        deadline_id=_reference(draw, deadline_ids),
        reason=draw(_optional_texts()),
    )


# -- events: prisoners and remains --------------------------------------------------------------


@st.composite
def prisoner_exchange_agreed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    agreement_ids: st.SearchStrategy[str] | None = None,
) -> PrisonerExchangeAgreed:
    """:class:`~negotiations.domain.PrisonerExchangeAgreed` events, defining an agreement id drawn
    from ``agreement_ids`` (default :func:`ids`), with ``per_side``, or ``terms`` naming both
    parties, or neither.
    """
    pool = _parties() if parties is None else parties
    pair = draw(_distinct(pool, 2, 2))
    numbers = draw(st.sampled_from(("per_side", "terms", "none")))
    per_side = draw(_numbers()) if numbers == "per_side" else None
    terms = {p: draw(_numbers()) for p in pair} if numbers == "terms" else None
    return PrisonerExchangeAgreed(
        **_envelope(draw, event_ids, occurred),
        agreement_id=draw(_ids() if agreement_ids is None else agreement_ids),
        parties=pair,
        categories=draw(_text_tuples()),
        venue=draw(_optional_texts()),
        per_side=per_side,
        terms=terms,
    )


@st.composite
def prisoners_exchanged(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    agreement_ids: Sequence[str] | None = None,
) -> PrisonersExchanged:
    """:class:`~negotiations.domain.PrisonersExchanged` events. The ``agreement_id`` is absent or
    one of ``agreement_ids`` (absent when that is empty; any id when it is ``None``).
    """
    pool = _parties() if parties is None else parties
    return PrisonersExchanged(
        **_envelope(draw, event_ids, occurred),
        returned=draw(_counts(pool)),
        agreement_id=_optional_reference(draw, agreement_ids),
    )


@st.composite
def remains_repatriated(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    agreement_ids: Sequence[str] | None = None,
) -> RemainsRepatriated:
    """:class:`~negotiations.domain.RemainsRepatriated` events. The ``agreement_id`` is absent or
    one of ``agreement_ids`` (absent when that is empty; any id when it is ``None``).
    """
    pool = _parties() if parties is None else parties
    return RemainsRepatriated(
        **_envelope(draw, event_ids, occurred),
        returned=draw(_counts(pool)),
        agreement_id=_optional_reference(draw, agreement_ids),
    )


# -- events: the record itself ------------------------------------------------------------------


@st.composite
def event_retracted(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    targets: Sequence[str] | None = None,
) -> EventRetracted:
    """:class:`~negotiations.domain.EventRetracted` events whose ``target`` is one of
    ``targets`` (any id when it is ``None``).
    """
    return EventRetracted(
        **_envelope(draw, event_ids, occurred), target=_reference(draw, targets), reason=draw(_texts())
    )


@st.composite
def event_corrected(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    target: Event | None = None,
) -> EventCorrected:
    """:class:`~negotiations.domain.EventCorrected` events. Given a ``target`` event, the
    correction targets it and its changes make a valid event of its kind (other fields of a
    fresh event of that kind, never its id, recorded time or the ids it defines or refers to);
    without one, it targets any id and changes a text field.
    """
    envelope = _envelope(draw, event_ids, occurred)
    if target is None:
        return EventCorrected(**envelope, target=draw(_ids()), changes={"summary": draw(_texts())})
    other = draw(_STRATEGIES[type(target)]())
    fixed = {*FIXED_FIELDS, "deadline_id", "agreement_id", "proposal_id", "ceasefire_id"}
    wire = unstructure(other)
    every = {name: wire.get(name) for name in unstructure(target).keys() | wire.keys() if name not in fixed}
    names = draw(st.lists(st.sampled_from(sorted(every)), min_size=1, unique=True))
    changes = {name: every[name] for name in names}
    try:
        corrected(target, changes)
    except NegotiationsError:  # these fields alone break a rule between fields: change them all
        changes = every
    reason = draw(_optional_texts())
    return EventCorrected(**envelope, target=target.id, changes=changes, reason=reason)


@st.composite
def report_disputed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    claims: Sequence[str] | None = None,
) -> ReportDisputed:
    """:class:`~negotiations.domain.ReportDisputed` events over two or more of ``claims`` (any
    ids when it is ``None``).
    """
    pool = st.sampled_from(claims) if claims is not None else _ids()
    chosen = draw(st.lists(pool, min_size=2, max_size=3, unique=True))
    return ReportDisputed(
        **_envelope(draw, event_ids, occurred), claims=tuple(chosen), subject=draw(_optional_texts())
    )


# -- any event, and logs ------------------------------------------------------------------------

_STRATEGIES: Final[Mapping[type[Event], Callable[..., st.SearchStrategy[Any]]]] = {
    CallHeld: call_held,
    StatementMade: statement_made,
    PositionStated: position_stated,
    TalksProposed: talks_proposed,
    TalksHeld: talks_held,
    CeasefireAgreed: ceasefire_agreed,
    CeasefireEnded: ceasefire_ended,
    AidAnnounced: aid_announced,
    AidPaused: aid_paused,
    AidResumed: aid_resumed,
    SanctionsImposed: sanctions_imposed,
    TariffsImposed: tariffs_imposed,
    DeadlineSet: deadline_set,
    DeadlineChanged: deadline_changed,
    DeadlineWithdrawn: deadline_withdrawn,
    DeadlineMet: deadline_met,
    PrisonerExchangeAgreed: prisoner_exchange_agreed,
    PrisonersExchanged: prisoners_exchanged,
    RemainsRepatriated: remains_repatriated,
    EventRetracted: event_retracted,
    EventCorrected: event_corrected,
    ReportDisputed: report_disputed,
}
"""The strategy of each event class; :mod:`negotiations.testing._register` registers them."""

# The keyword that passes an event's strategy the ids it defines (a strategy) or may refer to
# (a pool), by the kind of thing the id names.
_ID_KEYWORDS: Final[Mapping[KeyKind, str]] = {
    "deadline": "deadline_ids",
    "agreement": "agreement_ids",
    "proposal": "proposal_ids",
    "ceasefire": "ceasefire_ids",
}
_DEFINES: Final[Mapping[type[Event], KeyKind]] = {
    DeadlineSet: "deadline",
    PrisonerExchangeAgreed: "agreement",
    TalksProposed: "proposal",
    CeasefireAgreed: "ceasefire",
}
_MUST_REFER: Final[Mapping[type[Event], KeyKind]] = {
    DeadlineChanged: "deadline",
    DeadlineWithdrawn: "deadline",
    DeadlineMet: "deadline",
    CeasefireEnded: "ceasefire",
}
_MAY_REFER: Final[Mapping[type[Event], KeyKind]] = {
    PrisonersExchanged: "agreement",
    RemainsRepatriated: "agreement",
    TalksHeld: "proposal",
}
_DEFINER: Final[Mapping[KeyKind, type[Event]]] = {kind: cls for cls, kind in _DEFINES.items()}
_NAMES_NO_PARTIES: Final = frozenset({CeasefireEnded, DeadlineChanged, DeadlineWithdrawn, DeadlineMet})


@functools.cache
def _events() -> st.SearchStrategy[Event]:
    return st.one_of([strategy() for strategy in _STRATEGIES.values()])


def events() -> st.SearchStrategy[Event]:
    """Events of every kind, each on its own: ids they refer to need not exist. Use
    :func:`event_logs` for events that fit together in a log.
    """
    return _events()


def _echo(draw: st.DrawFn, event: Event, log: Sequence[Event]) -> dict[str, Any]:
    """Changes that, half the time, make ``event`` take up an earlier one: resume a pause, restate
    a position, return what an agreement owes.
    """
    earlier: list[Event] = []
    fields: tuple[str, ...] = ()
    if isinstance(event, AidResumed):
        earlier, fields = [e for e in log if isinstance(e, AidPaused)], ("donor", "recipient", "category")
    elif isinstance(event, PositionStated):
        earlier, fields = [e for e in log if isinstance(e, PositionStated)], ("party", "issue")
    elif isinstance(event, PrisonersExchanged) and event.agreement_id is not None:
        earlier = [
            e
            for e in log
            if isinstance(e, PrisonerExchangeAgreed) and e.agreement_id == event.agreement_id and e.owed()
        ]
    if not earlier or not draw(st.booleans()):
        return {}
    source = draw(st.sampled_from(earlier))
    if isinstance(source, PrisonerExchangeAgreed):
        return {"returned": source.owed()}
    changes = {name: getattr(source, name) for name in fields}
    if isinstance(event, PositionStated) and event.speaker is not None:
        changes["speaker"] = evolve(event.speaker, party=changes["party"])
    return changes


@functools.cache
def _focus() -> st.SearchStrategy[frozenset[type[Event]]]:
    return st.frozensets(st.sampled_from(FACT_TYPES), min_size=1, max_size=5)


_RECORD_KINDS: Final = (EventRetracted, EventCorrected, ReportDisputed)


def _amend(draw: st.DrawFn, log: Sequence[Event], amendments: Amendments) -> Event | None:
    """A retraction, correction or dispute that fits ``log``, or ``None`` when none can."""
    facts = [e for e in log if type(e) in FACT_TYPES and e.id not in amendments.retracted]
    if not facts:
        return None
    kind = draw(st.sampled_from(_RECORD_KINDS))
    if kind is EventRetracted:
        return draw(event_retracted(targets=[e.id for e in facts]))
    if kind is EventCorrected:
        target = draw(st.sampled_from(facts))
        fix = draw(event_corrected(target=amendments.current(target) or target))
        return evolve(fix, target=target.id)
    alike = [e for e in facts if sum(type(f) is type(e) for f in facts) > 1]
    if not alike:
        return None
    first = draw(st.sampled_from(alike))
    return draw(report_disputed(claims=[e.id for e in facts if type(e) is type(first)]))


def _fresh(value: str, taken: Collection[str]) -> str:
    """``value``, or the first of ``value-2``, ``value-3``, ... that is not ``taken``."""
    fresh, n = value, 1
    while fresh in taken:
        n += 1
        fresh = f"{value}-{n}"
    return fresh


@st.composite
def event_logs(draw: st.DrawFn, min_size: int = 0, max_size: int = 30) -> EventLog:
    """Valid :class:`~negotiations.log.EventLog` s of ``min_size`` to ``max_size`` events of every
    kind: event ids are unique, each deadline, agreement, proposal and ceasefire id is defined
    once, and every reference names one defined earlier in the log.

    So that events interact, each log has a small cast of two to four parties, often sticks to a
    few kinds of event, and often has an event take up an earlier one: a resumption of a paused
    aid, a restated position, a batch that returns what an agreement owes. Now and then an
    event retracts, corrects or disputes earlier ones, as the log's checks allow. Recorded
    times never go back along the log, as when events are logged as they are learnt.
    """
    size = draw(st.integers(min_size, max_size))
    # A small cast of parties per log, so that the same parties meet, pause and resume aid, and
    # restate positions.
    cast = st.sampled_from(draw(st.lists(_parties(), min_size=2, max_size=4, unique=True)))
    # Often a few kinds only, so that events of a kind meet: pauses are resumed, proposals taken
    # up, agreements completed. A kind that refers to ids brings the kind that defines them.
    focus = set(draw(st.one_of(st.just(frozenset(FACT_TYPES)), _focus())))
    focus |= {_DEFINER[kind] for cls in focus if (kind := _MUST_REFER.get(cls) or _MAY_REFER.get(cls))}
    used: set[str] = set()
    defined: dict[KeyKind, list[str]] = {kind: [] for kind in _ID_KEYWORDS}
    log: list[Event] = []
    amendments = Amendments()
    recorded = sorted(draw(st.lists(_recorded_datetimes(), min_size=size, max_size=size)))
    for n in range(size):
        if log and draw(st.integers(0, 9)) == 0:
            record = _amend(draw, log, amendments)
            if record is not None:
                record = evolve(record, id=_fresh(record.id, used), recorded=recorded[n])
                used.add(record.id)
                amendments.add(record)
                log.append(record)
                continue
        kinds = [
            cls
            for cls in FACT_TYPES
            if cls in focus and (cls not in _MUST_REFER or defined[_MUST_REFER[cls]])
        ]
        cls = draw(st.sampled_from(kinds))
        refers = _MUST_REFER.get(cls) or _MAY_REFER.get(cls)
        options: dict[str, Any] = {} if refers is None else {_ID_KEYWORDS[refers]: tuple(defined[refers])}
        if cls not in _NAMES_NO_PARTIES:
            options["parties"] = cast
        event: Event = draw(_STRATEGIES[cls](**options))
        # Ids are made unique after the draw rather than filtered during it, which would
        # build a new strategy for every event.
        changes: dict[str, Any] = {
            **_echo(draw, event, log),
            "id": _fresh(event.id, used),
            "recorded": recorded[n],
        }
        key = defined_key(event)
        if key is not None:
            (kind, value), name = key
            changes[name] = _fresh(value, defined[kind])
            defined[kind].append(changes[name])
        event = evolve(event, **changes)
        used.add(event.id)
        log.append(event)
    return EventLog(log)
