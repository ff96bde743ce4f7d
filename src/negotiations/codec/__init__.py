"""The JSON format: events to and from JSON values and JSON Lines, the JSON Schema of the format,
and the upcasters that read older versions of an event kind.

This layer sits on the domain and below the log: it turns single events (and views, for saved
snapshots and ``show --json``) into JSON and back, and knows nothing of logs. Reading a whole log
from lines is :mod:`negotiations.log.files`. The functions the layers above build on are here:
:func:`structure`, :func:`unstructure` and :func:`encode` for events, :func:`load_json` and
:func:`dump_json` for JSON text, and :func:`structure_view` and :func:`unstructure_view` for
views.
"""

from negotiations.codec._converter import (
    dump_json,
    encode,
    load_json,
    structure,
    structure_view,
    unstructure,
    unstructure_view,
    wire_type_of,
)
from negotiations.codec.jsonl import (
    decode_line,
    dumps,
    encode_line,
    from_json,
    numbered_lines,
    read_events,
    to_json,
    write_events,
)
from negotiations.codec.upcasting import UPCASTERS, Upcaster, Upcasters

__all__ = [
    "UPCASTERS",
    "Upcaster",
    "Upcasters",
    "decode_line",
    "dump_json",
    "dumps",
    "encode",
    "encode_line",
    "from_json",
    "load_json",
    "numbered_lines",
    "read_events",
    "structure",
    "structure_view",
    "to_json",
    "unstructure",
    "unstructure_view",
    "wire_type_of",
    "write_events",
]
