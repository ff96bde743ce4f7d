"""The US–China tariffs of 2025, from public reporting, pinned through the sanctions view.

docs/examples/us-china-tariffs-2025.jsonl records it: the US fentanyl tariff (10% from 4 February,
20% from 4 March, 10% from 10 November); the US reciprocal tariff (34%, raised to 84% on 9 April
and 125% on 10 April); China's answers (energy and farm tariffs, a counter-tariff raised to 84%
and 125%); the Geneva talks and joint statement (increases removed, 24 points suspended for 90
days from 14 May); the truce extended on 11 and 12 August to 10 November and on 4 and 5 November
for a year; the Busan meeting of the leaders; and China's farm tariffs lifted from 10 November.
Every expected value is a literal from the sources each line names (a total, where a source
states it: 104%, 145%, 30%, 20%), never a value computed by the code under test.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from negotiations import load_log
from negotiations.cli import main
from negotiations.domain.values import Party
from negotiations.log import EventLog
from negotiations.projections import project
from negotiations.projections.measures import Measure

USA, CHN = Party("USA"), Party("CHN")
EXAMPLE = Path(__file__).parent.parent / "docs" / "examples" / "us-china-tariffs-2025.jsonl"


@pytest.fixture(scope="module")
def log() -> EventLog:
    """The example log, loaded once for the module."""
    return load_log(EXAMPLE)


def _measure(log: EventLog, measure_id: str, day: date) -> Measure:
    found = project(log, as_of=day).sanctions.measure(measure_id)
    assert found is not None
    return found


def _us_on_china(log: EventLog, day: date) -> float:
    return project(log, as_of=day).sanctions.tariff_rates(day)[USA][CHN]


def test_every_event_cites_a_source_with_a_url(log: EventLog) -> None:
    """Each of the 28 events names at least one source, each with its url."""
    assert len(log) == 28
    for event in log:
        assert event.sources
        assert all(s.url for s in event.sources)


@pytest.mark.parametrize(
    ("day", "total"),
    [
        (date(2025, 2, 4), 10.0),  # fentanyl tariff, from 4 February
        (date(2025, 3, 4), 20.0),  # raised to 20%
        (date(2025, 4, 9), 104.0),  # reciprocal 84% and fentanyl 20%: "total 104%"
        (date(2025, 4, 15), 145.0),  # reciprocal 125%: "145%", as the White House confirmed
        (date(2025, 6, 1), 30.0),  # Geneva: "145% to 30%"
        (date(2025, 11, 9), 30.0),  # the truce extended in August
        (date(2025, 11, 15), 20.0),  # fentanyl 10% and reciprocal 10%
    ],
)
def test_the_us_headline_rate_on_chinese_goods(log: EventLog, day: date, total: float) -> None:
    """The US tariff rate on Chinese goods is the total reported for each day."""
    assert _us_on_china(log, day) == total


def test_china_headline_rates_add_its_tariffs_on_different_goods(log: EventLog) -> None:
    """China's total adds its counter-tariff to its energy and farm tariffs (on some goods only):
    125 + 15 + 10 + 15 + 10 in April, 10 + 15 + 10 + 15 + 10 under the Geneva truce.
    """
    april, june = date(2025, 4, 15), date(2025, 6, 1)
    assert project(log, as_of=april).sanctions.tariff_rates(april)[CHN] == {USA: 175.0}
    assert project(log, as_of=june).sanctions.tariff_rates(june)[CHN] == {USA: 60.0}


def test_the_reciprocal_tariff_was_announced_then_raised_the_day_it_took_effect(log: EventLog) -> None:
    """Imposed on 2 April at 34% from 9 April, it was announced until then, and raised to 84%
    from that very day, then to 125% from 10 April.
    """
    assert _measure(log, "us-reciprocal-china", date(2025, 4, 8)).status(date(2025, 4, 8)) == "announced"
    for day, rate in ((date(2025, 4, 9), 84.0), (date(2025, 4, 10), 125.0)):
        measure = _measure(log, "us-reciprocal-china", day)
        assert (measure.status(day), measure.rate_percent(day)) == ("in-force", rate)


@pytest.mark.parametrize(
    ("day", "until", "days_left"),
    [
        (date(2025, 5, 14), date(2025, 8, 12), 90),  # Geneva: 90 days
        (date(2025, 8, 11), date(2025, 11, 10), 91),  # extended on 11 August, before it lapsed
        (date(2025, 11, 10), date(2026, 11, 10), 365),  # extended for a year
    ],
)
def test_the_reciprocal_tariff_is_suspended_at_ten_percent(
    log: EventLog, day: date, until: date, days_left: int
) -> None:
    """From 14 May the reciprocal tariff is suspended at 10%, until the day of its latest extension."""
    measure = _measure(log, "us-reciprocal-china", day)
    assert (measure.status(day), measure.rate_percent(day), measure.until(day)) == ("suspended", 10.0, until)
    assert measure.days_left(day) == days_left


def test_china_kept_ten_percent_through_its_matching_pauses(log: EventLog) -> None:
    """China's counter-tariff is suspended at 10% from 14 May, to 10 November from 12 August,
    and for a year from 10 November.
    """
    for day, until in (
        (date(2025, 6, 1), date(2025, 8, 12)),
        (date(2025, 8, 12), date(2025, 11, 10)),
        (date(2025, 11, 15), date(2026, 11, 10)),
    ):
        measure = _measure(log, "cn-counter-usa", day)
        assert (measure.status(day), measure.rate_percent(day), measure.until(day)) == (
            "suspended",
            10.0,
            until,
        )


def test_the_fentanyl_tariff_was_cut_from_ten_november(log: EventLog) -> None:
    """The fentanyl tariff is 20% on 9 November and 10% from 10 November, in force throughout."""
    for day, rate in ((date(2025, 11, 9), 20.0), (date(2025, 11, 10), 10.0)):
        measure = _measure(log, "us-fentanyl-china", day)
        assert (measure.status(day), measure.rate_percent(day)) == ("in-force", rate)
    history = _measure(log, "us-fentanyl-china", date(2025, 11, 15)).history
    assert [(h.kind, h.rate_percent) for h in history] == [
        ("imposed", 10.0),
        ("changed", 20.0),
        ("changed", 10.0),
    ]


def test_china_farm_tariffs_were_lifted_from_ten_november(log: EventLog) -> None:
    """Both of China's farm tariffs of 4 March are in force on 9 November and lifted from 10
    November, with no rate.
    """
    for measure_id in ("cn-farm-15", "cn-farm-10"):
        assert _measure(log, measure_id, date(2025, 11, 9)).status(date(2025, 11, 9)) == "in-force"
        lifted = _measure(log, measure_id, date(2025, 11, 10))
        assert (lifted.status(date(2025, 11, 10)), lifted.rate_percent(date(2025, 11, 10))) == (
            "lifted",
            None,
        )


def test_the_rounds_of_talks_span_days_and_name_the_delegations(log: EventLog) -> None:
    """Geneva ran 10–11 May with Bessent, Greer and He Lifeng; Busan was a meeting of leaders."""
    views = project(log, as_of=date(2025, 11, 15))
    geneva, busan = views.talks.rounds
    assert (geneva.venue, geneva.ends, [p.name for p in geneva.persons]) == (
        "Geneva",
        date(2025, 5, 11),
        ["Scott Bessent", "Jamieson Greer", "He Lifeng"],
    )
    assert (busan.level, [p.name for p in busan.persons]) == ("leaders", ["Donald Trump", "Xi Jinping"])
    contacts = [c for c in views.contacts.contacts if c.kind == "talks"]
    assert [(c.ends, c.level, [p.name for p in c.persons]) for c in contacts] == [
        (date(2025, 5, 11), None, ["Scott Bessent", "Jamieson Greer", "He Lifeng"]),
        (None, "leaders", ["Donald Trump", "Xi Jinping"]),
    ]


def test_show_json_gives_the_measures_and_the_tariff_rates(capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON of show --json as of 1 June gives the reciprocal tariff suspended until 12 August at 10%, and
    a US rate on Chinese goods of 30%.
    """
    assert main(["show", str(EXAMPLE), "--json", "--as-of", "2025-06-01", "--view", "sanctions"]) == 0
    out = json.loads(capsys.readouterr().out)["sanctions"]
    assert out["tariff_rates"]["USA"] == {"CHN": 30}
    (reciprocal,) = (m for m in out["measures"] if m["measure_id"] == "us-reciprocal-china")
    assert {k: reciprocal[k] for k in ("kind", "status", "rate_percent", "effective", "until", "ends")} == {
        "kind": "tariffs",
        "status": "suspended",
        "rate_percent": 10,
        "effective": "2025-04-09",
        "until": "2025-08-12",
        "ends": None,
    }
    assert [h["kind"] for h in reciprocal["history"]] == [
        "imposed",
        "changed",
        "changed",
        "changed",
        "suspended",
    ]
