"""negotiations.testing: the strategies give valid values, and Hypothesis finds them by type.

The tests of ``st.from_type`` rely on the ``hypothesis`` entry point of the installed package, not
on importing :mod:`negotiations.testing`, which registers nothing by itself.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

import negotiations.testing
from negotiations.codec import decode_line, encode_line
from negotiations.domain.events import (
    ALL,
    EVENT_TYPES,
    AgreementExtended,
    AgreementReached,
    AgreementStatusChanged,
    CeasefireAgreed,
    CommitmentMet,
    Event,
    EventCorrected,
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
from negotiations.domain.values import PartialDate, Party, Person, Source
from negotiations.log import EventLog, defined_key, referenced_key


@pytest.mark.parametrize("cls", EVENT_TYPES, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_from_type_gives_valid_events(cls: type[Event], data: st.DataObject) -> None:
    """st.from_type(SomeEvent) gives instances of that class that validate and round-trip."""
    event = data.draw(st.from_type(cls))
    assert type(event) is cls
    attrs.validate(event)
    assert decode_line(encode_line(event)) == event


@pytest.mark.parametrize("cls", [PartialDate, Person, Source])
@given(data=st.data())
def test_from_type_gives_valid_values(cls: type[PartialDate | Person | Source], data: st.DataObject) -> None:
    """st.from_type gives valid partial dates, persons and sources."""
    value = data.draw(st.from_type(cls))
    assert type(value) is cls
    attrs.validate(value)
    if isinstance(value, PartialDate):
        assert PartialDate.parse(str(value)) == value


def test_entry_point_registers_without_importing_the_strategies() -> None:
    """Importing Hypothesis alone, in a fresh interpreter, registers the strategies."""
    script = textwrap.dedent(
        """
        import sys
        import hypothesis.strategies as st
        from hypothesis import find
        from negotiations.domain.events import DeadlineSet

        assert "negotiations.testing._register" in sys.modules
        event = find(st.from_type(DeadlineSet), lambda e: True)
        assert isinstance(event, DeadlineSet), event
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def test_importing_the_strategies_first_works() -> None:
    """Importing negotiations.testing before Hypothesis, in a fresh interpreter, works."""
    script = textwrap.dedent(
        """
        import negotiations.testing
        import hypothesis.strategies as st
        from hypothesis import find
        from negotiations.domain.values import Source

        assert isinstance(find(st.from_type(Source), lambda s: True), Source)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def test_the_package_imports_hypothesis_only_in_testing() -> None:
    """Importing every module of the library but negotiations.testing does not import Hypothesis."""
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import negotiations

        def walk(path, prefix):
            for module in pkgutil.iter_modules(path, prefix):
                if module.name in ("negotiations.testing", "negotiations.__main__"):
                    continue
                try:
                    imported = importlib.import_module(module.name)
                except ImportError:  # an optional dependency, such as a database driver
                    continue
                if module.ispkg:
                    walk(imported.__path__, module.name + ".")

        walk(negotiations.__path__, "negotiations.")
        leaked = sorted(m for m in sys.modules if m.split(".")[0] == "hypothesis")
        assert not leaked, leaked
        assert "negotiations.domain" in sys.modules
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def test_every_event_class_has_a_strategy() -> None:
    """Each event class has a public strategy named by its kind in snake_case."""
    for cls in EVENT_TYPES:
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in cls.__name__).lstrip("_")
        assert snake in negotiations.testing.__all__, snake
        assert callable(getattr(negotiations.testing, snake))


def test_all_is_sorted_and_documented() -> None:
    """__all__ is sorted, names only what the module has, and every public function has a docstring."""
    names = negotiations.testing.__all__
    assert names == sorted(names)
    for name in names:
        value = getattr(negotiations.testing, name)
        if inspect.isfunction(value):
            assert value.__doc__, name


@given(negotiations.testing.event_logs())
def test_generated_logs_have_consistent_references(log: EventLog) -> None:
    """Generated logs have unique event ids and defined ids, and refer only to ids defined earlier."""
    ids = [e.id for e in log]
    assert len(ids) == len(set(ids))
    defined: set[tuple[str, str]] = set()
    for event in log:
        referred = referenced_key(event)
        if referred is not None:
            assert referred[0] in defined
        key = defined_key(event)
        if key is not None:
            assert key[0] not in defined
            defined.add(key[0])
    assert EventLog(list(log)) == log


@given(negotiations.testing.event_logs(min_size=3, max_size=5))
def test_event_logs_respect_their_size(log: EventLog) -> None:
    """event_logs gives between min_size and max_size events."""
    assert 3 <= len(log) <= 5


@given(negotiations.testing.events())
def test_events_validate_and_stay_in_range(event: Event) -> None:
    """Every generated event validates, and its dates fall between 2020 and 2030."""
    attrs.validate(event)
    assert date(2020, 1, 1) <= event.occurred.earliest <= event.occurred.latest <= date(2030, 12, 31)
    assert event.recorded.utcoffset() is not None
    assert event.recorded.utcoffset().total_seconds() % 60 == 0  # type: ignore[union-attr]  # checked above


@given(negotiations.testing.recorded_datetimes())
def test_recorded_datetimes_round_trip_through_iso_text(value: datetime) -> None:
    """A recorded datetime reads back from its ISO text, equal and with the same offset."""
    again = datetime.fromisoformat(value.isoformat())
    assert again == value
    assert again.utcoffset() == value.utcoffset()


@given(
    negotiations.testing.partial_dates(
        min_value=date(2025, 6, 1), max_value=date(2025, 6, 30), precisions=["day"], qualifiers=False
    )
)
def test_partial_dates_honour_their_arguments(value: PartialDate) -> None:
    """partial_dates keeps to the range, precision and qualifiers asked for."""
    assert value.precision == "day"
    assert not value.qualifier
    assert date(2025, 6, 1) <= value.earliest <= date(2025, 6, 30)


def test_partial_dates_need_a_precision() -> None:
    """Asking for partial dates of no precision raises ValueError."""
    with pytest.raises(ValueError, match="precisions"):
        negotiations.testing.partial_dates(precisions=[])


@given(st.data())
def test_strategies_take_id_pools(data: st.DataObject) -> None:
    """Events that refer to ids take them from the pool given; an empty optional pool means none."""
    pool = ("d1", "d2")
    changed = data.draw(negotiations.testing.deadline_changed(deadline_ids=pool))
    assert changed.deadline_id in pool
    swap = data.draw(negotiations.testing.prisoners_exchanged(agreement_ids=()))
    assert swap.agreement_id is None
    held = data.draw(negotiations.testing.talks_held(proposal_ids=("p1",)))
    assert held.proposal_id in {None, "p1"}
    with pytest.raises(ValueError, match="non-empty pool"):
        data.draw(negotiations.testing.ceasefire_ended(ceasefire_ids=()))


# -- the kinds of issue 13: proposals of terms and agreements ----------------------------------


def _check_new_references(log: Sequence[Event] | EventLog) -> None:  # noqa: C901, PLR0912, PLR0915 - a rule per kind, written out
    """Check, by a walk of its own, that ``log`` keeps the references of issue 13's kinds: answers
    by addressees, counters to earlier proposals, terms that exist, extensions and violations of
    what exists, exchanges only under exchange agreements, whole days under ``within_days``.
    """
    addressees: dict[str, set[str]] = {}
    terms: dict[str, set[str]] = {}
    exchanges: set[str] = set()
    ceasefires: set[str] = set()
    originals = {e.id: e for e in log}
    for event in log:
        if isinstance(event, TermsProposed):
            assert event.proposal_id not in addressees
            addressees[event.proposal_id] = set(event.to)
        elif isinstance(event, TalksProposed):
            assert event.proposal_id not in addressees
            addressees[event.proposal_id] = {event.counterpart}
        elif isinstance(event, ProposalAnswered):
            assert event.party in addressees[event.proposal_id]
            if event.counter_proposal_id is not None:
                assert event.answer == "countered"
                assert event.counter_proposal_id in addressees
        elif isinstance(event, ProposalWithdrawn | TalksHeld | CeasefireAgreed) and event.proposal_id:
            assert event.proposal_id in addressees
        elif isinstance(event, AgreementReached):
            assert event.agreement_id not in terms
            assert event.agreement_id not in exchanges
            terms[event.agreement_id] = {t.term_id for t in event.terms}
            if any(t.within_days is not None for t in event.terms):
                assert event.occurred.is_day
            if event.proposal_id is not None:
                assert event.proposal_id in addressees
        elif isinstance(event, PrisonerExchangeAgreed):
            assert event.agreement_id not in terms
            exchanges.add(event.agreement_id)
        elif isinstance(event, PrisonersExchanged | RemainsRepatriated) and event.agreement_id:
            assert event.agreement_id in exchanges
        elif isinstance(event, AgreementStatusChanged):
            assert event.agreement_id in terms
        elif isinstance(event, CommitmentMet):
            assert event.term_id in terms[event.agreement_id]
        elif isinstance(event, AgreementExtended | ViolationReported):
            if event.agreement_id is not None:
                assert event.agreement_id in terms
            else:
                assert event.ceasefire_id in ceasefires
            if isinstance(event, ViolationReported) and event.term_id is not None:
                assert event.term_id in terms[event.agreement_id]  # type: ignore[index]  # with a term
            if isinstance(event, AgreementExtended) and event.within_days is not None:
                assert event.occurred.is_day
        elif isinstance(event, EventCorrected):
            target = originals[event.target]
            for name in ("agreement_id", "proposal_id", "ceasefire_id", "term_id"):
                assert name not in event.changes, name
            if isinstance(target, AgreementReached) and "terms" in event.changes:
                kept = {term["term_id"] for term in event.changes["terms"]}
                assert kept >= {t.term_id for t in target.terms}
        if isinstance(event, CeasefireAgreed):
            ceasefires.add(event.ceasefire_id)


@given(negotiations.testing.event_logs())
def test_generated_logs_keep_the_references_of_agreements_and_proposals(log: EventLog) -> None:
    """Drawn logs answer only by addressees, meet and break only terms that exist, and load as logs."""
    _check_new_references(log)
    assert EventLog(list(log)) == log


def test_the_checks_of_references_can_fail() -> None:
    """The walk above rejects an answer by a party that was not asked (given as a list: the log
    itself refuses it).
    """
    proposed = TermsProposed(
        id="p",
        occurred=PartialDate.parse("2025-09-29"),
        recorded=datetime(2025, 9, 29, tzinfo=UTC),
        proposal_id="plan",
        proposer=Party("USA"),
        to=(Party("ISR"),),
        title="plan",
    )
    answer = ProposalAnswered(
        id="a",
        occurred=PartialDate.parse("2025-10-03"),
        recorded=datetime(2025, 10, 3, tzinfo=UTC),
        proposal_id="plan",
        party=Party("HAMAS"),
        answer="accepted",
    )
    with pytest.raises(AssertionError):
        _check_new_references([proposed, answer])


def _reaches(strategy: st.SearchStrategy[Event], predicate: Callable[[Event], bool]) -> None:
    find(strategy, predicate, settings=settings(max_examples=1000, database=None))


def _countered(e: Event) -> bool:
    return isinstance(e, ProposalAnswered) and e.counter_proposal_id is not None


def _due_on_the_day(e: Event) -> bool:
    return isinstance(e, AgreementReached) and any(
        t.due_day(e.occurred) == e.occurred.earliest for t in e.terms
    )


def _within_days(e: Event) -> bool:
    return isinstance(e, AgreementReached) and any(t.within_days is not None for t in e.terms)


def _of_a_term(e: Event) -> bool:
    return isinstance(e, ViolationReported) and e.term_id == "t1"


def _truce_in_days(e: Event) -> bool:
    return isinstance(e, AgreementExtended) and e.ceasefire_id == "c1" and e.within_days is not None


def test_agreement_strategies_reach_the_interesting_cases() -> None:
    """The strategies draw counters, terms due the day agreed or in days, term violations, longer truces."""
    testing = negotiations.testing
    two = {"p1": (Party("ISR"),), "p2": (Party("ISR"),)}
    _reaches(testing.proposal_answered(proposal_addressees=two), _countered)
    _reaches(testing.agreement_reached(), _due_on_the_day)
    _reaches(testing.agreement_reached(), _within_days)
    _reaches(testing.violation_reported(agreement_terms={"a1": ("t1",)}), _of_a_term)
    _reaches(testing.agreement_extended(agreement_ids=("a1",), ceasefire_ids=("c1",)), _truce_in_days)


@given(st.data())
def test_agreement_strategies_take_their_pools(data: st.DataObject) -> None:
    """The new kinds refer only to what their pools hold: addressees, terms, agreements, ceasefires."""
    testing = negotiations.testing
    answer = data.draw(
        testing.proposal_answered(
            proposal_addressees={"p1": (Party("ISR"),), "p2": (Party("HAMAS"), Party("ISR"))}
        )
    )
    assert (answer.proposal_id, answer.party) in {("p1", "ISR"), ("p2", "HAMAS"), ("p2", "ISR")}
    assert answer.counter_proposal_id in {None, "p1", "p2"} - {answer.proposal_id}
    met = data.draw(testing.commitment_met(agreement_terms={"a1": (), "a2": ("t1",)}))
    assert (met.agreement_id, met.term_id) == ("a2", "t1")
    violation = data.draw(testing.violation_reported(agreement_terms={"a1": ()}, ceasefire_ids=()))
    assert (violation.agreement_id, violation.term_id) == ("a1", None)
    extended = data.draw(testing.agreement_extended(agreement_ids=(), ceasefire_ids=("c1",)))
    assert extended.ceasefire_id == "c1"
    assert extended.agreement_id is None
    with pytest.raises(ValueError, match="non-empty pool"):
        data.draw(testing.commitment_met(agreement_terms={"a1": ()}))
    with pytest.raises(ValueError, match="non-empty pool"):
        data.draw(testing.agreement_extended(agreement_ids=(), ceasefire_ids=()))


# -- the kinds of issue 14: measures, and talks with hosts, mediators and delegations ----------


def _check_measures(log: Sequence[Event] | EventLog) -> None:
    """Check, by a walk of its own, that ``log`` keeps the rules of measures: each measure id
    defined once, every move of one refers to one defined before it, a rate goes only to a
    tariff and a list of measures only to sanctions, and no correction names a measure id or
    gives a measure what its kind does not take.
    """
    kinds: dict[str, str] = {}
    moves: dict[str, MeasureChanged | MeasureSuspended] = {}
    for event in log:
        if isinstance(event, SanctionsImposed | TariffsImposed) and event.measure_id is not None:
            assert event.measure_id not in kinds
            kinds[event.measure_id] = "tariffs" if isinstance(event, TariffsImposed) else "sanctions"
        elif isinstance(event, MeasureChanged | MeasureSuspended | MeasureReinstated | MeasureLifted):
            assert event.measure_id in kinds
            if isinstance(event, MeasureChanged | MeasureSuspended):
                moves[event.id] = event
                if event.rate_percent is not None:
                    assert kinds[event.measure_id] == "tariffs"
            if isinstance(event, MeasureChanged) and event.measures:
                assert kinds[event.measure_id] == "sanctions"
                assert event.rate_percent is None
        elif isinstance(event, EventCorrected):
            assert "measure_id" not in event.changes
            moved = moves.get(event.target)
            if moved is not None and event.changes.get("rate_percent") is not None:
                assert kinds[moved.measure_id] == "tariffs"
            if moved is not None and event.changes.get("measures"):
                assert kinds[moved.measure_id] == "sanctions"


@given(negotiations.testing.event_logs())
def test_generated_logs_keep_the_rules_of_measures(log: EventLog) -> None:
    """Drawn logs define each measure once, move only measures defined, and rate only tariffs."""
    _check_measures(log)


def test_the_checks_of_measures_can_fail() -> None:
    """The walk above rejects a rate given to sanctions (given as a list: the log refuses it)."""
    imposed = SanctionsImposed(
        id="s",
        occurred=PartialDate.parse("2025-04-02"),
        recorded=datetime(2025, 4, 2, tzinfo=UTC),
        imposer=Party("USA"),
        target=Party("RUS"),
        measures=("asset freeze",),
        measure_id="m1",
    )
    changed = MeasureChanged(
        id="c",
        occurred=PartialDate.parse("2025-05-12"),
        recorded=datetime(2025, 5, 12, tzinfo=UTC),
        measure_id="m1",
        rate_percent=30.0,
    )
    with pytest.raises(AssertionError):
        _check_measures([imposed, changed])


@given(st.data())
def test_measure_strategies_take_their_pools(data: st.DataObject) -> None:
    """The moves of a measure refer only to their pool, a rate only to tariffs, measures only to sanctions."""
    testing = negotiations.testing
    kinds: dict[str, testing.MeasureKind] = {"tariff-1": "tariffs", "sanction-1": "sanctions"}
    changed = data.draw(testing.measure_changed(measure_kinds=kinds))
    assert changed.measure_id in kinds
    if changed.rate_percent is not None:
        assert changed.measure_id == "tariff-1"
    if changed.measures:
        assert changed.measure_id == "sanction-1"
    suspended = data.draw(testing.measure_suspended(measure_kinds={"sanction-1": "sanctions"}))
    assert (suspended.measure_id, suspended.rate_percent) == ("sanction-1", None)
    reinstated = data.draw(testing.measure_reinstated(measure_ids=("m1", "m2")))
    assert reinstated.measure_id in {"m1", "m2"}
    lifted = data.draw(testing.measure_lifted(measure_ids=("m1",)))
    assert lifted.measure_id == "m1"
    imposed = data.draw(testing.tariffs_imposed(measure_ids=st.just("t9")))
    assert imposed.measure_id in {None, "t9"}
    for empty in (testing.measure_changed(measure_kinds={}), testing.measure_lifted(measure_ids=())):
        with pytest.raises(ValueError, match="non-empty pool"):
            data.draw(empty)


@given(negotiations.testing.talks_held(parties=st.sampled_from([Party("UKR"), Party("RUS"), Party("TUR")])))
def test_talks_keep_hosts_and_mediators_outside_the_parties(talks: TalksHeld) -> None:
    """Drawn talks have hosts and mediators from outside their parties, and end no earlier than they began."""
    assert not set(talks.parties) & (set(talks.hosts) | set(talks.mediators))
    assert talks.ends is None or talks.ends >= talks.occurred.earliest
    assert {person.party for person in talks.delegations} <= {"UKR", "RUS", "TUR"}


def _worldwide_on_products(e: Event) -> bool:
    return isinstance(e, TariffsImposed) and e.target == ALL and bool(e.products) and e.measure_id is not None


def _announced_then_ended(e: Event) -> bool:
    return (
        isinstance(e, SanctionsImposed)
        and e.effective is not None
        and e.effective > e.occurred.latest
        and e.ends is not None
    )


def _truce_at_a_rate(e: Event) -> bool:
    return isinstance(e, MeasureSuspended) and e.until is not None and e.rate_percent is not None


def _hosted_and_mediated(e: Event) -> bool:
    return (
        isinstance(e, TalksHeld)
        and bool(set(e.hosts) & set(e.mediators))
        and e.ends is not None
        and e.ends > e.occurred.earliest
        and bool(e.delegations)
    )


def _suspended_then_reinstated(log: EventLog) -> bool:
    suspended = {e.measure_id for e in log if isinstance(e, MeasureSuspended)}
    return any(isinstance(e, MeasureReinstated) and e.measure_id in suspended for e in log)


def test_measure_strategies_reach_the_interesting_cases() -> None:
    """The strategies draw worldwide tariffs on products, measures announced ahead that end, truces at
    a rate, talks a host mediates over days, and logs that reinstate a suspended measure.
    """
    testing = negotiations.testing
    _reaches(testing.tariffs_imposed(), _worldwide_on_products)
    _reaches(testing.sanctions_imposed(), _announced_then_ended)
    _reaches(testing.measure_suspended(measure_kinds={"t1": "tariffs"}), _truce_at_a_rate)
    _reaches(testing.talks_held(), _hosted_and_mediated)
    # A log shrinks slowly, and what it shrinks to does not matter here: only that one is found.
    unshrunk = settings(max_examples=1000, database=None, phases=[Phase.generate])
    find(testing.event_logs(), _suspended_then_reinstated, settings=unshrunk)


_SUSPENDED = MeasureSuspended(
    id="s",
    occurred=PartialDate.parse("2025-05-12"),
    recorded=datetime(2025, 5, 12, tzinfo=UTC),
    measure_id="m1",
)


@given(st.data())
def test_corrections_of_a_move_keep_to_the_kind_of_its_measure(data: st.DataObject) -> None:
    """A correction of a suspension of sanctions, or of a measure of no known kind, gives it no rate."""
    sanctions: dict[str, negotiations.testing.MeasureKind] = {"m1": "sanctions"}
    for kinds in (sanctions, None):
        fix = data.draw(negotiations.testing.event_corrected(target=_SUSPENDED, measure_kinds=kinds))
        assert fix.changes.get("rate_percent") is None
        assert "measure_id" not in fix.changes


def test_corrections_of_a_move_of_tariffs_may_give_a_rate() -> None:
    """A correction of a suspension of tariffs now and then gives it a rate."""
    tariffs: dict[str, negotiations.testing.MeasureKind] = {"m1": "tariffs"}
    _reaches(
        negotiations.testing.event_corrected(target=_SUSPENDED, measure_kinds=tariffs),
        lambda fix: isinstance(fix, EventCorrected) and fix.changes.get("rate_percent") is not None,
    )
