"""Faults as a user meets them: a full disk, a read-only directory, a file that is not a store, a
stored row that is not JSON, a hand-edited or torn last line. Each gives one line on standard
error and exit 1, never a traceback, and leaves the file as it was.

The full-disk and read-only tests mount a small tmpfs, so they need root (CI runs as root); they
are skipped, saying so, elsewhere.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import pytest

from negotiations.cli import main
from negotiations.codec import dumps
from negotiations.domain.events import Event, StatementMade
from negotiations.domain.values import PartialDate, Party
from negotiations.errors import StoreError
from negotiations.seed import seed_timeline
from negotiations.services import ProjectionRunner
from negotiations.stores import JsonlStore, Recorded, StreamInfo, open_store

STREAM: Final = "s"
SEED: Final = list(seed_timeline())


def statement(event_id: str, summary: str = "said something") -> StatementMade:
    """A valid statement with the given id and summary."""
    return StatementMade(
        id=event_id,
        occurred=PartialDate.parse("2025-07-21"),
        recorded=datetime(2025, 7, 21, 9, 0, tzinfo=UTC),
        party=Party("UKR"),
        summary=summary,
    )


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line; return its exit status, standard output and standard error."""
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run a command that must fail: check it exits 1 with one line and no traceback, and return
    that line without its ``negotiations: error: `` prefix.
    """
    status, _, err = run(argv, capsys)
    assert "Traceback" not in err
    assert status == 1, err
    assert err.startswith("negotiations: error: ")
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    return err.removeprefix("negotiations: error: ").removesuffix("\n")


def state(path: Path) -> tuple[bytes, int]:
    """A file's bytes and modification time, to show it was left as it was."""
    return path.read_bytes(), path.stat().st_mtime_ns


def contents(url: str) -> tuple[list[Recorded], list[StreamInfo], int]:
    """Everything a store holds, read afresh: every event, the streams and the head."""
    with closing(open_store(url, readonly=True)) as store:
        return list(store.read_all()), store.streams(), store.head()


def _stdin(text: str) -> io.TextIOWrapper:
    """A standard input that reads ``text``, as bytes underneath as a real one does."""
    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")


def write_log(path: Path, events: list[Event]) -> Path:
    """Write events to ``path`` as a JSON Lines log and return it."""
    path.write_text(dumps(events), encoding="utf-8")
    return path


# -- a small tmpfs, for a full disk and a read-only directory -------------------------------------


def _mount(directory: Path, options: str) -> None:
    """Mount a tmpfs at ``directory``, or skip the test saying why it cannot be done here."""
    if os.geteuid() != 0:
        pytest.skip(f"mounting a tmpfs needs root (CI runs as root); these tests run as uid {os.geteuid()}")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(directory)],  # noqa: S607 - the system's mount
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {(done.stderr or done.stdout).strip()}")


def _remount(directory: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(directory)], check=True)  # noqa: S607 - as above


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A directory on a tmpfs of 512 KiB of its own, unmounted after the test."""
    directory = tmp_path / "disk"
    directory.mkdir()
    _mount(directory, "size=512k")
    try:
        yield directory
    finally:
        if subprocess.run(["umount", str(directory)], check=False).returncode:  # noqa: S607 - as above
            subprocess.run(["umount", "-l", str(directory)], check=False)  # noqa: S607 - as above


def fill(directory: Path) -> None:
    """Fill the file system of ``directory`` to the last byte."""
    with (directory / "filler").open("wb", buffering=0) as filler:
        for size in (65536, 4096, 512, 64, 8, 1):
            with suppress(OSError):
                while True:
                    filler.write(b"\0" * size)
    probe = directory / "probe"
    with pytest.raises(OSError, match="No space left on device"), probe.open("wb", buffering=0) as file:
        file.write(b"\0" * 4096)
    probe.unlink()


def big_statements(count: int, size: int) -> list[Event]:
    """``count`` statements of about ``size`` bytes each."""
    return [statement(f"big-{n}", "x" * size) for n in range(count)]


# -- a full disk ------------------------------------------------------------------------------------


def test_full_disk_at_sqlite_commit_is_one_line_and_rolled_back(
    small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A batch that does not fit on the disk fails at COMMIT with one line; SQLite keeps what it had."""
    db = small_disk / "events.db"
    url = f"sqlite:{db}"
    assert (
        main(["import", str(write_log(tmp_path / "first.jsonl", SEED)), "--stream", STREAM, "--store", url])
        == 0
    )
    before, db_bytes = contents(url), db.read_bytes()
    big = write_log(tmp_path / "big.jsonl", big_statements(300, 2000))  # 600 KB, in one append
    capsys.readouterr()

    message = refused(["import", str(big), "--stream", STREAM, "--store", url, "--batch", "1000"], capsys)

    assert message == f"cannot write to the SQLite store {db}: database or disk is full; nothing was written"
    assert contents(url) == before
    assert db.read_bytes() == db_bytes


def test_full_disk_under_the_file_store_is_one_line_and_cut_back(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An append to a file store on a full disk is one line, and the file is cut back to its bytes."""
    path = small_disk / "events.jsonl"
    url = f"file:{path}"
    with JsonlStore(path) as store:
        store.append(STREAM, SEED)
    before, data = contents(url), path.read_bytes()
    fill(small_disk)
    # Fewer bytes than a write buffer holds, more than the slack of the file's last page.
    line = dumps([statement("late", "y" * 5000)])
    monkeypatch.setattr("sys.stdin", _stdin(line))

    message = refused(["append", "--stream", STREAM, "--store", url], capsys)

    assert message == f"cannot write to the file store {path}: No space left on device; nothing was written"
    assert path.read_bytes() == data
    assert contents(url) == before


def test_full_disk_leaves_the_file_store_snapshots_as_they_were(small_disk: Path) -> None:
    """Saving snapshots on a full disk is a StoreError, and the old snapshots file stays whole."""
    path = small_disk / "events.jsonl"
    with JsonlStore(path) as store:
        store.append(STREAM, SEED[:10])
        ProjectionRunner(store, stream=STREAM).catch_up()
        snapshots = small_disk / "events.jsonl.snapshots.json"
        saved = snapshots.read_bytes()
        store.append(STREAM, SEED[10:])
        fill(small_disk)
        with pytest.raises(StoreError) as caught:
            ProjectionRunner(store, stream=STREAM).catch_up()
    assert str(caught.value) == f"cannot save the snapshots {snapshots}: No space left on device"
    assert snapshots.read_bytes() == saved
    assert sorted(p.name for p in small_disk.iterdir()) == [
        "events.jsonl",
        "events.jsonl.snapshots.json",
        "filler",
    ]


def test_export_to_a_full_disk_leaves_the_file_as_it_was(
    small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export -o FILE that runs out of disk is one line, and FILE keeps its bytes; no temporary is left."""
    url = f"sqlite:{tmp_path / 'events.db'}"
    assert main(["import", str(write_log(tmp_path / "big.jsonl", big_statements(300, 2000))),
                 "--stream", STREAM, "--store", url, "-q"]) == 0  # fmt: skip
    out = small_disk / "out.jsonl"
    out.write_bytes(b"what was there before\n")
    before = state(out)
    fill(small_disk)

    message = refused(["export", "--stream", STREAM, "--store", url, "-o", str(out)], capsys)

    assert message == f"cannot write {out}: No space left on device"
    assert state(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "out.jsonl"]


# -- a read-only directory -------------------------------------------------------------------------


@pytest.fixture
def read_only_stores(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """A SQLite and a file store holding the seed, on a tmpfs then remounted read-only."""
    directory = tmp_path / "ro"
    directory.mkdir()
    _mount(directory, "size=4m")
    try:
        paths = {"sqlite": directory / "events.db", "file": directory / "events.jsonl"}
        for kind, path in paths.items():
            with closing(open_store(f"{kind}:{path}")) as store:
                store.append(STREAM, SEED)
        _remount(directory, "ro")
        yield paths
    finally:
        subprocess.run(["umount", str(directory)], check=False)  # noqa: S607 - the system's umount


@pytest.mark.parametrize("kind", ["sqlite", "file"])
def test_read_only_directory_reads_and_refuses_writes_in_one_line(
    read_only_stores: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """On a read-only file system the read-only commands work, and import is one line naming why."""
    path = read_only_stores[kind]
    url = f"{kind}:{path}"
    before = state(path)

    status, out, _ = run(["streams", "--store", url, "--json"], capsys)
    assert (status, out) == (0, f'[\n  {{\n    "name": "{STREAM}",\n    "version": {len(SEED)}\n  }}\n]\n')
    status, out, _ = run(["export", "--stream", STREAM, "--store", url], capsys)
    assert (status, out) == (0, dumps(SEED))

    log = write_log(tmp_path / "more.jsonl", [statement("more")])
    message = refused(["import", str(log), "--stream", STREAM, "--store", url], capsys)
    if kind == "sqlite":
        reason = f"unable to open database file (its directory {path.parent} is read-only)"
        assert message == f"cannot open the SQLite store {path}: {reason}"
    else:
        assert message == f"cannot open the file store {path}: Read-only file system"
    assert state(path) == before


# -- files that are not stores ----------------------------------------------------------------------


def _other_database(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO users (name) VALUES ('ada')")
        connection.commit()
    return path


def _text_file(path: Path) -> Path:
    path.write_text("a note, not a database\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_other_database, "it is another application's database, with tables a store does not have (users)"),
        (_text_file, "it is not a SQLite database (file is not a database)"),
    ],
    ids=["another application's database", "not a database"],
)
@pytest.mark.parametrize("command", ["import", "streams", "export"])
def test_sqlite_refuses_a_file_that_is_not_a_store_untouched(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], Path],
    reason: str,
    command: str,
) -> None:
    """sqlite: on another application's database, or on a file that is no database, is refused untouched."""
    path = make(tmp_path / "other.db")
    before = state(path)
    url = f"sqlite:{path}"
    argv = {
        "import": [
            "import",
            str(write_log(tmp_path / "log.jsonl", SEED)),
            "--stream",
            STREAM,
            "--store",
            url,
        ],
        "streams": ["streams", "--store", url],
        "export": ["export", "--stream", STREAM, "--store", url],
    }[command]

    assert refused(argv, capsys) == f"cannot open the SQLite store {path}: {reason}; it was left as it is"
    assert state(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.jsonl", "other.db"]  # no journal, no WAL


@pytest.mark.parametrize("command", ["import", "streams"])
@pytest.mark.parametrize(
    ("where", "kind"),
    [("/dev/null", "a character device"), (".", "a directory")],
    ids=["dev-null", "directory"],
)
def test_file_store_refuses_what_is_not_a_regular_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, where: str, kind: str
) -> None:
    """file:/dev/null and file:DIRECTORY are one line saying what the path is."""
    path = Path(where) if where.startswith("/") else tmp_path
    url = f"file:{path}"
    argv = (
        ["import", str(write_log(tmp_path / "log.jsonl", SEED)), "--stream", STREAM, "--store", url]
        if command == "import"
        else ["streams", "--store", url]
    )
    assert refused(argv, capsys) == f"cannot open the file store {path}: it is {kind}, not a regular file"


def _one_line_log(path: Path) -> Path:
    """A log of one event whose line has no newline, as an editor may save it."""
    path.write_text(dumps(SEED[:1]).rstrip("\n"), encoding="utf-8")
    return path


def _plain_log(path: Path) -> Path:
    return write_log(path, SEED)


@pytest.mark.parametrize("make", [_one_line_log, _plain_log], ids=["one line, no newline", "whole log"])
@pytest.mark.parametrize("command", ["import", "append", "streams", "export"])
def test_plain_log_given_as_a_file_store_is_refused_untouched(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], Path],
    command: str,
) -> None:
    """--store file:LOG on a plain event log says it is one and how to import it; the log keeps its bytes."""
    log = make(tmp_path / "timeline.jsonl")
    before = state(log)
    url = f"file:{log}"
    monkeypatch.setattr("sys.stdin", _stdin(dumps([statement("new")])))
    argv = {
        "import": [
            "import",
            str(write_log(tmp_path / "other.jsonl", [statement("new")])),
            "--stream",
            STREAM,
        ],
        "append": ["append", "--stream", STREAM],
        "streams": ["streams"],
        "export": ["export", "--stream", STREAM],
    }[command]

    assert refused([*argv, "--store", url], capsys) == (
        f"{log} is not a file store: line 1 has no 'stream', so it is a plain log; "
        f"import it with 'negotiations import {log} --stream NAME'; the file was left as it is"
    )
    assert state(log) == before


def test_file_that_is_not_json_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--store file: on a text file that is not JSON names line 1 and leaves the file be."""
    path = tmp_path / "notes.txt"
    path.write_bytes(b"shopping list\nmilk")
    before = state(path)
    assert refused(["streams", "--store", f"file:{path}"], capsys) == (
        f"{path} is not a file store: line 1 is not JSON (Expecting value: line 1 column 1 (char 0)); "
        "the file was left as it is"
    )
    assert state(path) == before


# -- a hand-edited or torn last line ------------------------------------------------------------------


def torn_line(tmp_path: Path) -> bytes:
    """The first 40 bytes of the line a file store writes for an event: a crashed writer's."""
    scratch = tmp_path / "scratch" / "events.jsonl"
    with JsonlStore(scratch) as store:
        store.append(STREAM, [statement("torn")])
    return scratch.read_bytes()[:40]


def _store_file(path: Path) -> bytes:
    """A file store of two appends, one event then a batch of three; return its bytes."""
    with JsonlStore(path) as store:
        store.append(STREAM, [statement("a")])
        store.append(STREAM, [statement("b0"), statement("b1"), statement("b2")])
    return path.read_bytes()


@pytest.mark.parametrize(
    ("edit", "what"),
    [
        (lambda line: line.replace(b'"said something"', b"5"), "is not a valid event: field 'summary'"),
        (lambda line: line.replace(b'"}', b'"'), "is not JSON (Expecting ',' delimiter"),
        (lambda _line: b"\n", "is not JSON (Expecting value: line 1 column 1 (char 0))"),
    ],
    ids=["a field of the wrong type", "a lost brace", "an emptied line"],
)
@pytest.mark.parametrize("command", ["streams", "export", "show", "append"])
def test_hand_edited_last_line_is_damage_refused_untouched(  # noqa: PLR0917 - pytest passes parameters by name
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    edit: Callable[[bytes], bytes],
    what: str,
    command: str,
) -> None:
    """A complete last line edited into an invalid one is damage: refused by every command, never cut."""
    path = tmp_path / "events.jsonl"
    *lines, last = _store_file(path).splitlines(keepends=True)
    path.write_bytes(b"".join([*lines, edit(last)]))
    before = state(path)
    monkeypatch.setattr("sys.stdin", _stdin(dumps([statement("new")])))
    argv = {
        "streams": ["streams"],
        "export": ["export", "--stream", STREAM],
        "show": ["show", "--stream", STREAM],
        "append": ["append", "--stream", STREAM],
    }[command]

    message = refused([*argv, "--store", f"file:{path}"], capsys)

    assert message.startswith(f"the file store {path} is damaged: line 4 {what}")
    assert message.endswith("; the file was left as it is")
    assert state(path) == before


def test_torn_tail_is_left_by_readers_and_cut_by_the_next_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read-only commands read the whole appends before a torn tail and leave it; the next append cuts it."""
    path = tmp_path / "events.jsonl"
    whole = _store_file(path)
    path.write_bytes(whole + torn_line(tmp_path))
    before = state(path)
    url = f"file:{path}"

    assert run(["streams", "--store", url], capsys)[:2] == (0, f"STREAM  VERSION\n{STREAM}             4\n")
    assert run(["export", "--stream", STREAM, "--store", url], capsys)[0] == 0
    assert state(path) == before

    monkeypatch.setattr("sys.stdin", _stdin(dumps([statement("d")])))
    assert run(["append", "--stream", STREAM, "--store", url, "-q"], capsys)[0] == 0
    assert path.read_bytes().startswith(whole)
    assert [r.event.id for r in contents(url)[0]] == ["a", "b0", "b1", "b2", "d"]


def test_reader_behind_a_torn_tail_reads_each_append_once(tmp_path: Path) -> None:
    """A reader that catches up on a new append followed by a torn tail does not read it again."""
    path = tmp_path / "events.jsonl"
    _store_file(path)
    with JsonlStore(path, readonly=True) as reader:
        assert reader.head() == 4
        with JsonlStore(path) as writer:
            writer.append(STREAM, [statement("c")])
        with path.open("ab") as file:
            file.write(torn_line(tmp_path))
        assert [reader.head(), reader.head()] == [5, 5]
        assert [r.event.id for r in reader.read_all()] == ["a", "b0", "b1", "b2", "c"]


# -- a stored row that is not JSON ------------------------------------------------------------------------

BAD_ROWS: Final = [
    ("not json{", "is not JSON (Expecting value: line 1 column 1 (char 0))"),
    ("{}", "is not a valid event (field 'type': is required)"),
]


def _spoil_sqlite(url: str, data: str) -> None:
    with closing(sqlite3.connect(url.removeprefix("sqlite:"))) as connection:
        connection.execute("UPDATE events SET data = ? WHERE stream = ? AND version = 3", (data, STREAM))
        connection.commit()


def _spoil_postgres(url: str, data: str) -> None:
    import psycopg  # noqa: PLC0415 - only the PostgreSQL case needs the driver

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("UPDATE events SET data = %s WHERE stream = %s AND version = 3", (data, STREAM))


@pytest.fixture(params=["sqlite", "postgres"])
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty SQL store: SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:{tmp_path / 'events.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.mark.parametrize(("data", "what"), BAD_ROWS, ids=["not JSON", "not an event"])
@pytest.mark.parametrize("command", ["export", "export -o", "show"])
def test_stored_row_that_is_not_an_event_is_one_line(  # noqa: PLR0917 - pytest passes parameters by name
    sql_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], data: str, what: str, command: str
) -> None:
    """A row that is not JSON or not an event names its store, stream, version and position; FILE is kept."""
    with closing(open_store(sql_url)) as store:
        store.append(STREAM, SEED)
    sqlite = sql_url.startswith("sqlite:")
    name = (
        f"the SQLite store {sql_url.removeprefix('sqlite:')}" if sqlite else f"the PostgreSQL store {sql_url}"
    )
    (_spoil_sqlite if sqlite else _spoil_postgres)(sql_url, data)
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"an earlier export\n")
    before = state(out)
    argv = {
        "export": ["export", "--stream", STREAM],
        "export -o": ["export", "--stream", STREAM, "-o", str(out)],
        "show": ["show", "--stream", STREAM],
    }[command]

    message = refused([*argv, "--store", sql_url], capsys)

    assert message == f"{name} is damaged: the event at stream '{STREAM}' version 3 (position 3) {what}"
    assert state(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


def test_whole_last_line_without_its_newline_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A whole last line saved without its newline is read, not cut; the next writer adds the newline."""
    path = tmp_path / "events.jsonl"
    whole = _store_file(path)
    path.write_bytes(whole.removesuffix(b"\n"))
    before = state(path)
    url = f"file:{path}"
    with JsonlStore(path, readonly=True) as reader:
        assert run(["streams", "--store", url], capsys)[:2] == (
            0,
            f"STREAM  VERSION\n{STREAM}             4\n",
        )
        assert state(path) == before

        monkeypatch.setattr("sys.stdin", _stdin(dumps([statement("d")])))
        assert run(["append", "--stream", STREAM, "--store", url, "-q"], capsys) == (0, "", "")
        assert path.read_bytes().startswith(whole)
        assert path.read_bytes().count(b"\n") == 5
        # A reader that had read the line without its newline reads on past the one added.
        assert [r.event.id for r in reader.read_all()] == ["a", "b0", "b1", "b2", "d"]
    with JsonlStore(path) as store:
        assert store.recovered is None
        assert [r.event.id for r in store.read_all()] == ["a", "b0", "b1", "b2", "d"]
