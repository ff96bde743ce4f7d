"""The export to PLOVER records: one record per event of the log as currently known, the kinds
about the record left out and counted, the manual's field names, and the refinements of codes.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings

from negotiations.domain.events import EventRetracted
from negotiations.log import EventLog, loads
from negotiations.render.plover import LEFT_OUT_TYPES, plover_records, write_plover
from negotiations.seed import seed_timeline
from negotiations.testing import event_logs

RECORDED = "2025-11-20T09:00:00+00:00"
REQUIRED = ("id", "date", "source", "event")
"""The fields the PLOVER manual (M0.8) marks as required."""


def line(kind: str, event_id: str, occurred: str = "2025-05-10", **fields: Any) -> str:  # noqa: ANN401 - any JSON field
    """One event of ``kind`` as a line of JSON, recorded once for all, sourced by default."""
    event = {
        "type": kind,
        "id": event_id,
        "occurred": occurred,
        "recorded": RECORDED,
        "sources": [{"outlet": "Reuters", "url": "https://example.org/a"}],
    }
    return json.dumps(event | fields)


LOG = "\n".join(
    [
        line(
            "TalksProposed", "tp", proposal_id="p-talks", proposer="USA", counterpart="CHN", level="ministers"
        ),
        line("ProposalAnswered", "pa", proposal_id="p-talks", party="CHN", answer="rejected"),
        line("ProposalAnswered", "pa2", proposal_id="p-talks", party="CHN", answer="accepted"),
        line(
            "TalksHeld",
            "th",
            "2025-05-10",
            parties=["USA", "CHN"],
            venue="Geneva",
            ends="2025-05-11",
            hosts=["CHE"],
        ),
        line(
            "AgreementReached",
            "ar",
            "2025-05-12",
            agreement_id="geneva",
            parties=["USA", "CHN"],
            title="Geneva joint statement",
            status="signed",
            terms=[{"term_id": "cut", "party": "USA", "commitment": "cut the tariff to 30%"}],
        ),
        line("CommitmentMet", "cm", "2025-05-14", agreement_id="geneva", term_id="cut"),
        line(
            "TariffsImposed", "ti", "2025-04", imposer="USA", target="CHN", rate_percent=145.0, measure_id="m"
        ),
        line("MeasureChanged", "mc", "2025-05-14", measure_id="m", rate_percent=30.0),
        line("MeasureChanged", "mc2", "2025-10-10", measure_id="m", rate_percent=130.0),
        line(
            "DeadlineSet",
            "ds",
            "2025-10-10",
            deadline_id="d",
            issuer="USA",
            target="CHN",
            demand="drop the export controls",
            due="2025-11-01",
        ),
        line("DeadlineMet", "dm", "2025-10-30", deadline_id="d"),
        line("CeasefireAgreed", "ca", "2025-01-19", ceasefire_id="c", parties=["ISR", "HAM"]),
        line("ViolationReported", "vr", "2025-02-01", ceasefire_id="c", accuser="ISR", accused="HAM"),
        line("CeasefireEnded", "ce", "2025-03-18", ceasefire_id="c"),
        line("StatementMade", "sm", party="CHN", summary="first word"),
        line("EventCorrected", "fix", target="sm", changes={"summary": "the corrected word"}),
        line("StatementMade", "gone", party="USA", summary="never said"),
        line("EventRetracted", "undo", target="gone", reason="misreported"),
        line("CallHeld", "call-a", parties=["USA", "CHN"]),
        line("CallHeld", "call-b", parties=["USA", "CHN"], summary="another account"),
        line("ReportDisputed", "dispute", claims=["call-a", "call-b"]),
        json.dumps(
            {"type": "TalksCancelled", "id": "future", "occurred": "2025-06-01", "recorded": RECORDED}
        ),
    ]
)


def records() -> dict[str, dict[str, Any]]:
    """The records of :data:`LOG`, by id."""
    return {record["id"]: record for record in plover_records(loads(LOG, lenient=True))}


def test_seed_gives_one_record_per_event() -> None:
    """The seed holds no kind that is left out, so it gives one record per event, in log order."""
    seed = seed_timeline()
    out = io.StringIO()
    counts = write_plover(seed, out)
    written = [json.loads(text) for text in out.getvalue().splitlines()]
    assert [record["id"] for record in written] == [event.id for event in seed]
    assert (counts.written, dict(counts.left_out), counts.retracted) == (len(seed), {}, 0)
    assert counts.summary() == "left out 0 events"


def test_left_out_kinds_make_no_record_and_are_counted() -> None:
    """Retractions, corrections, disputes and unknown kinds make no record, nor does a retracted
    event; the count names each, and every other event is one record.
    """
    out = io.StringIO()
    counts = write_plover(loads(LOG, lenient=True), out)
    ids = [json.loads(text)["id"] for text in out.getvalue().splitlines()]
    assert not {"fix", "undo", "dispute", "future", "gone"} & set(ids)
    assert len(ids) == 22 - 5
    assert dict(counts.left_out) == {
        "EventCorrected": 1,
        "EventRetracted": 1,
        "ReportDisputed": 1,
        "TalksCancelled": 1,
    }
    assert counts.retracted == 1
    assert counts.summary() == (
        "left out 5 events: 1 EventCorrected, 1 EventRetracted, 1 ReportDisputed, 1 TalksCancelled, "
        "1 retracted"
    )
    assert {cls.__name__ for cls in LEFT_OUT_TYPES} == {
        "EventRetracted",
        "EventCorrected",
        "ReportDisputed",
        "OpaqueEvent",
    }


def test_corrections_are_applied() -> None:
    """A corrected event's record says what the correction says."""
    assert records()["sm"]["text"] == "CHN (CHN): the corrected word"


def test_every_record_has_the_required_fields_and_a_unique_id() -> None:
    """Every record has the manual's required fields, and no two share an id."""
    written = list(plover_records(loads(LOG, lenient=True))) + list(plover_records(seed_timeline()))
    for record in written:
        assert all(name in record for name in REQUIRED), record["id"]
        assert record["source"], record["id"]
    ids = Counter(record["id"] for record in written)
    assert max(ids.values()) == 1


def test_days() -> None:
    """``date`` is the first day the event may have occurred; ``enddate`` the last day of a month
    or year, or the day talks ended.
    """
    got = records()
    assert (got["ti"]["date"], got["ti"]["enddate"]) == ("2025-04-01", "2025-04-30")
    assert (got["th"]["date"], got["th"]["enddate"]) == ("2025-05-10", "2025-05-11")
    assert "enddate" not in got["mc"]


@pytest.mark.parametrize(
    ("event_id", "source", "recipient"),
    [
        ("pa", ["CHN"], ["USA"]),
        ("th", ["USA", "CHN"], ["CHE"]),
        ("cm", ["USA"], ["CHN"]),
        ("mc", ["USA"], ["CHN"]),
        ("dm", ["CHN"], ["USA"]),
        ("vr", ["ISR"], ["HAM"]),
        ("ce", ["ISR", "HAM"], []),
        ("call-a", ["USA", "CHN"], []),
    ],
)
def test_actors_resolve_through_what_an_event_refers_to(
    event_id: str, source: list[str], recipient: list[str]
) -> None:
    """Who acts and on whom, for kinds that name them and kinds that only refer to a definition."""
    record = records()[event_id]
    assert record["source"] == [{"code": code} for code in source]
    assert record["recipient"] == [{"code": code} for code in recipient]


@pytest.mark.parametrize(
    ("event_id", "cameo", "event", "mode", "context"),
    [
        ("tp", "036", ["AGREE"], [], ["diplomatic"]),
        ("pa", "125", ["REJECT"], ["meet"], ["diplomatic"]),
        ("pa2", "036", ["AGREE"], [], ["diplomatic"]),
        ("th", "046", ["CONSULT"], ["third-party"], ["diplomatic"]),
        ("ar", "057", ["SUPPORT"], [], ["diplomatic"]),
        ("ti", "163", ["SANCTION"], ["discontinue"], ["economic"]),
        ("mc", "085", ["RETREAT"], [], ["economic"]),
        ("mc2", "163", ["SANCTION"], ["discontinue"], ["economic"]),
        ("ds", "139", ["THREATEN"], [], ["diplomatic"]),
        ("ca", "0871", ["CONCEDE"], [], ["military"]),
        ("vr", "1123", ["ACCUSE"], ["allege"], ["military"]),
        ("call-a", "041", ["CONSULT"], ["phone"], ["diplomatic"]),
    ],
)
def test_codes_follow_what_the_event_says(
    event_id: str, cameo: str, event: list[str], mode: list[str], context: list[str]
) -> None:
    """A record takes its kind's codes, refined where the event says more: a rejection is REJECT,
    a signed agreement SUPPORT, a cut tariff RETREAT, a raised one SANCTION.
    """
    record = records()[event_id]
    assert (record["negotiations"]["cameo"], record["event"], record["mode"], record["context"]) == (
        cameo,
        event,
        mode,
        context,
    )


def test_a_kind_without_a_category_says_so() -> None:
    """A statement, which PLOVER does not code, is a record with no category and ``has_event`` false."""
    record = records()["sm"]
    assert (record["event"], record["has_event"]) == ([], False)


def test_citation_and_own_fields() -> None:
    """``cite_info`` is the first source; ``negotiations`` holds the wire type and every source."""
    record = records()["tp"]
    assert record["cite_info"] == {"publication": "Reuters", "url": "https://example.org/a"}
    assert record["negotiations"]["type"] == "TalksProposed"
    assert record["negotiations"]["sources"] == [{"outlet": "Reuters", "url": "https://example.org/a"}]


@settings(max_examples=50)
@given(event_logs())
def test_any_log_gives_a_record_per_event_as_known(log: EventLog) -> None:
    """For any log, the records are its events in order, but for the kinds left out and the
    events a retraction names; their ids are unique and each has the required fields.
    """
    left_out = {"EventRetracted", "EventCorrected", "ReportDisputed"}
    retracted = {event.target for event in log if isinstance(event, EventRetracted)}
    expected = [event.id for event in log if event.wire_type not in left_out and event.id not in retracted]
    written = list(plover_records(log))
    assert [record["id"] for record in written] == expected
    for record in written:
        assert all(name in record for name in REQUIRED)
