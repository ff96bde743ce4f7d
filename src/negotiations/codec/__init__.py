"""The JSON format: events to and from JSON Lines, and the JSON Schema of the format."""

from negotiations.codec.jsonl import (
    check_lines,
    decode_line,
    dumps,
    encode_line,
    from_json,
    load_log,
    loads,
    read_events,
    to_json,
    write_events,
)

__all__ = [
    "check_lines",
    "decode_line",
    "dumps",
    "encode_line",
    "from_json",
    "load_log",
    "loads",
    "read_events",
    "to_json",
    "write_events",
]
