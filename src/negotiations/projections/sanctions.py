"""The sanctions view: sanctions and tariffs imposed, each in order of date."""

from __future__ import annotations

from attrs import evolve, frozen

from negotiations.domain.events import SanctionsImposed, TariffsImposed
from negotiations.domain.values import PartialDate, Party, Source
from negotiations.projections._projection import Evidence, Projection, chrono_insert

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


def _sanctioned(view: Sanctions, event: SanctionsImposed) -> Sanctions:
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
    return evolve(view, sanctions=chrono_insert(view.sanctions, item, lambda s: s.occurred))


def _tariffed(view: Sanctions, event: TariffsImposed) -> Sanctions:
    item = Tariff(
        event_id=event.id,
        occurred=event.occurred,
        imposer=event.imposer,
        target=event.target,
        rate_percent=event.rate_percent,
        basis=event.basis,
        sources=event.sources,
    )
    return evolve(view, tariffs=chrono_insert(view.tariffs, item, lambda t: t.occurred))


SANCTIONS: Projection[Sanctions] = Projection(
    "sanctions", Sanctions(), {SanctionsImposed: _sanctioned, TariffsImposed: _tariffed}
)
"""The sanctions and tariffs projection."""
