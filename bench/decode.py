"""Codec figures: decoding JSON Lines into validated events (ours, pydantic, msgspec), and
streaming events out to a file with ``write_events``, its time and its peak memory.

The codec uses its ``fast`` backend (orjson) when the extra is installed and
``NEGOTIATIONS_NO_FAST=1`` is not set; :func:`backend` says which one these figures measured, and
the target against msgspec depends on it.
"""

from __future__ import annotations

import gc
import tempfile
import tracemalloc
from pathlib import Path

import negotiations.codec
import peers
from _harness import Row, Value, timed
from negotiations import Event, encode_line, read_events, write_events

MEMORY_SAMPLE = 20_000
"""Events decoded under ``tracemalloc`` to weigh one event in memory."""


def fast() -> bool:
    """Whether the codec runs on its ``fast`` backend; before the extra existed, never."""
    return bool(getattr(negotiations.codec, "FAST", False))


def backend() -> str:
    """The codec's backend, as the table's notes name it."""
    return "fast (orjson)" if fast() else "core (json)"


def _event_bytes(lines: list[str]) -> float:
    """The memory one decoded event takes, in bytes: what a list of decoded events holds, traced
    while decoding a sample of ``lines``, per event.
    """
    sample = lines[:MEMORY_SAMPLE]
    gc.collect()
    tracemalloc.start()
    kept = list(read_events(sample))
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return held / len(sample)


def _export_peak(events: list[Event], path: Path) -> int:
    """The peak of memory allocated while ``write_events`` streams ``events`` to ``path``."""
    gc.collect()
    tracemalloc.start()
    with path.open("w", encoding="utf-8") as stream:
        write_events(events, stream)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def rows(events: list[Event], *, repeats: int, limit: float) -> list[Row]:
    """Every codec figure of ``events``."""
    n = len(events)
    lines = [encode_line(e) for e in events]
    buffer = "".join(f"{line}\n" for line in lines).encode()
    pydantic_decode, msgspec_decoder = peers.pydantic_decoder(), peers.msgspec_decoder()
    if len(msgspec_decoder.decode_lines(buffer[: buffer.find(b"\n", len(buffer) // 2) + 1])) < 1:
        raise AssertionError("msgspec decoded nothing")
    ours = timed(lambda: list(read_events(lines)), repeats=repeats, limit=limit)
    pyd = timed(lambda: [pydantic_decode(line) for line in lines], repeats=repeats, limit=limit)
    per_line = timed(lambda: [msgspec_decoder.decode(line) for line in lines], repeats=repeats, limit=limit)
    at_once = timed(lambda: msgspec_decoder.decode_lines(buffer), repeats=repeats, limit=limit)
    decoded = Value.per_event(ours, n)
    with tempfile.TemporaryDirectory(prefix="negotiations-bench-") as folder:
        path = Path(folder) / "export.jsonl"

        def export() -> None:
            with path.open("w", encoding="utf-8") as stream:
                write_events(events, stream)

        written = timed(export, repeats=repeats, limit=limit)
        peak = _export_peak(events, path)
    size = _event_bytes(lines) * n
    return [
        Row("decode JSONL: read_events vs pydantic TypeAdapter (per line)", "us/event", decoded,
            Value.per_event(pyd, n), limit=1.0),
        Row("decode JSONL: read_events vs msgspec Decoder.decode_lines", "us/event", decoded,
            Value.per_event(at_once, n), limit=1.0 if fast() else 1.25, note=f"codec: {backend()}"),
        Row("decode JSONL: read_events vs msgspec Decoder.decode (per line)", "us/event", decoded,
            Value.per_event(per_line, n)),
        Row("export: write_events to a file", "us/event", Value.per_event(written, n)),
        Row("export: (events + peak while writing) / events in memory", "x", Value((size + peak) / size),
            limit=2.0, on="value",
            note=f"events {size / 2**20:,.0f} MB ({size / n:,.0f} B each), "
            f"peak while writing {peak / 2**20:,.1f} MB"),
    ]  # fmt: skip
