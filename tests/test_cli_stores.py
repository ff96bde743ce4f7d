"""The store commands: import, export, append, show --stream and streams, their one-line errors
and their progress bar.
"""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import attrs
import pytest

from negotiations.cli import main
from negotiations.cli._io import Progress, progress_to
from negotiations.cli._store_args import BATCH
from negotiations.codec import dumps, encode_line
from negotiations.domain.events import DeadlineMet, Event, StatementMade
from negotiations.domain.values import PartialDate, Party
from negotiations.log import EventLog, loads
from negotiations.seed import seed_timeline
from negotiations.stores import MemoryStore, load_stream, open_store

STREAM = "russia-ukraine"

# The tables as the first SQLite stores made them (as in tests/stores/test_sqlite.py), with the
# index by type that later versions drop when they open a store to write.
OLD_SCHEMA: Final = (
    """CREATE TABLE events (
        position BIGINT PRIMARY KEY, stream TEXT NOT NULL, version BIGINT NOT NULL,
        event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
        UNIQUE (stream, version), UNIQUE (stream, event_id))""",
    "CREATE INDEX events_by_type ON events (stream, type)",
    "CREATE TABLE streams (name TEXT PRIMARY KEY, version BIGINT NOT NULL)",
    """CREATE TABLE keys (
        stream TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (stream, kind, name))""",
    """CREATE TABLE snapshots (
        name TEXT PRIMARY KEY, tag TEXT NOT NULL, checkpoint BIGINT NOT NULL, data TEXT NOT NULL)""",
)
RECORDED = datetime(2025, 7, 21, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "file"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty durable store under tmp_path, of each kind a second process can read."""
    return (
        f"sqlite:{tmp_path / 'events.db'}"
        if request.param == "sqlite"
        else f"file:{tmp_path / 'events.jsonl'}"
    )


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    """The seed timeline written as a JSON Lines file."""
    path = tmp_path / "seed.jsonl"
    path.write_text(dumps(seed_timeline()), encoding="utf-8")
    return path


def statements(count: int) -> list[StatementMade]:
    """``count`` distinct statements, a log of any size."""
    return [
        StatementMade(
            id=f"s-{n}",
            occurred=PartialDate.parse("2025-07-01"),
            recorded=RECORDED,
            party=Party("UKR"),
            summary=f"statement number {n}",
        )
        for n in range(count)
    ]


def write_log(path: Path, events: Sequence[Event]) -> Path:
    """Write events to ``path`` as JSON Lines and return it."""
    path.write_text(dumps(events), encoding="utf-8")
    return path


def stdin_of(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Make standard input read ``text``, as bytes underneath as a real one does."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))


def version_of(url: str, stream: str = STREAM) -> int:
    """The version of ``stream`` in the store at ``url``, read afresh."""
    store = open_store(url)
    try:
        return store.stream_version(stream)
    finally:
        store.close()


def stream_of(url: str, stream: str = STREAM) -> EventLog:
    """The events of ``stream`` in the store at ``url``, read afresh."""
    store = open_store(url)
    try:
        return load_stream(store, stream)
    finally:
        store.close()


MET = DeadlineMet(
    id="ru-ceasefire-agreed",
    occurred=PartialDate.parse("2025-08-30"),
    recorded=RECORDED,
    deadline_id="us-ceasefire-ultimatum",
)


# -- import and export ----------------------------------------------------------------------------


def test_import_then_export_round_trips(
    url: str, seed_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Importing the seed and exporting the stream gives the same events and the same bytes."""
    assert main(["import", str(seed_file), "--store", url, "--stream", STREAM]) == 0
    out = tmp_path / "out.jsonl"
    assert main(["export", "--store", url, "--stream", STREAM, "-o", str(out)]) == 0
    assert loads(out.read_text(encoding="utf-8")) == seed_timeline()
    assert out.read_bytes() == dumps(seed_timeline()).encode("utf-8")
    capsys.readouterr()
    assert main(["export", "--store", url, "--stream", STREAM]) == 0
    assert capsys.readouterr().out == dumps(seed_timeline())


def test_import_prints_a_summary(url: str, seed_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Import prints one line with the events read, appended and already there, and the version."""
    assert main(["import", str(seed_file), "--store", url, "--stream", STREAM]) == 0
    assert capsys.readouterr().out == (
        f"{seed_file}: 19 event(s) read, 19 appended, 0 already there; stream '{STREAM}' is at version 19\n"
    )


def test_import_twice_is_a_no_op(url: str, seed_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Importing the same log again appends nothing and leaves the stream as it was."""
    assert main(["import", str(seed_file), "--store", url, "--stream", STREAM]) == 0
    capsys.readouterr()
    assert (
        main(["import", str(seed_file), "--store", url, "--stream", STREAM, "--expected-version", "0"]) == 0
    )
    assert "19 event(s) read, 0 appended, 19 already there" in capsys.readouterr().out
    assert stream_of(url) == seed_timeline()


def test_import_resumes_after_a_stop(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An import that stopped after its first batch finishes when run again, with the same command."""
    events = statements(BATCH + 500)
    log = write_log(tmp_path / "big.jsonl", events)
    store = open_store(url)
    store.append(STREAM, events[:BATCH])  # what the stopped import had written
    store.close()
    argv = ["import", str(log), "--store", url, "--stream", STREAM, "--expected-version", "0"]
    assert main(argv) == 0
    assert f"500 appended, {BATCH} already there" in capsys.readouterr().out
    assert list(stream_of(url)) == events


def test_bad_log_imports_nothing(url: str, seed_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A log with a bad line gives one line naming it, exit 1, and writes nothing at all."""
    lines = seed_file.read_text(encoding="utf-8").splitlines()
    lines[14] = lines[14].replace('"type": "', '"type": "Not')
    seed_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["import", str(seed_file), "--store", url, "--stream", STREAM, "--batch", "2"]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert f"{seed_file}: line 15: field 'type': unknown event type" in err
    assert version_of(url) == 0


def test_conflict_part_way_names_the_line_and_what_was_written(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A batch that clashes with the stream stops the import with one line: its line, and what went in."""
    events = statements(5)
    store = open_store(url)
    store.append(STREAM, [attrs.evolve(events[4], summary="another text")])
    store.close()
    log = write_log(tmp_path / "log.jsonl", events)
    assert main(["import", str(log), "--store", url, "--stream", STREAM, "--batch", "2"]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert f"{log}: line 5: field 'id': id 's-4' is already in the log with other content" in err
    assert err.endswith("(event 's-4'); 4 event(s) before it were appended\n")


class _Stopping(MemoryStore):
    """A memory store whose second append is interrupted by Ctrl-C, or preceded by another writer's."""

    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how
        self.appends = 0

    def append(self, stream: str, events: Sequence[Event], *, expected_version: int | None = None) -> int:
        """Append, but disturb the second append as ``how`` says."""
        self.appends += 1
        if self.appends == 2 and self.how == "ctrl-c":
            raise KeyboardInterrupt
        if self.appends == 2 and self.how == "writer":
            other = StatementMade(
                id="slipped-in", occurred=PartialDate.parse("2025"), recorded=RECORDED, party=Party("RUS"),
                summary="another writer's event",
            )  # fmt: skip
            super().append(stream, [other])
        return super().append(stream, events, expected_version=expected_version)


@pytest.mark.parametrize(
    ("how", "status", "message"),
    [
        (
            "ctrl-c",
            130,
            (
                f"negotiations: interrupted after appending {BATCH} event(s); "
                "run the same import again to resume: events already there are skipped\n"
            ),
        ),
        (
            "writer",
            1,
            (
                f"negotiations: error: stream '{STREAM}' is at version {BATCH + 1}, not the expected "
                f"{BATCH}; read it and retry; {BATCH} event(s) before it were appended; "
                "run the same import again to resume: events already there are skipped\n"
            ),
        ),
    ],
)
def test_import_stopped_part_way_says_how_to_resume(  # noqa: PLR0917 - pytest passes parameters by name
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    how: str,
    status: int,
    message: str,
) -> None:
    """An import stopped by Ctrl-C or another writer says what went in and how to resume."""
    store = _Stopping(how)
    monkeypatch.setattr("negotiations.cli._stores.open_store", lambda _url: store)
    log = write_log(tmp_path / "big.jsonl", statements(BATCH + 10))
    assert main(["import", str(log), "--stream", STREAM, "--expected-version", "0"]) == status
    assert capsys.readouterr().err == message
    assert [r.event.id for r in store.read_stream(STREAM)][:BATCH] == [f"s-{n}" for n in range(BATCH)]


class _CommittedThenInterrupted(MemoryStore):
    """A memory store whose second append commits, and then Ctrl-C lands before it returns."""

    def __init__(self) -> None:
        super().__init__()
        self.appends = 0

    def append(self, stream: str, events: Sequence[Event], *, expected_version: int | None = None) -> int:
        """Append; on the second append, raise KeyboardInterrupt once the events are in."""
        self.appends += 1
        version = super().append(stream, events, expected_version=expected_version)
        if self.appends == 2:
            raise KeyboardInterrupt
        return version


def test_interrupted_import_counts_a_batch_that_committed_before_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C after a batch committed but before it was counted: the message counts it, from the store."""
    store = _CommittedThenInterrupted()
    monkeypatch.setattr("negotiations.cli._stores.open_store", lambda _url: store)
    log = write_log(tmp_path / "log.jsonl", statements(10))
    assert main(["import", str(log), "--stream", STREAM, "--batch", "3"]) == 130
    assert capsys.readouterr().err == (
        "negotiations: interrupted after appending 6 event(s); "
        "run the same import again to resume: events already there are skipped\n"
    )
    assert store.stream_version(STREAM) == 6


def test_export_to_a_file_replaces_it_whole(
    url: str, seed_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export -o over a longer file leaves just the export, with the file's mode, and no temporary."""
    assert main(["import", str(seed_file), "--store", url, "--stream", STREAM, "-q"]) == 0
    out = tmp_path / "exports" / "out.jsonl"
    out.parent.mkdir()
    out.write_bytes(b"x" * 100_000)
    out.chmod(0o640)
    assert main(["export", "--store", url, "--stream", STREAM, "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"{out}: 19 event(s) of stream '{STREAM}' written\n"
    assert out.read_bytes() == dumps(seed_timeline()).encode("utf-8")
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in out.parent.iterdir()] == ["out.jsonl"]


def test_export_refuses_to_write_over_its_own_store(
    seed_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export -o naming the file store's own file is one line, and the store keeps its bytes."""
    path = tmp_path / "events.jsonl"
    assert main(["import", str(seed_file), "--store", f"file:{path}", "--stream", STREAM, "-q"]) == 0
    before = path.read_bytes()
    assert main(["export", "--store", f"file:{path}", "--stream", STREAM, "-o", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"negotiations: error: cannot write {path}: it is the file of the store file:{path} itself\n"
    )
    assert path.read_bytes() == before


def test_export_writes_utf8_whatever_the_locale(
    url: str, seed_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export to a standard output whose encoding is ASCII still writes the log's UTF-8 bytes."""
    assert main(["import", str(seed_file), "--store", url, "--stream", STREAM, "--quiet"]) == 0
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr("sys.stdout", ascii_out)
    assert main(["export", "--store", url, "--stream", STREAM]) == 0
    ascii_out.flush()
    assert raw.getvalue() == dumps(seed_timeline()).encode("utf-8")


@pytest.mark.parametrize("command", ["export", "show"])
def test_missing_stream_is_one_line(
    url: str, seed_file: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Export or show of a stream the store lacks gives one line naming the stream and the store's streams."""
    assert main(["import", str(seed_file), "--store", url, "--stream", STREAM, "-q"]) == 0
    assert main([command, "--store", url, "--stream", "absent"]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"negotiations: error: {url} has no stream 'absent' (its streams: {STREAM})\n"
    assert captured.out == ""


@pytest.mark.parametrize("kind", ["sqlite", "file"])
@pytest.mark.parametrize(
    "argv",
    [["streams"], ["export", "--stream", STREAM], ["show", "--stream", STREAM]],
    ids=lambda argv: argv[0],
)
def test_read_only_command_on_a_missing_store_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, argv: list[str]
) -> None:
    """The read-only commands on a store that does not exist say so, and create no file or directory."""
    path = tmp_path / "not-yet" / ("events.db" if kind == "sqlite" else "events.jsonl")
    assert main([*argv, "--store", f"{kind}:{path}"]) == 1
    title = "the SQLite store" if kind == "sqlite" else "the file store"
    assert capsys.readouterr().err == (
        f"negotiations: error: {title} {path} does not exist yet; import a log to create it\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_read_only_commands_leave_an_older_sqlite_store_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reading a store an earlier version made neither drops its old index nor adds the new one."""
    path = tmp_path / "events.db"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        for statement in OLD_SCHEMA:
            connection.execute(statement)
        rows = [
            (n, STREAM, n, e.id, type(e).wire_type, encode_line(e)) for n, e in enumerate(seed_timeline(), 1)
        ]
        connection.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", rows)
        connection.execute("INSERT INTO streams VALUES (?, ?)", (STREAM, len(rows)))
        connection.commit()
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    url = f"sqlite:{path}"
    for argv in (["streams"], ["export", "--stream", STREAM], ["show", "--stream", STREAM, "--json"]):
        assert main([*argv, "--store", url]) == 0
    assert capsys.readouterr().err == ""
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    with closing(sqlite3.connect(path)) as connection:
        indexes = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
        assert [name for (name,) in indexes] == ["events_by_type"]


# -- append -----------------------------------------------------------------------------------------


def test_append_from_stdin(
    url: str, seed_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Append reads events from standard input, checks them against the stream, and appends them."""
    assert main(["import", str(seed_file), "--store", url, "--stream", STREAM, "-q"]) == 0
    stdin_of(monkeypatch, f"{encode_line(MET)}\n")
    assert main(["append", "--store", url, "--stream", STREAM, "--expected-version", "19"]) == 0
    assert capsys.readouterr().out == (
        f"-: 1 event(s) read, 1 appended, 0 already there; stream '{STREAM}' is at version 20\n"
    )
    assert stream_of(url)[-1] == MET


def test_append_is_all_or_nothing(
    url: str, seed_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An event that does not fit the stream fails the whole append with one line naming its line."""
    assert main(["import", str(seed_file), "--store", url, "--stream", STREAM, "-q"]) == 0
    unknown = encode_line(MET).replace("us-ceasefire-ultimatum", "no-such-deadline").replace(MET.id, "x")
    stdin_of(monkeypatch, f"{encode_line(MET)}\n\n{unknown}\n")
    assert main(["append", "--store", url, "--stream", STREAM]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "-: line 3: field 'deadline_id': unknown deadline 'no-such-deadline'" in err
    assert version_of(url) == 19


# -- expected versions --------------------------------------------------------------------------------


def test_stale_expected_version_on_import(
    url: str, seed_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Import with a stale --expected-version gives one line naming both versions, and writes nothing."""
    assert main(["import", str(seed_file), "--store", url, "--stream", STREAM, "-q"]) == 0
    log = write_log(tmp_path / "more.jsonl", statements(3))
    assert main(["import", str(log), "--store", url, "--stream", STREAM, "--expected-version", "5"]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"negotiations: error: stream '{STREAM}' is at version 19, not the expected 5; read it and retry\n"
    )
    assert captured.out == ""
    assert stream_of(url) == seed_timeline()


def test_stale_expected_version_on_append(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Append with a stale --expected-version gives one line naming both versions, and exit 1."""
    stdin_of(monkeypatch, dumps(statements(2)))
    assert main(["append", "--store", "memory:", "--stream", STREAM, "--expected-version", "3"]) == 1
    assert capsys.readouterr().err == (
        f"negotiations: error: stream '{STREAM}' is at version 0, not the expected 3; read it and retry\n"
    )


# -- show and streams -------------------------------------------------------------------------------


def test_show_store_equals_show_log(url: str, seed_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Show with --store and --stream prints exactly the JSON that show LOG prints for the same events."""
    assert main(["import", str(seed_file), "--store", url, "--stream", STREAM, "-q"]) == 0
    assert main(["show", str(seed_file), "--json"]) == 0
    from_file = capsys.readouterr().out
    assert main(["show", "--store", url, "--stream", STREAM, "--json"]) == 0
    assert capsys.readouterr().out == from_file
    assert json.loads(from_file)["as_of"] == "2025-07-20"


def test_show_stream_uses_the_default_store(
    tmp_path: Path, seed_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --store, the commands use $NEGOTIATIONS_STORE."""
    monkeypatch.setenv("NEGOTIATIONS_STORE", f"sqlite:{tmp_path / 'default.db'}")
    assert main(["import", str(seed_file), "--stream", STREAM, "-q"]) == 0
    assert main(["show", "--stream", STREAM, "--view", "deadlines", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["deadlines"][0]["due"] == "2025-09-02"
    assert (tmp_path / "default.db").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "log.jsonl", "--stream", STREAM], "give a LOG or --stream NAME, not both"),
        (["show", "--store", "memory:"], "--store needs --stream NAME"),
        (["export"], "the following arguments are required: --stream"),
        (["import", "log.jsonl", "--stream", "no spaces"], "'no spaces' is not a stream name"),
        (["append", "--stream", STREAM, "--expected-version", "-1"], "'-1' is not a stream version"),
        (["import", "x", "--stream", STREAM, "--progress", "--quiet"], "not allowed with argument"),
    ],
)
def test_store_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    """A bad command line for the store commands gives one line pointing to --help, and exit 2."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert message in err
    assert "--help" in err


def test_streams_lists_names_and_versions(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The streams command prints each stream and its version in aligned columns, and as JSON with --json."""
    for name, count in [("b-short", 3), ("a-much-longer-name", 12)]:
        log = write_log(tmp_path / f"{name}.jsonl", statements(count))
        assert main(["import", str(log), "--store", url, "--stream", name, "-q"]) == 0
    assert main(["streams", "--store", url]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "STREAM              VERSION",
        "a-much-longer-name       12",
        "b-short                   3",
    ]
    assert main(["streams", "--store", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"name": "a-much-longer-name", "version": 12},
        {"name": "b-short", "version": 3},
    ]


def test_streams_of_an_empty_store(capsys: pytest.CaptureFixture[str]) -> None:
    """The streams command on an empty store says there are none."""
    assert main(["streams", "--store", "memory:"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "(none)"


@pytest.mark.parametrize(
    "argv",
    [
        ["streams"],
        ["export", "--stream", STREAM],
        ["import", "LOG", "--stream", STREAM],
        ["append", "--stream", STREAM],
        ["show", "--stream", STREAM],
    ],
    ids=lambda argv: argv[0],
)
def test_bad_store_url_is_one_line(
    seed_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """A URL that names no store gives one line saying which URLs work, and exit 1."""
    stdin_of(monkeypatch, dumps(seed_timeline()))
    argv = [str(seed_file) if arg == "LOG" else arg for arg in argv]
    assert main([*argv, "--store", "mysql://localhost/events"]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        "negotiations: error: 'mysql://localhost/events' is not a store URL: "
        "use memory:, file:PATH.jsonl, sqlite:PATH.db or postgresql://...\n"
    )
    assert "Traceback" not in captured.err


def test_unopenable_store_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A store that cannot be opened (here, a directory in the way) gives one line, and exit 1."""
    (tmp_path / "taken.db").mkdir()
    assert main(["streams", "--store", f"sqlite:{tmp_path / 'taken.db'}"]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert err.startswith(f"negotiations: error: cannot open the SQLite store {tmp_path / 'taken.db'}")


# -- progress ---------------------------------------------------------------------------------------


@pytest.fixture
def big_log(tmp_path: Path) -> Path:
    """A log of 2,500 events, more than one batch and more than the progress threshold."""
    return write_log(tmp_path / "big.jsonl", statements(2500))


def test_progress_bar_with_progress(
    big_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--progress draws the bar on standard error for import and export, ending at 100%."""
    url = f"sqlite:{tmp_path / 'events.db'}"
    assert main(["import", str(big_log), "--store", url, "--stream", STREAM, "--progress"]) == 0
    captured = capsys.readouterr()
    assert "\r[##############################] 100% 2,500/2,500 events appended\n" in captured.err
    assert "2,500/2,500 events read" in captured.err
    assert "2500 event(s) read, 2500 appended" in captured.out
    assert main(["export", "--store", url, "--stream", STREAM, "--progress", "-o", str(tmp_path / "o")]) == 0
    assert captured.err.count("\n") == 2
    assert "100% 2,500/2,500 events written\n" in capsys.readouterr().err


def test_quiet_prints_nothing(big_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--quiet prints neither a bar nor a summary, even where a bar would be drawn."""
    url = f"sqlite:{tmp_path / 'events.db'}"
    assert main(["import", str(big_log), "--store", url, "--stream", STREAM, "--quiet"]) == 0
    assert main(["export", "--store", url, "--stream", STREAM, "-q", "-o", str(tmp_path / "o")]) == 0
    assert capsys.readouterr() == ("", "")
    assert version_of(url) == 2500


def test_no_progress_when_not_a_terminal(big_log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --progress, no bar is drawn when standard error is not a terminal."""
    assert main(["import", str(big_log), "--store", "memory:", "--stream", STREAM]) == 0
    assert capsys.readouterr().err == ""


class _Terminal(io.StringIO):
    """A standard error that says it is a terminal."""

    def isatty(self) -> bool:
        """Yes."""
        return True


@pytest.mark.parametrize(
    ("flags", "total", "drawn"),
    [
        ({}, 1001, True),
        ({}, 1000, False),
        ({"quiet": True}, 5000, False),
    ],
)
def test_progress_on_a_terminal(flags: dict[str, bool], total: int, *, drawn: bool) -> None:
    """On a terminal a bar is drawn for more than 1,000 events, unless --quiet."""
    args = argparse.Namespace(**({"quiet": False, "progress": False} | flags))
    err = _Terminal()
    assert (progress_to(args, total, err) is err) is drawn


def fake_clock(times: list[float]) -> Callable[[], float]:
    """A clock that reads the given times, one per call, then the last forever."""
    ticks: Iterator[float] = iter(times)
    last = [0.0]

    def now() -> float:
        last[0] = next(ticks, last[0])
        return last[0]

    return now


def test_progress_bar_is_throttled() -> None:
    """The bar redraws only when its interval has passed, draws once more at the end, and ends its line."""
    err = io.StringIO()
    # Drawn at 0.0 on entry; advances at 0.05 (too soon), 0.2 (drawn), 0.25 and 0.28 (too soon).
    clock = fake_clock([0.0, 0.05, 0.2, 0.25, 0.28, 0.29])
    with Progress(4, "events read", err, interval=0.1, clock=clock) as bar:
        for _ in range(4):
            bar.advance()
    frames = err.getvalue().split("\r")[1:]
    assert frames == [
        "[..............................]   0% 0/4 events read",
        "[###############...............]  50% 2/4 events read",
        "[##############################] 100% 4/4 events read\n",
    ]
