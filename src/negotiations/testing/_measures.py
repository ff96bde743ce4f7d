"""Strategies for measures: sanctions and tariffs imposed, then changed, suspended, reinstated
and lifted.

An imposition defines a ``measure_id`` only now and then, as a real log does. The strategies that
move a measure take a pool of the measures they may refer to: for a change or a suspension, a
mapping from each measure id to its kind, so that a rate goes only to tariffs and a list of
measures only to sanctions, as the log checks.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Final, Literal, TypeAlias

from hypothesis import strategies as st

from negotiations.domain.events import (
    ALL,
    MeasureChanged,
    MeasureLifted,
    MeasureReinstated,
    MeasureSuspended,
    SanctionsImposed,
    TariffsImposed,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.testing._values import (
    MAX_DAY,
    MIN_DAY,
    _envelope,
    _flip,
    _id,
    _index,
    _later,
    _optional_text,
    _parties,
    _pick,
    _reference,
    _text_tuple,
)

MeasureKind: TypeAlias = Literal["sanctions", "tariffs"]
"""The kind of a measure, as the pools of :func:`measure_changed` and :func:`measure_suspended`
name it: the kind of event that imposed it."""
MEASURE_KINDS: Final[tuple[MeasureKind, ...]] = ("sanctions", "tariffs")

# A measure moves within months of its imposition, so days drawn that near it make the views'
# "as of" days fall inside, before and after it; a week back allows a measure back-dated.
_BACK_DAYS: Final = 7
_AHEAD_DAYS: Final = 400
_ALL_TARGETS: Final = 3  # of four: the draw that aims a measure at every party


# -- days and references ------------------------------------------------------------------------


def _near(draw: st.DrawFn, base: date) -> date:
    """A day from a week before ``base`` to about a year after it, kept to the default range
    unless ``base`` itself is outside it.
    """
    day = base + timedelta(days=draw(_index(_BACK_DAYS + _AHEAD_DAYS + 1)) - _BACK_DAYS)
    return min(max(day, min(base, MIN_DAY)), max(base, MAX_DAY))


def _optional_near(draw: st.DrawFn, base: date) -> date | None:
    return _near(draw, base) if _flip(draw) else None


def _optional_from(draw: st.DrawFn, start: date) -> date | None:
    """Nothing, or a day not before ``start``, within about a year of it."""
    return _later(draw, start, _AHEAD_DAYS) if _flip(draw) else None


def _target(draw: st.DrawFn, pool: st.SearchStrategy[Party]) -> Party:
    """A party of ``pool`` mostly, :data:`~negotiations.domain.ALL` one time in four."""
    return ALL if draw(_index(4)) == _ALL_TARGETS else draw(pool)


def _in_force(
    draw: st.DrawFn, occurred: PartialDate, measure_ids: st.SearchStrategy[str] | None
) -> dict[str, Any]:
    """What both kinds of imposition share: maybe a ``measure_id`` of ``measure_ids``, a day it
    takes ``effective``, and a day it ``ends`` (never before it takes effect).
    """
    measure_id = (_id(draw) if measure_ids is None else draw(measure_ids)) if _flip(draw) else None
    effective = _optional_near(draw, occurred.earliest)
    ends = _optional_from(draw, occurred.earliest if effective is None else effective)
    return {"measure_id": measure_id, "effective": effective, "ends": ends}


def _measure(draw: st.DrawFn, measure_kinds: Mapping[str, MeasureKind] | None) -> tuple[str, MeasureKind]:
    """A measure id of ``measure_kinds`` (which must not be empty) and its kind; any id, of
    either kind, when it is ``None``.
    """
    if measure_kinds is None:
        return _id(draw), _pick(draw, MEASURE_KINDS)
    measure_id = _reference(draw, sorted(measure_kinds))
    kind = measure_kinds[measure_id]
    if kind not in MEASURE_KINDS:
        raise ValueError(
            f"the kind of measure '{measure_id}' is {kind!r}, not one of {', '.join(MEASURE_KINDS)}"
        )
    return measure_id, kind


@functools.cache
def _rate_kinds() -> tuple[st.SearchStrategy[int], st.SearchStrategy[float]]:
    return st.integers(0, 200), st.floats(min_value=0, allow_nan=False, allow_infinity=False)


def _rate(draw: st.DrawFn) -> float:
    whole, any_rate = _rate_kinds()
    return draw(any_rate) if _flip(draw) else float(draw(whole))


# -- impositions --------------------------------------------------------------------------------


@st.composite
def sanctions_imposed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    measure_ids: st.SearchStrategy[str] | None = None,
) -> SanctionsImposed:
    """:class:`~negotiations.domain.SanctionsImposed` events, with at least one measure, on a
    target that is now and then :data:`~negotiations.domain.ALL`. Half of them define a measure
    id drawn from ``measure_ids`` (default :func:`ids`); each may take effect on a day of its own
    and lapse after a day (``ends``) not before that.
    """
    pool = _parties() if parties is None else parties
    envelope = _envelope(draw, event_ids, occurred)
    return SanctionsImposed(
        **envelope,
        imposer=draw(pool),
        target=_target(draw, pool),
        measures=_text_tuple(draw, 1),
        sectors=_text_tuple(draw),
        package=_optional_text(draw),
        **_in_force(draw, envelope["occurred"], measure_ids),
    )


@st.composite
def tariffs_imposed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    parties: st.SearchStrategy[Party] | None = None,
    measure_ids: st.SearchStrategy[str] | None = None,
) -> TariffsImposed:
    """:class:`~negotiations.domain.TariffsImposed` events, at a finite rate of zero or more,
    maybe on some products only, on a target that is now and then
    :data:`~negotiations.domain.ALL`. Half of them define a measure id drawn from
    ``measure_ids`` (default :func:`ids`); each may take effect on a day of its own and lapse
    after a day (``ends``) not before that.
    """
    pool = _parties() if parties is None else parties
    envelope = _envelope(draw, event_ids, occurred)
    return TariffsImposed(
        **envelope,
        imposer=draw(pool),
        target=_target(draw, pool),
        rate_percent=_rate(draw),
        basis=_optional_text(draw),
        products=_text_tuple(draw),
        **_in_force(draw, envelope["occurred"], measure_ids),
    )


# -- how a measure moves ------------------------------------------------------------------------


@st.composite
def measure_changed(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    measure_kinds: Mapping[str, MeasureKind] | None = None,
) -> MeasureChanged:
    """:class:`~negotiations.domain.MeasureChanged` events, for one of ``measure_kinds`` (measure
    id to ``"tariffs"`` or ``"sanctions"``; it must not be empty): a new rate for tariffs only, a
    new list of measures for sanctions only, new sectors, a day it applies from; at least one of
    them. Without a pool, any id, changed as one kind or the other.
    """
    envelope = _envelope(draw, event_ids, occurred)
    measure_id, kind = _measure(draw, measure_kinds)
    rate = _rate(draw) if kind == "tariffs" and _flip(draw) else None
    measures = _text_tuple(draw, 1) if kind == "sanctions" and _flip(draw) else ()
    sectors = _text_tuple(draw)
    effective = _optional_near(draw, envelope["occurred"].earliest)
    if rate is None and not measures and not sectors and effective is None:
        # A change must change something: then what its kind is changed by most.
        rate, measures = (_rate(draw), ()) if kind == "tariffs" else (None, _text_tuple(draw, 1))
    return MeasureChanged(
        **envelope,
        measure_id=measure_id,
        rate_percent=rate,
        measures=measures,
        sectors=sectors,
        effective=effective,
        reason=_optional_text(draw),
    )


@st.composite
def measure_suspended(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    measure_kinds: Mapping[str, MeasureKind] | None = None,
) -> MeasureSuspended:
    """:class:`~negotiations.domain.MeasureSuspended` events, for one of ``measure_kinds``
    (measure id to ``"tariffs"`` or ``"sanctions"``; it must not be empty), maybe from a day of
    its own, maybe ``until`` a day not before that, and, for tariffs only, maybe at a rate
    meanwhile. Without a pool, any id, suspended as one kind or the other.
    """
    envelope = _envelope(draw, event_ids, occurred)
    measure_id, kind = _measure(draw, measure_kinds)
    effective = _optional_near(draw, envelope["occurred"].earliest)
    until = _optional_from(draw, envelope["occurred"].earliest if effective is None else effective)
    return MeasureSuspended(
        **envelope,
        measure_id=measure_id,
        effective=effective,
        until=until,
        rate_percent=_rate(draw) if kind == "tariffs" and _flip(draw) else None,
        reason=_optional_text(draw),
    )


@st.composite
def measure_reinstated(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    measure_ids: Sequence[str] | None = None,
) -> MeasureReinstated:
    """:class:`~negotiations.domain.MeasureReinstated` events, for one of ``measure_ids``
    (which must not be empty; any id when it is ``None``), maybe from a day of its own.
    """
    envelope = _envelope(draw, event_ids, occurred)
    return MeasureReinstated(
        **envelope,
        measure_id=_reference(draw, measure_ids),
        effective=_optional_near(draw, envelope["occurred"].earliest),
        reason=_optional_text(draw),
    )


@st.composite
def measure_lifted(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    measure_ids: Sequence[str] | None = None,
) -> MeasureLifted:
    """:class:`~negotiations.domain.MeasureLifted` events, for one of ``measure_ids`` (which
    must not be empty; any id when it is ``None``), maybe from a day of its own.
    """
    envelope = _envelope(draw, event_ids, occurred)
    return MeasureLifted(
        **envelope,
        measure_id=_reference(draw, measure_ids),
        effective=_optional_near(draw, envelope["occurred"].earliest),
        reason=_optional_text(draw),
    )
