"""The command line: show, validate and schema, and its one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from negotiations import VIEW_NAMES, json_schema
from negotiations.cli import main

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
