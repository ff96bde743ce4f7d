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
import string
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, Final, Literal, TypeVar

from attrs import evolve
from hypothesis import strategies as st

from negotiations.codec import unstructure
from negotiations.domain import FIXED_FIELDS
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
from negotiations.log.amendments import Amendments, corrected

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
_SOURCED: Final = 3  # of four: the draw that gives an event sources (the rest shrink toward none)

_T = TypeVar("_T")

# The fields shared by every event, as keyword arguments for its constructor.
_Envelope = dict[str, Any]


# -- values -------------------------------------------------------------------------------------
#
# Each value is drawn by a private function of ``draw`` (``_text(draw)``, ``_id(draw)``, ...), which
# the event strategies call directly, and each public strategy is that function as a composite,
# built once and shared. Hypothesis pays for every nested ``draw``, and ``st.one_of`` and
# ``st.builds`` cost two or three of them each; drawing an index and choosing among a few
# alternatives in plain Python gives the same values, and shrinks the same way (toward the first
# alternative), for one draw. A log of thirty events makes a thousand such choices.


@functools.cache
def _index(n: int) -> st.SearchStrategy[int]:
    """Indexes into ``n`` items, shrinking toward the first."""
    return st.integers(0, n - 1)


def _pick(draw: st.DrawFn, items: Sequence[_T]) -> _T:
    """One of ``items`` (which must not be empty), as ``st.sampled_from(items)`` draws it."""
    return items[draw(_index(len(items)))]


def _flip(draw: st.DrawFn) -> bool:
    """A fair coin that shrinks toward ``False``: the first alternative of two."""
    return draw(_index(2)) == 1


@functools.cache
def _codes() -> st.SearchStrategy[str]:
    return st.text(string.ascii_uppercase, min_size=2, max_size=8)


def _party(draw: st.DrawFn) -> Party:
    return Party(draw(_codes()) if _flip(draw) else _pick(draw, _COMMON_PARTIES))


@functools.cache
def _parties() -> st.SearchStrategy[Party]:
    return st.composite(_party)()


def parties() -> st.SearchStrategy[Party]:
    """Party codes: mostly a few common ones (``UKR``, ``RUS``, ``EU``, ...), sometimes any code
    of two to eight uppercase letters.
    """
    return _parties()


@functools.cache
def _any_texts() -> st.SearchStrategy[str]:
    # Any Unicode text but NUL and lone surrogates, which the validators reject.
    return st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=40).filter(
        lambda s: s.strip() != ""
    )


def _text(draw: st.DrawFn) -> str:
    return draw(_any_texts()) if _flip(draw) else _pick(draw, _COMMON_TEXTS)


def _optional_text(draw: st.DrawFn) -> str | None:
    return _text(draw) if _flip(draw) else None


def _text_tuple(draw: st.DrawFn, min_size: int = 0) -> tuple[str, ...]:
    """Zero (or ``min_size``) to three texts."""
    return tuple(_text(draw) for _ in range(min_size + draw(_index(4 - min_size))))


@functools.cache
def _texts() -> st.SearchStrategy[str]:
    return st.composite(_text)()


def texts() -> st.SearchStrategy[str]:
    """Non-blank strings, as every required text field needs: short phrases and any Unicode."""
    return _texts()


@functools.cache
def _slug_numbers() -> st.SearchStrategy[int]:
    return st.integers(1, 999)


def _id(draw: st.DrawFn) -> str:
    if _flip(draw):
        return _text(draw)
    return f"{_pick(draw, _ID_WORDS)}-{draw(_slug_numbers())}"


@functools.cache
def _ids() -> st.SearchStrategy[str]:
    return st.composite(_id)()


def ids() -> st.SearchStrategy[str]:
    """Ids for events and for the deadlines, agreements, proposals and ceasefires they define:
    mostly slugs (``deadline-2``), sometimes any non-blank string.
    """
    return _ids()


@functools.cache
def _issue_tails() -> st.SearchStrategy[str]:
    return st.text(string.ascii_lowercase + string.digits + "-", max_size=31)


def _issue(draw: st.DrawFn) -> str:
    if _flip(draw):
        return _pick(draw, string.ascii_lowercase) + draw(_issue_tails())
    return _pick(draw, _COMMON_ISSUES)


@functools.cache
def _issues() -> st.SearchStrategy[str]:
    return st.composite(_issue)()


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


def _optional_day(draw: st.DrawFn) -> date | None:
    return draw(_days(MIN_DAY, MAX_DAY)) if _flip(draw) else None


_PRECISIONS: Final[tuple[Precision, ...]] = ("day", "month", "year")
_QUALIFIERS: Final[tuple[Qualifier, ...]] = ("", "?", "~")


def _partial_date(
    draw: st.DrawFn,
    min_value: date = MIN_DAY,
    max_value: date = MAX_DAY,
    precisions: tuple[Precision, ...] = _PRECISIONS,
    *,
    qualifiers: bool = True,
) -> PartialDate:
    """The year, the month or the day that a drawn day falls in."""
    day = draw(_days(min_value, max_value))
    precision = _pick(draw, precisions)
    return PartialDate(
        day.year,
        None if precision == "year" else day.month,
        day.day if precision == "day" else None,
        _pick(draw, _QUALIFIERS) if qualifiers else "",
    )


@functools.cache
def _partial_dates(
    min_value: date, max_value: date, precisions: tuple[Precision, ...], *, qualifiers: bool
) -> st.SearchStrategy[PartialDate]:
    return st.composite(_partial_date)(min_value, max_value, precisions, qualifiers=qualifiers)


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


_FIRST_INSTANT: Final = datetime(MIN_DAY.year, 1, 1, tzinfo=UTC)


@functools.cache
def _recorded_parts() -> tuple[st.SearchStrategy[int], st.SearchStrategy[int], st.SearchStrategy[int]]:
    """The seconds since 2020-01-01 UTC, whole-hour offsets, and offsets in minutes."""
    end = datetime(MAX_DAY.year + 1, 1, 1, tzinfo=UTC)
    return (
        st.integers(0, int((end - _FIRST_INSTANT).total_seconds()) - 1),
        st.integers(-12, 14),
        st.integers(-_MAX_OFFSET_MINUTES, _MAX_OFFSET_MINUTES),
    )


@functools.cache
def _microseconds() -> st.SearchStrategy[int]:
    return st.integers(0, 999_999)


def _recorded(draw: st.DrawFn) -> datetime:
    # Built from numbers rather than st.datetimes(timezones=...), which costs several times more
    # to draw; the instant shrinks toward 2020-01-01 UTC, the offset toward none.
    seconds, hours, minutes = _recorded_parts()
    second = draw(seconds)
    kind = draw(_index(3))  # no offset, whole hours, or any number of minutes
    offset = 0 if kind == 0 else draw(hours) * 60 if kind == 1 else draw(minutes)
    microsecond = draw(_microseconds()) if _flip(draw) else 0
    instant = _FIRST_INSTANT + timedelta(seconds=second, microseconds=microsecond)
    return instant.astimezone(timezone(timedelta(minutes=offset)))


@functools.cache
def _recorded_datetimes() -> st.SearchStrategy[datetime]:
    return st.composite(_recorded)()


def recorded_datetimes() -> st.SearchStrategy[datetime]:
    """Aware datetimes from 2020 to 2030, for ``recorded``: each carries a fixed UTC offset of
    whole minutes, so its ISO text reads back to an equal datetime with the same offset.
    """
    return _recorded_datetimes()


def _person(draw: st.DrawFn, party: st.SearchStrategy[Party] | None = None) -> Person:
    name = _text(draw)
    return Person(name=name, party=_party(draw) if party is None else draw(party), role=_optional_text(draw))


@functools.cache
def _persons() -> st.SearchStrategy[Person]:
    return st.composite(_person)()


def persons(*, party: st.SearchStrategy[Party] | None = None) -> st.SearchStrategy[Person]:
    """People who speak or act for a party (drawn from ``party``, :func:`parties` by default)."""
    if party is None:
        return _persons()
    return st.composite(_person)(party)


def _speaker(draw: st.DrawFn, party: Party) -> Person | None:
    """Nobody, or a person of ``party``."""
    if not _flip(draw):
        return None
    return Person(name=_text(draw), party=party, role=_optional_text(draw))


@functools.cache
def _url_numbers() -> st.SearchStrategy[int]:
    return st.integers(1, 10**6)


def _url(draw: st.DrawFn) -> str | None:
    if not _flip(draw):
        return None
    if _flip(draw):
        return _text(draw)
    return f"https://{_pick(draw, _ID_WORDS)}.example/{draw(_url_numbers())}"


def _source(draw: st.DrawFn) -> Source:
    outlet = _text(draw)
    url = _url(draw)
    quote = _optional_text(draw)
    return Source(outlet=outlet, url=url, quote=quote, published=_optional_day(draw))


@functools.cache
def _sources() -> st.SearchStrategy[Source]:
    return st.composite(_source)()


def sources() -> st.SearchStrategy[Source]:
    """Sources: an outlet, and maybe a url, a quote and the day it was published."""
    return _sources()


@functools.cache
def _distinct(
    pool: st.SearchStrategy[Party], min_size: int = 2, max_size: int = 4
) -> st.SearchStrategy[tuple[Party, ...]]:
    return st.lists(pool, min_size=min_size, max_size=max_size, unique=True).map(tuple)


@functools.cache
def _number_ranges() -> tuple[st.SearchStrategy[int], st.SearchStrategy[int]]:
    return st.integers(0, 5), st.integers(0, _MAX_COUNT)


def _number(draw: st.DrawFn) -> int:
    # Small numbers often, so that batches add up to what an agreement owes.
    small, large = _number_ranges()
    return draw(large if _flip(draw) else small)


@functools.cache
def _numbers() -> st.SearchStrategy[int]:
    return st.composite(_number)()


@functools.cache
def _counts(pool: st.SearchStrategy[Party]) -> st.SearchStrategy[dict[Party, int]]:
    return st.dictionaries(pool, _numbers(), min_size=1, max_size=3)


def _source_tuple(draw: st.DrawFn) -> tuple[Source, ...]:
    # Mostly none (three times in four): a source costs a dozen draws, and most properties do
    # not look at them.
    if draw(_index(4)) != _SOURCED:
        return ()
    return tuple(_source(draw) for _ in range(1 + draw(_index(2))))


def _envelope(
    draw: st.DrawFn,
    event_ids: st.SearchStrategy[str] | None,
    occurred: st.SearchStrategy[PartialDate] | None,
) -> _Envelope:
    return {
        "id": _id(draw) if event_ids is None else draw(event_ids),
        "occurred": _partial_date(draw) if occurred is None else draw(occurred),
        "recorded": _recorded(draw),
        "sources": _source_tuple(draw),
    }


def _reference(draw: st.DrawFn, pool: Sequence[str] | None) -> str:
    """One id of ``pool``, or any id when there is no pool."""
    if pool is None:
        return _id(draw)
    if not pool:
        raise ValueError("an event that must refer to an id needs a non-empty pool of ids")
    return _pick(draw, pool)


def _optional_reference(draw: st.DrawFn, pool: Sequence[str] | None) -> str | None:
    """Nothing, or one id of ``pool`` (any id when there is no pool)."""
    if pool is None:
        return _id(draw) if _flip(draw) else None
    if not pool or _flip(draw):
        return None
    return _pick(draw, pool)


@functools.cache
def _within_days() -> st.SearchStrategy[int]:
    return st.integers(0, _MAX_WITHIN_DAYS)


def _due(draw: st.DrawFn, occurred: PartialDate) -> dict[str, Any]:
    """Exactly one of ``due`` or ``within_days``; the latter only from a whole day."""
    if occurred.is_day and _flip(draw):
        return {"within_days": draw(_within_days())}
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
    """:class:`~negotiations.domain.TalksHeld` events. The ``proposal_id`` is absent or one of
    ``proposal_ids`` (absent when that is empty; any id when it is ``None``).
    """
    pool = _parties() if parties is None else parties
    return TalksHeld(
        **_envelope(draw, event_ids, occurred),
        parties=draw(_distinct(pool)),
        venue=_text(draw),
        round=draw(_rounds()) if _flip(draw) else None,
        summary=_optional_text(draw),
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
        measures=_text_tuple(draw, 1),
        sectors=_text_tuple(draw),
        package=_optional_text(draw),
    )


@functools.cache
def _rate_kinds() -> tuple[st.SearchStrategy[int], st.SearchStrategy[float]]:
    return st.integers(0, 200), st.floats(min_value=0, allow_nan=False, allow_infinity=False)


def _rate(draw: st.DrawFn) -> float:
    whole, any_rate = _rate_kinds()
    return draw(any_rate) if _flip(draw) else float(draw(whole))


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
        rate_percent=_rate(draw),
        basis=_optional_text(draw),
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
        deadline_id=_id(draw) if deadline_ids is None else draw(deadline_ids),
        issuer=issuer,
        target=target,
        demand=_text(draw),
        consequence=_optional_text(draw),
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
        reason=_optional_text(draw),
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
        reason=_optional_text(draw),
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
        reason=_optional_text(draw),
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
    numbers = _pick(draw, ("per_side", "terms", "none"))
    per_side = draw(_numbers()) if numbers == "per_side" else None
    terms = {p: draw(_numbers()) for p in pair} if numbers == "terms" else None
    return PrisonerExchangeAgreed(
        **_envelope(draw, event_ids, occurred),
        agreement_id=_id(draw) if agreement_ids is None else draw(agreement_ids),
        parties=pair,
        categories=_text_tuple(draw),
        venue=_optional_text(draw),
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
        **_envelope(draw, event_ids, occurred), target=_reference(draw, targets), reason=_text(draw)
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
        return EventCorrected(**envelope, target=_id(draw), changes={"summary": _text(draw)})
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
    reason = _optional_text(draw)
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
        **_envelope(draw, event_ids, occurred), claims=tuple(chosen), subject=_optional_text(draw)
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
    if not earlier or not _flip(draw):
        return {}
    source = _pick(draw, earlier)
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
    kind = _pick(draw, _RECORD_KINDS)
    if kind is EventRetracted:
        return draw(event_retracted(targets=[e.id for e in facts]))
    if kind is EventCorrected:
        target = _pick(draw, facts)
        fix = draw(event_corrected(target=amendments.current(target) or target))
        return evolve(fix, target=target.id)
    alike = [e for e in facts if sum(type(f) is type(e) for f in facts) > 1]
    if not alike:
        return None
    first = _pick(draw, alike)
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
    for _ in range(size):
        if log and draw(_index(10)) == 0:
            record = _amend(draw, log, amendments)
            if record is not None:
                record = evolve(record, id=_fresh(record.id, used))
                used.add(record.id)
                amendments.add(record)
                log.append(record)
                continue
        kinds = [
            cls
            for cls in FACT_TYPES
            if cls in focus and (cls not in _MUST_REFER or defined[_MUST_REFER[cls]])
        ]
        cls = _pick(draw, kinds)
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
        }
        key = defined_key(event)
        if key is not None:
            (kind, value), name = key
            changes[name] = _fresh(value, defined[kind])
            defined[kind].append(changes[name])
        event = evolve(event, **changes)
        used.add(event.id)
        log.append(event)
    # Each event keeps a recorded time of its own drawing, handed out again in order: sorting the
    # times the events drew costs nothing, where drawing a second list of them costs a draw each.
    recorded = sorted(event.recorded for event in log)
    return EventLog(evolve(event, recorded=moment) for event, moment in zip(log, recorded, strict=True))
