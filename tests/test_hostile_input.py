"""Hostile and careless input at the command line: one clear line, never a traceback, never raw
control characters on the terminal, and JSON the format does not define refused by name.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from negotiations import OpaqueEvent, PartialDate, loads
from negotiations.cli import main
from negotiations.errors import DecodeError, InvalidValueError

STATEMENT = {
    "type": "StatementMade",
    "id": "statement-1",
    "occurred": "2025-07-14",
    "recorded": "2025-07-14T18:00:00+00:00",
    "sources": [{"outlet": "The Epoch Times"}],
    "party": "USA",
    "summary": "Taking a tougher position toward Russia",
}


def line(**changes: object) -> str:
    """The statement's JSON line with ``changes`` made, escaping everything but ASCII."""
    return json.dumps(STATEMENT | changes)


def write(tmp_path: Path, data: str | bytes) -> str:
    """Write a log file and return its path."""
    path = tmp_path / "log.jsonl"
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command; its exit status, standard output and standard error."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_show_escapes_an_esc_sequence_in_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A summary that would clear the screen is printed as visible text."""
    log = write(tmp_path, line(summary="calm \x1b[2J\x1b[31mRED") + "\n")
    code, out, _ = run(capsys, "show", log, "--view", "timeline")
    assert code == 0
    assert "\x1b" not in out
    assert "calm \\x1b[2J\\x1b[31mRED" in out


def test_show_keeps_an_id_with_newlines_on_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An id holding a newline cannot forge an output line under --explain."""
    log = write(tmp_path, line(id="x\nFORGED row") + "\n")
    code, out, _ = run(capsys, "show", log, "--view", "timeline", "--explain")
    assert code == 0
    assert not any(row.startswith("FORGED") for row in out.splitlines())
    assert "x\\nFORGED row" in out


def test_an_error_naming_a_field_with_a_newline_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A field name that holds a newline and an ESC is escaped in validate's report."""
    bad = json.dumps(STATEMENT | {"x\nFORGED\x1b[2J": 1})
    code, out, err = run(capsys, "validate", write(tmp_path, bad + "\n"))
    assert code == 1
    assert out.count("\n") == 1
    assert "\x1b" not in out
    assert "x\\nFORGED\\x1b[2J" in out
    assert err.count("\n") == 1


def test_validate_reports_a_lone_surrogate_in_a_field_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A field name with half a surrogate pair is reported as one line, not a crash on output."""
    code, out, _ = run(
        capsys, "validate", write(tmp_path, line().replace('"party"', '"pa\\ud800rty"') + "\n")
    )
    assert code == 1
    assert "line 1: field 'pa\\ud800rty': holds a lone surrogate" in out


def test_import_lenient_refuses_a_lone_surrogate_in_an_unknown_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown kind that validate --lenient would keep is refused by name if it holds a lone
    surrogate, before anything is stored.
    """
    unknown = line(type="TruceMonitored").replace('"summary": "', '"summary": "\\udc80')
    log = write(tmp_path, unknown + "\n")
    store = f"sqlite:{tmp_path / 'events.db'}"
    code, _, err = run(capsys, "import", log, "--stream", "s", "--store", store, "--lenient")
    assert code == 1
    assert err.startswith("negotiations: error: ")
    assert "line 1: field 'summary': holds a lone surrogate" in err
    assert err.count("\n") == 1
    code, out, _ = run(capsys, "streams", "--store", store, "--json")
    assert json.loads(out or "[]") == []


@pytest.mark.parametrize("key", ["type", "summary", "outlet"])
def test_a_key_given_twice_is_refused_by_name(key: str) -> None:
    """A key twice in one object is an error naming it, even for type, and in a nested source."""
    text = line()
    if key == "outlet":
        text = text.replace('{"outlet": "The Epoch Times"}', '{"outlet": "A", "outlet": "B"}')
    else:
        text = text.replace("{", f'{{"{key}": "StatementMade", ', 1)
    with pytest.raises(DecodeError) as caught:
        loads(text)
    assert str(caught.value) == f"line 1: field '{key}': appears more than once in one JSON object"


def test_a_byte_order_mark_at_the_start_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A log saved with a UTF-8 byte order mark reads as the same log."""
    log = write(tmp_path, b"\xef\xbb\xbf" + (line() + "\n").encode())
    code, out, _ = run(capsys, "validate", log)
    assert (code, out) == (0, f"{log}: 1 event(s), no errors\n")
    assert loads("\ufeff" + line()) == loads(line())


def test_a_byte_order_mark_inside_the_log_is_an_error() -> None:
    """Only the first line may start with the mark; anywhere else it is not JSON."""
    with pytest.raises(DecodeError, match=r"^line 2: not valid JSON"):
        loads(line() + "\n\ufeff" + line(id="statement-2"))


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("NaN", "NaN is not a JSON number"),
        ("Infinity", "Infinity is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
        ("1e400", "the number 1e400 is out of the range this format reads"),
        ("-1E+999", "the number -1E+999 is out of the range this format reads"),
        ("1e-400", "the number 1e-400 is out of the range this format reads"),
    ],
)
def test_numbers_json_does_not_have_are_refused_even_leniently(
    number: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """NaN, Infinity and numbers a float cannot hold are refused, so an export is always JSON."""
    text = line(type="TruceMonitored").replace('"party": "USA"', f'"rate": {number}')
    code, out, _ = run(capsys, "validate", "--lenient", write(tmp_path, text + "\n"))
    assert code == 1
    assert f"line 1: {message}" in out


def test_a_zero_written_with_an_exponent_is_still_a_number() -> None:
    """Only a number that would change value is refused: 0e10 and 0.000 are zero."""
    for zero in ("0e10", "0.000", "-0.0E-999"):
        log = loads(line(type="TruceMonitored").replace('"party": "USA"', f'"rate": {zero}'), lenient=True)
        assert len(log) == 1


def test_validate_goes_on_after_a_line_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line that is not UTF-8 is one error among others, and the summary still comes."""
    data = (
        (line() + "\n").encode()
        + b"\xff\xfe not text\n"
        + b'{"type": "Nope"}\n'
        + (line(id="statement-2") + "\n").encode()
    )
    log = write(tmp_path, data)
    code, out, err = run(capsys, "validate", log)
    assert code == 1
    assert out.splitlines() == [
        f"{log}: line 2: not UTF-8 text (invalid start byte)",
        f"{log}: line 3: field 'type': unknown event type 'Nope'",
    ]
    assert err == f"negotiations: {log}: 2 error(s) in 4 event line(s)\n"


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"rate": float("nan")}, "data.rate", "nan is not a JSON number"),
        ({"rate": [1, {"x": float("-inf")}]}, "data.rate[1].x", "-inf is not a JSON number"),
        ({"note": "half \ud800"}, "data.note", "holds a lone surrogate, which is not Unicode text"),
        ({"when": object()}, "data.when", "object is not a JSON value"),
        ({1: "one"}, "data", "every key of a JSON object must be a string"),
    ],
)
def test_an_opaque_event_built_in_python_must_be_json(data: dict[Any, Any], field: str, reason: str) -> None:
    """An opaque event whose data JSON text cannot hold is refused where it is built, naming where,
    so that no store or export is ever asked to write it.
    """
    with pytest.raises(InvalidValueError) as caught:
        OpaqueEvent(
            id="x",
            occurred=PartialDate.parse("2025"),
            recorded=datetime(2025, 1, 1, tzinfo=UTC),
            kind="K",
            data=data,
        )
    assert (caught.value.field, caught.value.reason) == (field, reason)
