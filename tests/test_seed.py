"""The bundled seed timeline: the facts of the July 2025 report, pinned through the views.

Every expected value here is a literal from the report (The Epoch Times, 2025-07-20), never a
value computed by the code under test.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from negotiations.domain.values import PartialDate
from negotiations.log import EventLog
from negotiations.projections import Views, project
from negotiations.seed import seed_timeline

REPORT_DAY = date(2025, 7, 20)
"""The day the report was published and its facts entered the log."""


@pytest.fixture(scope="module")
def log() -> EventLog:
    """The seed timeline, loaded once for the module."""
    return seed_timeline()


@pytest.fixture(scope="module")
def views(log: EventLog) -> Views:
    """Every view of the seed as of the report's day."""
    return project(log, as_of=REPORT_DAY)


def test_default_as_of_is_the_report_day(log: EventLog) -> None:
    """Without an as-of day, the seed's views are computed as of 2025-07-20."""
    assert project(log).as_of == date(2025, 7, 20)


def test_events_recorded_the_day_they_became_public(log: EventLog) -> None:
    """An event the report dates to a day was recorded at 18:00 UTC that day; the others when
    the report itself entered the log, 2025-07-20 18:00 UTC.
    """
    report = datetime(2025, 7, 20, 18, 0, tzinfo=UTC)
    for event in log:
        occurred = event.occurred
        if occurred.is_day and not occurred.qualifier:
            expected = datetime.combine(occurred.earliest, datetime.min.time(), UTC) + timedelta(hours=18)
        else:
            expected = report
        assert event.recorded == expected, event.id
    assert [e.recorded for e in log] == sorted(e.recorded for e in log)
    ultimatum = log.get("us-ceasefire-ultimatum-2025-07-14")
    assert ultimatum is not None
    assert ultimatum.recorded == datetime(2025, 7, 14, 18, tzinfo=UTC)


def test_every_event_has_a_quoted_source(log: EventLog, views: Views) -> None:
    """Every event on the timeline cites The Epoch Times with a quote from the report."""
    entries = views.timeline.entries
    assert len(entries) == len(log)
    for entry in entries:
        sources = views.sources_of(entry.event_id)
        assert sources, entry.event_id
        for source in sources:
            assert source.outlet == "The Epoch Times"
            assert source.quote is not None
            assert source.quote.strip()
            assert source.url is None
            assert source.published is None


def test_event_ids_are_kebab_case_slugs(log: EventLog) -> None:
    """Every event id is a lowercase kebab-case slug."""
    for event in log:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", event.id), event.id


# -- the US ultimatum -----------------------------------------------------------------------------


def test_us_deadline_falls_due_fifty_days_after_july_14(views: Views) -> None:
    """The US ultimatum of 2025-07-14, "in the following 50 days", falls due on 2025-09-02."""
    deadline = views.deadlines.by_id["us-ceasefire-ultimatum"]
    assert deadline.issuer == "USA"
    assert deadline.target == "RUS"
    assert deadline.set_on == PartialDate.parse("2025-07-14")
    assert deadline.due == date(2025, 9, 2)
    assert "cease-fire" in deadline.demand
    assert deadline.consequence is not None
    assert "100 percent" in deadline.consequence
    assert "secondary tariffs" in deadline.consequence
    assert "China" in deadline.consequence
    assert "India" in deadline.consequence


def test_us_deadline_has_44_days_left_and_is_pending_on_the_report_day(views: Views) -> None:
    """As of 2025-07-20 the US ultimatum has 44 days left and is pending."""
    deadline = views.deadlines.by_id["us-ceasefire-ultimatum"]
    assert deadline.days_left(date(2025, 7, 20)) == 44
    assert deadline.status(date(2025, 7, 20)) == "pending"


def test_us_deadline_is_pending_on_its_due_day(log: EventLog) -> None:
    """On 2025-09-02, its due day, the US ultimatum is still pending."""
    day = date(2025, 9, 2)
    deadline = project(log, as_of=day).deadlines.by_id["us-ceasefire-ultimatum"]
    assert deadline.days_left(day) == 0
    assert deadline.status(day) == "pending"


def test_us_deadline_lapses_the_day_after(log: EventLog) -> None:
    """On 2025-09-03 the US ultimatum has lapsed."""
    day = date(2025, 9, 3)
    deadline = project(log, as_of=day).deadlines.by_id["us-ceasefire-ultimatum"]
    assert deadline.days_left(day) == -1
    assert deadline.status(day) == "lapsed"


# -- positions ------------------------------------------------------------------------------------


def test_russias_territorial_demand_is_its_current_position_since_june(views: Views) -> None:
    """Russia's June demand for four provinces, about 15 percent without Crimea, is its territory stance."""
    position = views.positions.get("RUS", "territory")
    assert position is not None
    current = position.current
    assert current.since == PartialDate.parse("2025-06")
    assert "four southeastern provinces" in current.stance
    assert "partial control" in current.stance
    assert "roughly 15 percent" in current.stance
    assert "not counting Crimea" in current.stance
    assert "2014" in current.stance
    assert current.demands
    assert any("four southeastern provinces" in demand for demand in current.demands)


def test_kremlin_position_on_settlement(views: Views) -> None:
    """Peskov said on 2025-07-20 that Russia is ready to negotiate but puts its goals first."""
    position = views.positions.get("RUS", "settlement")
    assert position is not None
    current = position.current
    assert current.since == PartialDate.parse("2025-07-20")
    assert current.speaker is not None
    assert current.speaker.name == "Dmitry Peskov"
    assert current.speaker.party == "RUS"
    assert current.speaker.role == "Kremlin spokesman"
    assert "ready to negotiate" in current.stance
    assert "goals" in current.stance


def test_ukraine_wants_a_leaders_meeting_and_a_ceasefire(views: Views) -> None:
    """On 2025-07-19 Zelenskyy called for a leaders' meeting, a faster pace and a ceasefire."""
    talks = views.positions.get("UKR", "talks")
    ceasefire = views.positions.get("UKR", "ceasefire")
    assert talks is not None
    assert ceasefire is not None
    assert talks.current.since == PartialDate.parse("2025-07-19")
    assert "leadership level" in talks.current.stance
    assert "pace" in talks.current.stance
    assert "stop avoiding decisions" in talks.current.stance
    assert ceasefire.current.since == PartialDate.parse("2025-07-19")
    assert "ceasefire" in ceasefire.current.stance
    for position in (talks, ceasefire):
        assert position.current.speaker is not None
        assert position.current.speaker.name == "Volodymyr Zelenskyy"


# -- sanctions and aid ----------------------------------------------------------------------------


def test_eu_sanctions_on_russian_energy(views: Views) -> None:
    """The EU agreed sanctions on Russia's energy sector on 2025-07-18."""
    packages = [p for p in views.sanctions.sanctions if p.imposer == "EU" and p.target == "RUS"]
    assert len(packages) == 1
    (package,) = packages
    assert package.occurred == PartialDate.parse("2025-07-18")
    assert package.sectors == ("energy",)
    assert views.sanctions.tariffs == ()


def test_patriot_systems_announced_on_july_14(views: Views) -> None:
    """The US announced military aid to Ukraine on 2025-07-14, including Patriot systems."""
    (announcement,) = views.aid.announcements
    assert announcement.occurred == PartialDate.parse("2025-07-14")
    assert (announcement.donor, announcement.recipient) == ("USA", "UKR")
    assert announcement.category == "military"
    assert "Patriot missile defense systems" in announcement.items


def test_pentagon_pause_is_no_longer_active(views: Views) -> None:
    """The Pentagon's pause of weapons to Ukraine in July 2025 was reversed by Trump."""
    (pause,) = views.aid.pauses
    assert (pause.donor, pause.recipient, pause.category) == ("USA", "UKR", "military")
    assert pause.since == PartialDate.parse("2025-07")
    assert pause.reason is not None
    assert "capability review" in pause.reason
    assert pause.resumed == PartialDate.parse("2025-07")
    assert not pause.active
    assert views.aid.active_pauses() == ()


# -- talks, exchanges, contacts -------------------------------------------------------------------


def test_both_rounds_in_turkey_count_on_the_report_day(views: Views) -> None:
    """Round 1 (dated only 2025) and round 2 (June 2025) in Turkey count as of 2025-07-20."""
    rounds = views.talks.rounds
    assert [r.round for r in rounds] == [1, 2]
    assert [r.occurred for r in rounds] == [PartialDate.parse("2025"), PartialDate.parse("2025-06")]
    for held in rounds:
        assert held.venue == "Turkey"
        assert set(held.parties) == {"RUS", "UKR"}
    assert rounds[1].summary is not None
    assert "no progress" in rounds[1].summary


def test_ukraines_two_proposals_are_pending(views: Views) -> None:
    """Ukraine's proposals of 2025-07-19, new talks and a leaders' meeting, are both pending."""
    pending = {p.proposal_id: p for p in views.talks.pending_proposals()}
    assert set(pending) == {"ukr-new-round-2025-07", "ukr-leaders-meeting-2025-07"}
    delegations = pending["ukr-new-round-2025-07"]
    leaders = pending["ukr-leaders-meeting-2025-07"]
    assert delegations.level == "delegations"
    assert leaders.level == "leaders"
    for proposal in (delegations, leaders):
        assert (proposal.proposer, proposal.counterpart) == ("UKR", "RUS")
        assert proposal.proposed_on == PartialDate.parse("2025-07-19")
    umerov, zelenskyy = delegations.proposed_by, leaders.proposed_by
    assert umerov is not None
    assert (umerov.name, umerov.party, umerov.role) == ("Rustem Umerov", "UKR", "Defense Minister")
    assert zelenskyy is not None
    assert (zelenskyy.name, zelenskyy.party, zelenskyy.role) == ("Volodymyr Zelenskyy", "UKR", "President")


def test_istanbul_agreement_is_in_the_exchanges_view(views: Views) -> None:
    """The Istanbul prisoner-exchange agreements between Ukraine and Russia give no numbers."""
    agreement = views.exchanges.agreements["istanbul-agreements"]
    assert set(agreement.parties) == {"UKR", "RUS"}
    assert agreement.venue == "Istanbul"
    assert agreement.agreed_on == PartialDate.parse("2025")
    assert agreement.owed is None
    assert agreement.per_side is None
    assert agreement.status == "pending"


def test_us_russia_call_on_july_3(views: Views) -> None:
    """Trump and Putin spoke by phone on 2025-07-03 about a cease-fire with Ukraine."""
    (call,) = views.contacts.between("USA", "RUS")
    assert call.event_id == "us-ru-call-2025-07-03"
    assert call.kind == "call"
    assert call.occurred == PartialDate.parse("2025-07-03")
    people = {(p.name, p.party, p.role) for p in call.persons}
    assert people == {("Donald Trump", "USA", "President"), ("Vladimir Putin", "RUS", "President")}
    assert call.summary is not None
    assert "cease-fire" in call.summary


def test_statements_on_the_timeline(views: Views) -> None:
    """Trump's no-progress remark, Zelenskyy's Telegram post and Peskov's remark are on the timeline."""
    statements = {e.event_id: e for e in views.timeline.entries if e.type == "StatementMade"}
    trump = statements["trump-no-progress-2025-07-03"]
    assert "no progress" in views.summary_of(trump.event_id)
    assert "not happy" in views.summary_of(trump.event_id)
    zelenskyy = statements["zelenskyy-prisoner-exchanges-2025-07-19"]
    assert zelenskyy.occurred == PartialDate.parse("2025-07-19")
    assert "Istanbul" in views.summary_of(zelenskyy.event_id)
    assert "another exchange" in views.summary_of(zelenskyy.event_id)
    peskov = statements["peskov-on-trump-rhetoric-2025-07-20"]
    assert peskov.occurred == PartialDate.parse("2025-07-20")
    assert "peace agreement" in views.summary_of(peskov.event_id)


# -- as of an earlier day -------------------------------------------------------------------------


def test_july_14_and_later_facts_are_absent_as_of_july_10(log: EventLog) -> None:
    """As of 2025-07-10 the deadline, the Patriot announcement and the EU sanctions are absent."""
    earlier = project(log, as_of=date(2025, 7, 10))
    assert "us-ceasefire-ultimatum" not in earlier.deadlines.by_id
    assert earlier.aid.announcements == ()
    assert earlier.sanctions.sanctions == ()
    assert earlier.talks.proposals == {}
    assert [c.event_id for c in earlier.contacts.between("USA", "RUS")] == ["us-ru-call-2025-07-03"]
