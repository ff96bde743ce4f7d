"""The tariff rates between parties over time, as a small step chart in inline SVG."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from negotiations.projections.sanctions import Sanctions
from negotiations.render.report._html import esc

__all__ = ["tariff_chart"]

_PALETTE: Final = ("#1f5fa8", "#b3261e", "#2e7d32", "#b26a00", "#6a3d9a", "#00838f", "#5d4037", "#c2185b")
_WIDTH, _HEIGHT, _LEFT, _BOTTOM, _TOP = 640, 220, 44, 24, 8
_POINTS: Final = 320
"""The most days the chart reads the rates on: two a point of its width, which is all it can show."""


def _sampled(changes: list[date], start: date, end: date) -> list[date]:
    """The days to read the rates on: every day a rate may change, or, when there are more than
    :data:`_POINTS` of them, that many days evenly spread from ``start`` to ``end``.
    """
    if len(changes) <= _POINTS:
        return changes
    span = (end - start).days
    return sorted({start + timedelta(days=span * n // (_POINTS - 1)) for n in range(_POINTS)})


def tariff_chart(view: Sanctions, as_of: date | None) -> str:
    """The total rate each party puts on each other (``Sanctions.tariff_rates``), from the first
    tariff to ``as_of``, one line a pair; nothing when there is no tariff. A long history is read
    on evenly spread days (see :func:`_sampled`), so that the chart costs the same however long.
    """
    measures = [m for m in view.measures if m.kind == "tariffs"]
    if not measures:
        return ""
    days = {m.effective for m in measures}
    for m in measures:
        days.update(move.effective for move in m.history)
        days.update(move.until + timedelta(days=1) for move in m.history if move.until is not None)
        if m.ends is not None:
            days.add(m.ends + timedelta(days=1))
    start = min(days)
    end = max(as_of or max(days), start + timedelta(days=1))
    steps = _sampled(sorted(d for d in days if d <= end), start, end)
    pairs = sorted({(m.imposer, m.target) for m in measures})
    rates = [(d, view.tariff_rates(d)) for d in steps]
    series = {pair: [(d, on.get(pair[0], {}).get(pair[1], 0.0)) for d, on in rates] for pair in pairs}
    top = max([rate for points in series.values() for _, rate in points] + [1.0])
    span = max((end - start).days, 1)

    def x(when: date) -> float:
        return round(_LEFT + (_WIDTH - _LEFT - _TOP) * (when - start).days / span, 1)

    def y(rate: float) -> float:
        return round(_TOP + (_HEIGHT - _BOTTOM - _TOP) * (1 - rate / top), 1)

    lines, legend = [], []
    for n, (pair, points) in enumerate(series.items()):
        colour = _PALETTE[n % len(_PALETTE)]
        (first_day, first_rate), last_rate = points[0], points[-1][1]
        # The day the pair's rate last changed: the first of the points that end at its last rate.
        last_day = next(d for n, (d, r) in enumerate(points) if all(r2 == last_rate for _, r2 in points[n:]))
        path = " ".join(
            [f"M{x(first_day)} {y(first_rate)}", *(f"H{x(d)} V{y(r)}" for d, r in points[1:]), f"H{x(end)}"]
        )
        label = esc(f"{pair[0]} on {pair[1]}")
        lines.append(
            f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2" data-pair="{label}">'
            f"<title>{label}: {last_rate:g}% from {last_day}</title></path>"
        )
        legend.append(
            f'<span><span class="swatch" style="background:{colour}"></span>{label}: {last_rate:g}%</span>'
        )
    axes = (
        f'<line x1="{_LEFT}" y1="{y(0)}" x2="{_WIDTH - _TOP}" y2="{y(0)}" stroke="#888"/>'
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{y(0)}" stroke="#888"/>'
        f'<text x="{_LEFT - 4}" y="{y(top) + 4}" text-anchor="end">{top:g}%</text>'
        f'<text x="{_LEFT - 4}" y="{y(0) + 4}" text-anchor="end">0%</text>'
        f'<text x="{_LEFT}" y="{_HEIGHT - 6}">{start}</text>'
        f'<text x="{_WIDTH - _TOP}" y="{_HEIGHT - 6}" text-anchor="end">{end}</text>'
    )
    svg = (
        f'<svg viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" aria-label="Tariff rates over time">'
        f"{axes}{''.join(lines)}</svg>"
    )
    keys = "".join(legend)
    return f'<div class="chart"><h3>Tariff rates over time</h3>{svg}<div class="legend">{keys}</div></div>'
