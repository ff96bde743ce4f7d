"""Strategies for what was promised and delivered: deadlines, prisoner exchange agreements,
exchanges and repatriated remains.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from negotiations.domain.events import (
    DeadlineChanged,
    DeadlineMet,
    DeadlineSet,
    DeadlineWithdrawn,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    RemainsRepatriated,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.testing._values import (
    _counts,
    _distinct,
    _due,
    _envelope,
    _id,
    _numbers,
    _optional_reference,
    _optional_text,
    _parties,
    _pick,
    _reference,
    _text,
    _text_tuple,
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
