"""Measures in force (issue 14): properties over drawn lives of a few sanctions and tariff
measures, each against a plain oracle over the event list written from the issue's rules, and
one example for each status.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from negotiations.codec import structure_view, unstructure_view
from negotiations.domain.events import (
    ALL,
    Event,
    MeasureChanged,
    MeasureLifted,
    MeasureReinstated,
    MeasureSuspended,
    SanctionsImposed,
    TariffsImposed,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.log import EventLog
from negotiations.projections import SANCTIONS, LiveViews, Sanctions, SanctionsPackage, Tariff, Views, project
from negotiations.projections.measures import Measure
from negotiations.render import views_to_json, views_to_text

RECORDED = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
START = date(2025, 3, 1)
USA, CHN, EU = Party("USA"), Party("CHN"), Party("EU")
Moving = MeasureChanged | MeasureSuspended | MeasureReinstated | MeasureLifted
Imposed = SanctionsImposed | TariffsImposed


def _env(event_id: str, day: date) -> dict[str, Any]:
    return {"id": event_id, "occurred": PartialDate.of(day), "recorded": RECORDED}


def _day(offset: int) -> date:
    return START + timedelta(days=offset)


_OFFSETS = st.integers(min_value=-2, max_value=14)
_MAYBE_DAY = st.one_of(st.none(), st.builds(_day, _OFFSETS))
_RATES = st.integers(min_value=0, max_value=150).map(float)


# -- drawing the lives of a few measures -----------------------------------------------------------


@st.composite
def _imposition(draw: st.DrawFn, n: int) -> Imposed:
    """The n-th measure: sanctions or tariffs, named or not, from a day, until a day or not."""
    occurred = _day(draw(st.integers(0, 4)))
    # Effective before it occurred too: a measure may be recorded as taking effect backwards.
    effective = draw(st.one_of(st.none(), st.builds(_day, st.integers(-1, 6))))
    start = effective or occurred
    ends = draw(st.one_of(st.none(), st.integers(0, 8).map(lambda k: start + timedelta(days=k))))
    named = draw(st.booleans()) or n == 0
    common: dict[str, Any] = {
        **_env(f"impose-{n}", occurred),
        "imposer": draw(st.sampled_from([USA, CHN])),
        "target": draw(st.sampled_from([CHN, USA, ALL])),
        "measure_id": f"m{n}" if named else None,
        "effective": effective,
        "ends": ends,
    }
    if draw(st.booleans()):
        return TariffsImposed(**common, rate_percent=draw(_RATES), products=("goods",))
    return SanctionsImposed(
        **common, measures=("asset freeze",), sectors=draw(st.sampled_from([(), ("energy",)]))
    )


@st.composite
def _move(draw: st.DrawFn, n: int, measure: Imposed) -> Moving:
    """A change, suspension, reinstatement or lift of ``measure``, with its own effective day or
    none, as only its kind may take (a rate for tariffs, a list of measures for sanctions).
    """
    assert measure.measure_id is not None
    occurred = _day(draw(_OFFSETS))
    effective = draw(_MAYBE_DAY)
    env = {**_env(f"move-{n}", occurred), "measure_id": measure.measure_id, "effective": effective}
    tariffs = isinstance(measure, TariffsImposed)
    kind = draw(st.sampled_from(["changed", "suspended", "reinstated", "lifted"]))
    if kind == "changed":
        if tariffs:
            return MeasureChanged(**env, rate_percent=draw(_RATES))
        return MeasureChanged(
            **env, measures=(f"measures of {n}",), sectors=draw(st.sampled_from([(), ("oil",)]))
        )
    if kind == "suspended":
        first = effective or occurred
        until = draw(st.one_of(st.none(), st.integers(0, 6).map(lambda k: first + timedelta(days=k))))
        rate = draw(st.one_of(st.none(), _RATES)) if tariffs else None
        return MeasureSuspended(**env, until=until, rate_percent=rate)
    if kind == "reinstated":
        return MeasureReinstated(**env)
    return MeasureLifted(**env)


@st.composite
def measure_lives(draw: st.DrawFn) -> tuple[list[Event], date]:
    """One to three measures, each imposed before the events that move it (as the log requires),
    those events interleaved, and an as-of day that is often a day where a rule turns.
    """
    impositions = [draw(_imposition(n)) for n in range(draw(st.integers(1, 3)))]
    log: list[Event] = list(impositions)
    named = [m for m in impositions if m.measure_id is not None]
    log.extend(draw(_move(n, draw(st.sampled_from(named)))) for n in range(draw(st.integers(0, 8))))
    edges = [e.effective_on for e in log if isinstance(e, Imposed | Moving)]
    edges += [d + timedelta(days=k) for e in log for d in (_ends(e),) if d is not None for k in (0, 1)]
    as_of = draw(st.one_of(st.builds(_day, st.integers(-3, 18)), st.sampled_from(edges)))
    return log, as_of


def _ends(event: Event) -> date | None:
    """The last day of a measure or of a suspension."""
    if isinstance(event, Imposed):
        return event.ends
    return event.until if isinstance(event, MeasureSuspended) else None


# -- the oracle: plain loops over the event list, from the rules ---------------------------


def _applies_from(event: Imposed | Moving) -> date:
    return event.effective if event.effective is not None else event.occurred.earliest


def _oracle_status(
    imposition: Imposed, applying: Sequence[tuple[int, Moving]], as_of: date
) -> tuple[str, MeasureSuspended | MeasureReinstated | None]:
    """The status by the rule, and the latest suspension or reinstatement that applies."""
    lifts = [_applies_from(e) for _, e in applying if isinstance(e, MeasureLifted)]
    pauses = [
        (_applies_from(e), n, e) for n, e in applying if isinstance(e, MeasureSuspended | MeasureReinstated)
    ]
    latest_pause = max(pauses, key=lambda t: (t[0], t[1]))[2] if pauses else None
    ends = imposition.ends
    if as_of < _applies_from(imposition):
        return "announced", latest_pause
    if lifts and (ends is None or min(lifts) <= ends + timedelta(days=1)):
        return "lifted", latest_pause
    if ends is not None and as_of > ends:
        return "expired", latest_pause
    if isinstance(latest_pause, MeasureSuspended) and (
        latest_pause.until is None or as_of <= latest_pause.until
    ):
        return "suspended", latest_pause
    return "in-force", latest_pause


def _oracle_rate(
    imposition: Imposed, applying: Sequence[tuple[int, Moving]], status: str, pause: Event | None
) -> float | None:
    """The rate by the rule: the suspended rate, or the latest change's, or the one imposed."""
    if not isinstance(imposition, TariffsImposed) or status not in {"in-force", "suspended"}:
        return None
    if status == "suspended":
        assert isinstance(pause, MeasureSuspended)
        return pause.rate_percent if pause.rate_percent is not None else 0.0
    rate, best = imposition.rate_percent, None
    for n, e in applying:
        if isinstance(e, MeasureChanged) and e.rate_percent is not None:
            key = (_applies_from(e), n)
            if best is None or key >= best:
                best, rate = key, e.rate_percent
    return rate


def _oracle(log: Sequence[Event], as_of: date) -> dict[str, tuple[str, float | None, date | None]]:
    """Each measure counted as of ``as_of``, by the id it is listed under: status, rate, until."""
    out: dict[str, tuple[str, float | None, date | None]] = {}
    counted = [(n, e) for n, e in enumerate(log) if e.occurred.earliest <= as_of]
    for _, imposition in counted:
        if not isinstance(imposition, Imposed):
            continue
        applying = [
            (n, e)
            for n, e in counted
            if isinstance(e, Moving)
            and imposition.measure_id is not None
            and e.measure_id == imposition.measure_id
            and _applies_from(e) <= as_of
        ]
        status, pause = _oracle_status(imposition, applying, as_of)
        rate = _oracle_rate(imposition, applying, status, pause)
        until = pause.until if status == "suspended" and isinstance(pause, MeasureSuspended) else None
        out[imposition.measure_id or imposition.id] = (status, rate, until)
    return out


def _oracle_rates(log: Sequence[Event], as_of: date) -> dict[str, dict[str, float]]:
    standing = _oracle(log, as_of)
    rates: dict[str, dict[str, float]] = {}
    for event in log:
        if isinstance(event, TariffsImposed) and (event.measure_id or event.id) in standing:
            status, rate, _ = standing[event.measure_id or event.id]
            if status in {"in-force", "suspended"}:
                targets = rates.setdefault(event.imposer, {})
                targets[event.target] = targets.get(event.target, 0.0) + (rate or 0.0)
    return rates


def _standing(measure: Measure, as_of: date) -> tuple[str, float | None, date | None]:
    return measure.status(as_of), measure.rate_percent(as_of), measure.until(as_of)


# -- properties ------------------------------------------------------------------------------------


@given(measure_lives())
def test_drawn_lives_are_logs_the_library_accepts(life: tuple[list[Event], date]) -> None:
    """Every drawn life is a valid log: each move refers to a measure of its own kind."""
    log, _ = life
    assert len(EventLog(log)) == len(log)


@given(measure_lives())
def test_status_rate_and_until_follow_the_rule(life: tuple[list[Event], date]) -> None:
    """For any sequence of changes, suspensions, reinstatements and lifts, each measure's status,
    rate and until as of a day are those the rules give.
    """
    log, as_of = life
    view = project(log, as_of=as_of).sanctions
    assert {m.listed_id: _standing(m, as_of) for m in view.measures} == _oracle(log, as_of)


@given(measure_lives())
def test_tariff_rates_are_the_sums_of_the_measures_in_force_or_suspended(
    life: tuple[list[Event], date],
) -> None:
    """tariff_rates sums, by imposer and target, the rates of the tariff measures in force or
    suspended: both over the listed measures and by the oracle.
    """
    log, as_of = life
    view = project(log, as_of=as_of).sanctions
    rates = {imposer: dict(targets) for imposer, targets in view.tariff_rates(as_of).items()}
    listed: dict[str, dict[str, float]] = {}
    for m in view.measures:
        if m.kind == "tariffs" and m.status(as_of) in {"in-force", "suspended"}:
            targets = listed.setdefault(m.imposer, {})
            targets[m.target] = targets.get(m.target, 0.0) + (m.rate_percent(as_of) or 0.0)
    assert rates == listed == _oracle_rates(log, as_of)


@given(measure_lives())
def test_the_lists_are_the_impositions_and_moves_never_change_them(life: tuple[list[Event], date]) -> None:
    """The sanctions and tariffs lists hold every imposition in order of day (one day in log
    order), as written by hand from the events, and the same without the events that move them.
    """
    log, as_of = life
    counted = sorted((e for e in log if e.occurred.earliest <= as_of), key=lambda e: e.occurred.sort_rank)
    expected_sanctions = [
        SanctionsPackage(
            event_id=e.id,
            occurred=e.occurred,
            imposer=e.imposer,
            target=e.target,
            measures=e.measures,
            sectors=e.sectors,
            package=e.package,
        )
        for e in counted
        if isinstance(e, SanctionsImposed)
    ]
    expected_tariffs = [
        Tariff(
            event_id=e.id,
            occurred=e.occurred,
            imposer=e.imposer,
            target=e.target,
            rate_percent=e.rate_percent,
            basis=e.basis,
        )
        for e in counted
        if isinstance(e, TariffsImposed)
    ]
    without = project([e for e in log if not isinstance(e, Moving)], as_of=as_of).sanctions
    for view in (project(log, as_of=as_of).sanctions, without):
        assert list(view.sanctions) == expected_sanctions
        assert list(view.tariffs) == expected_tariffs


@given(measure_lives())
def test_incremental_equals_full_fold(life: tuple[list[Event], date]) -> None:
    """Views.apply and LiveViews, one event at a time, give what project gives, and the view
    reads back from its snapshot as itself.
    """
    log, as_of = life
    whole = project(log, as_of=as_of)
    stepped = Views(as_of=as_of)
    live = LiveViews(as_of=as_of)
    for event in log:
        stepped = stepped.apply(event)
        live.apply(event)
    for views in (stepped, live.views()):
        assert views.sanctions == whole.sanctions
    assert SANCTIONS.fold(log, as_of=as_of) == whole.sanctions
    assert structure_view(unstructure_view(whole.sanctions), Sanctions) == whole.sanctions


@given(measure_lives())
def test_the_json_has_the_keys_of_the_contract(life: tuple[list[Event], date]) -> None:
    """The JSON of show --json gives each measure the issue's keys and the tariff rates of the day."""
    log, as_of = life
    out = views_to_json(project(log, as_of=as_of), ("sanctions",))["sanctions"]
    keys = [
        "measure_id",
        "kind",
        "imposer",
        "target",
        "status",
        "rate_percent",
        "effective",
        "until",
        "ends",
        "history",
    ]
    for item in out["measures"]:
        assert list(item)[: len(keys)] == keys
        for entry in item["history"]:
            assert {
                "event_id",
                "occurred",
                "kind",
                "effective",
                "rate_percent",
                "until",
                "reason",
                "sources",
            } <= set(entry)
    assert out["tariff_rates"] == _oracle_rates(log, as_of)


# -- one example for each status -------------------------------------------------------------------


def _tariff(**extra: Any) -> TariffsImposed:  # noqa: ANN401 - any field of a tariff
    fields = {
        **_env("t", date(2025, 4, 1)),
        "imposer": USA,
        "target": CHN,
        "rate_percent": 34.0,
        "measure_id": "recip",
    }
    return TariffsImposed(**{**fields, **extra})


def _status(log: Sequence[Event], day: date) -> tuple[str, float | None, date | None, int | None]:
    (measure,) = project(log, as_of=day).sanctions.measures
    return measure.status(day), measure.rate_percent(day), measure.until(day), measure.days_left(day)


def test_a_measure_is_announced_until_it_takes_effect() -> None:
    """Imposed on 1 April to take effect on 9 April: announced, with no rate, up to 8 April."""
    log: list[Event] = [_tariff(effective=date(2025, 4, 9))]
    assert _status(log, date(2025, 4, 8)) == ("announced", None, None, None)
    assert _status(log, date(2025, 4, 9)) == ("in-force", 34.0, None, None)


def test_a_change_applies_from_its_effective_day() -> None:
    """Raised to 84% on 8 April from 9 April: still 34% on 8 April, 84% from 9 April."""
    log: list[Event] = [
        _tariff(),
        MeasureChanged(
            **_env("up", date(2025, 4, 8)), measure_id="recip", rate_percent=84.0, effective=date(2025, 4, 9)
        ),
    ]
    assert _status(log, date(2025, 4, 8)) == ("in-force", 34.0, None, None)
    assert _status(log, date(2025, 4, 9)) == ("in-force", 84.0, None, None)


def test_a_suspension_holds_through_until_at_its_rate_then_lapses() -> None:
    """Suspended at 10% from 14 May through 12 August: suspended with 1 day left on 11 August, 0
    on 12 August, and back in force at the full rate on 13 August.
    """
    log: list[Event] = [
        _tariff(),
        MeasureSuspended(
            **_env("pause", date(2025, 5, 12)),
            measure_id="recip",
            effective=date(2025, 5, 14),
            until=date(2025, 8, 12),
            rate_percent=10.0,
        ),
    ]
    assert _status(log, date(2025, 5, 13)) == ("in-force", 34.0, None, None)
    assert _status(log, date(2025, 8, 11)) == ("suspended", 10.0, date(2025, 8, 12), 1)
    assert _status(log, date(2025, 8, 12)) == ("suspended", 10.0, date(2025, 8, 12), 0)
    assert _status(log, date(2025, 8, 13)) == ("in-force", 34.0, None, None)


def test_a_later_suspension_extends_a_truce_and_a_suspension_without_a_rate_is_zero() -> None:
    """A second suspension replaces the first: the truce runs to its new until, at 0% when it
    gives no rate; one without until holds for good.
    """
    log: list[Event] = [
        _tariff(),
        MeasureSuspended(
            **_env("pause", date(2025, 5, 14)), measure_id="recip", until=date(2025, 8, 12), rate_percent=10.0
        ),
        MeasureSuspended(**_env("again", date(2025, 8, 11)), measure_id="recip", until=date(2025, 11, 10)),
    ]
    assert _status(log, date(2025, 9, 1)) == ("suspended", 0.0, date(2025, 11, 10), 70)
    log.append(MeasureSuspended(**_env("for-good", date(2025, 11, 4)), measure_id="recip"))
    assert _status(log, date(2026, 6, 1)) == ("suspended", 0.0, None, None)


def test_a_reinstatement_ends_a_suspension_early() -> None:
    """Reinstated on 1 July, a suspension through 12 August ends: in force at 34% again."""
    log: list[Event] = [
        _tariff(),
        MeasureSuspended(**_env("pause", date(2025, 5, 14)), measure_id="recip", until=date(2025, 8, 12)),
        MeasureReinstated(**_env("back", date(2025, 7, 1)), measure_id="recip"),
    ]
    assert _status(log, date(2025, 6, 30)) == ("suspended", 0.0, date(2025, 8, 12), 43)
    assert _status(log, date(2025, 7, 1)) == ("in-force", 34.0, None, None)


def test_a_lift_ends_a_measure_for_good() -> None:
    """Lifted from 10 November: lifted, with no rate, whatever the suspension that came before."""
    log: list[Event] = [
        _tariff(),
        MeasureSuspended(**_env("pause", date(2025, 5, 14)), measure_id="recip"),
        MeasureLifted(**_env("off", date(2025, 11, 5)), measure_id="recip", effective=date(2025, 11, 10)),
    ]
    assert _status(log, date(2025, 11, 9)) == ("suspended", 0.0, None, None)
    assert _status(log, date(2025, 11, 10)) == ("lifted", None, None, None)


def test_a_measure_expires_after_its_ends_day() -> None:
    """A measure that ends on 30 June is in force that day and expired from 1 July."""
    log: list[Event] = [_tariff(ends=date(2025, 6, 30))]
    assert _status(log, date(2025, 6, 30)) == ("in-force", 34.0, None, None)
    assert _status(log, date(2025, 7, 1)) == ("expired", None, None, None)


def test_of_a_lift_and_an_end_the_first_wins_and_a_tie_is_a_lift() -> None:
    """Ending on 30 June: a lift from 1 July (the day it expires) makes it lifted; a lift from 2
    July comes after it expired, so it stays expired.
    """
    tie: list[Event] = [
        _tariff(ends=date(2025, 6, 30)),
        MeasureLifted(**_env("off", date(2025, 7, 1)), measure_id="recip"),
    ]
    late: list[Event] = [
        _tariff(ends=date(2025, 6, 30)),
        MeasureLifted(**_env("off", date(2025, 7, 2)), measure_id="recip"),
    ]
    assert _status(tie, date(2025, 7, 5))[0] == "lifted"
    assert _status(late, date(2025, 7, 5))[0] == "expired"


def test_sanctions_have_no_rate_and_their_lists_follow_the_latest_change() -> None:
    """Sanctions on ALL have no rate; their measures are those of the latest change that gave a
    list, and ALL is a target of its own.
    """
    log: list[Event] = [
        SanctionsImposed(
            **_env("s", date(2025, 4, 4)),
            imposer=CHN,
            target=ALL,
            measures=("rare-earth export controls",),
            measure_id="re",
        ),
        MeasureChanged(
            **_env("more", date(2025, 10, 9)),
            measure_id="re",
            measures=("rare-earth export controls", "licences abroad"),
        ),
    ]
    day = date(2025, 10, 10)
    (measure,) = project(log, as_of=day).sanctions.measures
    assert (measure.status(day), measure.rate_percent(day), measure.target) == ("in-force", None, "ALL")
    assert measure.measures(day) == ("rare-earth export controls", "licences abroad")
    assert measure.measures(date(2025, 10, 8)) == ("rare-earth export controls",)


def test_a_measure_without_an_id_is_listed_under_its_event_and_never_moves() -> None:
    """An unnamed tariff is listed under its event id, apart from a measure whose measure_id is
    spelt the same, and a lift of that measure leaves it in force.
    """
    log: list[Event] = [
        TariffsImposed(**_env("recip", date(2025, 4, 1)), imposer=USA, target=EU, rate_percent=20.0),
        _tariff(id="named"),
        MeasureLifted(**_env("off", date(2025, 5, 1)), measure_id="recip"),
    ]
    day = date(2025, 5, 2)
    view = project(log, as_of=day).sanctions
    assert [(m.listed_id, m.movable, m.status(day)) for m in view.measures] == [
        ("recip", False, "in-force"),
        ("recip", True, "lifted"),
    ]
    assert view.tariff_rates(day) == {USA: {EU: 20.0}}
    named = view.measure("recip")
    assert named is not None
    assert named.event_id == "named"


def test_show_prints_the_measures_and_the_tariff_rates() -> None:
    """The text of show is a table of measures, a suspended one with its until and days left, and the
    tariff rates with the caveat that they are a headline figure.
    """
    log: list[Event] = [
        _tariff(),
        MeasureSuspended(
            **_env("pause", date(2025, 5, 14)), measure_id="recip", until=date(2025, 8, 12), rate_percent=10.0
        ),
    ]
    text = views_to_text(project(log, as_of=date(2025, 8, 2)), ("sanctions",))
    assert "suspended until 2025-08-12 (10 days left)" in text
    assert "IMPOSER  TARGET  TARIFF RATE\nUSA      CHN     10%\n" in text
    assert "a headline figure, not the rate any one good pays" in text
