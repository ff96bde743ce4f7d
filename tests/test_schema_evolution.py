"""Schema evolution: schema versions on the wire, upcasters, the frozen logs of each released
format, and lenient reading of kinds this version does not know.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiations.cli import main
from negotiations.codec import (
    UPCASTERS,
    Upcasters,
    decode_line,
    dumps,
    encode_line,
    from_json,
    read_events,
    structure,
    to_json,
)
from negotiations.codec.schema import json_schema
from negotiations.domain.events import (
    EVENT_TYPES,
    CallHeld,
    DeadlineSet,
    Event,
    EventCorrected,
    EventRetracted,
    OpaqueEvent,
    ReportDisputed,
)
from negotiations.errors import DecodeError, StoreError
from negotiations.log import check_lines, load_log, loads
from negotiations.projections import project
from negotiations.stores import load_stream, open_store
from negotiations.testing import call_held, events, texts

SAMPLES = Path(__file__).parent / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("format-*.jsonl"))
VALIDATOR = jsonschema.Draft202012Validator(json_schema())
STREAM = "newer"

UNKNOWN = {
    "type": "TalksCancelled",
    "schema_version": 3,
    "id": "talks-off",
    "occurred": "2025-08-01",
    "recorded": "2025-08-01T09:00:00+00:00",
    "sources": [{"outlet": "Hypothetical Wire"}],
    "venue": "Istanbul",
    "reasons": ["a", {"nested": [1, 2.5, None, True]}],
}
"""An event of a kind a newer version of the library might write."""
UNKNOWN_LINE = json.dumps(UNKNOWN, ensure_ascii=False)


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


# -- the frozen sample logs ---------------------------------------------------------------------


def test_a_sample_of_every_released_format_is_kept() -> None:
    """tests/samples holds a frozen log of the 0.1.0 format and of the 0.2.0 format."""
    assert {path.name for path in SAMPLE_FILES} >= {"format-0.1.0.jsonl", "format-0.2.0.jsonl"}


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.name)
def test_every_sample_loads_and_rewrites_stably(path: Path) -> None:
    """Every frozen sample loads, and writing its log then reading that back gives the same log."""
    log = load_log(path)
    assert len(log) == len(_lines(path))
    again = loads(dumps(log))
    assert list(again) == list(log)
    assert dumps(again) == dumps(log)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.name)
def test_every_sample_line_validates_against_the_schema(path: Path) -> None:
    """Every line of every frozen sample validates against the current JSON Schema."""
    for line in _lines(path):
        assert [error.message for error in VALIDATOR.iter_errors(json.loads(line))] == []


def test_the_0_1_0_sample_is_read_as_written() -> None:
    """Each line 0.1.0 wrote (no schema_version) reads as an event whose JSON is that line, at
    version 1: nothing is lost or changed in reading it.
    """
    path = SAMPLES / "format-0.1.0.jsonl"
    lines = _lines(path)
    assert not any("schema_version" in json.loads(line) for line in lines)
    for line, event in zip(lines, load_log(path), strict=True):
        assert to_json(event) == {**json.loads(line), "schema_version": 1}


def test_the_0_1_0_sample_holds_the_seed_as_released() -> None:
    """The 0.1.0 sample is the seed timeline of that release: its 19 facts, the ultimatum due on
    2 September 2025 among them.
    """
    log = load_log(SAMPLES / "format-0.1.0.jsonl")
    assert len(log) == 19
    (ultimatum,) = [e for e in log if isinstance(e, DeadlineSet)]
    assert (ultimatum.deadline_id, ultimatum.due_day) == ("us-ceasefire-ultimatum", date(2025, 9, 2))
    as_of = date(2025, 7, 20)
    assert project(log, as_of=as_of).deadlines.by_id["us-ceasefire-ultimatum"].days_left(as_of) == 44


def test_the_0_2_0_sample_reads_the_0_1_0_events_alike() -> None:
    """The 0.2.0 sample starts with the 0.1.0 sample's events, read the same from either format."""
    old = list(load_log(SAMPLES / "format-0.1.0.jsonl"))
    new = list(load_log(SAMPLES / "format-0.2.0.jsonl"))
    assert new[: len(old)] == old


def test_the_0_2_0_sample_holds_versions_and_every_amendment() -> None:
    """Every line of the 0.2.0 sample carries schema_version right after type, and the sample
    holds a retraction, a correction and a dispute of seed events.
    """
    path = SAMPLES / "format-0.2.0.jsonl"
    for line in _lines(path):
        assert list(json.loads(line))[:2] == ["type", "schema_version"]
    log = load_log(path)
    kinds = {type(event) for event in log}
    assert {EventRetracted, EventCorrected, ReportDisputed} <= kinds
    seed_ids = {event.id for event in load_log(SAMPLES / "format-0.1.0.jsonl")}
    for event in log:
        if isinstance(event, EventRetracted | EventCorrected):
            assert event.target in seed_ids
        if isinstance(event, ReportDisputed):
            assert set(event.claims) & seed_ids


# -- schema versions on the wire ----------------------------------------------------------------


@given(events())
def test_schema_version_is_written_right_after_type(event: Event) -> None:
    """Every encoded event carries its class's schema_version, right after type."""
    obj = to_json(event)
    assert list(obj)[:2] == ["type", "schema_version"]
    assert obj["schema_version"] == type(event).schema_version == 1


@given(events(), st.booleans())
def test_upcast_then_encode_then_decode_is_stable(event: Event, explicit: bool) -> None:  # noqa: FBT001 - drawn by Hypothesis
    """An event written as version 1 (with or without schema_version, as 0.1.0 wrote it), upcast,
    structured, encoded and decoded again, is the same event.
    """
    obj = to_json(event)
    if not explicit:
        del obj["schema_version"]
    upcast = structure(UPCASTERS.upcast(obj))
    assert upcast == event
    assert decode_line(encode_line(upcast)) == upcast


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "must be 1 or more"),
        (-1, "must be 1 or more"),
        ("1", "expected a whole number, got a string"),
        (1.5, "expected a whole number, got a number"),
        (True, "expected a whole number, got a boolean"),
        ([1], "expected a whole number, got a list"),
    ],
)
def test_a_bad_schema_version_is_rejected_by_decoder_and_schema(value: object, message: str) -> None:
    """A schema_version that is not a whole number of 1 or more fails the decoder, naming the line
    and the field, and fails the schema.
    """
    obj = {**to_json(next(iter(load_log(SAMPLES / "format-0.1.0.jsonl")))), "schema_version": value}
    with pytest.raises(DecodeError, match=message) as caught:
        decode_line(json.dumps(obj), line=4)
    assert (caught.value.line, caught.value.field) == (4, "schema_version")
    assert VALIDATOR.is_valid(obj) is False


def test_an_integral_schema_version_reads_as_the_whole_number() -> None:
    """schema_version 1.0 is the number 1, as JSON Schema counts it: the event reads, and is
    written back with 1.
    """
    event = next(iter(load_log(SAMPLES / "format-0.1.0.jsonl")))
    obj = {**to_json(event), "schema_version": 1.0}
    assert VALIDATOR.is_valid(obj)
    assert decode_line(json.dumps(obj)) == event
    assert '"schema_version": 1,' in encode_line(decode_line(json.dumps(obj)))


def test_null_schema_version_reads_as_version_1() -> None:
    """A null schema_version reads as absent, version 1, as null does for any optional field."""
    event = next(iter(load_log(SAMPLES / "format-0.1.0.jsonl")))
    assert from_json({**to_json(event), "schema_version": None}) == event


def test_a_newer_schema_version_is_an_error_naming_line_and_field() -> None:
    """A version newer than this library reads is an error that names the line and the field, and
    says to upgrade or read leniently.
    """
    obj = {**to_json(next(iter(load_log(SAMPLES / "format-0.1.0.jsonl")))), "schema_version": 2}
    with pytest.raises(DecodeError, match="newer version of negotiations") as caught:
        loads("\n" + json.dumps(obj))
    assert (caught.value.line, caught.value.field) == (2, "schema_version")
    assert "read leniently" in str(caught.value)


def test_the_schema_gives_every_kind_an_optional_schema_version() -> None:
    """Every kind in the schema, the new ones included, has an optional integer schema_version from
    1 up to its class's version.
    """
    defs = json_schema()["$defs"]
    assert {"EventRetracted", "EventCorrected", "ReportDisputed"} <= set(defs)
    assert "(opaque)" not in defs
    for cls in EVENT_TYPES:
        spec = defs[cls.wire_type]["properties"]["schema_version"]
        assert (spec["type"], spec["minimum"], spec["maximum"]) == ("integer", 1, cls.schema_version)
        assert "schema_version" not in defs[cls.wire_type]["required"]


# -- upcasters: a fictional CallHeld at version 3 ----------------------------------------------
# Suppose CallHeld's version 1 called its summary `note`, version 2 renamed it `remark`, and
# version 3 (the current one here) calls it `summary`.


def _note_to_remark(obj: dict[str, Any]) -> dict[str, Any]:
    if "note" in obj:
        obj["remark"] = obj.pop("note")
    return obj


def _remark_to_summary(obj: dict[str, Any]) -> dict[str, Any]:
    if "remark" in obj:
        obj["summary"] = obj.pop("remark")
    return obj


def _fictional(*, first: bool = True, second: bool = True) -> Upcasters:
    """A fresh registry with the fictional CallHeld steps."""
    upcasters = Upcasters()
    if first:
        upcasters.register("CallHeld", from_version=1)(_note_to_remark)
    if second:
        upcasters.register("CallHeld", from_version=2)(_remark_to_summary)
    return upcasters


@pytest.fixture
def at_version_3() -> Iterator[None]:
    """CallHeld pretends to be at version 3 while the test runs."""
    with mock.patch.object(CallHeld, "schema_version", 3):
        yield


def _as_version(event: CallHeld, version: int) -> dict[str, Any]:
    """The JSON object ``event`` would have had in the fictional ``version``."""
    obj = to_json(event)
    obj["schema_version"] = version
    if "summary" in obj and version < 3:
        obj["note" if version == 1 else "remark"] = obj.pop("summary")
    return obj


@given(call_held(), st.sampled_from([1, 2, 3]))
def test_upcasters_chain_every_step_to_the_current_version(event: CallHeld, version: int) -> None:
    """A CallHeld of any fictional older version upcasts, step by step, to the current one, and
    then encodes and decodes stably.
    """
    with mock.patch.object(CallHeld, "schema_version", 3):
        upcasters = _fictional()
        obj = _as_version(event, version)
        before = dict(obj)
        current = upcasters.upcast(obj)
        assert obj == before  # the object given is not changed
        assert list(current)[:2] == ["type", "schema_version"]
        assert current["schema_version"] == 3
        decoded = structure(obj, upcasters=upcasters)
        assert decoded == event
        assert structure(json.loads(encode_line(decoded)), upcasters=upcasters) == event


@pytest.mark.usefixtures("at_version_3")
def test_a_current_object_is_not_copied() -> None:
    """An object already at the current version is returned as it is: the fast path."""
    obj = {"type": "CallHeld", "schema_version": 3}
    assert _fictional().upcast(obj) is obj


@pytest.mark.usefixtures("at_version_3")
def test_a_missing_step_is_an_error_naming_the_version() -> None:
    """Upcasting across a step that is not registered is a DecodeError naming schema_version."""
    obj = {"type": "CallHeld", "schema_version": 1, "id": "c", "note": "n"}
    with pytest.raises(DecodeError, match="no upcaster to version 2") as caught:
        structure(obj, upcasters=_fictional(first=False))
    assert caught.value.field == "schema_version"
    with pytest.raises(DecodeError, match="cannot read version 2 of CallHeld"):
        structure({**obj, "schema_version": 2}, upcasters=_fictional(second=False))


@pytest.mark.usefixtures("at_version_3")
def test_a_version_past_the_current_one_is_an_error() -> None:
    """A version past the current one is an error, whatever upcasters are registered."""
    obj = {"type": "CallHeld", "schema_version": 4, "id": "c"}
    with pytest.raises(DecodeError, match="version 4 of CallHeld was written by a newer version"):
        structure(obj, upcasters=_fictional())


def test_registering_a_bad_step_fails() -> None:
    """A step of an unknown kind, from a version below 1, or registered twice, is refused."""
    upcasters = _fictional()
    with pytest.raises(ValueError, match="unknown event type"):
        upcasters.register("TalksCancelled", from_version=1)
    with pytest.raises(ValueError, match="1 or more"):
        upcasters.register("CallHeld", from_version=0)
    with pytest.raises(ValueError, match="registered already"):
        upcasters.register("CallHeld", from_version=1)
    assert upcasters.steps() == [("CallHeld", 1), ("CallHeld", 2)]


def test_the_library_registers_no_upcaster_while_every_kind_is_at_version_1() -> None:
    """UPCASTERS is empty, and every kind is at version 1."""
    assert UPCASTERS.steps() == []
    assert {cls.schema_version for cls in EVENT_TYPES} == {1}


# -- lenient reading ----------------------------------------------------------------------------


def test_an_unknown_kind_is_an_error_naming_its_line_by_default() -> None:
    """Read strictly, the default, an event of an unknown kind is an error naming line and type."""
    with pytest.raises(DecodeError, match="unknown event type 'TalksCancelled'") as caught:
        loads(f"\n\n{UNKNOWN_LINE}\n")
    assert (caught.value.line, caught.value.field) == (3, "type")


def test_an_unknown_kind_read_leniently_is_kept_whole() -> None:
    """Read leniently, an event of an unknown kind is an OpaqueEvent: its envelope read, its kind
    its type, and its data the whole object.
    """
    event = decode_line(UNKNOWN_LINE, lenient=True)
    assert isinstance(event, OpaqueEvent)
    assert (event.kind, event.id, str(event.occurred)) == ("TalksCancelled", "talks-off", "2025-08-01")
    assert event.sources[0].outlet == "Hypothetical Wire"
    assert to_json(event) == UNKNOWN
    assert encode_line(event) == UNKNOWN_LINE


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(
    events(),
    texts().filter(lambda t: t not in {cls.wire_type for cls in EVENT_TYPES}),
    st.dictionaries(st.text().filter(lambda k: k not in {"type", "id"}), _JSON, max_size=4),
)
def test_an_opaque_event_is_written_back_exactly(event: Event, kind: str, extra: dict[str, Any]) -> None:
    """Any event of an unknown kind, with any fields, is written back by a lenient reader exactly:
    the same keys, in the same order, with the same values.
    """
    obj = {"type": kind, **{k: v for k, v in to_json(event).items() if k != "type"}, **extra}
    for name in ("occurred", "recorded", "sources"):  # keep the envelope valid
        obj[name] = to_json(event)[name]
    line = json.dumps(obj, ensure_ascii=False)
    opaque = decode_line(line, lenient=True)
    assert isinstance(opaque, OpaqueEvent)
    assert encode_line(opaque) == line
    assert decode_line(encode_line(opaque), lenient=True) == opaque


def test_a_newer_version_of_a_known_kind_read_leniently_is_kept_whole() -> None:
    """Read leniently, a known kind in a version newer than this library reads is kept whole too."""
    obj = {**to_json(next(iter(load_log(SAMPLES / "format-0.1.0.jsonl")))), "schema_version": 9}
    line = json.dumps(obj, ensure_ascii=False)
    event = decode_line(line, lenient=True)
    assert isinstance(event, OpaqueEvent)
    assert event.kind == obj["type"]
    assert encode_line(event) == line


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"occurred": "2025-13"}, "occurred"),
        ({"recorded": "2025-08-01"}, "recorded"),
        ({"id": " "}, "id"),
        ({"sources": [{"url": "x"}]}, "sources.0.outlet"),
        ({"type": 7}, "type"),
        ({"schema_version": "3"}, None),
    ],
)
def test_a_lenient_reader_still_checks_the_envelope(change: dict[str, Any], field: str | None) -> None:
    """Read leniently, an unknown event with a bad envelope, or no string type, is still an error."""
    line = json.dumps({**UNKNOWN, **change})
    if field is None:  # an unknown kind's version is its own business
        assert isinstance(decode_line(line, lenient=True), OpaqueEvent)
        return
    with pytest.raises(DecodeError) as caught:
        decode_line(line, line=5, lenient=True)
    assert (caught.value.line, caught.value.field) == (5, field)


def test_every_reader_takes_lenient() -> None:
    """load_log, loads, read_events and check_lines all read unknown kinds when lenient, and stop
    at them (or report them) when not.
    """
    known = dumps(load_log(SAMPLES / "format-0.2.0.jsonl")).split("\n")[:-1]
    text = "\n".join([*known[:3], UNKNOWN_LINE, *known[3:]]) + "\n"
    log = loads(text, lenient=True)
    assert load_log(io.StringIO(text), lenient=True) == log
    assert list(read_events(text.split("\n"), lenient=True)) == list(log)
    assert list(check_lines(text.split("\n"), lenient=True)) == []
    assert [(e.line, e.field) for e in check_lines(text.split("\n"))] == [(4, "type")]
    assert dumps(log) == text
    assert [type(e) for e in log].count(OpaqueEvent) == 1


def test_views_pass_an_opaque_event_over() -> None:
    """The views of a log with an opaque event are the views of the log without it."""
    path = SAMPLES / "format-0.2.0.jsonl"
    log = load_log(path)
    with_unknown = loads(f"{path.read_text(encoding='utf-8')}{UNKNOWN_LINE}\n", lenient=True)
    assert project(with_unknown) == project(log)


@pytest.mark.parametrize("kind", ["memory", "sqlite", "file"])
def test_stores_keep_an_opaque_event_unchanged(kind: str, tmp_path: Path) -> None:
    """Every store holds an opaque event and gives it back unchanged, after a reopen too."""
    log = loads(
        f"{(SAMPLES / 'format-0.1.0.jsonl').read_text(encoding='utf-8')}{UNKNOWN_LINE}\n", lenient=True
    )
    url = {
        "memory": "memory:",
        "sqlite": f"sqlite:{tmp_path / 'e.db'}",
        "file": f"file:{tmp_path / 'e.jsonl'}",
    }
    store = open_store(url[kind])
    try:
        store.append(STREAM, list(log))
        assert store.append(STREAM, list(log)) == len(log)  # a retry is a no-op
        assert load_stream(store, STREAM) == log
    finally:
        store.close()
    if kind != "memory":
        reopened = open_store(url[kind])
        try:
            assert dumps(load_stream(reopened, STREAM)) == dumps(log)
        finally:
            reopened.close()


def test_the_file_store_refuses_an_opaque_event_with_its_own_keys(tmp_path: Path) -> None:
    """The file store refuses an opaque event with a field named stream or batch, writing nothing."""
    event = decode_line(json.dumps({**UNKNOWN, "stream": "x"}), lenient=True)
    store = open_store(f"file:{tmp_path / 'e.jsonl'}")
    try:
        with pytest.raises(StoreError, match="'stream' or 'batch'"):
            store.append(STREAM, [event])
        assert store.head() == 0
    finally:
        store.close()


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def newer_log(tmp_path: Path) -> Path:
    """The 0.2.0 sample with an event of an unknown kind in the middle."""
    lines = dumps(load_log(SAMPLES / "format-0.2.0.jsonl")).split("\n")[:-1]
    path = tmp_path / "newer.jsonl"
    path.write_text("\n".join([*lines[:5], UNKNOWN_LINE, *lines[5:]]) + "\n", encoding="utf-8")
    return path


def test_validate_names_an_unknown_kind_unless_lenient(
    newer_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`validate` reports an unknown kind as an error naming its line; with --lenient it passes."""
    assert main(["validate", str(newer_log)]) == 1
    assert "line 6: field 'type': unknown event type 'TalksCancelled'" in capsys.readouterr().out
    assert main(["validate", "--lenient", str(newer_log)]) == 0
    assert "24 event(s), no errors" in capsys.readouterr().out


def test_show_reads_an_unknown_kind_only_when_lenient(
    newer_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`show` stops at an unknown kind, naming its line; with --lenient it shows the views."""
    assert main(["show", str(newer_log), "--json", "--view", "timeline"]) == 1
    assert "line 6: field 'type'" in capsys.readouterr().err
    assert main(["show", str(newer_log), "--lenient", "--json", "--view", "timeline"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert "talks-off" not in {entry["event_id"] for entry in shown["timeline"]}


def test_import_lenient_then_export_loses_nothing(
    newer_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`import --lenient` stores an unknown kind, and export writes the log back line for line."""
    store = f"sqlite:{tmp_path / 'events.db'}"
    assert main(["import", str(newer_log), "--stream", STREAM, "--store", store, "-q"]) == 1
    assert "line 6: field 'type'" in capsys.readouterr().err
    assert main(["import", str(newer_log), "--lenient", "--stream", STREAM, "--store", store, "-q"]) == 0
    out = tmp_path / "out.jsonl"
    assert main(["export", "--stream", STREAM, "--store", store, "-o", str(out), "-q"]) == 0
    assert out.read_text(encoding="utf-8") == newer_log.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["show", "validate", "import"])
def test_lenient_is_explained_in_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--help of show, validate and import explains --lenient."""
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "--lenient" in capsys.readouterr().out
