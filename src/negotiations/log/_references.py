"""What events define and refer to, as keys: a kind and a name, such as ``("deadline", "d1")``.

A log, and every store, holds only keys, not the events behind them, so that a store can check an
append by looking a few keys up. Besides the five namespaces (deadline, agreement, proposal,
ceasefire and measure ids), an event records *facts* as keys of their own kinds, which the
cross-event rules read:

- ``accord``: an agreement id defined by an AgreementReached (the ``agreement`` namespace is
  shared with PrisonerExchangeAgreed, so an exchange agreement is one without this key);
- ``addressee``: a party a proposal was put to (``to``, or the ``counterpart`` of talks);
- ``term``: a ``term_id`` of an AgreementReached;
- ``answered`` and ``term-used``: an addressee who answered, a term that a CommitmentMet or a
  ViolationReported named. A correction may not take these away from their definitions;
- ``tariff``: a measure id defined by a TariffsImposed (the ``measure`` namespace is shared with
  SanctionsImposed), so that only a tariff is given a rate and only sanctions a list of measures.

A fact key's name is the JSON array of its two parts, ``["plan-1","UKR"]``: ids are free text, so
no separator character is safe. A key once recorded stays: a retraction removes none (as it never
did), and :mod:`negotiations.log._eventlog` lays corrections of definitions over the facts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Final, Literal

import attrs

from negotiations.domain.events import (
    EVENT_TYPES,
    AgreementExtended,
    AgreementReached,
    AgreementStatusChanged,
    CeasefireAgreed,
    CeasefireEnded,
    CommitmentMet,
    DeadlineChanged,
    DeadlineMet,
    DeadlineSet,
    DeadlineWithdrawn,
    Event,
    MeasureChanged,
    MeasureLifted,
    MeasureReinstated,
    MeasureSuspended,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    ProposalAnswered,
    ProposalWithdrawn,
    RemainsRepatriated,
    SanctionsImposed,
    TalksHeld,
    TalksProposed,
    TariffsImposed,
    TermsProposed,
    ViolationReported,
)
from negotiations.errors import UnknownReferenceError

__all__ = [
    "FACT_KINDS",
    "KEYLESS",
    "Key",
    "KeyKind",
    "append_keys",
    "check_references",
    "defined_key",
    "facts_of",
    "lookup_keys",
    "pair",
    "recorded_keys",
    "referenced_key",
]

KeyKind = Literal[
    "deadline",
    "agreement",
    "proposal",
    "ceasefire",
    "measure",
    "accord",
    "addressee",
    "term",
    "answered",
    "term-used",
    "tariff",
]
"""The kinds of keys: the five namespaces of ids, then the facts the cross-event rules read."""

Key = tuple[KeyKind, str]
"""A defined thing: its kind and its id, such as ``("deadline", "us-ceasefire-ultimatum")``."""

FACT_KINDS: Final[frozenset[KeyKind]] = frozenset({"addressee", "term"})
"""The facts a correction of their definition can change: the log reads them from the definition
as corrected, when it has been corrected."""

_DEFINES: Final[dict[type[Event], tuple[KeyKind, str]]] = {
    DeadlineSet: ("deadline", "deadline_id"),
    PrisonerExchangeAgreed: ("agreement", "agreement_id"),
    AgreementReached: ("agreement", "agreement_id"),
    TalksProposed: ("proposal", "proposal_id"),
    TermsProposed: ("proposal", "proposal_id"),
    CeasefireAgreed: ("ceasefire", "ceasefire_id"),
    SanctionsImposed: ("measure", "measure_id"),
    TariffsImposed: ("measure", "measure_id"),
}
# The first reference of each kind: the one :func:`referenced_key` names, as it did before.
_REFERS: Final[dict[type[Event], tuple[KeyKind, str]]] = {
    DeadlineChanged: ("deadline", "deadline_id"),
    DeadlineWithdrawn: ("deadline", "deadline_id"),
    DeadlineMet: ("deadline", "deadline_id"),
    PrisonersExchanged: ("agreement", "agreement_id"),
    RemainsRepatriated: ("agreement", "agreement_id"),
    TalksHeld: ("proposal", "proposal_id"),
    CeasefireEnded: ("ceasefire", "ceasefire_id"),
    ProposalAnswered: ("proposal", "proposal_id"),
    ProposalWithdrawn: ("proposal", "proposal_id"),
    AgreementReached: ("proposal", "proposal_id"),
    CeasefireAgreed: ("proposal", "proposal_id"),
    AgreementStatusChanged: ("agreement", "agreement_id"),
    CommitmentMet: ("agreement", "agreement_id"),
    MeasureChanged: ("measure", "measure_id"),
    MeasureSuspended: ("measure", "measure_id"),
    MeasureReinstated: ("measure", "measure_id"),
    MeasureLifted: ("measure", "measure_id"),
}
# Each reference is a key of a namespace, as :func:`defined_key` gives them; these kinds refer,
# by ``agreement_id``, only to an AgreementReached, which ``check_references`` checks apart.
_REACHED_ONLY: Final = (AgreementStatusChanged, AgreementExtended, CommitmentMet, ViolationReported)

_KEYED: Final[frozenset[type[Event]]] = frozenset(
    {
        *_DEFINES,
        *_REFERS,
        *_REACHED_ONLY,
        TermsProposed,
        TalksProposed,
        AgreementReached,
        ProposalAnswered,
        MeasureChanged,
        MeasureSuspended,
    }
)
"""Every kind that a function of this module names: the rest define, state and rely on nothing."""

KEYLESS: Final[frozenset[type[Event]]] = frozenset(
    kind
    for kind in EVENT_TYPES
    # The agreement and measure checks read these fields by name, whatever the kind.
    if kind not in _KEYED and not {"agreement_id", "measure_id"} & attrs.fields_dict(kind).keys()
)
"""The kinds of event that record, look up and refer to no key (a statement, a call, aid, and the
amendments, which refer to events by id): an append of one costs no key work at all. Most events
of a real log are of these kinds, so the functions below answer for them before anything else.
"""


def pair(first: str, second: str) -> str:
    """The name of a fact key: ``first`` and ``second`` as a JSON array, unambiguous for any text."""
    return json.dumps([first, second], ensure_ascii=False, separators=(",", ":"))


def _key(table: dict[type[Event], tuple[KeyKind, str]], event: Event) -> tuple[Key, str] | None:
    entry = table.get(type(event))
    if entry is None:
        return None
    kind, name = entry
    value = getattr(event, name)
    return None if value is None else ((kind, value), name)


def defined_key(event: Event) -> tuple[Key, str] | None:
    """The id ``event`` defines, with the name of the field that holds it, if any."""
    return _key(_DEFINES, event)


def referenced_key(event: Event) -> tuple[Key, str] | None:
    """The first id ``event`` refers to, with the name of the field that holds it, if any."""
    return _key(_REFERS, event)


def facts_of(event: Event) -> set[Key]:
    """The facts a definition states: the addressees of a proposal, the terms of an agreement."""
    if type(event) is TermsProposed:
        return {("addressee", pair(event.proposal_id, party)) for party in event.to}
    if type(event) is TalksProposed:
        return {("addressee", pair(event.proposal_id, event.counterpart))}
    if type(event) is AgreementReached:
        return {("term", pair(event.agreement_id, term.term_id)) for term in event.terms}
    return set()


def _term(event: Event) -> str | None:
    """The fact name of the term a CommitmentMet or ViolationReported names, if any."""
    if isinstance(event, CommitmentMet | ViolationReported) and event.term_id is not None:
        return pair(event.agreement_id or "", event.term_id)
    return None


def _uses(event: Event) -> Iterator[Key]:
    """The facts of other events that ``event`` relies on, so that no correction may remove."""
    if isinstance(event, ProposalAnswered):
        yield ("answered", pair(event.proposal_id, event.party))
    term = _term(event)
    if term is not None:
        yield ("term-used", term)


def recorded_keys(event: Event) -> list[Key]:
    """Every key a log or a store records for ``event``: the id it defines, the facts it states,
    and the facts it relies on.
    """
    if type(event) in KEYLESS:
        return []
    keys: list[Key] = []
    defined = defined_key(event)
    if defined is not None:
        keys.append(defined[0])
        if type(event) is AgreementReached:
            keys.append(("accord", event.agreement_id))
        elif type(event) is TariffsImposed:
            keys.append(("tariff", defined[0][1]))
    keys.extend(sorted(facts_of(event)))
    keys.extend(_uses(event))
    return keys


def _references(event: Event) -> Iterator[tuple[Key, str]]:
    """Each id ``event`` refers to, with its field, in the order the fields are checked."""
    first = referenced_key(event)
    if first is not None:
        yield first
    if isinstance(event, ProposalAnswered) and event.counter_proposal_id is not None:
        yield ("proposal", event.counter_proposal_id), "counter_proposal_id"
    elif isinstance(event, AgreementExtended | ViolationReported):
        if event.agreement_id is not None:
            yield ("agreement", event.agreement_id), "agreement_id"
        elif event.ceasefire_id is not None:
            yield ("ceasefire", event.ceasefire_id), "ceasefire_id"


def lookup_keys(event: Event) -> set[Key]:
    """The keys a store looks up to check ``event``: those it refers to, defines and records."""
    if type(event) in KEYLESS:
        return set()
    return _looked_up(event, recorded_keys(event))


def append_keys(event: Event) -> tuple[list[Key], set[Key]]:
    """The keys ``event`` records (:func:`recorded_keys`) and those a store looks up to check it
    (:func:`lookup_keys`), each worked out once: what a store's append needs of each event.
    """
    if type(event) in KEYLESS:
        return [], set()
    recorded = recorded_keys(event)
    return recorded, _looked_up(event, recorded)


def _looked_up(event: Event, recorded: list[Key]) -> set[Key]:
    """:func:`lookup_keys` of ``event``, given the keys it records."""
    keys = {key for key, _ in _references(event)}
    keys.update(recorded)
    if isinstance(event, ProposalAnswered):
        keys.add(("addressee", pair(event.proposal_id, event.party)))
    term = _term(event)
    if term is not None:
        keys.add(("term", term))
    # The kind of agreement is checked for every event that names one: an exchange too.
    agreement_id = getattr(event, "agreement_id", None)
    if agreement_id is not None:
        keys.add(("accord", agreement_id))
    if _kind_bound(event):
        keys.add(("tariff", getattr(event, "measure_id", "")))
    return keys


def check_references(event: Event, has: Callable[[Key], bool]) -> None:
    """Raise unless every id ``event`` refers to is defined, as the right kind, and every fact
    it names holds (an answer by an addressee, a term of the agreement), by ``has``.

    Raises:
        UnknownReferenceError: naming the field that refers to what is not there.

    """
    if type(event) in KEYLESS:
        return
    for (kind, value), name in _references(event):
        if not has((kind, value)):
            reason = f"unknown {kind} '{value}': no event before it defines it"
            raise UnknownReferenceError(reason, event_id=event.id, field=name)
    _check_kind_of_agreement(event, has)
    _check_kind_of_measure(event, has)
    if isinstance(event, ProposalAnswered) and not has(("addressee", pair(event.proposal_id, event.party))):
        reason = f"{event.party} is not an addressee of proposal '{event.proposal_id}'"
        raise UnknownReferenceError(reason, event_id=event.id, field="party")
    term = _term(event)
    if isinstance(event, CommitmentMet | ViolationReported) and term is not None and not has(("term", term)):
        reason = f"'{event.term_id}' is not a term of agreement '{event.agreement_id}'"
        raise UnknownReferenceError(reason, event_id=event.id, field="term_id")


def _check_kind_of_agreement(event: Event, has: Callable[[Key], bool]) -> None:
    """Raise when ``event`` names an agreement of the other kind than it may: an exchange
    agreement where an AgreementReached is meant, or the other way.
    """
    agreement_id = getattr(event, "agreement_id", None)
    if agreement_id is None:
        return
    reached = has(("accord", agreement_id))
    if isinstance(event, _REACHED_ONLY) and not reached:
        reason = f"'{agreement_id}' is a prisoner-exchange agreement, not an agreement reached"
        raise UnknownReferenceError(reason, event_id=event.id, field="agreement_id")
    if isinstance(event, PrisonersExchanged | RemainsRepatriated) and reached:
        reason = f"'{agreement_id}' is an agreement reached, not a prisoner-exchange agreement"
        raise UnknownReferenceError(reason, event_id=event.id, field="agreement_id")


def _kind_bound(event: Event) -> list[tuple[str, bool]]:
    """The fields of a change of a measure that only one kind of measure takes, each with whether
    that kind is tariffs: a rate is a tariff's, a list of measures is sanctions'.
    """
    bound: list[tuple[str, bool]] = []
    if isinstance(event, MeasureChanged | MeasureSuspended) and event.rate_percent is not None:
        bound.append(("rate_percent", True))
    if isinstance(event, MeasureChanged) and event.measures:
        bound.append(("measures", False))
    return bound


def _check_kind_of_measure(event: Event, has: Callable[[Key], bool]) -> None:
    """Raise when ``event`` gives a measure what only the other kind takes: a rate to sanctions,
    a list of measures to tariffs.
    """
    bound = _kind_bound(event)
    if not bound:
        return
    measure_id = getattr(event, "measure_id", "")
    is_tariff = has(("tariff", measure_id))
    for name, tariffs in bound:
        if is_tariff != tariffs:
            kind, only = ("sanctions", "a tariff takes") if tariffs else ("tariffs", "sanctions take")
            reason = f"'{measure_id}' is a measure of {kind}: only {only} '{name}'"
            raise UnknownReferenceError(reason, event_id=event.id, field=name)
