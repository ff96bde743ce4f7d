"""What changed since a moment: changes(), its JSON and text, and ``negotiations changes``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiations
from negotiations import testing
from negotiations.cli import main
from negotiations.codec import to_json
from negotiations.domain import thaw_json
from negotiations.domain.events import Event, EventCorrected, EventRetracted, ReportDisputed
from negotiations.errors import InvalidValueError
from negotiations.log import EventLog, loads
from negotiations.projections import Changes, FieldChange, changes
from negotiations.render import changes_to_json, changes_to_text

# A small log, worked by hand. Before the end of July 15 (UTC) the log knew the ultimatum (set at
# 50 days, corrected to 40 on the 15th), a call and two counts of remains; after it, it learnt a
# second call, a correction of the ultimatum to 12 days, a retraction of the first call and a
# dispute between the counts.
LINES = [
    (
        '{"type": "DeadlineSet", "id": "ultimatum-set", "occurred": "2025-07-14", '
        '"recorded": "2025-07-14T18:00:00+00:00", "deadline_id": "ultimatum", "issuer": "USA", '
        '"target": "RUS", "demand": "agree to a cease-fire", "within_days": 50}'
    ),
    (
        '{"type": "CallHeld", "id": "call-1", "occurred": "2025-07-15", '
        '"recorded": "2025-07-15T10:00:00+00:00", "parties": ["USA", "RUS"], "summary": "a first call"}'
    ),
    (
        '{"type": "EventCorrected", "id": "fix-40", "occurred": "2025-07-15", '
        '"recorded": "2025-07-15T12:00:00+00:00", "target": "ultimatum-set", "changes": {"within_days": 40}}'
    ),
    (
        '{"type": "RemainsRepatriated", "id": "ukr-count", "occurred": "2025-07-15", '
        '"recorded": "2025-07-15T13:00:00+00:00", "returned": {"UKR": 6057}}'
    ),
    (
        '{"type": "RemainsRepatriated", "id": "rus-count", "occurred": "2025-07-15", '
        '"recorded": "2025-07-15T14:00:00+00:00", "returned": {"UKR": 6060}}'
    ),
    (
        '{"type": "CallHeld", "id": "call-2", "occurred": "2025-07-16", '
        '"recorded": "2025-07-16T09:00:00+00:00", "parties": ["UKR", "USA"]}'
    ),
    (
        '{"type": "EventCorrected", "id": "fix-12", "occurred": "2025-07-17", '
        '"recorded": "2025-07-17T09:00:00+00:00", "target": "fix-40", '
        '"changes": {"within_days": 12, "consequence": "tariffs"}, "reason": "misheard"}'
    ),
    (
        '{"type": "EventRetracted", "id": "no-call-1", "occurred": "2025-07-18", '
        '"recorded": "2025-07-18T09:00:00+00:00", "target": "call-1", "reason": "never happened"}'
    ),
    (
        '{"type": "ReportDisputed", "id": "count-dispute", "occurred": "2025-07-19", '
        '"recorded": "2025-07-19T09:00:00+00:00", "claims": ["ukr-count", "rus-count"], '
        '"subject": "bodies returned"}'
    ),
]
LOG = loads("\n".join(LINES))
SINCE = datetime(2025, 7, 15, 23, 59, 59, 999999, tzinfo=UTC)
"""The end of July 15 in UTC, as ``--since 2025-07-15`` reads."""

EXPECTED_JSON: dict[str, Any] = {
    "since": "2025-07-15T23:59:59.999999+00:00",
    "known_at": None,
    "new": [
        {
            "event_id": "call-2",
            "kind": "CallHeld",
            "occurred": "2025-07-16",
            "recorded": "2025-07-16T09:00:00+00:00",
            "summary": "UKR–USA call",
        }
    ],
    "corrected": [
        {
            "event_id": "fix-12",
            "target": "fix-40",
            "root": "ultimatum-set",
            "target_kind": "DeadlineSet",
            "fields": [
                {"field": "within_days", "old": 40, "new": 12},
                {"field": "consequence", "old": None, "new": "tariffs"},
            ],
            "reason": "misheard",
            "recorded": "2025-07-17T09:00:00+00:00",
        }
    ],
    "retracted": [
        {
            "event_id": "no-call-1",
            "target": "call-1",
            "target_kind": "CallHeld",
            "target_summary": "USA–RUS call: a first call",
            "reason": "never happened",
            "recorded": "2025-07-18T09:00:00+00:00",
        }
    ],
    "disputed": [
        {
            "event_id": "count-dispute",
            "claims": ["ukr-count", "rus-count"],
            "subject": "bodies returned",
            "recorded": "2025-07-19T09:00:00+00:00",
        }
    ],
}
"""What changed in LOG after SINCE, worked by hand from the lines above."""


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2025, 7, day, hour, tzinfo=UTC)


def _write(tmp_path: Path, lines: list[str] = LINES) -> Path:
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- the comparison, by hand -------------------------------------------------------------------


def test_each_kind_of_change_is_listed_with_its_event() -> None:
    """After SINCE the log learnt one call, one correction, one retraction and one dispute,
    each listed under its kind by the id of its event.
    """
    found = changes(LOG, SINCE)
    assert [n.event_id for n in found.new] == ["call-2"]
    assert [c.event_id for c in found.corrected] == ["fix-12"]
    assert [r.event_id for r in found.retracted] == ["no-call-1"]
    assert [d.event_id for d in found.disputed] == ["count-dispute"]
    assert found.since == SINCE
    assert found.known_at is None


def test_a_correction_goes_from_the_value_known_then_to_the_new_one() -> None:
    """A correction's old value is the fact as known at since, after the correction recorded
    before it (50 days corrected to 40), not as first recorded; a field it adds was absent.
    """
    (fix,) = changes(LOG, SINCE).corrected
    assert fix.target == "fix-40"
    assert fix.root == "ultimatum-set"
    assert fix.target_kind == "DeadlineSet"
    assert fix.fields == (
        FieldChange(field="within_days", old=40, new=12),
        FieldChange(field="consequence", old=None, new="tariffs"),
    )
    assert fix.reason == "misheard"


def test_since_before_every_correction_gives_the_first_recorded_values() -> None:
    """With since before both corrections, they read as a chain: the first goes from 50 to 40,
    and the second from 40 to 12.
    """
    found = changes(LOG, _at(14, 20))
    assert [(c.event_id, c.fields[0].old, c.fields[0].new) for c in found.corrected] == [
        ("fix-40", 50, 40),
        ("fix-12", 40, 12),
    ]


def test_events_recorded_at_or_before_since_are_not_listed() -> None:
    """Nothing recorded at or before since is listed: the moment itself is outside the window."""
    found = changes(LOG, _at(16))  # call-2 was recorded at exactly this moment
    assert "call-2" not in found.event_ids()
    assert sorted(found.event_ids()) == ["count-dispute", "fix-12", "no-call-1"]


def test_known_at_cuts_the_window() -> None:
    """With known_at, only what was recorded at or before it is listed."""
    found = changes(LOG, SINCE, known_at=_at(17))
    assert found.known_at == _at(17)
    assert [n.event_id for n in found.new] == ["call-2"]
    assert [c.event_id for c in found.corrected] == ["fix-12"]  # recorded at exactly known_at
    assert found.retracted == ()
    assert found.disputed == ()
    assert len(changes(LOG, SINCE, known_at=_at(16, 8))) == 0


def test_since_equal_to_known_at_is_an_empty_window() -> None:
    """A window that starts where it ends holds nothing."""
    assert changes(LOG, _at(17), known_at=_at(17)) == Changes(since=_at(17), known_at=_at(17))


def test_a_fact_new_and_retracted_in_the_window_is_in_both_lists() -> None:
    """An event recorded and retracted in the window is a new fact, and its retraction is listed
    too, with the target as first recorded.
    """
    found = changes(LOG, _at(15, 9))
    assert "call-1" in [n.event_id for n in found.new]
    (retraction,) = found.retracted
    assert (retraction.target, retraction.target_summary) == ("call-1", "USA–RUS call: a first call")


def test_a_correction_of_a_fact_new_in_the_window_starts_from_it_as_first_recorded() -> None:
    """When the corrected fact is itself new in the window, the old values are its own."""
    found = changes(LOG, _at(14, 12))
    assert [n.event_id for n in found.new][:1] == ["ultimatum-set"]
    assert [(c.event_id, c.fields[0].old) for c in found.corrected] == [("fix-40", 50), ("fix-12", 40)]


def test_new_facts_carry_their_kind_day_and_summary() -> None:
    """A new fact names its kind, the day it occurred, when it was recorded and its summary."""
    (call,) = changes(LOG, SINCE).new
    assert (call.kind, str(call.occurred), call.recorded) == ("CallHeld", "2025-07-16", _at(16))
    assert call.summary == "UKR–USA call"


def test_since_after_known_at_is_refused() -> None:
    """A window that ends before it starts is an InvalidValueError on the field since."""
    with pytest.raises(InvalidValueError) as caught:
        changes(LOG, _at(18), known_at=_at(17))
    assert caught.value.field == "since"


@pytest.mark.parametrize("name", ["since", "known_at"])
def test_a_moment_without_an_offset_is_refused(name: str) -> None:
    """A naive datetime cannot be set against recorded times: it is an InvalidValueError naming it."""
    naive = datetime(2025, 7, 15)  # noqa: DTZ001 - the point
    since, known_at = (naive, None) if name == "since" else (SINCE, naive)
    with pytest.raises(InvalidValueError) as caught:
        changes(LOG, since, known_at=known_at)
    assert caught.value.field == name


def test_any_iterable_gives_what_the_log_gives() -> None:
    """A one-shot iterator of the log's events gives the same changes as the log."""
    assert changes(iter(list(LOG)), SINCE) == changes(LOG, SINCE)


def test_the_top_level_exports_it() -> None:
    """The top level exports changes and Changes."""
    assert negotiations.changes is changes
    assert negotiations.Changes is Changes


# -- JSON and text -----------------------------------------------------------------------------


def test_json_is_pinned() -> None:
    """changes_to_json gives the hand-worked object, which JSON can hold as it is."""
    found = changes_to_json(changes(LOG, SINCE))
    assert found == EXPECTED_JSON
    assert json.loads(json.dumps(found)) == found


def test_text_counts_each_kind_and_lists_each_item() -> None:
    """The text counts each kind on its second line, then lists each item by its event id."""
    text = changes_to_text(changes(LOG, SINCE, known_at=_at(18)))
    lines = text.splitlines()
    assert lines[0] == "Changes recorded after 2025-07-15T23:59:59+00:00, up to 2025-07-18T09:00:00+00:00"
    assert lines[1] == "1 new, 1 corrected, 1 retracted, 0 disputed"
    assert (
        "  fix-12: ultimatum-set (DeadlineSet) via fix-40: within_days 40 -> 12; consequence null -> " in text
    )
    assert '  no-call-1: call-1 (CallHeld) "USA–RUS call: a first call": never happened' in lines
    assert "DISPUTED" not in lines


def test_text_escapes_what_could_drive_a_terminal() -> None:
    """A summary that holds control characters is printed escaped, on one line."""
    hostile = LINES[5].replace(
        '"parties": ["UKR", "USA"]', '"parties": ["UKR", "USA"], "summary": "x\\u001b[2Jy"'
    )
    text = changes_to_text(changes(loads("\n".join([*LINES[:5], hostile])), SINCE))
    assert "\x1b" not in text
    assert "x\\x1b[2Jy" in text


# -- the command line --------------------------------------------------------------------------


def test_cli_json_is_pinned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``negotiations changes LOG --since DAY --json`` prints the hand-worked object."""
    assert main(["changes", str(_write(tmp_path)), "--since", "2025-07-15", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == EXPECTED_JSON


def test_cli_known_at(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--known-at ends the window, and is printed back as known_at."""
    argv = ["changes", str(_write(tmp_path)), "--since", "2025-07-15", "--known-at", "2025-07-16", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["known_at"] == "2025-07-16T23:59:59.999999+00:00"
    assert [
        item["event_id"] for key in ("new", "corrected", "retracted", "disputed") for item in out[key]
    ] == ["call-2"]


def test_cli_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json the command prints the counts, then the items."""
    assert main(["changes", str(_write(tmp_path)), "--since", "2025-07-15"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1] == "1 new, 1 corrected, 1 retracted, 1 disputed"
    assert "  count-dispute: sources disagree on bodies returned: ukr-count, rus-count" in out


def test_cli_reads_a_stream(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--stream NAME --store URL reads the stream, as show does."""
    url = f"sqlite:{tmp_path / 'events.db'}"
    assert main(["import", str(_write(tmp_path)), "--stream", "talks", "--store", url, "--quiet"]) == 0
    capsys.readouterr()
    assert main(["changes", "--stream", "talks", "--store", url, "--since", "2025-07-15", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == EXPECTED_JSON


def test_cli_defaults_to_the_seed(capsys: pytest.CaptureFixture[str]) -> None:
    """Without LOG or --stream the command reads the bundled timeline: nothing is recorded after
    its last day.
    """
    assert main(["changes", "--since", "2025-07-20", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["new"], out["corrected"], out["retracted"], out["disputed"]) == ([], [], [], [])
    assert main(["changes", "--since", "2025-07-19", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["new"]) > 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["changes", "--since", "yesterday"], "argument --since: 'yesterday' is not a datetime"),
        (["changes", "--since", "2025-02-30"], "argument --since:"),
        (["changes", "--since", "2025-07-15T09:00:00"], "argument --since:"),
        (["changes"], "the following arguments are required: --since"),
        (
            ["changes", "--since", "2025-07-16", "--known-at", "2025-07-15"],
            "--since must not be after --known-at",
        ),
        (["changes", "log.jsonl", "--stream", "s", "--since", "2025-07-15"], "give a LOG or --stream NAME"),
        (["changes", "--store", "memory:", "--since", "2025-07-15"], "--store needs --stream NAME"),
    ],
)
def test_cli_usage_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """A bad --since, or a bad mix of options, gives one line on stderr that points to --help, and
    exit 2.
    """
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("negotiations: error: ")
    assert message in captured.err
    assert "(see 'negotiations changes --help')" in captured.err
    assert "Traceback" not in captured.err


def test_cli_bad_log_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A log with a bad line gives one line naming the file and the line, and exit 1."""
    path = _write(tmp_path, [LINES[0], "{not json"])
    assert main(["changes", str(path), "--since", "2025-07-15"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"negotiations: error: {path}: line 2:")


def test_cli_help_names_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    """``changes --help`` describes LOG, --stream, --store, --since, --known-at and --json."""
    with pytest.raises(SystemExit) as done:
        main(["changes", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for name in ("LOG", "--stream", "--store", "--since", "--known-at", "--json", "--lenient"):
        assert name in out, name


# -- against a model ---------------------------------------------------------------------------


_LIST_OF: dict[type[Event], str] = {
    EventCorrected: "corrected",
    EventRetracted: "retracted",
    ReportDisputed: "disputed",
}


def _model_lists(log: EventLog, since: datetime, known_at: datetime | None) -> dict[str, list[str]]:
    """The ids each list should hold, in log order: every event recorded in the window, by kind."""
    lists: dict[str, list[str]] = {"new": [], "corrected": [], "retracted": [], "disputed": []}
    for event in log:
        if event.recorded > since and (known_at is None or event.recorded <= known_at):
            lists[_LIST_OF.get(type(event), "new")].append(event.id)
    return lists


def _moments(log: EventLog) -> st.SearchStrategy[datetime]:
    """Moments that cut ``log`` somewhere interesting: at, just before or after a recorded time,
    or anywhere from 2020 to 2030.
    """
    near = [e.recorded + timedelta(microseconds=d) for e in log for d in (-1, 0, 1)]
    anywhere = st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC))  # noqa: DTZ001 - the bounds of a draw
    return st.one_of(st.sampled_from(near), anywhere) if near else anywhere


@given(testing.event_logs(max_size=25), st.data())
def test_every_event_in_the_window_is_in_exactly_one_list(log: EventLog, data: st.DataObject) -> None:
    """Each event recorded after since and at or before known_at is listed once, under its kind, in
    log order; no other event is.
    """
    since, until = sorted([data.draw(_moments(log)), data.draw(_moments(log))])
    known_at = data.draw(st.sampled_from([None, until]))
    found = changes(log, since, known_at=known_at)
    assert {
        "new": [n.event_id for n in found.new],
        "corrected": [c.event_id for c in found.corrected],
        "retracted": [r.event_id for r in found.retracted],
        "disputed": [d.event_id for d in found.disputed],
    } == _model_lists(log, since, known_at)


def _model_old_values(log: EventLog) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each correction's id to its fact's id and the JSON the fact had just before it, by a
    model of plain dicts: a correction's target followed back to a fact, and the changes of the
    earlier corrections laid over the fact's JSON in log order.
    """
    fact_of: dict[str, str] = {}
    as_known: dict[str, dict[str, Any]] = {}
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for event in log:
        if type(event) is not EventCorrected:
            as_known[event.id] = to_json(event)
            continue
        fact = fact_of.get(event.target, event.target)
        fact_of[event.id] = fact
        out[event.id] = (fact, dict(as_known[fact]))
        as_known[fact].update(thaw_json(event.changes))
    return out


@given(testing.event_logs(max_size=25), st.data())
def test_a_correction_goes_from_what_was_known_to_what_it_states(log: EventLog, data: st.DataObject) -> None:
    """Every correction in the window lists exactly the fields it changes, each from its fact's
    value just before it to the value the correction states.
    """
    since = data.draw(_moments(log))
    found = changes(log, since)
    model = _model_old_values(log)
    for item in found.corrected:
        fix = log.get(item.event_id)
        assert type(fix) is EventCorrected
        fact, known = model[item.event_id]
        assert item.root == fact
        stated = thaw_json(fix.changes)
        assert [f.field for f in item.fields] == list(stated)
        for change in item.fields:
            assert change.old == known.get(change.field), change.field
            assert change.new == stated[change.field], change.field
