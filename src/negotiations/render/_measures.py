"""The measures of the sanctions view, and the tariff rates they add up to, as JSON and as text.

Each measure's standing (status, rate, suspension) is of the views' as-of day; without one (views
of no events) it is ``null`` in JSON and left blank in text. The tariff rates add up measures on
different products: a headline figure, not the rate that any single good pays, and the text
says so under its table.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from negotiations.codec import unstructure_view
from negotiations.domain.values import Party
from negotiations.projections.measures import Measure
from negotiations.projections.sanctions import Sanctions
from negotiations.render._tables import Cite, behind, table

__all__ = ["HEADLINE", "measures_json", "measures_text", "tariff_rates_json"]

HEADLINE: Final = (
    "Totals add up measures on different products: a headline figure, not the rate any one good pays."
)
"""The note printed under the table of tariff rates."""


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _standing(measure: Measure, as_of: date) -> dict[str, Any]:
    return {
        "status": measure.status(as_of),
        "rate_percent": measure.rate_percent(as_of),
        "until": _day(measure.until(as_of)),
        "days_left": measure.days_left(as_of),
        "measures": list(measure.measures(as_of)),
        "sectors": list(measure.sectors(as_of)),
        "products": list(measure.products(as_of)),
    }


_UNKNOWN: Final[dict[str, Any]] = dict.fromkeys(
    ("status", "rate_percent", "until", "days_left", "measures", "sectors", "products")
)


def measures_json(view: Sanctions, as_of: date | None) -> list[dict[str, Any]]:
    """Each measure as the issue's contract names its keys, in its order, then the extra keys:
    ``days_left`` on a suspension, the lists that apply that day, and whether it can move.
    """
    out = []
    for m in view.measures:
        standing = _UNKNOWN if as_of is None else _standing(m, as_of)
        out.append(
            {
                "measure_id": m.listed_id,
                "kind": m.kind,
                "imposer": m.imposer,
                "target": m.target,
                "status": standing["status"],
                "rate_percent": standing["rate_percent"],
                "effective": m.effective.isoformat(),
                "until": standing["until"],
                "ends": _day(m.ends),
                "history": unstructure_view(m.history),
                "days_left": standing["days_left"],
                "measures": standing["measures"],
                "sectors": standing["sectors"],
                "products": standing["products"],
                "event_id": m.event_id,
                "movable": m.movable,
            }
        )
    return out


def tariff_rates_json(view: Sanctions, as_of: date | None) -> dict[Party, dict[Party, float]]:
    """Imposer to target to total rate on ``as_of``; empty without an as-of day."""
    if as_of is None:
        return {}
    return {imposer: dict(targets) for imposer, targets in view.tariff_rates(as_of).items()}


def _rate(rate: float | None) -> str | None:
    return None if rate is None else f"{rate:g}%"


def _status(measure: Measure, as_of: date) -> str:
    """The status; a suspension with an end shows it and the days left on it."""
    status = measure.status(as_of)
    until = measure.until(as_of)
    if until is None:
        return status
    left = measure.days_left(as_of)
    return f"suspended until {until} ({left} day{'' if left == 1 else 's'} left)"


def _what(measure: Measure, as_of: date) -> str | None:
    if measure.kind == "tariffs":
        return ", ".join(measure.products(as_of)) or None
    return "; ".join(measure.measures(as_of)) or None


def measures_text(view: Sanctions, as_of: date | None, width: int, *, explain: bool, cite: Cite) -> str:
    """The measures as of ``as_of``, then the tariff rates they add up to, with the caveat."""
    rows = [
        [
            m.listed_id,
            m.kind,
            m.imposer,
            m.target,
            m.effective,
            m.ends,
            None if as_of is None else _rate(m.rate_percent(as_of)),
            None if as_of is None else _status(m, as_of),
            None if as_of is None else _what(m, as_of),
        ]
        for m in view.measures
    ]
    headers = [
        "MEASURE",
        "KIND",
        "IMPOSER",
        "TARGET",
        "FROM",
        "ENDS",
        "RATE",
        "STATUS",
        "PRODUCTS OR MEASURES",
    ]
    rates = tariff_rates_json(view, as_of)
    totals = [
        [imposer, target, _rate(total)]
        for imposer, targets in rates.items()
        for target, total in targets.items()
    ]
    return "\n\n".join(
        [
            table(headers, rows, width=width, notes=behind(view.measures, explain=explain, cite=cite)),
            table(["IMPOSER", "TARGET", "TARIFF RATE"], totals, width=width) + f"\n{HEADLINE}",
        ]
    )
