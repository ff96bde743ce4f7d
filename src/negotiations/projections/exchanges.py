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

from collections.abc import Callable, Mapping
from operator import attrgetter
from types import MappingProxyType
from typing import Literal, TypeAlias

from attrs import frozen

from negotiations.domain.events import (
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    RemainsRepatriated,
    ReportDisputed,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.projections._projection import (
    EMPTY,
    Builder,
    Chrono,
    Evidence,
    Projection,
    evolve,
    frozen_map,
)

__all__ = ["EXCHANGES", "Agreement", "AgreementStatus", "Batch", "Claim", "Exchanges"]

AgreementStatus: TypeAlias = Literal["pending", "in-progress", "complete"]


@frozen(kw_only=True)
class Claim:
    """One source's account of a disputed batch."""

    event_id: str
    returned: Mapping[Party, int]


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
    claims: tuple[Claim, ...] = ()
    """The competing claims, when sources dispute this batch; otherwise empty."""
    disputed_by: Evidence | None = None
    """The dispute that joined the claims (the last, when more than one did)."""
    earlier_disputes: tuple[Evidence, ...] = ()
    """Disputes that had joined some of the claims before ``disputed_by`` joined them all, oldest
    first: a batch that two disputes built owes its shape to both."""

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
        """The events behind this batch: its claims and the disputes, or its one event."""
        if not self.claims:
            return (Evidence(self.event_id),)
        dispute = () if self.disputed_by is None else (self.disputed_by,)
        return (*(Evidence(c.event_id) for c in self.claims), *self.earlier_disputes, *dispute)


@frozen(kw_only=True)
class Agreement:
    """A prisoner exchange agreement and what has been returned under it."""

    agreement_id: str
    event_id: str
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
        return (Evidence(self.event_id), *(e for b in batches for e in b.provenance))

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


def _batch(event: PrisonersExchanged | RemainsRepatriated) -> Batch:
    return Batch(
        event_id=event.id,
        occurred=event.occurred,
        returned=event.returned,
        agreement_id=event.agreement_id,
    )


_when: Callable[[Batch], int] = attrgetter("occurred.sort_rank")


def _add(totals: dict[Party, int], extra: Mapping[Party, int]) -> None:
    for party, n in extra.items():
        totals[party] = totals.get(party, 0) + n


def _totals(batches: list[Batch]) -> dict[Party, int]:
    totals: dict[Party, int] = {}
    for b in batches:
        _add(totals, b.returned)
    return totals


def _lowest(claims: tuple[Claim, ...]) -> Mapping[Party, int]:
    parties = dict.fromkeys(p for c in claims for p in c.returned)
    return MappingProxyType({p: min(c.returned.get(p, 0) for c in claims) for p in parties})


def _claims(batches: list[Batch]) -> tuple[Claim, ...]:
    return tuple(
        claim for b in batches for claim in (b.claims or (Claim(event_id=b.event_id, returned=b.returned),))
    )


class _Batches:
    """One list of batches, in order of date, and what they returned to each party."""

    __slots__ = ("batches", "returned")

    def __init__(self, batches: tuple[Batch, ...], returned: Mapping[Party, int]) -> None:
        self.batches = Chrono(batches, _when)
        self.returned = dict(returned)

    def add(self, batch: Batch) -> None:
        self.batches.add(batch)
        _add(self.returned, batch.returned)

    def join(self, claims: frozenset[str], dispute: ReportDisputed) -> bool:
        """Join the batches among ``claims`` into one disputed batch (when two or more of them
        are here), in the place of the first; whether they were.

        This reads every batch: disputes are rare.
        """
        batches = self.batches.ordered()
        chosen = [b for b in batches if not {e.event_id for e in b.provenance}.isdisjoint(claims)]
        if len(chosen) < 2:  # noqa: PLR2004 - a dispute needs two accounts
            return False
        every = _claims(chosen)
        earlier = tuple(
            evidence
            for batch in chosen
            for evidence in (
                *batch.earlier_disputes,
                *(() if batch.disputed_by is None else (batch.disputed_by,)),
            )
        )
        joined = evolve(
            chosen[0],
            returned=_lowest(every),
            claims=every,
            disputed_by=Evidence(dispute.id),
            earlier_disputes=earlier,
        )
        gone = {id(b) for b in chosen}
        self.batches = Chrono((b for b in batches if id(b) not in gone), _when)
        self.batches.add(joined)
        self.returned = _totals(self.batches.ordered())
        return True


class _Agreement:
    """An agreement under construction: the agreement as agreed, and its batches so far."""

    __slots__ = ("agreed", "batches", "frozen", "remains")

    def __init__(self, agreed: Agreement) -> None:
        self.agreed = agreed
        self.batches = _Batches(agreed.batches, agreed.returned)
        self.remains = _Batches(agreed.remains, agreed.remains_returned)
        self.frozen = agreed
        """The agreement as last frozen: the same object while no batch came."""

    def freeze(self) -> Agreement:
        batches, remains = self.batches.batches.freeze(), self.remains.batches.freeze()
        if batches is not self.frozen.batches or remains is not self.frozen.remains:
            self.frozen = evolve(
                self.agreed,
                returned=frozen_map(self.batches.returned),
                remains_returned=frozen_map(self.remains.returned),
                batches=batches,
                remains=remains,
            )
        return self.frozen


class _Builder(Builder[Exchanges]):
    __slots__ = ("_changed", "_frozen", "agreements", "batches", "remains")

    def __init__(self, view: Exchanges) -> None:
        self.agreements = {key: _Agreement(a) for key, a in view.agreements.items()}
        self.batches = _Batches(view.batches, view.returned)
        self.remains = _Batches(view.remains, view.remains_returned)
        # The agreements as last frozen, and those changed since (in the order they were
        # agreed, for the new ones): a freeze visits only those.
        self._frozen = view.agreements
        self._changed: dict[str, None] = {}

    def freeze(self) -> Exchanges:
        if self._changed:
            agreements = dict(self._frozen)
            for key in self._changed:
                agreements[key] = self.agreements[key].freeze()
            self._frozen = MappingProxyType(agreements)
            self._changed.clear()
        return Exchanges(
            agreements=self._frozen,
            batches=self.batches.batches.freeze(),
            remains=self.remains.batches.freeze(),
            returned=frozen_map(self.batches.returned),
            remains_returned=frozen_map(self.remains.returned),
        )

    def agreed(self, event: PrisonerExchangeAgreed) -> None:
        self._changed[event.agreement_id] = None
        self.agreements[event.agreement_id] = _Agreement(
            Agreement(
                agreement_id=event.agreement_id,
                event_id=event.id,
                parties=event.parties,
                categories=event.categories,
                venue=event.venue,
                agreed_on=event.occurred,
                owed=event.owed(),
                per_side=event.per_side,
            )
        )

    def exchanged(self, event: PrisonersExchanged) -> None:
        batch = _batch(event)
        agreement = self.agreements.get(event.agreement_id) if event.agreement_id else None
        if agreement is not None:
            agreement.batches.add(batch)
            self._changed[event.agreement_id] = None  # type: ignore[index]  # it names one
        self.batches.add(batch)

    def repatriated(self, event: RemainsRepatriated) -> None:
        batch = _batch(event)
        agreement = self.agreements.get(event.agreement_id) if event.agreement_id else None
        if agreement is not None:
            agreement.remains.add(batch)
            self._changed[event.agreement_id] = None  # type: ignore[index]  # it names one
        self.remains.add(batch)

    def disputed(self, event: ReportDisputed) -> None:
        claims = frozenset(event.claims)
        joined = self.batches.join(claims, event)
        joined = self.remains.join(claims, event) or joined
        if joined:
            for key, agreement in self.agreements.items():
                agreement.batches.join(claims, event)
                agreement.remains.join(claims, event)
                self._changed[key] = None


EXCHANGES: Projection[Exchanges] = Projection(
    "exchanges",
    Exchanges(),
    _Builder,
    {
        PrisonerExchangeAgreed: _Builder.agreed,
        PrisonersExchanged: _Builder.exchanged,
        RemainsRepatriated: _Builder.repatriated,
        ReportDisputed: _Builder.disputed,
    },
    version="2",  # 2: a batch joined by two disputes keeps the earlier one (earlier_disputes)
)
"""The prisoner exchanges projection."""
