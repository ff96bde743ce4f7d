"""The fold's baseline: one hand-written loop that computes every view's figures in place.

Plain dicts and lists updated in place, dispatch on ``type(e) is ...``, lists sorted once at the
end (a stable sort by the same key gives the order the views' chronological inserts give). The
timeline keeps ids, days and kinds, as the view does (its summaries are read from the log when shown).
:func:`figures` turns :func:`negotiations.project`'s views into the same plain structure, so
:func:`check` can prove that both compute the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from negotiations import (
    AidAnnounced,
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
    PartialDate,
    PositionStated,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    RemainsRepatriated,
    SanctionsImposed,
    StatementMade,
    TalksHeld,
    TalksProposed,
    TariffsImposed,
    Views,
)

Figures = dict[str, Any]


def _key(item: tuple[Any, ...]) -> tuple[Any, ...]:
    """The sort key of a record whose second item is its partial date."""
    occurred: PartialDate = item[1]
    return occurred.sort_key()


def _add(totals: dict[str, int], extra: Any) -> None:  # noqa: ANN401 - a mapping of party to count
    for party, n in extra.items():
        totals[party] = totals.get(party, 0) + n


def fold(events: Iterable[Event]) -> Figures:  # noqa: C901, PLR0912, PLR0915 - one branch per event kind
    """Every view's figures, as plain dicts, lists and tuples."""
    deadlines: dict[str, list[Any]] = {}
    agreements: dict[str, list[Any]] = {}
    batches: list[tuple[Any, ...]] = []
    remains: list[tuple[Any, ...]] = []
    returned: dict[str, int] = {}
    remains_returned: dict[str, int] = {}
    positions: dict[str, dict[str, list[Any]]] = {}
    rounds: list[tuple[Any, ...]] = []
    proposals: dict[str, list[Any]] = {}
    ceasefires: dict[str, list[Any]] = {}
    announcements: list[tuple[Any, ...]] = []
    pauses: list[list[Any]] = []
    active: dict[tuple[str, str, str], list[list[Any]]] = {}
    sanctions: list[tuple[Any, ...]] = []
    tariffs: list[tuple[Any, ...]] = []
    contacts: list[tuple[Any, ...]] = []
    timeline: list[tuple[Any, ...]] = []
    for e in events:
        t = type(e)
        timeline.append((e.id, e.occurred, e.wire_type))
        if t is StatementMade:
            continue
        if t is CallHeld:
            contacts.append((e.id, e.occurred, "call", e.parties, e.persons, None, e.summary))
        elif t is PositionStated:
            issues = positions.setdefault(e.party, {})
            stance = (e.stance, e.occurred, e.demands, e.speaker, e.id)
            issues.setdefault(e.issue, []).append(stance)
        elif t is TalksHeld:
            contacts.append((e.id, e.occurred, "talks", e.parties, (), e.venue, e.summary))
            rounds.append((e.id, e.occurred, e.parties, e.venue, e.round, e.summary, e.proposal_id))
            proposal = proposals.get(e.proposal_id) if e.proposal_id else None
            if proposal is not None and proposal[-1] is None:
                proposal[-1] = e.id
        elif t is TalksProposed:
            proposals[e.proposal_id] = [
                e.proposer,
                e.counterpart,
                e.level,
                e.venue,
                e.occurred,
                e.proposed_by,
                e.id,
                None,
            ]
        elif t is CeasefireAgreed:
            ceasefires[e.ceasefire_id] = [e.parties, e.occurred, e.starts, e.ends, e.scope, e.id, None, None]
        elif t is CeasefireEnded:
            ceasefire = ceasefires.get(e.ceasefire_id)
            if ceasefire is not None and ceasefire[6] is None:
                ceasefire[6:] = [e.occurred, e.reason]
        elif t is AidAnnounced:
            announcements.append((e.id, e.occurred, e.donor, e.recipient, e.category, e.items, e.reason))
        elif t is AidPaused:
            pause = [e.id, e.occurred, e.donor, e.recipient, e.category, e.reason, None, None]
            pauses.append(pause)
            active.setdefault((e.donor, e.recipient, e.category), []).append(pause)
        elif t is AidResumed:
            for pause in active.pop((e.donor, e.recipient, e.category), ()):
                pause[6:] = [e.occurred, e.reason]
        elif t is SanctionsImposed:
            sanctions.append((e.id, e.occurred, e.imposer, e.target, e.measures, e.sectors, e.package))
        elif t is TariffsImposed:
            tariffs.append((e.id, e.occurred, e.imposer, e.target, e.rate_percent, e.basis))
        elif t is DeadlineSet:
            history = [(e.id, e.occurred, e.due_day, None)]
            deadlines[e.deadline_id] = [
                e.issuer,
                e.target,
                e.demand,
                e.consequence,
                e.occurred,
                history,
                None,
            ]
        elif t is DeadlineChanged:
            deadline = deadlines.get(e.deadline_id)
            if deadline is not None:
                deadline[5].append((e.id, e.occurred, e.due_day, e.reason))
        elif t is DeadlineMet or t is DeadlineWithdrawn:
            deadline = deadlines.get(e.deadline_id)
            if deadline is not None and deadline[6] is None:
                status = "met" if t is DeadlineMet else "withdrawn"
                deadline[6] = (status, e.id, e.occurred, e.reason)
        elif t is PrisonerExchangeAgreed:
            agreements[e.agreement_id] = [
                e.parties,
                e.categories,
                e.venue,
                e.occurred,
                e.owed(),
                e.per_side,
                {},
                {},
                [],
            ]
        elif t is PrisonersExchanged or t is RemainsRepatriated:
            batch = (e.id, e.occurred, e.returned, e.agreement_id)
            agreement = agreements.get(e.agreement_id) if e.agreement_id else None
            if t is PrisonersExchanged:
                batches.append(batch)
                _add(returned, e.returned)
                if agreement is not None:
                    _add(agreement[6], e.returned)
                    agreement[8].append(batch)
            else:
                remains.append(batch)
                _add(remains_returned, e.returned)
                if agreement is not None:
                    _add(agreement[7], e.returned)
    for ordered in (batches, remains, rounds, announcements, sanctions, tariffs, contacts, timeline):
        ordered.sort(key=_key)
    pauses.sort(key=lambda p: p[1].sort_key())
    for agreement in agreements.values():
        agreement[8].sort(key=_key)
    for issues in positions.values():
        for stances in issues.values():
            stances.sort(key=lambda s: s[1].sort_key())
    return {
        "deadlines": deadlines,
        "exchanges": (agreements, batches, remains, returned, remains_returned),
        "positions": positions,
        "talks": (rounds, proposals, ceasefires),
        "aid": (announcements, pauses),
        "sanctions": (sanctions, tariffs),
        "contacts": contacts,
        "timeline": timeline,
    }


def figures(views: Views) -> Figures:
    """The figures of :func:`negotiations.project`'s views, in :func:`fold`'s plain structure."""
    ex, talks = views.exchanges, views.talks

    def batch(b: Any) -> tuple[Any, ...]:  # noqa: ANN401 - any batch
        return (b.event_id, b.occurred, dict(b.returned), b.agreement_id)

    return {
        "deadlines": {
            k: [
                d.issuer,
                d.target,
                d.demand,
                d.consequence,
                d.set_on,
                [(c.event_id, c.occurred, c.due, c.reason) for c in d.history],
                d.closure and (d.closure.status, d.closure.event_id, d.closure.occurred, d.closure.reason),
            ]
            for k, d in views.deadlines.by_id.items()
        },
        "exchanges": (
            {
                k: [
                    a.parties,
                    a.categories,
                    a.venue,
                    a.agreed_on,
                    a.owed and dict(a.owed),
                    a.per_side,
                    dict(a.returned),
                    dict(a.remains_returned),
                    [batch(b) for b in a.batches],
                ]
                for k, a in ex.agreements.items()
            },
            [batch(b) for b in ex.batches],
            [batch(b) for b in ex.remains],
            dict(ex.returned),
            dict(ex.remains_returned),
        ),
        "positions": {
            party: {
                issue: [(s.stance, s.since, s.demands, s.speaker, s.event_id) for s in p.history]
                for issue, p in issues.items()
            }
            for party, issues in views.positions.parties.items()
        },
        "talks": (
            [
                (r.event_id, r.occurred, r.parties, r.venue, r.round, r.summary, r.proposal_id)
                for r in talks.rounds
            ],
            {
                k: [
                    p.proposer,
                    p.counterpart,
                    p.level,
                    p.venue,
                    p.proposed_on,
                    p.proposed_by,
                    p.event_id,
                    p.held_in,
                ]
                for k, p in talks.proposals.items()
            },
            {
                k: [c.parties, c.agreed_on, c.starts, c.ends, c.scope, c.event_id, c.ended, c.end_reason]
                for k, c in talks.ceasefires.items()
            },
        ),
        "aid": (
            [
                (a.event_id, a.occurred, a.donor, a.recipient, a.category, a.items, a.reason)
                for a in views.aid.announcements
            ],
            [
                [p.event_id, p.since, p.donor, p.recipient, p.category, p.reason, p.resumed, p.resumed_reason]
                for p in views.aid.pauses
            ],
        ),
        "sanctions": (
            [
                (s.event_id, s.occurred, s.imposer, s.target, s.measures, s.sectors, s.package)
                for s in views.sanctions.sanctions
            ],
            [
                (t.event_id, t.occurred, t.imposer, t.target, t.rate_percent, t.basis)
                for t in views.sanctions.tariffs
            ],
        ),
        "contacts": [
            (c.event_id, c.occurred, c.kind, c.parties, c.persons, c.venue, c.summary)
            for c in views.contacts.contacts
        ],
        "timeline": [(e.event_id, e.occurred, e.type) for e in views.timeline.entries],
    }


def check(views: Views, events: Iterable[Event]) -> None:
    """Raise :class:`AssertionError` naming each view whose figures the loop computes otherwise."""
    ours, hand = figures(views), fold(events)
    wrong = [name for name in hand if ours[name] != hand[name]]
    if wrong:
        raise AssertionError(f"the hand-written loop disagrees with project() on: {', '.join(wrong)}")
