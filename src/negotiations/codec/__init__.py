"""The JSON format: events to and from JSON Lines, the JSON Schema of the format, and the
upcasters that read older versions of an event kind.
"""

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
from negotiations.domain.upcasting import UPCASTERS, Upcaster, Upcasters

__all__ = [
    "UPCASTERS",
    "Upcaster",
    "Upcasters",
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
