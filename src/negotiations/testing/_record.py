"""Strategies for the record itself: retractions, corrections and disputes."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from negotiations.domain.events import (
    EventRetracted,
    ReportDisputed,
)
from negotiations.domain.values import PartialDate
from negotiations.testing._values import _envelope, _ids, _optional_text, _reference, _text

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
