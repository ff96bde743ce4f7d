"""Measures in force: each sanctions or tariffs imposition and how it moved, and its standing as
of a day.

A measure is one :class:`~negotiations.domain.events.SanctionsImposed` or
:class:`~negotiations.domain.events.TariffsImposed`. One with a ``measure_id`` is listed under
it and moves with the :class:`MeasureChanged`, :class:`MeasureSuspended`,
:class:`MeasureReinstated` and :class:`MeasureLifted` events that name it; one without is listed
under its event's ``id`` and never moves. Each event of a measure applies from its ``effective``
day, by default the first day its ``occurred`` may be. The fold takes in only the events that may
have occurred by the as-of day (an event may still apply from a later day: announced ahead), so
the standing of a measure is a method of the as-of day, as for agreements. Of several events,
the *latest* is the one that applies from the latest day, and of one day the last in the log.

Its ``status`` as of a day D is the first of these that holds:

- ``announced``: D is before the day the measure takes effect (its imposition's);
- ``lifted``: a lift applies (from D or earlier), unless the measure expired first;
- ``expired``: it has ``ends`` and D is after it. When both a lift and the end have passed, the
  one that came first wins: the lift's day against the first day after ``ends``; on a tie, the
  measure is ``lifted``;
- ``suspended``: the latest suspension or reinstatement that applies is a suspension that runs
  through D (its ``until`` is not given, or D is not after it);
- ``in-force``: otherwise.

Its ``rate_percent`` (tariffs only; always ``None`` for sanctions) is the rate of the latest
change that gave one, or the rate imposed; while suspended, the suspension's rate (0 when not
given); ``None`` when ``announced``, ``lifted`` or ``expired``, for no rate applies that day. Its
``measures`` and ``sectors`` are those of the latest change that gave a list, or those imposed;
its ``products`` those imposed.

:meth:`~negotiations.projections.Sanctions.tariff_rates` adds up, by imposer and target, the rates
of the tariff measures in force or suspended. A target counts as written (``ALL`` is a target of
its own). The total adds measures on different products, so it is a headline figure, not a rate
that any single good pays.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Final, Literal, TypeAlias

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
from negotiations.projections._projection import Evidence, OneEvent, evolve

__all__ = [
    "ACTIVE_STATUSES",
    "Measure",
    "MeasureKind",
    "MeasureMove",
    "MeasureStatus",
    "MoveKind",
    "imposed",
    "moved",
]

MeasureKind: TypeAlias = Literal["sanctions", "tariffs"]
MeasureStatus: TypeAlias = Literal["announced", "in-force", "suspended", "lifted", "expired"]
MoveKind: TypeAlias = Literal["imposed", "changed", "suspended", "reinstated", "lifted"]

ACTIVE_STATUSES: Final[frozenset[MeasureStatus]] = frozenset(("in-force", "suspended"))
"""The statuses under which a measure's rate counts in ``tariff_rates``."""

_DAY: Final = timedelta(days=1)


@frozen(kw_only=True)
class MeasureMove(OneEvent):
    """One event of a measure's history: its imposition (``kind`` ``imposed``), or a change,
    suspension, reinstatement or lift of it, applying from ``effective``.

    ``rate_percent`` is the rate it imposes, changes to or suspends at, as the event gives it;
    ``until`` a suspension's last day; ``measures``, ``sectors`` and ``products`` the lists it
    gives (empty: left as they were).
    """

    event_id: str
    occurred: PartialDate
    kind: MoveKind
    effective: date
    rate_percent: float | None = None
    until: date | None = None
    reason: str | None = None
    measures: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    products: tuple[str, ...] = ()


def _latest(moves: Iterable[MeasureMove], as_of: date) -> MeasureMove | None:
    """The move among ``moves`` that applies from the latest day on or before ``as_of``; of one
    day, the last of them.
    """
    found: MeasureMove | None = None
    for move in moves:
        if move.effective <= as_of and (found is None or move.effective >= found.effective):
            found = move
    return found


@frozen(kw_only=True)
class Measure:
    """One measure: a sanctions or tariffs imposition and every event that moved it since, in log
    order (``history``, the imposition first). Its standing depends on the day: see the module.
    """

    measure_id: str | None
    """Its ``measure_id``; ``None`` when it has none, and so never moves."""
    event_id: str
    """The id of the event that imposed it."""
    kind: MeasureKind
    imposer: Party
    target: Party
    effective: date
    """The day it first took effect: its imposition's ``effective``, or the day it occurred."""
    ends: date | None
    history: tuple[MeasureMove, ...]

    @property
    def listed_id(self) -> str:
        """The id it is listed under: its ``measure_id``, or its imposition's event id."""
        return self.event_id if self.measure_id is None else self.measure_id

    @property
    def movable(self) -> bool:
        """Whether it has a ``measure_id``, so that later events can move it."""
        return self.measure_id is not None

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this measure: its imposition, then each event that moved it."""
        return tuple(e for move in self.history for e in move.provenance)

    def _lifted_on(self, as_of: date) -> date | None:
        """The first day a lift applies from, if one applies by ``as_of``."""
        return min(
            (m.effective for m in self.history if m.kind == "lifted" and m.effective <= as_of), default=None
        )

    def _suspension(self, as_of: date) -> MeasureMove | None:
        """The suspension that holds on ``as_of``, if any, whatever the measure's status."""
        latest = _latest((m for m in self.history if m.kind in {"suspended", "reinstated"}), as_of)
        if latest is None or latest.kind != "suspended":
            return None
        return latest if latest.until is None or as_of <= latest.until else None

    def status(self, as_of: date) -> MeasureStatus:
        """``announced``, ``lifted``, ``expired``, ``suspended`` or ``in-force`` on ``as_of``:
        the first that holds, in that order (see the module).
        """
        if as_of < self.effective:
            return "announced"
        lifted = self._lifted_on(as_of)
        if lifted is not None and (self.ends is None or lifted <= self.ends + _DAY):
            return "lifted"
        if self.ends is not None and as_of > self.ends:
            return "expired"
        return "suspended" if self._suspension(as_of) is not None else "in-force"

    def rate_percent(self, as_of: date) -> float | None:
        """The rate that applies on ``as_of``: the suspended rate while suspended; ``None`` for
        sanctions, and for a measure announced, lifted or expired.
        """
        if self.kind != "tariffs":
            return None
        status = self.status(as_of)
        if status not in ACTIVE_STATUSES:
            return None
        if status == "suspended":
            suspension = self._suspension(as_of)
            rate = None if suspension is None else suspension.rate_percent
            return 0.0 if rate is None else rate
        # A change replaces the rate imposed even when it applies from before the imposition.
        rated = _latest(
            (m for m in self.history if m.kind == "changed" and m.rate_percent is not None), as_of
        )
        return (self.history[0] if rated is None else rated).rate_percent

    def until(self, as_of: date) -> date | None:
        """The last day of the suspension that holds on ``as_of``; ``None`` unless suspended."""
        suspension = self._suspension(as_of) if self.status(as_of) == "suspended" else None
        return None if suspension is None else suspension.until

    def days_left(self, as_of: date) -> int | None:
        """The days from ``as_of`` to the end of its suspension (0 on its last day); ``None``
        unless suspended until a day.
        """
        until = self.until(as_of)
        return None if until is None else (until - as_of).days

    def _listed(self, as_of: date, name: Literal["measures", "sectors", "products"]) -> tuple[str, ...]:
        latest = _latest((m for m in self.history if m.kind == "changed" and getattr(m, name)), as_of)
        if latest is None:  # nothing given applies yet: the list imposed, empty or not
            latest = self.history[0]
        listed: tuple[str, ...] = getattr(latest, name)
        return listed

    def measures(self, as_of: date) -> tuple[str, ...]:
        """The sanctions' measures on ``as_of``: those of the latest change that gave a list, or
        those imposed. Empty for tariffs.
        """
        return self._listed(as_of, "measures")

    def sectors(self, as_of: date) -> tuple[str, ...]:
        """The sectors on ``as_of``: those of the latest change that gave a list, or those imposed."""
        return self._listed(as_of, "sectors")

    def products(self, as_of: date) -> tuple[str, ...]:
        """A tariff's products on ``as_of``: those imposed (no change gives products)."""
        return self._listed(as_of, "products")


def imposed(event: SanctionsImposed | TariffsImposed) -> Measure:
    """The measure ``event`` imposes, with its imposition as the first entry of its history."""
    move = MeasureMove(
        event_id=event.id,
        occurred=event.occurred,
        kind="imposed",
        effective=event.effective_on,
    )
    if isinstance(event, TariffsImposed):
        move = evolve(move, rate_percent=event.rate_percent, products=event.products)
    else:
        move = evolve(move, measures=event.measures, sectors=event.sectors)
    return Measure(
        measure_id=event.measure_id,
        event_id=event.id,
        kind="tariffs" if isinstance(event, TariffsImposed) else "sanctions",
        imposer=event.imposer,
        target=event.target,
        effective=event.effective_on,
        ends=event.ends,
        history=(move,),
    )


_KINDS: Final[dict[type, MoveKind]] = {
    MeasureChanged: "changed",
    MeasureSuspended: "suspended",
    MeasureReinstated: "reinstated",
    MeasureLifted: "lifted",
}


def moved(
    measure: Measure, event: MeasureChanged | MeasureSuspended | MeasureReinstated | MeasureLifted
) -> Measure:
    """``measure`` with ``event`` added to its history."""
    rate = event.rate_percent if isinstance(event, MeasureChanged | MeasureSuspended) else None
    changed = event if isinstance(event, MeasureChanged) else None
    move = MeasureMove(
        event_id=event.id,
        occurred=event.occurred,
        kind=_KINDS[type(event)],
        effective=event.effective_on,
        # Only a tariff has a rate, as the log checks; a view of any log must keep to that too.
        rate_percent=rate if measure.kind == "tariffs" else None,
        until=event.until if isinstance(event, MeasureSuspended) else None,
        reason=event.reason,
        measures=changed.measures if changed is not None and measure.kind == "sanctions" else (),
        sectors=() if changed is None else changed.sectors,
    )
    return evolve(measure, history=(*measure.history, move))
