"""The sanctions view: sanctions and tariffs imposed, each in order of date, and the measures they
define, with how each moved since (see :mod:`negotiations.projections.measures` for the rules of
their standing as of a day, and for :meth:`Sanctions.tariff_rates`).

``sanctions`` and ``tariffs`` list every imposition, with or without a ``measure_id``, as they did
before measures could move: the events that move measures never change them. ``measures`` lists
every measure in order of the day it first took effect (of one day, in log order); an event that
moves a measure the view does not hold (imposed after the as-of day) is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from operator import attrgetter

from attrs import frozen

from negotiations.domain.events import (
    MeasureChanged,
    MeasureLifted,
    MeasureReinstated,
    MeasureSuspended,
    SanctionsImposed,
    TariffsImposed,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.projections._projection import Builder, Chrono, OneEvent, Projection
from negotiations.projections.measures import ACTIVE_STATUSES, Measure, imposed, moved

__all__ = ["SANCTIONS", "Sanctions", "SanctionsPackage", "Tariff"]


@frozen(kw_only=True)
class SanctionsPackage(OneEvent):
    """Sanctions imposed in one event."""

    event_id: str
    occurred: PartialDate
    imposer: Party
    target: Party
    measures: tuple[str, ...]
    sectors: tuple[str, ...]
    package: str | None


@frozen(kw_only=True)
class Tariff(OneEvent):
    """Tariffs imposed in one event."""

    event_id: str
    occurred: PartialDate
    imposer: Party
    target: Party
    rate_percent: float
    basis: str | None


@frozen(kw_only=True)
class Sanctions:
    """Every sanctions package and every tariff, each in order of date, and every measure, in
    order of the day it took effect.
    """

    sanctions: tuple[SanctionsPackage, ...] = ()
    tariffs: tuple[Tariff, ...] = ()
    measures: tuple[Measure, ...] = ()

    def measure(self, listed_id: str) -> Measure | None:
        """The measure listed under ``listed_id`` (see :attr:`Measure.listed_id`), or ``None``.
        A measure with that ``measure_id`` comes before one without, imposed by an event of
        that id.
        """
        found = [m for m in self.measures if m.listed_id == listed_id]
        found.sort(key=lambda m: not m.movable)
        return found[0] if found else None

    def tariff_rates(self, as_of: date) -> Mapping[Party, Mapping[Party, float]]:
        """Imposer to target to the total rate of the tariff measures in force or suspended on
        ``as_of``, each at the rate that applies that day. A pair with no such measure is absent;
        ``ALL`` is a target of its own.

        The total adds measures on different products: a headline figure, not the rate that any
        single good pays.
        """
        rates: dict[Party, dict[Party, float]] = {}
        for measure in self.measures:
            if measure.kind != "tariffs" or measure.status(as_of) not in ACTIVE_STATUSES:
                continue
            rate = measure.rate_percent(as_of) or 0.0
            by_target = rates.setdefault(measure.imposer, {})
            by_target[measure.target] = by_target.get(measure.target, 0.0) + rate
        return rates


_when: Callable[[SanctionsPackage | Tariff], int] = attrgetter("occurred.sort_rank")
_effective: Callable[[Measure], date] = attrgetter("effective")


class _Builder(Builder[Sanctions]):
    __slots__ = ("_frozen", "measures", "sanctions", "tariffs")

    def __init__(self, view: Sanctions) -> None:
        self.sanctions = Chrono(view.sanctions, _when)
        self.tariffs = Chrono(view.tariffs, _when)
        # Keyed apart: a measure without an id is listed under its event id, which may be
        # spelt as another measure's measure_id, yet never moves with it.
        self.measures = {(m.movable, m.listed_id): m for m in view.measures}
        # The measures in order, as last frozen, until one is imposed or moved: sorted again
        # only then, and the same tuple meanwhile, which the runner's saves see as unchanged.
        self._frozen: tuple[Measure, ...] | None = view.measures

    def freeze(self) -> Sanctions:
        if self._frozen is None:
            # A stable sort keeps the log order within a day.
            self._frozen = tuple(sorted(self.measures.values(), key=_effective))
        return Sanctions(
            sanctions=self.sanctions.freeze(), tariffs=self.tariffs.freeze(), measures=self._frozen
        )

    def _imposed(self, event: SanctionsImposed | TariffsImposed) -> None:
        measure = imposed(event)
        self.measures[measure.movable, measure.listed_id] = measure
        self._frozen = None

    def moved(self, event: MeasureChanged | MeasureSuspended | MeasureReinstated | MeasureLifted) -> None:
        measure = self.measures.get((True, event.measure_id))
        if measure is None:  # imposed after the as-of day
            return
        self.measures[True, event.measure_id] = moved(measure, event)
        self._frozen = None

    def sanctioned(self, event: SanctionsImposed) -> None:
        item = SanctionsPackage(
            event_id=event.id,
            occurred=event.occurred,
            imposer=event.imposer,
            target=event.target,
            measures=event.measures,
            sectors=event.sectors,
            package=event.package,
        )
        self.sanctions.add(item)
        self._imposed(event)

    def tariffed(self, event: TariffsImposed) -> None:
        item = Tariff(
            event_id=event.id,
            occurred=event.occurred,
            imposer=event.imposer,
            target=event.target,
            rate_percent=event.rate_percent,
            basis=event.basis,
        )
        self.tariffs.add(item)
        self._imposed(event)


SANCTIONS: Projection[Sanctions] = Projection(
    "sanctions",
    Sanctions(),
    _Builder,
    {
        SanctionsImposed: _Builder.sanctioned,
        TariffsImposed: _Builder.tariffed,
        MeasureChanged: _Builder.moved,
        MeasureSuspended: _Builder.moved,
        MeasureReinstated: _Builder.moved,
        MeasureLifted: _Builder.moved,
    },
    # 2: measures, and how each moved.
    version="2",
)
"""The sanctions and tariffs projection."""
