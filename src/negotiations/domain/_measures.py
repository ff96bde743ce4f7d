"""The events of measures: sanctions and tariffs imposed, and how each then moves: changed,
suspended (for a while, or until reinstated), and lifted.

A measure that is to move has a ``measure_id``, in a namespace of its own; one without stays in
force as recorded, as before. Each change takes effect on its ``effective`` day, by default the
first day its ``occurred`` may be. The log checks that a change refers to a measure it holds, and
that only a tariff is given a rate and only sanctions a list of measures.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final

from attrs import frozen

from negotiations.domain import _fields as f
from negotiations.domain._envelope import EventBase
from negotiations.domain.values import Party
from negotiations.errors import InvalidValueError

ALL: Final = Party("ALL")
"""The reserved party code for every party: the target of a measure that reaches the whole world,
such as export controls. It stands for itself in the views (``tariff_rates`` keys it as its own
target), never for a sum of other parties."""


class _TakesEffect(EventBase):
    """What every event of a measure shares: the day it takes effect or applies from."""

    __slots__ = ()

    effective: date | None

    @property
    def effective_on(self) -> date:
        """The day it takes effect: ``effective``, or the first day it may have occurred."""
        return self.effective if self.effective is not None else self.occurred.earliest

    def _not_before_effect(self, field: str, day: date | None) -> None:
        """Refuse a ``day`` of ``field`` before the day it takes effect."""
        what = "effective" if self.effective is not None else "the earliest day it occurred,"
        f.not_before(field, day, self.effective_on, what)


@frozen(kw_only=True)
class SanctionsImposed(_TakesEffect):
    """Sanctions imposed by one party on another (or on :data:`ALL`). With a ``measure_id``, later
    events can change, suspend, reinstate or lift them.
    """

    wire_type: ClassVar[str] = "SanctionsImposed"
    cameo: ClassVar[str | None] = "163"
    plover: ClassVar[str | None] = "SANCTION"
    plover_mode: ClassVar[str | None] = "discontinue"
    plover_context: ClassVar[str | None] = "economic"
    codes_note: ClassVar[str | None] = (
        "the PLOVER manual puts 163 under SANCTION; its 2021 crosswalk puts it under COERCE, mode restrict"
    )
    imposer: Party = f.party()
    target: Party = f.party()
    measures: tuple[str, ...] = f.texts(min_items=1)
    sectors: tuple[str, ...] = f.texts()
    package: str | None = f.optional_text()
    measure_id: str | None = f.optional_text()
    effective: date | None = f.optional_of(date)
    ends: date | None = f.optional_of(date)

    def __attrs_post_init__(self) -> None:
        self._not_before_effect("ends", self.ends)


@frozen(kw_only=True)
class TariffsImposed(_TakesEffect):
    """Tariffs imposed by one party on another (or on :data:`ALL`), at a rate in percent,
    optionally on some ``products`` only. With a ``measure_id``, later events can change,
    suspend, reinstate or lift them.
    """

    wire_type: ClassVar[str] = "TariffsImposed"
    cameo: ClassVar[str | None] = "163"
    plover: ClassVar[str | None] = "SANCTION"
    plover_mode: ClassVar[str | None] = "discontinue"
    plover_context: ClassVar[str | None] = "economic"
    codes_note: ClassVar[str | None] = (
        "CAMEO has no tariff code: a punitive tariff is coded as a sanction, and its rate is lost"
    )
    imposer: Party = f.party()
    target: Party = f.party()
    rate_percent: float = f.number()
    basis: str | None = f.optional_text()
    measure_id: str | None = f.optional_text()
    effective: date | None = f.optional_of(date)
    ends: date | None = f.optional_of(date)
    products: tuple[str, ...] = f.texts(omit_empty=True)  # added later: tariffs write as before

    def __attrs_post_init__(self) -> None:
        self._not_before_effect("ends", self.ends)


@frozen(kw_only=True)
class MeasureChanged(_TakesEffect):
    """A measure raised, cut or reshaped from ``effective``: a tariff's new ``rate_percent``,
    sanctions' new list of ``measures``, new ``sectors``. At least one of them is given; a list
    given replaces the old one, and an empty one (the default) leaves it as it was.
    """

    wire_type: ClassVar[str] = "MeasureChanged"
    cameo: ClassVar[str | None] = "163"
    plover: ClassVar[str | None] = "SANCTION"
    plover_mode: ClassVar[str | None] = "discontinue"
    plover_context: ClassVar[str | None] = "economic"
    codes_note: ClassVar[str | None] = (
        "coded as tightening the measure; a cut rate is coded as easing it (085, RETREAT), and the "
        "size of the change is lost"
    )
    measure_id: str = f.text()
    rate_percent: float | None = f.optional_number()
    measures: tuple[str, ...] = f.texts(omit_empty=True)  # empty: unchanged, so left out
    sectors: tuple[str, ...] = f.texts(omit_empty=True)
    effective: date | None = f.optional_of(date)
    reason: str | None = f.optional_text()

    def __attrs_post_init__(self) -> None:
        if self.rate_percent is None and not self.measures and not self.sectors and self.effective is None:
            reason = "give at least one of 'rate_percent', 'measures', 'sectors' or 'effective'"
            raise InvalidValueError(reason, field="rate_percent")


@frozen(kw_only=True)
class MeasureSuspended(_TakesEffect):
    """A measure suspended from ``effective``, through ``until`` when given (it is back in force
    the day after), at ``rate_percent`` meanwhile (tariffs only; 0 when not given). A later
    suspension of the same measure replaces the earlier one: that is how a truce is extended.
    """

    wire_type: ClassVar[str] = "MeasureSuspended"
    cameo: ClassVar[str | None] = "085"
    plover: ClassVar[str | None] = "RETREAT"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "economic"
    codes_note: ClassVar[str | None] = "CAMEO does not tell a suspension for a while from a permanent easing"
    measure_id: str = f.text()
    effective: date | None = f.optional_of(date)
    until: date | None = f.optional_of(date)
    rate_percent: float | None = f.optional_number()
    reason: str | None = f.optional_text()

    def __attrs_post_init__(self) -> None:
        self._not_before_effect("until", self.until)


@frozen(kw_only=True)
class MeasureReinstated(_TakesEffect):
    """A suspension ended early: the measure is back in force from ``effective``."""

    wire_type: ClassVar[str] = "MeasureReinstated"
    cameo: ClassVar[str | None] = "163"
    plover: ClassVar[str | None] = "SANCTION"
    plover_mode: ClassVar[str | None] = "discontinue"
    plover_context: ClassVar[str | None] = "economic"
    codes_note: ClassVar[str | None] = (
        "CAMEO has no code for reinstating a measure: it is coded as imposing it again"
    )
    measure_id: str = f.text()
    effective: date | None = f.optional_of(date)
    reason: str | None = f.optional_text()


@frozen(kw_only=True)
class MeasureLifted(_TakesEffect):
    """A measure ended for good, from ``effective``."""

    wire_type: ClassVar[str] = "MeasureLifted"
    cameo: ClassVar[str | None] = "085"
    plover: ClassVar[str | None] = "RETREAT"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "economic"
    codes_note: ClassVar[str | None] = None
    measure_id: str = f.text()
    effective: date | None = f.optional_of(date)
    reason: str | None = f.optional_text()
