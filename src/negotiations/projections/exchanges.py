"""The prisoner exchanges view: agreements and their progress, every batch, and the totals.

An agreement is ``pending`` while nothing has been returned under it, ``complete`` once every
party has had its agreed number returned, and ``in-progress`` in between; one that gives no
numbers is never complete. Only prisoners count toward an agreement; remains are tallied apart.

When sources dispute a batch (:class:`~negotiations.domain.events.ReportDisputed` over two or
more exchanges, or two or more repatriations), the view keeps it as one batch with every
:class:`Claim` and its sources, and counts, for each party, the **lowest** number claimed: the
number every source agrees was returned at least. Totals and an agreement's progress follow that
rule, so they never count one batch twice and never pick one source's figure over another's;
:attr:`Batch.high` gives the highest claims, for the top of the range.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, TypeAlias

from attrs import evolve, frozen

from negotiations.domain.events import (
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    RemainsRepatriated,
    ReportDisputed,
)
from negotiations.domain.values import PartialDate, Party, Source
from negotiations.projections._projection import (
    EMPTY,
    Evidence,
    Projection,
    added,
    chrono_insert,
    with_item,
)

__all__ = ["EXCHANGES", "Agreement", "AgreementStatus", "Batch", "Claim", "Exchanges"]

AgreementStatus: TypeAlias = Literal["pending", "in-progress", "complete"]


@frozen(kw_only=True)
class Claim:
    """One source's account of a disputed batch."""

    event_id: str
    returned: Mapping[Party, int]
    sources: tuple[Source, ...]


@frozen(kw_only=True)
class Batch:
    """People (or remains) returned home in one event: party code to how many.

    A disputed batch stands for every claim about it: ``returned`` is then each party's lowest
    claim, and ``event_id`` and ``occurred`` are those of the first claim.
    """

    event_id: str
    occurred: PartialDate
    returned: Mapping[Party, int]
    agreement_id: str | None
    sources: tuple[Source, ...] = ()
    claims: tuple[Claim, ...] = ()
    """The competing claims, when sources dispute this batch; otherwise empty."""
    disputed_by: Evidence | None = None
    """The dispute that joined the claims."""

    @property
    def disputed(self) -> bool:
        """Whether sources dispute this batch."""
        return bool(self.claims)

    @property
    def high(self) -> Mapping[Party, int]:
        """Each party's highest claim: ``returned`` itself when the batch is not disputed."""
        if not self.claims:
            return self.returned
        return {p: max(c.returned.get(p, 0) for c in self.claims) for p in self.returned}

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this batch: its claims and the dispute, or its one event."""
        if not self.claims:
            return (Evidence(self.event_id, self.sources),)
        dispute = () if self.disputed_by is None else (self.disputed_by,)
        return (*(Evidence(c.event_id, c.sources) for c in self.claims), *dispute)


@frozen(kw_only=True)
class Agreement:
    """A prisoner exchange agreement and what has been returned under it."""

    agreement_id: str
    event_id: str
    sources: tuple[Source, ...] = ()
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
    remains: tuple[Batch, ...] = ()

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this agreement: the agreement, then every batch under it."""
        batches = sorted((*self.batches, *self.remains), key=lambda b: b.occurred.sort_key())
        return (Evidence(self.event_id, self.sources), *(e for b in batches for e in b.provenance))

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
        event_id=event.id,
        sources=event.sources,
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
        event_id=event.id,
        occurred=event.occurred,
        returned=event.returned,
        agreement_id=event.agreement_id,
        sources=event.sources,
    )


def _by_date(batches: tuple[Batch, ...], batch: Batch) -> tuple[Batch, ...]:
    return chrono_insert(batches, batch, lambda b: b.occurred)


def _exchanged(view: Exchanges, event: PrisonersExchanged) -> Exchanges:
    batch = _batch(event)
    agreements = view.agreements
    agreement = agreements.get(event.agreement_id) if event.agreement_id else None
    if agreement is not None:
        progressed = evolve(
            agreement,
            returned=added(agreement.returned, event.returned),
            batches=_by_date(agreement.batches, batch),
        )
        agreements = with_item(agreements, agreement.agreement_id, progressed)
    return evolve(
        view,
        agreements=agreements,
        batches=_by_date(view.batches, batch),
        returned=added(view.returned, event.returned),
    )


def _repatriated(view: Exchanges, event: RemainsRepatriated) -> Exchanges:
    batch = _batch(event)
    agreements = view.agreements
    agreement = agreements.get(event.agreement_id) if event.agreement_id else None
    if agreement is not None:
        progressed = evolve(
            agreement,
            remains_returned=added(agreement.remains_returned, event.returned),
            remains=_by_date(agreement.remains, batch),
        )
        agreements = with_item(agreements, agreement.agreement_id, progressed)
    return evolve(
        view,
        agreements=agreements,
        remains=_by_date(view.remains, batch),
        remains_returned=added(view.remains_returned, event.returned),
    )


def _lowest(claims: tuple[Claim, ...]) -> Mapping[Party, int]:
    parties = dict.fromkeys(p for c in claims for p in c.returned)
    return MappingProxyType({p: min(c.returned.get(p, 0) for c in claims) for p in parties})


def _claims(batches: tuple[Batch, ...]) -> tuple[Claim, ...]:
    return tuple(
        claim
        for b in batches
        for claim in (b.claims or (Claim(event_id=b.event_id, returned=b.returned, sources=b.sources),))
    )


def _joined(batches: tuple[Batch, ...], claims: frozenset[str], dispute: ReportDisputed) -> tuple[Batch, ...]:
    """``batches`` with those among ``claims`` joined into one disputed batch (when two or more
    of them are there), in the place of the first.
    """
    chosen = tuple(b for b in batches if not {c.event_id for c in b.provenance}.isdisjoint(claims))
    if len(chosen) < 2:  # noqa: PLR2004 - a dispute needs two accounts
        return batches
    every = _claims(chosen)
    first = chosen[0]
    joined = evolve(
        first,
        returned=_lowest(every),
        claims=every,
        disputed_by=Evidence(dispute.id, dispute.sources),
    )
    kept = tuple(b for b in batches if b not in chosen)
    return _by_date(kept, joined)


def _totals(batches: tuple[Batch, ...]) -> Mapping[Party, int]:
    totals: dict[Party, int] = {}
    for b in batches:
        for party, n in b.returned.items():
            totals[party] = totals.get(party, 0) + n
    return MappingProxyType(totals)


def _disputed(view: Exchanges, event: ReportDisputed) -> Exchanges:
    claims = frozenset(event.claims)
    batches = _joined(view.batches, claims, event)
    remains = _joined(view.remains, claims, event)
    if batches is view.batches and remains is view.remains:
        return view
    agreements = {
        key: evolve(
            a,
            batches=(bs := _joined(a.batches, claims, event)),
            returned=_totals(bs),
            remains=(rs := _joined(a.remains, claims, event)),
            remains_returned=_totals(rs),
        )
        for key, a in view.agreements.items()
    }
    return evolve(
        view,
        agreements=MappingProxyType(agreements),
        batches=batches,
        returned=_totals(batches),
        remains=remains,
        remains_returned=_totals(remains),
    )


EXCHANGES: Projection[Exchanges] = Projection(
    "exchanges",
    Exchanges(),
    {
        PrisonerExchangeAgreed: _agreed,
        PrisonersExchanged: _exchanged,
        RemainsRepatriated: _repatriated,
        ReportDisputed: _disputed,
    },
)
"""The prisoner exchanges projection."""
