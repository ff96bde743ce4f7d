"""The JSON Lines codec: exact round trips, and every bad input rejected with its line and field."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import attrs
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from negotiations.codec import (
    decode_line,
    dumps,
    encode_line,
    from_json,
    read_events,
    to_json,
    write_events,
)
from negotiations.domain.events import (
    EVENT_TYPES,
    AgreementReached,
    CeasefireAgreed,
    DeadlineMet,
    DeadlineSet,
    Event,
    EventCorrected,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    SanctionsImposed,
    StatementMade,
    TalksProposed,
    TariffsImposed,
    TermsProposed,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.errors import (
    DecodeError,
    DuplicateEventError,
    LogError,
    NegotiationsError,
    UnknownReferenceError,
)
from negotiations.log import (
    EventLog,
    check_lines,
    defined_key,
    load_log,
    loads,
    referenced_ids,
)
from negotiations.testing import (
    deadline_changed,
    deadline_set,
    event_logs,
    events,
    ids,
    prisoner_exchange_agreed,
    prisoners_exchanged,
    remains_repatriated,
    talks_held,
)

WIRE_TYPES = {cls.wire_type for cls in EVENT_TYPES}
RECORDED = datetime(2025, 7, 20, 18, 0, tzinfo=UTC)
MAX_LOG = 12
"""Logs this long exercise every check; longer ones only cost time."""

Path_ = tuple[str, ...]
"""A path into a JSON object: keys, and list indexes as text."""


def _paths(value: object, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every path below ``value``: to each field, each list item and each mapping entry."""
    items: list[tuple[str, object]] = []
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(str(n), v) for n, v in enumerate(value)]
    for key, child in items:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


def _get(obj: Any, path: Path_) -> Any:  # noqa: ANN401 - any JSON value
    for key in path:
        obj = obj[int(key)] if isinstance(obj, list) else obj[key]
    return obj


def _set(obj: Any, path: Path_, value: object) -> None:  # noqa: ANN401 - any JSON value
    parent = _get(obj, path[:-1])
    if isinstance(parent, list):
        parent[int(path[-1])] = value
    else:
        parent[path[-1]] = value


def _same_field(field: str | None, path: Path_) -> bool:
    """Whether the error's dotted ``field`` names ``path``, or a value that holds it or that it
    holds (a list item that is not an object is reported at the list).
    """
    if field is None:
        return False
    parts = tuple(field.split("."))
    shorter = min(len(parts), len(path))
    return parts[:shorter] == path[:shorter]


def _load(text: str) -> EventLog:
    """The log in ``text``, read as a file is read: split at newlines only."""
    return load_log(io.StringIO(text))


def _rejected(text: str, line: int) -> DecodeError:
    """The error decoding ``text`` as ``line`` raises; fails the test if it decodes."""
    with pytest.raises(DecodeError) as info:
        decode_line(text, line=line)
    error = info.value
    assert error.line == line
    assert str(error).startswith(f"line {line}: ")
    return error


# -- round trips --------------------------------------------------------------------------------


@given(events())
def test_event_round_trips_through_json(event: Event) -> None:
    """An event through to_json, JSON text and from_json comes back equal, offsets and all."""
    obj = json.loads(json.dumps(to_json(event)))
    decoded = from_json(obj)
    assert decoded == event
    assert type(decoded) is type(event)
    assert decoded.recorded.utcoffset() == event.recorded.utcoffset()
    assert str(decoded.occurred) == str(event.occurred)


@given(events())
def test_encode_line_is_stable(event: Event) -> None:
    """Encoding the decoded line gives the same line back, on one line."""
    line = encode_line(event)
    assert "\n" not in line
    assert decode_line(line) == event
    assert encode_line(decode_line(line)) == line


@given(events())
def test_a_line_is_the_json_text_of_the_object(event: Event) -> None:
    """``encode_line`` writes exactly the JSON text of ``to_json``'s object, and that object
    holds JSON's own values (lists, not tuples), so it is what the line reads back as.
    """
    obj = to_json(event)
    assert encode_line(event) == json.dumps(obj, ensure_ascii=False)
    assert json.loads(encode_line(event)) == obj


@given(events())
def test_json_starts_with_type_and_leaves_out_absent_fields(event: Event) -> None:
    """The JSON object starts with the wire type and the schema version, and has no nulls for
    absent optional fields.
    """
    obj = to_json(event)
    assert list(obj)[:2] == ["type", "schema_version"]
    assert obj["type"] == event.wire_type
    assert obj["schema_version"] == event.schema_version
    assert None not in obj.values()
    assert set(obj) - {"type", "schema_version"} <= {a.name for a in attrs.fields(type(event))}


@given(event_logs(max_size=MAX_LOG))
def test_log_round_trips_through_a_stream(log: EventLog) -> None:
    """A log written as JSON Lines loads back equal, from a stream."""
    stream = io.StringIO()
    assert write_events(log, stream) == len(log)
    assert stream.getvalue() == dumps(log)
    stream.seek(0)
    assert load_log(stream) == log


def test_log_round_trips_through_a_file(tmp_path: Path) -> None:
    """A log written to a file loads back equal from its path, as str or Path."""
    path = tmp_path / "log.jsonl"
    log = _small_log()
    path.write_text(dumps(log), encoding="utf-8")
    assert load_log(path) == log
    assert load_log(str(path)) == log


@given(event_logs(max_size=8))
def test_loads_round_trips(log: EventLog) -> None:
    """A log dumped to a string loads back equal."""
    assert loads(dumps(log)) == log


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_loads_reads_text_with_unicode_line_separators(separator: str) -> None:
    """A summary holding a Unicode line separator survives dumps then loads."""
    event = StatementMade(
        id="s1",
        occurred=PartialDate.parse("2025-07-20"),
        recorded=RECORDED,
        party=Party("UKR"),
        summary=f"first{separator}second",
    )
    assert loads(dumps([event])) == EventLog([event])


def test_read_events_skips_blank_lines() -> None:
    """Blank lines are skipped and do not end the stream."""
    log = _small_log()
    lines = ["", *[encode_line(e) for e in log], "   ", ""]
    assert list(read_events(lines)) == list(log)


# -- bad input: each kind of damage, rejected with line and field --------------------------------


def _wrong_values(original: object) -> list[object]:
    """JSON values of another type than ``original``; no field accepts both."""
    candidates: list[object] = [True, 7, "seven", [True], {"": True}]
    out = [v for v in candidates if type(v) is not type(original)]
    if isinstance(original, float):  # a number field takes whole numbers too
        out.remove(7)
    return out


@given(events(), st.data(), st.integers(1, 10_000))
def test_wrong_type_is_rejected_naming_the_field(event: Event, data: st.DataObject, line: int) -> None:
    """A value of the wrong JSON type anywhere in an event is rejected, naming its field."""
    obj = to_json(event)
    # Inside a correction's changes any JSON is a value; the changes as a whole must be an object.
    paths = [p for p in _paths(obj) if p != ("type",) and not (p[0] == "changes" and len(p) > 1)]
    path = data.draw(st.sampled_from(paths))
    _set(obj, path, data.draw(st.sampled_from(_wrong_values(_get(obj, path)))))
    error = _rejected(json.dumps(obj), line)
    assert _same_field(error.field, path), (error.field, path)


@given(events(), st.data(), st.integers(1, 10_000))
def test_missing_required_field_is_rejected(event: Event, data: st.DataObject, line: int) -> None:
    """Leaving out a field without a default is rejected as required, naming the field."""
    required = [a.name for a in attrs.fields(type(event)) if a.default is attrs.NOTHING]
    name = data.draw(st.sampled_from(required))
    obj = to_json(event)
    del obj[name]
    error = _rejected(json.dumps(obj), line)
    assert error.field == name
    assert "required" in error.reason


@given(events(), st.one_of(st.text(), st.integers(), st.none(), st.lists(st.text(), max_size=2)))
@example(event=None, wire="callheld")
@example(event=None, wire="Call Held")
def test_unknown_type_is_rejected(event: Event | None, wire: object) -> None:
    """An event of an unknown or missing type is rejected, naming 'type'."""
    assume(not (isinstance(wire, str) and wire in WIRE_TYPES))
    obj: dict[str, Any] = to_json(event) if event is not None else {"id": "x"}
    obj["type"] = wire
    error = _rejected(json.dumps(obj), 3)
    assert error.field == "type"


def test_event_without_type_is_rejected() -> None:
    """An object without 'type' is rejected, naming 'type'."""
    obj = to_json(_small_log()[1])
    del obj["type"]
    assert _rejected(json.dumps(obj), 1).field == "type"


MALFORMED_PARTIAL = ["2025-02-30", "2025-13", "2025-00", "25", "2025/07/20", "July 2025", "", "2025-7"]
MALFORMED_DAY = ["2025-02-30", "2025-07", "2025", "2025-7-20", "20250720", "2025-07-20T00:00:00"]
MALFORMED_RECORDED = [
    "2025-07-20",
    "2025-07-20T18:00:00",
    "2025-07-20 18:00:00+00:00",
    "2025-07-20T25:00:00+00:00",
    "2025-07-20T18:00:00+24:00",
    "2025-02-30T18:00:00Z",
    "yesterday",
]
DAY_FIELDS = ("due", "starts", "ends", "published")


@given(events(), st.data(), st.integers(1, 10_000))
def test_malformed_date_is_rejected(event: Event, data: st.DataObject, line: int) -> None:
    """A malformed or impossible date, day or datetime is rejected, naming its field."""
    obj = to_json(event)
    day_paths = [p for p in _paths(obj) if p[-1] in DAY_FIELDS]
    path = data.draw(st.sampled_from([("occurred",), ("recorded",), *day_paths]))
    texts = {"occurred": MALFORMED_PARTIAL, "recorded": MALFORMED_RECORDED}.get(path[-1], MALFORMED_DAY)
    _set(obj, path, data.draw(st.sampled_from(texts)))
    error = _rejected(json.dumps(obj), line)
    assert error.field == ".".join(path)


_WITH_COUNTS = st.one_of(
    prisoners_exchanged(),
    remains_repatriated(),
    prisoner_exchange_agreed(),
    talks_held(),
    deadline_set(),
    deadline_changed(),
)
_COUNT_FIELDS = ("per_side", "within_days", "round")


@given(_WITH_COUNTS, st.data(), st.integers(-1_000_000, -1))
def test_negative_count_is_rejected(event: Event, data: st.DataObject, count: int) -> None:
    """A negative number of people or days is rejected, naming the field (and the party)."""
    obj = to_json(event)
    paths: list[Path_] = [p for p in _paths(obj) if len(p) == 2 and p[0] in ("returned", "terms")]
    paths += [(name,) for name in _COUNT_FIELDS if name in attrs.fields_dict(type(event))]
    path = data.draw(st.sampled_from(paths))
    _set(obj, path, count)
    error = _rejected(json.dumps(obj), 5)
    assert error.field == ".".join(path)
    assert "negative" in error.reason


@given(events(), st.from_regex(r"[a-z_]{1,12}", fullmatch=True), st.integers(1, 10_000))
def test_unknown_field_is_rejected(event: Event, name: str, line: int) -> None:
    """A field the event kind does not have is rejected, and the error names it."""
    assume(name not in attrs.fields_dict(type(event)) and name != "type")
    obj = to_json(event)
    obj[name] = "surplus"
    error = _rejected(json.dumps(obj), line)
    assert name in str(error)


@given(events(), st.integers(1, 10_000), st.sampled_from(["truncate", "prefix", "trailing"]))
def test_not_json_is_rejected(event: Event, line: int, damage: str) -> None:
    """A line that is not JSON is rejected, naming the line."""
    text = encode_line(event)
    broken = {"truncate": text[:-1], "prefix": "x" + text, "trailing": text + "}"}[damage]
    error = _rejected(broken, line)
    assert "not valid JSON" in error.reason


def test_deeply_nested_json_is_rejected() -> None:
    """A line of deeply nested JSON is rejected with DecodeError, not a RecursionError."""
    _rejected("[" * 100_000, 4)


def test_huge_integer_is_rejected() -> None:
    """A line holding a number of 5000 digits is rejected with DecodeError, naming the line."""
    _rejected('{"type": "TalksHeld", "round": ' + "1" * 5000 + "}", 4)


def test_text_that_could_not_be_written_back_is_rejected_on_reading() -> None:
    """A lone surrogate, which no UTF-8 file can hold, is refused on reading, naming the line and
    field, in lenient reading too: no event is ever read that could not be written again.
    """
    obj = to_json(_small_log()[2])
    obj["summary"] = "\ud800"
    for lenient in (False, True):
        with pytest.raises(DecodeError) as caught:
            decode_line(json.dumps(obj), line=1, lenient=lenient)
        assert (caught.value.line, caught.value.field) == (1, "summary")


@pytest.mark.parametrize("value", [[], "CallHeld", 7, None])
def test_json_that_is_not_an_object_is_rejected(value: object) -> None:
    """A JSON value other than an object is not an event."""
    _rejected(json.dumps(value), 2)


# -- whole logs: all or nothing, the first bad line ----------------------------------------------


SMALL_LOG = """\
{"type": "DeadlineSet", "id": "e1", "occurred": "2025-07-14", "recorded": "2025-07-20T18:00:00+00:00", \
"deadline_id": "d1", "issuer": "USA", "target": "RUS", "demand": "agree a ceasefire", "within_days": 50}
{"type": "StatementMade", "id": "e2", "occurred": "2025-07", "recorded": "2025-07-20T18:00:00+00:00", \
"party": "RUS", "summary": "no comment"}
{"type": "DeadlineMet", "id": "e3", "occurred": "2025-08-01~", "recorded": "2025-07-20T20:00:00+02:00", \
"deadline_id": "d1"}
"""


def _small_log() -> EventLog:
    """A deadline set and met, and a statement."""
    return loads(SMALL_LOG)


def _numbered(lines: list[str], blanks: list[int]) -> tuple[list[str], list[int]]:
    """``lines`` with ``blanks[i]`` blank lines before line i, and the file line of each."""
    out: list[str] = []
    numbers: list[int] = []
    for text, gap in zip(lines, blanks, strict=True):
        out += [""] * gap
        out.append(text)
        numbers.append(len(out))
    return out, numbers


@given(event_logs(min_size=1, max_size=MAX_LOG), st.data())
def test_load_stops_at_the_first_bad_line(log: EventLog, data: st.DataObject) -> None:
    """Loading a file with bad lines raises for the first of them, by its line in the file."""
    lines = [encode_line(e) for e in log]
    bad = sorted(data.draw(st.sets(st.integers(0, len(lines) - 1), min_size=1, max_size=3)))
    for index in bad:
        lines[index] = lines[index][:-1]
    blanks = data.draw(st.lists(st.integers(0, 2), min_size=len(lines), max_size=len(lines)))
    text_lines, numbers = _numbered(lines, blanks)
    with pytest.raises(DecodeError) as info:
        load_log(io.StringIO("\n".join(text_lines)))
    assert info.value.line == numbers[bad[0]]
    with pytest.raises(DecodeError) as again:
        loads("\n".join(text_lines))
    assert again.value.line == numbers[bad[0]]


@given(event_logs(max_size=MAX_LOG), ids(), st.data())
def test_unknown_reference_is_reported_at_its_line(log: EventLog, missing: str, data: st.DataObject) -> None:
    """An event referring to a deadline or agreement no earlier line defines fails at its line."""
    assume(missing not in log)
    defined = {key[0] for e in log if (key := defined_key(e)) is not None}
    kind = data.draw(st.sampled_from(["deadline", "agreement"]))
    assume((kind, missing) not in defined)
    event: Event
    if kind == "deadline":
        event = DeadlineMet(id=missing, occurred=PartialDate(2025), recorded=RECORDED, deadline_id=missing)
    else:
        event = PrisonersExchanged(
            id=missing,
            occurred=PartialDate(2025),
            recorded=RECORDED,
            returned={Party("UKR"): 1},
            agreement_id=missing,
        )
    lines = [*[encode_line(e) for e in log], encode_line(event)]
    with pytest.raises(UnknownReferenceError) as info:
        _load("\n".join(lines))
    assert info.value.line == len(lines)
    assert info.value.field == ("deadline_id" if kind == "deadline" else "agreement_id")
    assert missing in info.value.reason
    assert info.value.event_id == missing


@given(event_logs(min_size=1, max_size=MAX_LOG), st.data())
def test_duplicate_id_with_other_content_is_reported_at_its_line(log: EventLog, data: st.DataObject) -> None:
    """Reusing an earlier event's id with other content fails at the reusing line."""
    earlier = data.draw(st.sampled_from(list(log)))
    other = attrs.evolve(earlier, recorded=datetime(2035, 1, 1, tzinfo=UTC))
    lines = [*[encode_line(e) for e in log], encode_line(other)]
    with pytest.raises(DuplicateEventError) as info:
        _load("\n".join(lines))
    assert info.value.line == len(lines)
    assert info.value.event_id == earlier.id
    assert f"line {len(lines)}: " in str(info.value)


@given(event_logs(min_size=1, max_size=MAX_LOG), st.data())
def test_identical_retry_line_is_skipped(log: EventLog, data: st.DataObject) -> None:
    """A line repeating an earlier event exactly is a retry and loads as nothing new."""
    earlier = data.draw(st.sampled_from(list(log)))
    assert _load(dumps(log) + encode_line(earlier)) == log


# -- check_lines: every error -------------------------------------------------------------------


def _corrects(earlier: Event, later: Event) -> bool:
    """Whether ``later`` is a correction, and ``earlier`` another correction of the same event."""
    return (
        isinstance(later, EventCorrected)
        and isinstance(earlier, EventCorrected)
        and earlier.target == later.target
        and earlier is not later
    )


_NAMESPACES: Final = {
    "deadline_id": "deadline",
    "agreement_id": "agreement",
    "proposal_id": "proposal",
    "counter_proposal_id": "proposal",
    "ceasefire_id": "ceasefire",
    "measure_id": "measure",
}
"""The oracle's own table: each field that names an id, and the namespace of the id."""
_DEFINING: Final = {
    DeadlineSet: "deadline_id",
    PrisonerExchangeAgreed: "agreement_id",
    AgreementReached: "agreement_id",
    TalksProposed: "proposal_id",
    TermsProposed: "proposal_id",
    CeasefireAgreed: "ceasefire_id",
    SanctionsImposed: "measure_id",
    TariffsImposed: "measure_id",
}
"""The oracle's own table: the field by which each kind defines an id; every other id field refers."""
_STATES_FACTS: Final = (TalksProposed, TermsProposed, AgreementReached)
"""Kinds whose addressees or terms later events rely on, which a correction may change."""


def _ids(event: Event) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The ids ``event`` defines and those it refers to, each with its namespace."""
    defining = _DEFINING.get(type(event))
    defined: set[tuple[str, str]] = set()
    referred: set[tuple[str, str]] = set()
    for name, namespace in _NAMESPACES.items():
        value = getattr(event, name, None)
        if value is not None:
            (defined if name == defining else referred).add((namespace, value))
    return defined, referred


def _expected_error_lines(events_by_line: list[Event | None], log: EventLog) -> list[int]:
    """The oracle: the lines that are not events, and those referring to what no good line
    before them defines (a deadline, agreement, proposal or ceasefire id, by any field that
    names one), or to an event that no good line before them is.

    A valid log's addressees and terms stand or fall with the event that defines them, so an
    answer or a met term fails exactly when its proposal or agreement does; a correction that
    changed them is left out (by ``assume``) when it is one of the bad lines.
    """
    errors: list[int] = []
    keys: set[tuple[str, str]] = set()
    good: set[str] = set()
    dropped: set[str] = set()
    every = list(log)
    by_id = {e.id: e for e in every}
    for number, event in enumerate(events_by_line, 1):
        if event is None:
            lost = every[number - 1]
            assume(
                not (isinstance(lost, EventCorrected) and isinstance(by_id.get(lost.target), _STATES_FACTS))
            )
            errors.append(number)
            dropped.add(lost.id)
            continue
        defined, referred = _ids(event)
        if not referred <= keys or not set(referenced_ids(event)) <= good:
            errors.append(number)
            dropped.add(event.id)
            continue
        # A correction was checked against the corrections of its event before it: with one of
        # those gone, whether it still fits is not this oracle's to say.
        corrections = (
            {e.id for e in every if _corrects(e, event)} if isinstance(event, EventCorrected) else set()
        )
        assume(not dropped & corrections)
        good.add(event.id)
        keys |= defined
    return errors


@given(event_logs(max_size=MAX_LOG), st.data())
def test_check_lines_reports_every_error(log: EventLog, data: st.DataObject) -> None:
    """check_lines reports each bad line, and each event that no longer fits, in line order."""
    lines = [encode_line(e) for e in log]
    bad = data.draw(st.sets(st.integers(0, max(len(lines) - 1, 0)), max_size=4)) if lines else set()
    events_by_line: list[Event | None] = list(log)
    for index in bad:
        lines[index] = "{" + lines[index]
        events_by_line[index] = None
    errors = list(check_lines(lines))
    assert [e.line for e in errors] == _expected_error_lines(events_by_line, log)
    assert all(isinstance(e, DecodeError | UnknownReferenceError) for e in errors)
    assert _indexed(lines) == [(type(e), str(e)) for e in errors]
    if errors:
        with pytest.raises(NegotiationsError) as first:
            _load("\n".join(lines))
        assert (type(first.value), first.value.line) == (type(errors[0]), errors[0].line)
    else:
        assert _load("\n".join(lines)) == log


def _indexed(lines: list[str]) -> list[tuple[type[NegotiationsError], str]]:
    """The errors check_lines finds in ``lines`` as a file read again where a check needs an
    earlier event, holding only ids and offsets.
    """
    data = "".join(f"{line}\n" for line in lines).encode()
    return [(type(e), str(e)) for e in check_lines(io.BytesIO(data), reread=io.BytesIO(data))]


def test_check_lines_reports_log_errors_with_their_lines() -> None:
    """check_lines reports a duplicate id and an unknown reference, each with its line."""
    lines = [encode_line(e) for e in _small_log()]
    duplicate = lines[0].replace("agree a ceasefire", "withdraw")
    unknown = lines[2].replace('"d1"', '"d2"').replace('"e3"', '"e4"')
    errors = list(check_lines([*lines, duplicate, "", unknown, "not json"]))
    assert _indexed(["\ufeff" + lines[0], *lines[1:], duplicate, "", unknown, "not json"]) == [
        (type(e), str(e)) for e in errors
    ]
    assert [(type(e), e.line) for e in errors] == [
        (DuplicateEventError, 4),
        (UnknownReferenceError, 6),
        (DecodeError, 7),
    ]
    assert all(isinstance(e, LogError) for e in errors[:2])


def test_deadline_past_the_last_day_is_rejected() -> None:
    """A within_days that would put the due day past the year 9999 is rejected, naming it."""
    obj = to_json(_small_log()[1])
    obj["within_days"] = 3_000_000
    assert _rejected(json.dumps(obj), 2).field == "within_days"


def test_error_message_names_line_and_field() -> None:
    """A bad day reads as one line naming the line, the field and the value."""
    obj = to_json(_small_log()[1])
    del obj["within_days"]
    obj["due"] = "2025-02-30"
    error = _rejected(json.dumps(obj), 7)
    assert str(error) == "line 7: field 'due': '2025-02-30' is not a date (YYYY-MM-DD)"
