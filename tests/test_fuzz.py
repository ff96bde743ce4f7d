"""Fuzzing the command line in-process: arbitrary bytes, mutations of valid logs and hostile text in
valid JSON, fed to ``validate``, ``show``, ``show --json``, ``import`` and ``append``.

Each case must end with exit 0, 1 or 2; standard error must be one line when it fails; no output may
hold a raw control character; nothing may raise out of :func:`negotiations.cli.main` (which is
what a traceback is); and an import that fails must leave its store as it was.
"""

from __future__ import annotations

import io
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiations import dumps, seed_timeline
from negotiations.cli import main

SEED: Final = dumps(seed_timeline()).encode("utf-8")
SEED_LINES: Final = SEED.splitlines(keepends=True)

# What must never reach a terminal raw; a newline only ends lines.
RAW_CONTROL: Final = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)

NASTY: Final = (
    b"\x1b[2J",
    b"\n",
    b"\r",
    b'"',
    b"\\",
    b"\\ud800",
    b"\\udfff\\ud800",
    b"\\u0000",
    b"\\u001b[31m",
    b"NaN",
    b"-Infinity",
    b"1e400",
    b"1000.0",
    b"true",
    b"null",
    b',"type":"X"',
    b',"id":"a\\nb"',
    b"\xef\xbb\xbf",
    b"\xff",
    b"\x00",
    b"\xc0\xaf",
    b"\xe2\x80\xae",
    b"\xc2\x9b",
    b"{",
    b"}",
    b"[",
    b"]",
    b"9" * 40,
    b"[" * 200,
)

slow = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def terminal(stdin: bytes) -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    """Standard input, output and error swapped for buffers; output is strict UTF-8, as a
    terminal's would be, so that writing anything that is not text fails the case.
    """
    out, err = io.BytesIO(), io.BytesIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    wrappers = (
        io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
        io.TextIOWrapper(out, encoding="utf-8", errors="strict", newline="\n", write_through=True),
        io.TextIOWrapper(err, encoding="utf-8", errors="strict", newline="\n", write_through=True),
    )
    sys.stdin, sys.stdout, sys.stderr = wrappers
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        for wrapper in wrappers:
            wrapper.detach()  # leave the buffers open to be read


def run(*argv: str, stdin: bytes = b"") -> tuple[int, str, str]:
    """Run the command in-process: its exit status, output and error. An exception that escapes
    main is the traceback a user would have seen, and fails the case.
    """
    with terminal(stdin) as (out, err):
        code = main(list(argv))
    return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


def check(argv: tuple[str, ...], code: int, out: str, err: str) -> None:
    """The rules every case keeps."""
    assert code in (0, 1, 2), (argv, code)
    assert RAW_CONTROL.search(out) is None, (argv, out[:500])
    assert RAW_CONTROL.search(err) is None, (argv, err[:500])
    if code:
        assert err.startswith("negotiations: "), (argv, err[:500])
        assert err.count("\n") == 1, (argv, err[:500])
        assert err.endswith("\n"), (argv, err[:500])
    if code == 0 and "--json" in argv:
        json.loads(out)


def fuzz(data: bytes) -> None:
    """Feed ``data`` to every command that reads a log, and check each case."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.jsonl"
        path.write_bytes(data)
        log = str(path)
        store = f"sqlite:{Path(folder) / 'events.db'}"
        cases: list[tuple[tuple[str, ...], bytes]] = [
            (("validate", log), b""),
            (("validate", "--lenient", log), b""),
            (("show", log), b""),
            (("show", log, "--json"), b""),
            (("show", "--lenient", "--explain", "--width", "40", log), b""),
            (("show", "-", "--view", "timeline"), data),
            (("import", log, "--stream", "s", "--store", "memory:", "--lenient"), b""),
            (("append", "--stream", "s", "--store", "memory:"), data),
        ]
        for argv, stdin in cases:
            check(argv, *run(*argv, stdin=stdin))
        argv = ("import", log, "--stream", "s", "--store", store, "-q")
        code, out, err = run(*argv)
        check(argv, code, out, err)
        if code:  # a failed import writes nothing: the stream is not there
            listed = run("streams", "--store", store, "--json")
            assert listed[0] == 1 or json.loads(listed[1]) == [], listed


@slow
@given(st.binary(max_size=600))
def test_arbitrary_bytes(data: bytes) -> None:
    """Any bytes at all: each command ends with a status and one clean line, never a traceback."""
    fuzz(data)


@st.composite
def mutated_logs(draw: st.DrawFn) -> bytes:
    """The seed log, or some of its lines, with one to four byte-level mutations."""
    lines = draw(st.lists(st.sampled_from(SEED_LINES), min_size=1, max_size=6)) if draw(st.booleans()) else []
    data = bytearray(b"".join(lines) or SEED)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "truncate", "repeat"]))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(NASTY))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "truncate":
            del data[at:]
        else:
            data[at:at] = data[max(0, at - 80) : at]
    return bytes(data)


@slow
@given(mutated_logs())
def test_mutations_of_valid_logs(data: bytes) -> None:
    """A valid log with bytes inserted, deleted, replaced or repeated keeps every rule."""
    fuzz(data)


hostile_text = st.text(
    st.one_of(st.characters(codec=None), st.sampled_from("\n\r\x1b\x07\x9b\u202e\u2028\x00 ")), max_size=30
)


def _strings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:  # noqa: ANN401 - any JSON value
    """The path of every string in a JSON value, keys included (as ``(..., key, None)``)."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key, None)
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _replace(value: Any, path: tuple[Any, ...], text: str) -> Any:  # noqa: ANN401 - any JSON value
    """``value`` with the string at ``path`` (or the key, for a path ending in ``None``) replaced."""
    if not path:
        return text
    if len(path) == 2 and path[1] is None:
        return {(text if key == path[0] else key): item for key, item in value.items()}
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], text)
    return copy


@st.composite
def hostile_logs(draw: st.DrawFn) -> bytes:
    """The seed log, valid JSON throughout, with one to three of its strings or keys replaced by
    hostile text: controls, ESC sequences, bidi overrides, newlines and lone surrogates.
    """
    objects = [json.loads(raw) for raw in SEED_LINES]
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(objects) - 1))
        path = draw(st.sampled_from(list(_strings(objects[index]))))
        objects[index] = _replace(objects[index], path, draw(hostile_text))
    ascii_only = draw(st.booleans())
    return "".join(json.dumps(obj, ensure_ascii=ascii_only) + "\n" for obj in objects).encode(
        "utf-8", "surrogatepass"
    )


@slow
@given(hostile_logs())
def test_hostile_text_in_valid_json(data: bytes) -> None:
    """Hostile text in any field, id or key is refused by name or shown escaped, never raw."""
    fuzz(data)
