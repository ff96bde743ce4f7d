"""The benchmark suite runs: ``bench/run.py --quick`` exits 0 and prints a row for every figure,
the core install's rows among them, and ``--only`` measures only the groups it names.

Timings are not checked here: CI machines vary too much. The suite needs the ``bench`` extra; on CI
(``CI`` set) a missing extra fails these tests rather than skipping them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PEERS = ("eventsourcing", "pydantic", "msgspec", "orjson")
FIGURES = (
    "fold: project(), every view, vs hand-written loop",
    *(f"fold: PROJECTIONS['{name}'].fold" for name in
      ("deadlines", "exchanges", "positions", "talks", "agreements", "aid", "sanctions", "contacts",
       "timeline")),
    "LiveViews.apply, one event, at N vs at 1k events",
    "decode JSONL: read_events vs pydantic TypeAdapter (per line)",
    "decode JSONL: read_events vs msgspec Decoder.decode_lines",
    "decode JSONL: read_events vs msgspec Decoder.decode (per line)",
    "export: write_events to a file",
    "export: (events + peak while writing) / events in memory",
    "sqlite append x100: SQLiteStore vs eventsourcing app.save",
    "sqlite append x100: SQLiteStore vs raw sqlite3 (pre-encoded)",
    *(f"sqlite append x100: the floor (raw sqlite3, to_json, {kind}) vs {versus}"
      for kind in ("json", "orjson") for versus in ("eventsourcing", "raw sqlite3")),
    "sqlite read all + decode: ours vs eventsourcing notification log",
    "sqlite read all + decode: ours vs raw sqlite3 paging + from_json",
    "postgres append x100: PostgresStore vs eventsourcing",
    "postgres read all + decode: ours vs eventsourcing notification log",
    "postgres 4 writers vs 1: PostgresStore, events/s",
    "postgres 4 writers vs 1: eventsourcing recorder, events/s",
    "start-up: import negotiations (fresh process)",
    "start-up: negotiations show (seed), wall time",
    "memory: peak RSS folding the SQLite store, streamed",
    "memory: peak RSS of negotiations show LOG (JSON Lines)",
    "memory: peak RSS of negotiations validate LOG (JSON Lines)",
    "memory: peak RSS of a runner's live views, first catch_up",
    "hostile: show's text, one unbroken word, 10x longer",
    "report: write the HTML vs show --json",
    "report: the file's size",
    "report: open in Chromium, to the timeline drawn",
    "runner: first replay (catch_up, no snapshots) vs project() of read_all",
    "restart: runner resume from snapshot vs full replay",
    "restart: resume at N vs resume at 10k, 100 new events each",
)  # fmt: skip
CORE = tuple(
    f"{figure} (core install)" for figure in FIGURES if figure.startswith(("decode", "export", "sqlite"))
)
"""The rows measured again by the child run with ``NEGOTIATIONS_NO_FAST=1``."""


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``bench/run.py --quick ARGS`` (skipped, or failed on CI, without the bench extra)."""
    missing = [name for name in PEERS if importlib.util.find_spec(name) is None]
    if missing:
        reason = f"the bench extra is not installed (no {', '.join(missing)}): pip install -e '.[bench]'"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", *args],
        capture_output=True, text=True, timeout=900, check=False, cwd=ROOT,
    )  # fmt: skip


def _printed(out: str) -> list[str]:
    """The figures of the table's rows, in order, without the header."""
    return [line.split("|")[1].strip() for line in out.splitlines() if line.startswith("| ")][1:]


def test_quick_run_prints_every_figure(tmp_path: Path) -> None:
    """The quick run exits 0, prints a row for every figure and for the core install's, once
    each, and writes every row to its JSON.
    """
    results = tmp_path / "results.json"
    done = _bench("--json", str(results))
    assert done.returncode == 0, done.stderr[-4000:]
    printed = _printed(done.stdout)
    assert [figure for figure in (*FIGURES, *CORE) if figure not in printed] == []
    assert len(printed) == len(set(printed))
    assert [row["figure"] for row in json.loads(results.read_text())["rows"]] == printed


def test_only_measures_the_groups_it_names() -> None:
    """``--only hostile,processes`` prints those groups' rows and no other."""
    done = _bench("--only", "hostile,processes")
    assert done.returncode == 0, done.stderr[-4000:]
    assert sorted(_printed(done.stdout)) == [
        "hostile: show's text, one unbroken word, 10x longer",
        "start-up: import negotiations (fresh process)",
        "start-up: negotiations show (seed), wall time",
    ]


def test_only_refuses_an_unknown_group() -> None:
    """``--only`` with a group that does not exist exits 2 and names it and the choices."""
    done = _bench("--only", "fold,memroy")
    assert done.returncode == 2
    assert "unknown group 'memroy'" in done.stderr
    assert "fold, decode, hostile" in done.stderr
