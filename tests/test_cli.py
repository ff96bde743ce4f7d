"""The command line: show, validate, schema and export --format plover, and its one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from negotiations import VIEW_NAMES, json_schema
from negotiations.cli import main
from negotiations.codec import dumps
from negotiations.log import load_log
from negotiations.seed import seed_timeline

DEADLINE = (
    '{"type": "DeadlineSet", "id": "us-ultimatum-set", "occurred": "2025-07-14", '
    '"recorded": "2025-07-20T09:00:00+00:00", "sources": [{"outlet": "The Epoch Times"}], '
    '"deadline_id": "us-ceasefire-ultimatum", "issuer": "USA", "target": "RUS", '
    '"demand": "agree to a cease-fire with Ukraine", "within_days": 50, '
    '"consequence": "100 percent secondary tariffs"}'
)
AGREEMENT = (
    '{"type": "PrisonerExchangeAgreed", "id": "agreed", "occurred": "2025-06-02", '
    '"recorded": "2025-07-20T09:00:00+00:00", "agreement_id": "istanbul", '
    '"parties": ["UKR", "RUS"], "categories": ["prisoners of war"], "per_side": 10}'
)
BATCH = (
    '{"type": "PrisonersExchanged", "id": "batch", "occurred": "2025-06-10", '
    '"recorded": "2025-07-20T09:00:00+00:00", "agreement_id": "istanbul", '
    '"returned": {"UKR": 4, "RUS": 4}}'
)

# Each bad input the issue names, as (what is wrong, the line, what the message must say).
BAD_LINES = [
    ("not JSON", "{not json", "line 2: not valid JSON"),
    ("unknown type", '{"type": "TalksCancelled", "id": "x"}', "line 2: field 'type': unknown event type"),
    ("invalid date", DEADLINE.replace("2025-07-14", "2025-02-30"), "line 2: field 'occurred'"),
    ("negative count", BATCH.replace('"UKR": 4', '"UKR": -4'), "line 2: field 'returned.UKR'"),
    (
        "unknown deadline",
        (
            '{"type": "DeadlineMet", "id": "met", "occurred": "2025-08-01", '
            '"recorded": "2025-08-01T09:00:00+00:00", "deadline_id": "no-such-deadline"}'
        ),
        "line 2: field 'deadline_id': unknown deadline 'no-such-deadline'",
    ),
    (
        "unknown agreement",
        BATCH.replace("istanbul", "ankara"),
        "line 2: field 'agreement_id': unknown agreement",
    ),
]


def write(tmp_path: Path, *lines: str) -> Path:
    """Write lines to a log file and return its path."""
    path = tmp_path / "log.jsonl"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_show_json_deadline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The show command's JSON gives the deadline's due day, status and days left as of the given day."""
    log = write(tmp_path, DEADLINE)
    assert main(["show", str(log), "--view", "deadlines", "--as-of", "2025-07-20", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["as_of", "known_at", "deadlines"]
    (deadline,) = out["deadlines"]
    assert deadline["deadline_id"] == "us-ceasefire-ultimatum"
    assert (deadline["set_on"], deadline["due"]) == ("2025-07-14", "2025-09-02")
    assert (deadline["status"], deadline["days_left"]) == ("pending", 44)


def test_show_json_defaults_to_latest_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --as-of, views are computed as of the latest occurred day in the log."""
    log = write(tmp_path, AGREEMENT, BATCH)
    assert main(["show", str(log), "--json", "--view", "exchanges"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2025-06-10"
    (agreement,) = out["exchanges"]["agreements"]
    assert agreement["status"] == "in-progress"
    assert agreement["returned"] == {"UKR": 4, "RUS": 4}
    assert out["exchanges"]["returned"] == {"UKR": 4, "RUS": 4}


def test_show_json_has_every_view(capsys: pytest.CaptureFixture[str]) -> None:
    """With no --view, show --json has a key for every view, of the bundled timeline."""
    assert main(["show", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"as_of", "known_at", *VIEW_NAMES}


def test_show_text_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The text output titles each view and aligns its columns."""
    log = write(tmp_path, DEADLINE)
    assert main(["show", str(log), "--view", "deadlines", "--as-of", "2025-09-03", "--width", "120"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "DEADLINES as of 2025-09-03"
    header, row = lines[2], lines[3]
    assert row.startswith("us-ceasefire-ultimatum  USA")
    assert header.index("STATUS") == row.index("lapsed")


def test_show_every_view_of_the_seed(capsys: pytest.CaptureFixture[str]) -> None:
    """Plain `negotiations show` prints a section for every view of the bundled timeline."""
    assert main(["show"]) == 0
    out = capsys.readouterr().out
    for name in VIEW_NAMES:
        assert f"{name.upper()} as of 2025-07-20" in out


@pytest.mark.parametrize(("what", "line", "message"), BAD_LINES, ids=[b[0] for b in BAD_LINES])
@pytest.mark.parametrize("command", ["show", "validate"])
def test_bad_input_is_one_line(  # noqa: PLR0917 - pytest passes fixtures and parameters by name
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, what: str, line: str, message: str
) -> None:
    """Bad input to show and validate gives one line naming the line number, and exit 1."""
    del what
    log = write(tmp_path, AGREEMENT, line)
    assert main([command, str(log)]) == 1
    captured = capsys.readouterr()
    reported = captured.err if command == "show" else captured.out
    assert len(reported.splitlines()) == 1
    assert message in reported
    assert "Traceback" not in captured.err


def test_validate_reports_every_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The validate command prints every bad line, in order, and a count on standard error."""
    log = write(tmp_path, "{", AGREEMENT, "", BATCH.replace('"UKR": 4', '"UKR": -1'), BATCH)
    assert main(["validate", str(log)]) == 1
    captured = capsys.readouterr()
    assert [line.split(": ")[1] for line in captured.out.splitlines()] == ["line 1", "line 4"]
    assert "2 error(s) in 4 event line(s)" in captured.err


def test_validate_good_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The validate command says how many events a good log holds and exits 0."""
    log = write(tmp_path, AGREEMENT, BATCH, DEADLINE)
    assert main(["validate", str(log)]) == 0
    assert capsys.readouterr().out == f"{log}: 3 event(s), no errors\n"


def test_schema_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """The schema command prints the exported JSON Schema."""
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "--as-of", "2025-13-01"], "argument --as-of: '2025-13-01' is not a date"),
        (["show", "--view", "weather"], "argument --view: invalid choice: 'weather'"),
        (["dance"], "argument COMMAND: invalid choice: 'dance'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    """A bad command line gives one line that points to --help, and exit 2."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert message in err
    assert "--help" in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A log that cannot be read gives one line with the reason, and exit 1."""
    assert main(["show", str(tmp_path / "absent.jsonl")]) == 1
    assert (
        capsys.readouterr().err
        == f"negotiations: error: cannot read {tmp_path / 'absent.jsonl'}: No such file or directory\n"
    )


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A log that is not UTF-8 text gives one line naming the line, and exit 1."""
    log = tmp_path / "log.jsonl"
    log.write_bytes(AGREEMENT.encode() + b"\n\xff\xfe\n")
    assert main(["show", str(log)]) == 1
    assert "line 2: not UTF-8 text" in capsys.readouterr().err


def test_python_m_runs_the_cli() -> None:
    """`python -m negotiations` is the same program, with --help and --version."""
    done = subprocess.run(
        [sys.executable, "-m", "negotiations", "--help"], capture_output=True, text=True, check=True
    )
    assert "show" in done.stdout
    assert "validate" in done.stdout
    version = subprocess.run(
        [sys.executable, "-m", "negotiations", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("negotiations ")


def test_broken_pipe_is_quiet() -> None:
    """A reader that has gone (as with | head) ends show with no traceback."""
    reader = subprocess.Popen([sys.executable, "-c", "pass"], stdin=subprocess.PIPE)
    reader.wait()  # the pipe now has no reader, so the first write fails
    assert reader.stdin is not None
    done = subprocess.run(
        [sys.executable, "-m", "negotiations", "show"],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        check=False,
    )
    reader.stdin.close()
    assert done.returncode == 1
    assert done.stderr == b""


# -- export --format plover ---------------------------------------------------------------------


def test_export_plover_of_the_seed(capsys: pytest.CaptureFixture[str]) -> None:
    """With neither LOG nor --stream, export --format plover writes a record per seed event, and
    one line on standard error that counts what it left out.
    """
    assert main(["export", "--format", "plover"]) == 0
    captured = capsys.readouterr()
    records = [json.loads(text) for text in captured.out.splitlines()]
    assert [record["id"] for record in records] == [event.id for event in seed_timeline()]
    assert captured.err == "negotiations: export: left out 0 events\n"


def test_export_plover_of_a_log_leaves_out_amendments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A LOG's retraction and the event it retracts make no record, and the count names them."""
    retraction = (
        '{"type": "EventRetracted", "id": "undo", "occurred": "2025-07-21", '
        '"recorded": "2025-07-21T09:00:00+00:00", "target": "batch", "reason": "misreported"}'
    )
    path = write(tmp_path, AGREEMENT, BATCH, retraction)
    assert main(["export", "--format", "plover", str(path)]) == 0
    captured = capsys.readouterr()
    assert [json.loads(text)["id"] for text in captured.out.splitlines()] == ["agreed"]
    assert captured.err == "negotiations: export: left out 2 events: 1 EventRetracted, 1 retracted\n"


def test_export_plover_of_a_stream(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A log imported into a SQLite stream exports as the same PLOVER records as the log itself,
    to a file with -o.
    """
    path = write(tmp_path, DEADLINE, AGREEMENT, BATCH)
    store = f"sqlite:{tmp_path / 'events.db'}"
    assert main(["import", str(path), "--stream", "s", "--store", store, "-q"]) == 0
    assert main(["export", "--format", "plover", str(path)]) == 0
    from_file = capsys.readouterr().out
    out = tmp_path / "out.plover.jsonl"
    assert main(["export", "--format", "plover", "--stream", "s", "--store", store, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == from_file
    assert capsys.readouterr().out == f"{out}: 3 PLOVER record(s) written\n"


def test_export_jsonl_is_the_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --format, and with --format jsonl, export writes the stream's log as it was
    imported, byte for byte.
    """
    path = write(tmp_path, DEADLINE, AGREEMENT, BATCH)
    store = f"sqlite:{tmp_path / 'events.db'}"
    assert main(["import", str(path), "--stream", "s", "--store", store, "-q"]) == 0
    capsys.readouterr()
    assert main(["export", "--stream", "s", "--store", store]) == 0
    default = capsys.readouterr()
    assert main(["export", "--format", "jsonl", "--stream", "s", "--store", store]) == 0
    assert capsys.readouterr() == default
    assert default.out == dumps(load_log(path))
    assert default.err == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export"], "the following arguments are required: --stream"),
        (["export", "log.jsonl"], "--format jsonl writes a stream, not a LOG"),
        (["export", "--format", "plover", "log.jsonl", "--stream", "s"], "give a LOG or --stream NAME"),
        (["export", "--format", "plover", "--store", "memory:"], "--store needs --stream NAME"),
        (["export", "--format", "xml"], "argument --format: invalid choice: 'xml'"),
    ],
)
def test_export_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    """A bad export command line gives one line that points to --help, and exit 2."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert message in err
    assert "export --help" in err
