"""The agreements and talks views on real sequences, worked by hand: the 2025 Gaza plan and the
first phase of the deal that followed it, and the US-China tariff truce extended twice.

The facts, as Reuters and the Associated Press reported them: on 29 September 2025 the United
States published a 20-point plan to end the war in Gaza, and Israel's prime minister accepted it at
the White House that day. On 3 October Hamas answered that it would release all hostages and hand
Gaza's administration to a technocratic body, saying other points had to be settled within a
Palestinian national framework. On 9 October Israel and Hamas agreed the first phase in Sharm
el-Sheikh, mediated by the United States, Egypt, Qatar and Turkey; Israel's government approved it
and the ceasefire took effect on 10 October, with Israeli troops pulling back to the agreed line
that day. The 20 living hostages were released on 13 October, 72 hours after it took effect, and
Israel freed Palestinian prisoners, 250 of them serving life sentences, the same day; of the
remains of the deceased hostages, due within the same 72 hours, only some had been handed over by
20 October. On 19 October Israel accused Hamas of attacking its troops in Rafah, and Hamas accused
Israel of breaking the ceasefire with its strikes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from negotiations.codec import structure_view, unstructure_view
from negotiations.domain.events import (
    AgreementExtended,
    AgreementReached,
    AgreementStatusChanged,
    CommitmentMet,
    Event,
    ProposalAnswered,
    Term,
    TermsProposed,
    ViolationReported,
)
from negotiations.domain.values import PartialDate, Party, Source
from negotiations.projections import Agreements, Talks, project
from negotiations.render import views_to_json, views_to_text

RECORDED = datetime(2025, 10, 21, 9, 0, tzinfo=UTC)
ISR, HAM, USA, EGY, QAT, TUR = (Party(p) for p in ("ISR", "HAM", "USA", "EGY", "QAT", "TUR"))
REUTERS, AP = Source(outlet="Reuters"), Source(outlet="Associated Press")


def _env(event_id: str, day: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "occurred": PartialDate.parse(day),
        "recorded": RECORDED,
        "sources": (REUTERS, AP),
    }


LOG: tuple[Event, ...] = (
    TermsProposed(
        **_env("plan", "2025-09-29"),
        proposal_id="gaza-plan",
        proposer=USA,
        to=(ISR, HAM),
        title="Comprehensive plan to end the Gaza conflict (20 points)",
    ),
    ProposalAnswered(
        **_env("israel-accepts", "2025-09-29"), proposal_id="gaza-plan", party=ISR, answer="accepted"
    ),
    ProposalAnswered(
        **_env("hamas-answers", "2025-10-03"),
        proposal_id="gaza-plan",
        party=HAM,
        answer="accepted",
        conditions=("other points to be settled within a Palestinian national framework",),
        summary="will release all hostages and hand Gaza's administration to a technocratic body",
    ),
    AgreementReached(
        **_env("first-phase", "2025-10-09"),
        agreement_id="gaza-first-phase",
        parties=(ISR, HAM),
        title="First phase of the Gaza plan",
        stage="ceasefire",
        mediators=(USA, EGY, QAT, TUR),
        proposal_id="gaza-plan",
        terms=(
            Term(
                term_id="withdrawal",
                party=ISR,
                commitment="pull troops back to the agreed line",
                within_days=1,
            ),
            Term(
                term_id="hostages",
                party=HAM,
                commitment="release the living hostages",
                due=date(2025, 10, 13),
                quantity=20.0,
                unit="hostages",
            ),
            Term(
                term_id="remains",
                party=HAM,
                commitment="hand over the deceased hostages' remains",
                due=date(2025, 10, 13),
            ),
            Term(
                term_id="prisoners",
                party=ISR,
                commitment="free prisoners serving life sentences",
                due=date(2025, 10, 13),
                quantity=250.0,
                unit="prisoners",
            ),
        ),
    ),
    AgreementStatusChanged(
        **_env("approved", "2025-10-10"), agreement_id="gaza-first-phase", status="ratified"
    ),
    AgreementStatusChanged(
        **_env("in-effect", "2025-10-10"), agreement_id="gaza-first-phase", status="in-force"
    ),
    CommitmentMet(**_env("pulled-back", "2025-10-10"), agreement_id="gaza-first-phase", term_id="withdrawal"),
    CommitmentMet(
        **_env("hostages-freed", "2025-10-13"), agreement_id="gaza-first-phase", term_id="hostages"
    ),
    CommitmentMet(
        **_env("prisoners-freed", "2025-10-13"), agreement_id="gaza-first-phase", term_id="prisoners"
    ),
    ViolationReported(
        **_env("israel-alleges", "2025-10-19"),
        agreement_id="gaza-first-phase",
        accuser=ISR,
        accused=HAM,
        summary="militants attacked troops in Rafah",
    ),
    ViolationReported(
        **_env("hamas-alleges", "2025-10-19"),
        agreement_id="gaza-first-phase",
        accuser=HAM,
        accused=ISR,
        summary="strikes on Gaza",
    ),
)


def test_the_plan_is_accepted_by_both_then_taken_up_by_the_deal() -> None:
    """The plan is pending, then accepted once both addressees accept, then taken up by the deal."""
    on_30th = project(LOG, as_of=date(2025, 9, 30)).talks.proposals["gaza-plan"]
    assert (on_30th.status, dict(on_30th.answers), on_30th.pending) == ("pending", {ISR: "accepted"}, True)
    on_5th = project(LOG, as_of=date(2025, 10, 5)).talks.proposals["gaza-plan"]
    assert on_5th.status == "accepted"
    assert on_5th.responses[-1].conditions == (
        "other points to be settled within a Palestinian national framework",
    )
    on_20th = project(LOG, as_of=date(2025, 10, 20)).talks.proposals["gaza-plan"]
    assert (on_20th.status, on_20th.kind, on_20th.to) == ("taken-up", "terms", (ISR, HAM))
    assert on_20th.settled_by is not None
    assert on_20th.settled_by.event_id == "first-phase"


def _terms(as_of: date) -> dict[str, str]:
    accord = project(LOG, as_of=as_of).agreements.by_id["gaza-first-phase"]
    return {t.term_id: t.status(as_of) for t in accord.terms}


def test_terms_are_met_on_time_or_overdue_day_by_day() -> None:
    """Withdrawal is met the day after signing; on the due day the rest are met or still pending."""
    assert _terms(date(2025, 10, 9)) == {
        "withdrawal": "pending",
        "hostages": "pending",
        "remains": "pending",
        "prisoners": "pending",
    }
    assert _terms(date(2025, 10, 12)) == {
        "withdrawal": "met",
        "hostages": "pending",
        "remains": "pending",
        "prisoners": "pending",
    }
    assert _terms(date(2025, 10, 13)) == {
        "withdrawal": "met",
        "hostages": "met",
        "remains": "pending",
        "prisoners": "met",
    }
    assert _terms(date(2025, 10, 14))["remains"] == "overdue"


def test_the_deal_is_in_force_and_the_violations_are_allegations() -> None:
    """The deal is in force from the 10th; each side's allegation is listed and changes nothing."""
    views = project(LOG, as_of=date(2025, 10, 20))
    accord = views.agreements.by_id["gaza-first-phase"]
    assert (accord.status, accord.in_force(date(2025, 10, 20)), accord.days_left(date(2025, 10, 20))) == (
        "in-force",
        True,
        None,
    )
    assert [(c.kind, c.status, c.event_id) for c in accord.history] == [
        ("status", "ratified", "approved"),
        ("status", "in-force", "in-effect"),
    ]
    assert [(v.accuser, v.accused) for v in accord.violations] == [(ISR, HAM), (HAM, ISR)]
    assert (
        project(LOG, as_of=date(2025, 10, 9)).agreements.by_id["gaza-first-phase"].in_force(date(2025, 10, 9))
    )


def test_the_json_has_the_contract_keys_and_the_evidence() -> None:
    """Show --json gives each agreement, term and violation the issue's keys, and their events."""
    (deal,) = views_to_json(project(LOG, as_of=date(2025, 10, 20)), ("agreements",))["agreements"]
    contract = ["agreement_id", "title", "parties", "stage", "status", "mediators", "guarantors"]
    contract += ["agreed_on", "starts", "ends", "in_force", "days_left", "terms", "violations", "history"]
    assert list(deal)[: len(contract)] == contract
    assert (deal["agreed_on"], deal["status"], deal["in_force"], deal["mediators"]) == (
        "2025-10-09",
        "in-force",
        True,
        ["USA", "EGY", "QAT", "TUR"],
    )
    hostages = deal["terms"][1]
    assert {k: hostages[k] for k in ("term_id", "party", "due", "quantity", "unit", "status")} == {
        "term_id": "hostages",
        "party": "HAM",
        "due": "2025-10-13",
        "quantity": 20.0,
        "unit": "hostages",
        "status": "met",
    }
    assert deal["terms"][0]["due"] == "2025-10-10"  # within one day of the 9th
    assert hostages["met_by"]["event_id"] == "hostages-freed"
    violation = deal["violations"][0]
    assert {
        k: violation[k] for k in ("event_id", "occurred", "accuser", "accused", "term_id", "summary")
    } == {
        "event_id": "israel-alleges",
        "occurred": "2025-10-19",
        "accuser": "ISR",
        "accused": "HAM",
        "term_id": None,
        "summary": "militants attacked troops in Rafah",
    }
    assert [s["outlet"] for s in violation["sources"]] == ["Reuters", "Associated Press"]


def test_show_prints_agreements_then_terms_then_allegations() -> None:
    """The text view is three tables in order, and a violation reads as one side's allegation."""
    text = views_to_text(project(LOG, as_of=date(2025, 10, 20)), ("agreements",), width=200)
    first, terms, violations = text.split("\n\n")
    assert "gaza-first-phase  ISR-HAM  2025-10-09  in-force" in first
    assert "mediators: USA, EGY, QAT, TUR" in first
    assert "remains     HAM    2025-10-13  overdue" in terms
    assert "hostages    HAM    2025-10-13  met" in terms
    assert "ISR alleges that HAM broke it: militants attacked troops in Rafah." in violations
    assert "HAM alleges that ISR broke it: strikes on Gaza." in violations
    assert violations.splitlines()[0].split() == [
        "ALLEGED",
        "ON",
        "AGREEMENT",
        "TERM",
        "ALLEGED",
        "BY",
        "AGAINST",
        "ALLEGATION",
    ]


def test_the_views_round_trip_through_the_snapshot_codec() -> None:
    """A saved snapshot of the agreements and talks views reads back as the very views."""
    views = project(LOG, as_of=date(2025, 10, 20))
    assert structure_view(unstructure_view(views.agreements), Agreements) == views.agreements
    assert structure_view(unstructure_view(views.talks), Talks) == views.talks


# The US-China tariff truce, as Reuters reported it: agreed in Geneva on 12 May 2025 for 90 days
# from 14 May (to 12 August), extended on 11 August by 90 days (to 10 November), and extended on
# 4 November for a year (to 10 November 2026).
CHN = Party("CHN")
TRUCE: tuple[Event, ...] = (
    AgreementReached(
        **_env("geneva", "2025-05-12"),
        agreement_id="tariff-truce",
        parties=(USA, CHN),
        title="Geneva tariff truce",
        starts=date(2025, 5, 14),
        ends=date(2025, 8, 12),
    ),
    AgreementExtended(**_env("first-extension", "2025-08-11"), agreement_id="tariff-truce", within_days=91),
    AgreementExtended(
        **_env("second-extension", "2025-11-04"), agreement_id="tariff-truce", ends=date(2026, 11, 10)
    ),
)


def test_a_truce_extended_twice_ends_on_its_last_end_day() -> None:
    """The truce ends on 12 August, then on 10 November, then on 10 November 2026; in force between."""

    def standing(day: date) -> tuple[object, ...]:
        truce = project(TRUCE, as_of=day).agreements.by_id["tariff-truce"]
        return truce.ends, truce.in_force(day), truce.days_left(day)

    assert standing(date(2025, 5, 13)) == (date(2025, 8, 12), False, 91)
    assert standing(date(2025, 8, 10)) == (date(2025, 8, 12), True, 2)
    assert standing(date(2025, 8, 11)) == (date(2025, 11, 10), True, 91)
    assert standing(date(2025, 11, 10)) == (date(2026, 11, 10), True, 365)
    history = project(TRUCE).agreements.by_id["tariff-truce"].history
    assert [(c.kind, c.ends) for c in history] == [
        ("extended", date(2025, 11, 10)),
        ("extended", date(2026, 11, 10)),
    ]


def test_the_talks_json_gives_a_proposal_its_kind_addressees_answers_and_status() -> None:
    """Show --json gives the plan its kind, addressees, co-proposers, answers, status and pending."""
    (plan,) = views_to_json(project(LOG, as_of=date(2025, 10, 5)), ("talks",))["talks"]["proposals"]
    got = {k: plan[k] for k in ("kind", "to", "co_proposers", "answers", "status", "pending")}
    assert got == {
        "kind": "terms",
        "to": ["ISR", "HAM"],
        "co_proposers": [],
        "answers": {"ISR": "accepted", "HAM": "accepted"},
        "status": "accepted",
        "pending": False,
    }
