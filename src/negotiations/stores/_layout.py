"""The layout of a SQL store's keys, and bringing a store made by an earlier version up to it.

A store records, for each event, the keys :func:`~negotiations.log.recorded_keys` names; when a
version of the library records more of them for some kind, a store made before lacks them for its
old rows. :func:`upgrade_keys` adds them once, when the store is opened to write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from negotiations.codec import decode_line
from negotiations.errors import NegotiationsError, StoreError
from negotiations.log import recorded_keys
from negotiations.stores._sql import Cursor

__all__ = ["KEYS_LAYOUT", "upgrade_keys"]

_INSERT_KEYS: Final = "INSERT INTO keys (stream, kind, name) VALUES (?, ?, ?)"

KEYS_LAYOUT: Final = 2
"""The layout of a store's keys: which keys its events record (:func:`~negotiations.log.recorded_keys`).
Layout 2 (issue 13) adds a proposal of talks' counterpart as an addressee, which an answer needs.
"""
_REKEYED: Final[dict[int, tuple[str, ...]]] = {2: ("TalksProposed",)}
"""For each layout, the kinds of event whose keys it changed: their rows are keyed anew."""
_LAYOUT_MARK: Final = ("", "layout")
"""Where a store notes its layout: a row of ``keys`` under the stream ``""``, which no stream can be
named (so no lookup ever meets it), of kind ``layout``, named by the layout's number. A store
without one was made before layouts were noted, at layout 1 (or is new and empty)."""


def upgrade_keys(cur: Cursor, sql: Callable[[str], str]) -> None:
    """Bring the keys of a store made by an earlier version to :data:`KEYS_LAYOUT`, in the
    transaction that created its tables: the rows of each kind whose keys a later layout changed
    are read, and the keys their events record now are added (none is ever taken away, and one
    already there is kept). It runs once: the layout is noted, and a store at the current layout
    costs one lookup to open.

    Raises:
        StoreError: a row to key anew is not a valid event.

    """
    cur.execute(sql("SELECT name FROM keys WHERE stream = ? AND kind = ?"), _LAYOUT_MARK)
    noted = [int(name) for (name,) in cur.fetchall()]
    if noted and max(noted) >= KEYS_LAYOUT:
        return
    layout = max(noted, default=1)
    kinds = sorted({kind for n in range(layout + 1, KEYS_LAYOUT + 1) for kind in _REKEYED.get(n, ())})
    for kind in kinds:
        cur.execute(sql("SELECT stream, version, data FROM events WHERE type = ? ORDER BY position"), (kind,))
        keys: list[tuple[str, str, str]] = []
        for stream, version, data in cur.fetchall():
            try:
                event = decode_line(data, lenient=True)
            except NegotiationsError as exc:
                where = f"stream '{stream}' version {version}"
                raise StoreError(f"the store is damaged: the event at {where} is not valid ({exc})") from None
            keys.extend((stream, *key) for key in recorded_keys(event))
        if keys:
            cur.executemany(sql(_INSERT_KEYS + " ON CONFLICT DO NOTHING"), keys)
    cur.execute(sql("DELETE FROM keys WHERE stream = ? AND kind = ?"), _LAYOUT_MARK)
    cur.execute(sql(_INSERT_KEYS), (*_LAYOUT_MARK, str(KEYS_LAYOUT)))
