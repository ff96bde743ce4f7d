"""The prisoner exchanges view: agreements and their progress, every batch, and the totals.

An agreement is ``pending`` while nothing has been returned under it, ``complete`` once every
party has had its agreed number returned, and ``in-progress`` in between; one that gives no
numbers is never complete. Only prisoners count toward an agreement; remains are tallied apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeAlias

from attrs import evolve, frozen

from negotiations.domain.events import PrisonerExchangeAgreed, PrisonersExchanged, RemainsRepatriated
from negotiations.domain.values import PartialDate, Party
from negotiations.projections._projection import EMPTY, Projection, added, chrono_insert, with_item

__all__ = ["EXCHANGES", "Agreement", "AgreementStatus", "Batch", "Exchanges"]

AgreementStatus: TypeAlias = Literal["pending", "in-progress", "complete"]


@frozen(kw_only=True)
class Batch:
    """People (or remains) returned home in one event: party code to how many."""

    event_id: str
    occurred: PartialDate
    returned: Mapping[Party, int]
    agreement_id: str | None


@frozen(kw_only=True)
class Agreement:
    """A prisoner exchange agreement and what has been returned under it."""

    agreement_id: str
    parties: tuple[Party, ...]
    categories: tuple[str, ...]
    venue: str | None
    agreed_on: PartialDate
    owed: Mapping[Party, int] | None
    """The number to be returned to each party, or ``None`` when the agreement gives none."""
    per_side: int | None
    returned: Mapping[Party, int] = EMPTY
    """Prisoners returned to each party under this agreement so far."""
    remains_returned: Mapping[Party, int] = EMPTY
    batches: tuple[Batch, ...] = ()

    @property
    def status(self) -> AgreementStatus:
        """``pending``, ``in-progress`` or ``complete``."""
        owed = self.owed
        if owed is not None and all(self.returned.get(p, 0) >= n for p, n in owed.items()):
            return "complete"
        return "in-progress" if any(self.returned.values()) else "pending"


@frozen(kw_only=True)
class Exchanges:
    """Every agreement, every batch of prisoners and of remains, and the totals per party."""

    agreements: Mapping[str, Agreement] = EMPTY
    batches: tuple[Batch, ...] = ()
    remains: tuple[Batch, ...] = ()
    returned: Mapping[Party, int] = EMPTY
    """Prisoners returned to each party, over every batch."""
    remains_returned: Mapping[Party, int] = EMPTY
    """Remains returned to each party, over every repatriation."""


def _agreed(view: Exchanges, event: PrisonerExchangeAgreed) -> Exchanges:
    agreement = Agreement(
        agreement_id=event.agreement_id,
        parties=event.parties,
        categories=event.categories,
        venue=event.venue,
        agreed_on=event.occurred,
        owed=event.owed(),
        per_side=event.per_side,
    )
    return evolve(view, agreements=with_item(view.agreements, event.agreement_id, agreement))


def _batch(event: PrisonersExchanged | RemainsRepatriated) -> Batch:
    return Batch(
        event_id=event.id, occurred=event.occurred, returned=event.returned, agreement_id=event.agreement_id
    )


def _exchanged(view: Exchanges, event: PrisonersExchanged) -> Exchanges:
    batch = _batch(event)
    agreements = view.agreements
    agreement = agreements.get(event.agreement_id) if event.agreement_id else None
    if agreement is not None:
        progressed = evolve(
            agreement,
            returned=added(agreement.returned, event.returned),
            batches=chrono_insert(agreement.batches, batch, lambda b: b.occurred),
        )
        agreements = with_item(agreements, agreement.agreement_id, progressed)
    return evolve(
        view,
        agreements=agreements,
        batches=chrono_insert(view.batches, batch, lambda b: b.occurred),
        returned=added(view.returned, event.returned),
    )


def _repatriated(view: Exchanges, event: RemainsRepatriated) -> Exchanges:
    batch = _batch(event)
    agreements = view.agreements
    agreement = agreements.get(event.agreement_id) if event.agreement_id else None
    if agreement is not None:
        progressed = evolve(agreement, remains_returned=added(agreement.remains_returned, event.returned))
        agreements = with_item(agreements, agreement.agreement_id, progressed)
    return evolve(
        view,
        agreements=agreements,
        remains=chrono_insert(view.remains, batch, lambda b: b.occurred),
        remains_returned=added(view.remains_returned, event.returned),
    )


EXCHANGES: Projection[Exchanges] = Projection(
    "exchanges",
    Exchanges(),
    {PrisonerExchangeAgreed: _agreed, PrisonersExchanged: _exchanged, RemainsRepatriated: _repatriated},
)
"""The prisoner exchanges projection."""
