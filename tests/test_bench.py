"""The benchmark suite runs: ``bench/run.py --quick`` exits 0 and prints a row for every figure.

Timings are not checked here: CI machines vary too much. The suite needs the ``bench`` extra; on CI
(``CI`` set) a missing extra fails this test rather than skipping it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PEERS = ("eventsourcing", "pydantic", "msgspec")
FIGURES = (
    "fold: project(), every view, vs hand-written loop",
    *(f"fold: PROJECTIONS['{name}'].fold" for name in
      ("deadlines", "exchanges", "positions", "talks", "aid", "sanctions", "contacts", "timeline")),
    "LiveViews.apply, one event, at N vs at 1k events",
    "decode JSONL: read_events vs pydantic TypeAdapter (per line)",
    "decode JSONL: read_events vs msgspec Decoder.decode_lines",
    "decode JSONL: read_events vs msgspec Decoder.decode (per line)",
    "export: write_events to a file",
    "export: (events + peak while writing) / events in memory",
    "sqlite append x100: SQLiteStore vs eventsourcing app.save",
    "sqlite append x100: SQLiteStore vs raw sqlite3 (pre-encoded)",
    "sqlite read all + decode: ours vs eventsourcing notification log",
    "sqlite read all + decode: ours vs raw sqlite3 paging + from_json",
    "postgres append x100: PostgresStore vs eventsourcing",
    "postgres read all + decode: ours vs eventsourcing notification log",
    "start-up: import negotiations (fresh process)",
    "start-up: negotiations show (seed), wall time",
    "memory: peak RSS folding the SQLite store, streamed",
    "hostile: show's text, one unbroken word, 10x longer",
    "restart: runner resume from snapshot vs full replay",
)  # fmt: skip


def test_quick_run_prints_every_figure(tmp_path: Path) -> None:
    """The quick run exits 0, prints a row for every figure, and writes its JSON."""
    missing = [name for name in PEERS if importlib.util.find_spec(name) is None]
    if missing:
        reason = f"the bench extra is not installed (no {', '.join(missing)}): pip install -e '.[bench]'"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    results = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--json", str(results)],
        capture_output=True, text=True, timeout=900, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    printed = {line.split("|")[1].strip() for line in rows}
    assert [figure for figure in FIGURES if figure not in printed] == []
    assert results.exists()
