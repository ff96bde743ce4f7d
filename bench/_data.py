"""The benchmarks' data: realistic, valid events from a seeded generator.

:func:`generate` builds ``count`` events (calls, statements, positions, talks, aid, sanctions,
tariffs, deadlines set, moved, met and withdrawn, ceasefires, prisoner-exchange agreements and
their exchanges, every reference to an earlier definition) spread over :data:`STREAMS` streams, as
batches of :data:`BATCH`. The same seed gives the same events, so every run measures the same log.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Final, TypedDict

from negotiations.domain.events import (
    AID_CATEGORIES,
    TALKS_LEVELS,
    AidAnnounced,
    AidCategory,
    AidPaused,
    AidResumed,
    CallHeld,
    CeasefireAgreed,
    CeasefireEnded,
    DeadlineChanged,
    DeadlineMet,
    DeadlineSet,
    DeadlineWithdrawn,
    Event,
    PositionStated,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    RemainsRepatriated,
    SanctionsImposed,
    StatementMade,
    TalksHeld,
    TalksProposed,
    TariffsImposed,
)
from negotiations.domain.values import PartialDate, Party, Person, Source

BATCH: Final = 100
"""Events per append."""
STREAMS: Final = 4
"""Streams the events are spread over."""
NEW_DAY: Final = 0.3
"""The chance that an event happens a day after the one before: about three events a day."""
WHOLE_DAYS: Final = 0.85
"""The share of events dated to the day; the rest give only the month."""
UKR, RUS, USA = Party("UKR"), Party("RUS"), Party("USA")
PARTIES: Final = tuple(map(Party, ("UKR", "RUS", "USA", "EU", "TUR", "CHN", "IND", "GBR", "FRA", "DEU")))
DONORS: Final = tuple(map(Party, ("USA", "EU", "GBR", "FRA", "DEU")))
PEOPLE: Final = {
    "UKR": ("Volodymyr Zelenskyy", "Rustem Umerov", "Andrii Sybiha"),
    "RUS": ("Vladimir Putin", "Dmitry Peskov", "Sergei Lavrov"),
    "USA": ("Donald Trump", "Marco Rubio", "Steve Witkoff"),
}
ISSUES: Final = ("territory", "ceasefire", "security-guarantees", "sanctions", "prisoners", "nato")
OUTLETS: Final = ("The Epoch Times", "Reuters", "Associated Press", "Kyiv Independent", "TASS")
WORDS: Final = (
    "talks",
    "ceasefire",
    "delegation",
    "proposal",
    "sanctions",
    "aid",
    "prisoners",
    "exchange",
    "deadline",
    "energy",
    "oil",
    "tariffs",
    "security",
    "guarantees",
    "territory",
    "withdrawal",
    "negotiations",
    "statement",
    "minister",
    "president",
    "spokesman",
    "agreement",
    "round",
    "venue",
    "humanitarian",
    "military",
    "financial",
    "package",
    "memorandum",
)
VENUES: Final = ("Istanbul", "Geneva", "Riyadh", "Doha", "Vatican City", "Minsk")


class Envelope(TypedDict):
    """The fields every event has."""

    id: str
    occurred: PartialDate
    recorded: datetime
    sources: tuple[Source, ...]


class Generator:
    """Valid events for one stream, from a seeded random source: definitions come before the
    events that refer to them, and what is ended is no longer referred to.
    """

    def __init__(self, rng: random.Random, stream: str) -> None:
        self.rng = rng
        self.stream = stream
        self.count = 0
        self.day = date(2022, 2, 1)
        self.deadlines: list[str] = []
        self.agreements: list[str] = []
        self.proposals: list[str] = []
        self.ceasefires: list[str] = []
        self.paused: list[tuple[Party, Party, AidCategory]] = []
        self.kinds: list[tuple[Callable[[], Event], int]] = [
            (self._call, 14),
            (self._statement, 18),
            (self._position, 12),
            (self._talks_proposed, 4),
            (self._talks_held, 4),
            (self._ceasefire_agreed, 1),
            (self._ceasefire_ended, 1),
            (self._aid_announced, 8),
            (self._aid_paused, 2),
            (self._aid_resumed, 2),
            (self._sanctions, 6),
            (self._tariffs, 2),
            (self._deadline_set, 4),
            (self._deadline_changed, 3),
            (self._deadline_ended, 2),
            (self._exchange_agreed, 3),
            (self._exchanged, 5),
            (self._remains, 2),
        ]

    # -- the envelope -------------------------------------------------------------------------

    def _id(self, kind: str) -> str:
        self.count += 1
        return f"{self.stream}-{kind}-{self.count}"

    def _text(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(low, high))).capitalize()

    def _envelope(self, kind: str) -> Envelope:
        if self.rng.random() < NEW_DAY:
            self.day += timedelta(days=1)
        precision = self.rng.random()
        occurred = self.day.isoformat() if precision < WHOLE_DAYS else self.day.isoformat()[:7]
        sources = tuple(
            Source(
                outlet=self.rng.choice(OUTLETS),
                url=f"https://example.org/{self.day.isoformat()}/{self.count}",
                quote=self._text(12, 40) + ".",
                published=self.day,
            )
            for _ in range(self.rng.randint(1, 2))
        )
        recorded = datetime.combine(self.day, datetime.min.time(), UTC) + timedelta(
            hours=self.rng.randint(8, 23)
        )
        return {
            "id": self._id(kind),
            "occurred": PartialDate.parse(occurred),
            "recorded": recorded,
            "sources": sources,
        }

    def _day_envelope(self, kind: str) -> Envelope:
        """An envelope whose ``occurred`` is a whole day, for ``within_days``."""
        envelope = self._envelope(kind)
        envelope["occurred"] = PartialDate.parse(self.day.isoformat())
        return envelope

    def _two(self) -> tuple[Party, Party]:
        first, second = self.rng.sample(PARTIES, 2)
        return first, second

    def _person(self, party: Party) -> Person | None:
        names = PEOPLE.get(party)
        return None if names is None else Person(name=self.rng.choice(names), party=party)

    # -- the kinds ------------------------------------------------------------------------------

    def _call(self) -> Event:
        parties = self._two()
        persons = tuple(p for p in map(self._person, parties) if p is not None)
        return CallHeld(**self._envelope("call"), parties=parties, persons=persons, summary=self._text(5, 20))

    def _statement(self) -> Event:
        party = self.rng.choice(PARTIES)
        return StatementMade(
            **self._envelope("statement"),
            party=party,
            summary=self._text(8, 30),
            speaker=self._person(party),
            channel=self.rng.choice((None, "Telegram", "press conference", "X")),
        )

    def _position(self) -> Event:
        party = self.rng.choice(PARTIES)
        return PositionStated(
            **self._envelope("position"),
            party=party,
            issue=self.rng.choice(ISSUES),
            stance=self._text(6, 25),
            demands=tuple(self._text(3, 8) for _ in range(self.rng.randint(0, 3))),
        )

    def _talks_proposed(self) -> Event:
        proposer, counterpart = self._two()
        envelope = self._envelope("proposal")
        proposal = f"{envelope['id']}-p"
        self.proposals.append(proposal)
        return TalksProposed(
            **envelope,
            proposal_id=proposal,
            proposer=proposer,
            counterpart=counterpart,
            level=self.rng.choice(TALKS_LEVELS),
            venue=self.rng.choice(VENUES),
        )

    def _talks_held(self) -> Event:
        proposal = self.proposals.pop(self.rng.randrange(len(self.proposals))) if self.proposals else None
        return TalksHeld(
            **self._envelope("talks"),
            parties=self._two(),
            venue=self.rng.choice(VENUES),
            round=self.rng.randint(1, 9),
            summary=self._text(5, 20),
            proposal_id=proposal,
        )

    def _ceasefire_agreed(self) -> Event:
        envelope = self._envelope("ceasefire")
        ceasefire = f"{envelope['id']}-c"
        self.ceasefires.append(ceasefire)
        return CeasefireAgreed(
            **envelope,
            ceasefire_id=ceasefire,
            parties=(UKR, RUS),
            starts=self.day,
            ends=self.day + timedelta(days=self.rng.randint(1, 30)),
            scope=self.rng.choice((None, "energy infrastructure", "Black Sea")),
        )

    def _ceasefire_ended(self) -> Event:
        if not self.ceasefires:
            return self._ceasefire_agreed()
        ceasefire = self.ceasefires.pop(self.rng.randrange(len(self.ceasefires)))
        return CeasefireEnded(
            **self._envelope("ceasefire-end"), ceasefire_id=ceasefire, reason=self._text(3, 9)
        )

    def _aid_announced(self) -> Event:
        donor = self.rng.choice(DONORS)
        return AidAnnounced(
            **self._envelope("aid"),
            donor=donor,
            recipient=UKR,
            category=self.rng.choice(AID_CATEGORIES),
            items=tuple(self._text(1, 4) for _ in range(self.rng.randint(1, 4))),
        )

    def _aid_paused(self) -> Event:
        pause = (USA, UKR, self.rng.choice(AID_CATEGORIES))
        self.paused.append(pause)
        donor, recipient, category = pause
        return AidPaused(
            **self._envelope("aid-pause"),
            donor=donor,
            recipient=recipient,
            category=category,
            reason=self._text(3, 9),
        )

    def _aid_resumed(self) -> Event:
        if not self.paused:
            return self._aid_paused()
        donor, recipient, category = self.paused.pop()
        return AidResumed(**self._envelope("aid-resume"), donor=donor, recipient=recipient, category=category)

    def _sanctions(self) -> Event:
        return SanctionsImposed(
            **self._envelope("sanctions"),
            imposer=self.rng.choice(DONORS),
            target=RUS,
            measures=tuple(self._text(2, 6) for _ in range(self.rng.randint(1, 4))),
            sectors=tuple(self.rng.sample(("energy", "banking", "shipping", "defence", "metals"), 2)),
            package=f"package {self.rng.randint(1, 20)}",
        )

    def _tariffs(self) -> Event:
        return TariffsImposed(
            **self._envelope("tariffs"),
            imposer=USA,
            target=self.rng.choice((RUS, Party("CHN"), Party("IND"))),
            rate_percent=float(self.rng.choice((10, 25, 50, 100))),
            basis=self._text(3, 9),
        )

    def _deadline_set(self) -> Event:
        envelope = self._day_envelope("deadline")
        deadline = f"{envelope['id']}-d"
        self.deadlines.append(deadline)
        return DeadlineSet(
            **envelope,
            deadline_id=deadline,
            issuer=USA,
            target=self.rng.choice((RUS, UKR)),
            demand=self._text(4, 12),
            consequence=self._text(4, 12),
            within_days=self.rng.choice((10, 12, 50)),
        )

    def _deadline_changed(self) -> Event:
        if not self.deadlines:
            return self._deadline_set()
        return DeadlineChanged(
            **self._day_envelope("deadline-change"),
            deadline_id=self.rng.choice(self.deadlines),
            within_days=self.rng.randint(5, 30),
            reason=self._text(3, 9),
        )

    def _deadline_ended(self) -> Event:
        if not self.deadlines:
            return self._deadline_set()
        deadline = self.deadlines.pop(self.rng.randrange(len(self.deadlines)))
        kind = self.rng.choice((DeadlineMet, DeadlineWithdrawn))
        return kind(**self._envelope("deadline-end"), deadline_id=deadline, reason=self._text(3, 9))

    def _exchange_agreed(self) -> Event:
        envelope = self._envelope("exchange-agreed")
        agreement = f"{envelope['id']}-a"
        self.agreements.append(agreement)
        return PrisonerExchangeAgreed(
            **envelope,
            agreement_id=agreement,
            parties=(UKR, RUS),
            categories=("prisoners of war", "civilians")[: self.rng.randint(1, 2)],
            venue=self.rng.choice(VENUES),
            per_side=self.rng.choice((None, 84, 250, 1000)),
        )

    def _exchanged(self) -> Event:
        if not self.agreements:
            return self._exchange_agreed()
        count = self.rng.randint(10, 300)
        return PrisonersExchanged(
            **self._envelope("exchange"),
            returned={UKR: count, RUS: count},
            agreement_id=self.rng.choice(self.agreements),
        )

    def _remains(self) -> Event:
        agreement = self.rng.choice(self.agreements) if self.agreements else None
        return RemainsRepatriated(
            **self._envelope("remains"),
            returned={UKR: self.rng.randint(100, 6000), RUS: self.rng.randint(10, 100)},
            agreement_id=agreement,
        )

    def __iter__(self) -> Iterator[Event]:
        makers, weights = zip(*self.kinds, strict=True)
        while True:
            (make,) = self.rng.choices(makers, weights)
            yield make()


def generate(count: int, prefix: str, seed: int = 0) -> list[tuple[str, list[Event]]]:
    """``count`` events as batches of :data:`BATCH`, each with its stream, the streams in turn."""
    rng = random.Random(seed)  # noqa: S311 - repeatable data, not secrets
    streams = [f"{prefix}-{n}" for n in range(STREAMS)]
    makers = [iter(Generator(rng, name)) for name in streams]
    batches: list[tuple[str, list[Event]]] = []
    made = 0
    while made < count:
        index = len(batches) % STREAMS
        size = min(BATCH, count - made)
        batches.append((streams[index], [next(makers[index]) for _ in range(size)]))
        made += size
    return batches
