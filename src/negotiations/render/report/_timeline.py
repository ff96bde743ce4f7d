"""The report's timeline: its filters, and its rows as JSON that the page's script draws a page
at a time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Final

from negotiations.projections import Views
from negotiations.render.report._html import Marks, visible

__all__ = ["TIMELINE_ROWS", "timeline"]

TIMELINE_ROWS: Final = 10_000
"""The most rows the timeline holds: the newest, and every one changed since ``since``. Older
events are a report ``--as-of`` an earlier day away, or ``show --view timeline``."""

_CONTROLS = (
    '<div class="filters">'
    '<label>Party <select id="filter-party"><option value="">every party</option></select></label>'
    '<label>Kind <select id="filter-kind"><option value="">every kind</option></select></label>'
    '<span class="pager"><button type="button" id="page-prev">newer</button> '
    '<span id="timeline-count"></span> <button type="button" id="page-next">older</button></span></div>'
    '<noscript><p class="empty">The timeline needs JavaScript; the sections above do not.</p></noscript>'
    '<ul class="plain" id="timeline-list"></ul>'
)


def timeline(
    views: Views,
    parties: Mapping[str, tuple[str, ...]],
    marks: Marks,
    *,
    page_size: int,
    rows_held: int = TIMELINE_ROWS,
) -> str:
    """The filters, an empty list that the script fills, and the rows, newest first: each
    ``[day, kind, parties, summary, event id, change]``, the kind and the parties as indexes into
    sorted lists of their names. At most ``rows_held`` rows, and every row changed since. The
    summary and the id are :func:`~negotiations.render.report._html.visible`, as the page's other
    text and attributes are.
    """
    every = views.timeline.entries
    entries = [*(e for e in every[:-rows_held] if e.event_id in marks.by_id), *every[-rows_held:]]
    party_names = sorted({p for entry in entries for p in parties.get(entry.event_id, ())})
    kind_names = sorted({entry.type for entry in entries})
    party_index = {name: n for n, name in enumerate(party_names)}
    kind_index = {name: n for n, name in enumerate(kind_names)}
    rows = [
        [
            str(entry.occurred),
            kind_index[entry.type],
            sorted(party_index[p] for p in parties.get(entry.event_id, ())),
            visible(views.summary_of(entry.event_id)),
            visible(entry.event_id),
            marks.by_id.get(entry.event_id) or 0,
        ]
        for entry in reversed(entries)
    ]
    data = {"page": page_size, "parties": party_names, "kinds": kind_names, "rows": rows, "total": len(every)}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Inside <script>, a "</script>" or "<!--" in a summary would end the element: escape < > &.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    held = (
        f'<p class="more">The timeline holds the newest {len(entries):,} of {len(every):,} events: a report '
        "<code>--as-of</code> an earlier day, or <code>negotiations show --view timeline</code>, shows the "
        "others.</p>"
        if len(entries) < len(every)
        else ""
    )
    return f'{held}{_CONTROLS}<script type="application/json" id="timeline-data">{text}</script>'
