"""Values the event strategies are made of: parties, texts, ids, dates, people, sources,
and the envelope every event shares.
"""

from __future__ import annotations

import functools
import operator
import string
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, Final, Literal, TypeVar

from hypothesis import strategies as st

from negotiations.domain.values import PartialDate, Party, Person, Qualifier, Source

MIN_DAY: Final = date(2020, 1, 1)
"""The first day the strategies use by default."""
MAX_DAY: Final = date(2030, 12, 31)
"""The last day the strategies use by default."""

Precision = Literal["year", "month", "day"]
"""How much of a partial date is known, as :func:`partial_dates` takes it."""

# A few real codes make parties meet each other often (the same pair on the same issue, the same
# donor pausing and resuming aid); arbitrary codes keep the validators honest.
_COMMON_PARTIES: Final = ("UKR", "RUS", "USA", "EU", "TUR", "CHN", "UN", "GBR", "G7")
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
    first = st.sampled_from(string.ascii_uppercase)
    rest = st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=7)
    return st.builds(operator.add, first, rest)


def _party(draw: st.DrawFn) -> Party:
    return Party(draw(_codes()) if _flip(draw) else _pick(draw, _COMMON_PARTIES))


@functools.cache
def _parties() -> st.SearchStrategy[Party]:
    return st.composite(_party)()


def parties() -> st.SearchStrategy[Party]:
    """Party codes: mostly a few common ones (``UKR``, ``RUS``, ``EU``, ...), sometimes any code
    of two to eight uppercase letters and digits, a letter first (``G7``).
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


def _later(draw: st.DrawFn, start: date, within: int) -> date:
    """A day from ``start`` to ``within`` days after it, kept to the default range unless
    ``start`` itself is past it.
    """
    return min(start + timedelta(days=draw(_index(within + 1))), max(start, MAX_DAY))


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
