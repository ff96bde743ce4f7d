"""The Gaza ceasefire deal of October 2025, from public reporting, pinned through the timeline.

docs/examples/gaza-ceasefire-2025.jsonl records it: the US 20-point plan (29 September), Israel's
acceptance, Hamas's answer with conditions (3 October), the first-phase agreement (9 October),
the ceasefire in force (10 October), the living hostages freed (13 October) and the violations
each side alleged. Every expected value here is a literal from the sources each line names,
never a value computed by the code under test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from negotiations import load_log
from negotiations.domain.events import AgreementReached, CommitmentMet, ProposalAnswered
from negotiations.log import EventLog
from negotiations.projections import Views, project

EXAMPLE = Path(__file__).parent.parent / "docs" / "examples" / "gaza-ceasefire-2025.jsonl"
AS_OF = date(2025, 10, 20)
"""The day after the last facts recorded: the violations alleged on 19 October."""


@pytest.fixture(scope="module")
def log() -> EventLog:
    """The example log, loaded once for the module."""
    return load_log(EXAMPLE)


@pytest.fixture(scope="module")
def views(log: EventLog) -> Views:
    """Every view of the example, as of the day after its last fact."""
    return project(log, as_of=AS_OF)


def test_the_timeline_runs_from_the_plan_to_the_violations(views: Views) -> None:
    """The timeline lists the nine reported events in the order they happened."""
    assert [(str(e.occurred), e.type) for e in views.timeline.entries] == [
        ("2025-09-29", "TermsProposed"),
        ("2025-09-29", "ProposalAnswered"),
        ("2025-10-03", "ProposalAnswered"),
        ("2025-10-09", "AgreementReached"),
        ("2025-10-10", "AgreementStatusChanged"),
        ("2025-10-13", "CommitmentMet"),
        ("2025-10-13", "ViolationReported"),
        ("2025-10-19", "ViolationReported"),
        ("2025-10-19", "ViolationReported"),
    ]


def test_the_plan_went_from_the_united_states_to_both_sides(views: Views) -> None:
    """The plan is the United States' 20-point plan, put to Israel and Hamas."""
    plan = views.summary_of(views.timeline.entries[0].event_id)
    assert plan.startswith("USA proposes 20-point plan to end the war in Gaza")
    assert plan.endswith("to ISR–HAMAS")


def test_israel_accepted_and_hamas_accepted_with_conditions(log: EventLog, views: Views) -> None:
    """Israel accepted outright; Hamas accepted, on conditions that include the field conditions."""
    israel, hamas = views.timeline.entries[1:3]
    assert views.summary_of(israel.event_id) == "ISR accepts proposal us-gaza-20-point-plan"
    assert views.summary_of(hamas.event_id).startswith(
        "HAMAS accepts proposal us-gaza-20-point-plan, with conditions: "
    )
    assert "field conditions" in views.summary_of(hamas.event_id)
    answers = [e for e in log if isinstance(e, ProposalAnswered)]
    assert [(a.party, a.answer, len(a.conditions)) for a in answers] == [
        ("ISR", "accepted", 0),
        ("HAMAS", "accepted", 4),
    ]


def test_the_agreement_was_signed_with_four_mediators(log: EventLog, views: Views) -> None:
    """Israel and Hamas signed the first phase; the US, Egypt, Qatar and Turkey mediated and guarantee it."""
    entry = views.timeline.entries[3]
    assert "ISR–HAMAS reach First phase of the Gaza ceasefire and hostage deal" in views.summary_of(
        entry.event_id
    )
    assert "signed" in views.summary_of(entry.event_id)
    assert "mediated by USA–EGY–QAT–TUR" in views.summary_of(entry.event_id)
    (deal,) = (e for e in log if isinstance(e, AgreementReached))
    assert deal.guarantors == ("USA", "EGY", "QAT", "TUR")
    assert deal.proposal_id == "us-gaza-20-point-plan"


def test_the_living_hostages_were_freed_on_the_day_they_were_due(log: EventLog, views: Views) -> None:
    """The 20 living hostages, due 72 hours after the ceasefire of 10 October, were freed on 13 October."""
    (deal,) = (e for e in log if isinstance(e, AgreementReached))
    hostages = next(t for t in deal.terms if t.term_id == "living-hostages")
    assert (hostages.party, hostages.due, hostages.quantity) == ("HAMAS", date(2025, 10, 13), 20)
    (met,) = (e for e in log if isinstance(e, CommitmentMet))
    assert (met.term_id, str(met.occurred)) == ("living-hostages", "2025-10-13")
    assert views.summary_of(views.timeline.entries[5].event_id).startswith(
        "agreement gaza-first-phase: term living-hostages met"
    )


def test_each_side_alleged_violations_by_the_other(views: Views) -> None:
    """The timeline shows who alleged each violation: Israel twice (once of a term), Hamas once."""
    alleged = [
        views.summary_of(e.event_id).split(" of breaking ")[0]
        for e in views.timeline.entries
        if e.type == "ViolationReported"
    ]
    assert alleged == ["ISR accuses HAMAS", "ISR accuses HAMAS", "HAMAS accuses ISR"]
    assert "(term deceased-hostages)" in views.summary_of(views.timeline.entries[6].event_id)


def test_every_event_names_its_sources(views: Views) -> None:
    """Every event cites at least one outlet with a url and a publication day no earlier than the event."""
    for entry in views.timeline.entries:
        sources = views.sources_of(entry.event_id)
        assert sources, entry.event_id
        for source in sources:
            assert source.url is not None
            assert source.url.startswith("http")
            assert source.published is not None
            assert source.published >= entry.occurred.earliest
