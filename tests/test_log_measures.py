"""The log's rules across events for measures (issue 14): one namespace of measure ids, defined
by sanctions or tariffs, referred to by the events that move a measure; a rate only for a tariff,
a list of measures only for sanctions; and what a correction may not change. Every example runs
against :class:`EventLog` and against the memory, file and SQLite stores.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from logcases import BACKENDS, Accepts, correct, ev, make_accepts, refused, retract
from negotiations.domain.events import Event
from negotiations.errors import (
    DecodeError,
    DuplicateKeyError,
    InvalidAmendmentError,
    UnknownReferenceError,
)


@pytest.fixture(params=BACKENDS)
def accepts(request: pytest.FixtureRequest, tmp_path: Path) -> Accepts:
    """Append events one batch each to a fresh log or each store; see :func:`make_accepts`."""
    return make_accepts(request.param, tmp_path)


def tariff(mid: str | None = "tariff", **more: object) -> Event:
    """A US tariff of 34% on China, a measure ``mid``."""
    fields = {"measure_id": mid} if mid is not None else {}
    return ev("TariffsImposed", imposer="USA", target="CHN", rate_percent=34, **fields, **more)


def sanctions(mid: str = "sanctions") -> Event:
    """EU sanctions on Russia, a measure ``mid``."""
    return ev("SanctionsImposed", imposer="EU", target="RUS", measures=["asset freeze"], measure_id=mid)


MOVES = ("MeasureChanged", "MeasureSuspended", "MeasureReinstated", "MeasureLifted")


def move(kind: str, mid: str, **more: object) -> Event:
    """An event of ``kind`` that moves measure ``mid``; a change gives new sectors unless told."""
    if kind == "MeasureChanged" and not more:
        more = {"sectors": ["energy"]}
    return ev(kind, measure_id=mid, **more)


@pytest.mark.parametrize("kind", MOVES)
def test_every_move_refers_to_a_measure(accepts: Accepts, kind: str) -> None:
    """Each kind that moves a measure takes one of sanctions or of tariffs, and refuses an id no
    event defines, naming `measure_id`.
    """
    assert accepts(tariff(), sanctions(), move(kind, "tariff"), move(kind, "sanctions")) is None
    assert refused(accepts(tariff(), move(kind, "nothing")), UnknownReferenceError, "measure_id")


def test_one_namespace_of_measures(accepts: Accepts) -> None:
    """A measure id is defined once, by sanctions or by tariffs, not by both."""
    assert refused(accepts(tariff("m"), sanctions("m")), DuplicateKeyError, "measure_id")
    assert refused(accepts(sanctions("m"), tariff("m")), DuplicateKeyError, "measure_id")
    assert refused(accepts(tariff("m"), tariff("m")), DuplicateKeyError, "measure_id")


def test_measures_without_ids_are_as_before(accepts: Accepts) -> None:
    """Tariffs and sanctions without a measure id define nothing, so any number of them fit."""
    assert (
        accepts(
            tariff(None), tariff(None), ev("SanctionsImposed", imposer="EU", target="RUS", measures=["x"])
        )
        is None
    )


@pytest.mark.parametrize("kind", ["MeasureChanged", "MeasureSuspended"])
def test_only_a_tariff_takes_a_rate(accepts: Accepts, kind: str) -> None:
    """A rate goes to a measure of tariffs; given to sanctions it is refused, naming `rate_percent`."""
    assert accepts(tariff(), move(kind, "tariff", rate_percent=10)) is None
    assert refused(
        accepts(sanctions(), move(kind, "sanctions", rate_percent=10)), UnknownReferenceError, "rate_percent"
    )


def test_only_sanctions_take_a_list_of_measures(accepts: Accepts) -> None:
    """A new list of measures goes to sanctions; given to tariffs it is refused, naming `measures`."""
    assert accepts(sanctions(), move("MeasureChanged", "sanctions", measures=["travel ban"])) is None
    error = accepts(tariff(), move("MeasureChanged", "tariff", measures=["travel ban"]))
    assert refused(error, UnknownReferenceError, "measures")
    assert error is not None
    assert "measure of tariffs" in error.reason


def test_moves_in_one_batch_with_their_measure(accepts: Accepts) -> None:
    """A measure and the events that move it may come in one batch, the measure first."""
    batch = (tariff(), move("MeasureSuspended", "tariff", rate_percent=10), move("MeasureLifted", "tariff"))
    assert accepts(*batch, batch=True) is None
    assert refused(accepts(*reversed(batch), batch=True), UnknownReferenceError, "measure_id")


def test_the_log_checks_references_not_state(accepts: Accepts) -> None:
    """A change after a lift, or a lift of a retracted measure, fits the log: the views say what
    it means.
    """
    t = tariff()
    assert (
        accepts(t, move("MeasureLifted", "tariff"), move("MeasureChanged", "tariff", rate_percent=5)) is None
    )
    assert accepts(t, retract(t), move("MeasureLifted", "tariff")) is None
    assert refused(accepts(t, retract(t), tariff()), DuplicateKeyError, "measure_id")


def test_a_correction_cannot_change_a_measure_id(accepts: Accepts) -> None:
    """Neither the id a measure defines nor the one a move refers to can be corrected."""
    t, change = tariff(), move("MeasureChanged", "tariff", rate_percent=50)
    assert refused(accepts(t, correct(t, measure_id="other")), InvalidAmendmentError, "changes.measure_id")
    assert refused(
        accepts(t, tariff("other"), change, correct(change, measure_id="other")),
        InvalidAmendmentError,
        "changes.measure_id",
    )


def test_a_correction_keeps_a_rate_to_tariffs(accepts: Accepts) -> None:
    """A correction may change a rate, but not give one to sanctions, nor a list to tariffs."""
    t, s = tariff(), sanctions()
    rate = move("MeasureChanged", "tariff", rate_percent=50)
    reshaped = move("MeasureChanged", "sanctions", sectors=["banks"])
    suspension = move("MeasureSuspended", "sanctions")
    assert accepts(t, rate, correct(rate, rate_percent=55)) is None
    assert refused(
        accepts(s, reshaped, correct(reshaped, rate_percent=5)), InvalidAmendmentError, "changes.rate_percent"
    )
    assert refused(
        accepts(s, suspension, correct(suspension, rate_percent=5)),
        InvalidAmendmentError,
        "changes.rate_percent",
    )
    assert refused(
        accepts(t, rate, correct(rate, measures=["ban"])), InvalidAmendmentError, "changes.measures"
    )


TARIFF = {"imposer": "USA", "target": "CHN", "rate_percent": 1}
SANCTIONS = {"imposer": "EU", "target": "RUS", "measures": ["x"]}
TALKS = {"parties": ["USA", "CHN"], "venue": "Geneva"}


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        ("MeasureChanged", {}, "rate_percent"),
        ("MeasureSuspended", {"effective": "2025-05-14", "until": "2025-05-13"}, "until"),
        ("MeasureSuspended", {"until": "2025-10-08"}, "until"),
        ("TariffsImposed", {**TARIFF, "effective": "2025-10-10", "ends": "2025-10-09"}, "ends"),
        ("SanctionsImposed", {**SANCTIONS, "ends": "2025-10-08"}, "ends"),
        ("TalksHeld", {**TALKS, "ends": "2025-10-08"}, "ends"),
        ("TalksHeld", {**TALKS, "hosts": ["CHN"]}, "hosts"),
        ("TalksHeld", {**TALKS, "mediators": ["USA", "CHE"]}, "mediators"),
    ],
)  # fmt: skip
def test_rules_within_one_event(kind: str, fields: dict[str, object], field: str) -> None:
    """A change with nothing to change, a measure that ends (or a suspension that lasts) until
    before it takes effect, talks that end before they began or with a party among their hosts or
    mediators: each is refused, naming the field.
    """
    with pytest.raises(DecodeError) as caught:
        ev(kind, measure_id="m", **fields) if kind.startswith("Measure") else ev(kind, **fields)
    assert caught.value.field == field
