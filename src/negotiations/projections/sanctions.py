"""The sanctions view: sanctions and tariffs imposed, each in order of date."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from attrs import frozen

from negotiations.domain.events import SanctionsImposed, TariffsImposed
from negotiations.domain.values import PartialDate, Party, Source
from negotiations.projections._projection import Builder, Chrono, Evidence, Projection

__all__ = ["SANCTIONS", "Sanctions", "SanctionsPackage", "Tariff"]


@frozen(kw_only=True)
class SanctionsPackage:
    """Sanctions imposed in one event."""

    event_id: str
    occurred: PartialDate
    imposer: Party
    target: Party
    measures: tuple[str, ...]
    sectors: tuple[str, ...]
    package: str | None
    sources: tuple[Source, ...] = ()

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The event behind this package: the SanctionsImposed event."""
        return (Evidence(self.event_id, self.sources),)


@frozen(kw_only=True)
class Tariff:
    """Tariffs imposed in one event."""

    event_id: str
    occurred: PartialDate
    imposer: Party
    target: Party
    rate_percent: float
    basis: str | None
    sources: tuple[Source, ...] = ()

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The event behind this tariff: the TariffsImposed event."""
        return (Evidence(self.event_id, self.sources),)


@frozen(kw_only=True)
class Sanctions:
    """Every sanctions package and every tariff."""

    sanctions: tuple[SanctionsPackage, ...] = ()
    tariffs: tuple[Tariff, ...] = ()


_when: Callable[[SanctionsPackage | Tariff], int] = attrgetter("occurred.sort_rank")


class _Builder(Builder[Sanctions]):
    __slots__ = ("sanctions", "tariffs")

    def __init__(self, view: Sanctions) -> None:
        self.sanctions = Chrono(view.sanctions, _when)
        self.tariffs = Chrono(view.tariffs, _when)

    def freeze(self) -> Sanctions:
        return Sanctions(sanctions=self.sanctions.freeze(), tariffs=self.tariffs.freeze())

    def sanctioned(self, event: SanctionsImposed) -> None:
        item = SanctionsPackage(
            event_id=event.id,
            occurred=event.occurred,
            imposer=event.imposer,
            target=event.target,
            measures=event.measures,
            sectors=event.sectors,
            package=event.package,
            sources=event.sources,
        )
        self.sanctions.add(item)

    def tariffed(self, event: TariffsImposed) -> None:
        item = Tariff(
            event_id=event.id,
            occurred=event.occurred,
            imposer=event.imposer,
            target=event.target,
            rate_percent=event.rate_percent,
            basis=event.basis,
            sources=event.sources,
        )
        self.tariffs.add(item)


SANCTIONS: Projection[Sanctions] = Projection(
    "sanctions",
    Sanctions(),
    _Builder,
    {SanctionsImposed: _Builder.sanctioned, TariffsImposed: _Builder.tariffed},
)
"""The sanctions and tariffs projection."""
