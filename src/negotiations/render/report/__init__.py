"""A picture of a negotiation: one self-contained HTML file (:func:`report_html`).

The report shows a log's views as of one day and as known at one moment: each deadline as a
bar from the day it was set to the day it is due, each agreement's terms and the violations
alleged, each exchange's progress per side against what was agreed, the measures in force and
the tariff rates over time, the positions with their sources, aid, talks and contacts, and a
timeline that can be filtered by party and by kind. With ``since``, it also lists what changed
since that moment (:func:`~negotiations.projections.changes`), and marks what is new in every
section.

The file makes no network access: its styles and its one script are inline, and a Content
Security Policy forbids it to load anything. Every text from the log is escaped, so a quote that
holds ``<script>`` shows as text. The timeline's rows are JSON in the page, drawn a page at a
time, so that the report of a long log stays quick to open.

Every item of a section carries ``data-event-id``, the id of the event behind it. An item that
is new, corrected, changed by a retraction or disputed since ``since`` also carries
``data-change`` (``new``, ``corrected``, ``retracted`` or ``disputed``) and ``data-change-id``,
the id of the event that made the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time
from importlib import resources
from typing import Final

from negotiations.domain.events import Event
from negotiations.errors import InvalidValueError
from negotiations.log import EventLog
from negotiations.projections import changes, project
from negotiations.render._json import views_to_json
from negotiations.render.plover import event_parties
from negotiations.render.report import _changed, _html, _sections, _timeline
from negotiations.render.report._sections import SECTION_ITEMS
from negotiations.render.report._timeline import TIMELINE_ROWS

__all__ = ["GENERATOR", "OPENING", "PAGE_SIZE", "SECTION_ITEMS", "TIMELINE_ROWS", "report_html"]

GENERATOR: Final = "negotiations report"
"""The ``generator`` of a report's ``<meta>``."""

_POLICY: Final = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
"""The page's Content Security Policy: nothing may be loaded, only its own inline style and script run."""

OPENING: Final = (
    "<!DOCTYPE html>\n"
    '<html lang="en"><head><meta charset="utf-8">'
    f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    f'<meta name="generator" content="{GENERATOR}">'
)
"""How every report starts, to its generator's ``<meta>``: how ``negotiations report`` tells a
report it may replace from a file that is not one."""

PAGE_SIZE: Final = 200
"""How many timeline rows a page of the report shows."""


def _moment(when: datetime) -> str:
    """A moment as a reader wants it: ``the end of 2025-07-15 (UTC)`` for the last instant of a
    day in UTC (as a day given for ``--since`` or ``--known-at`` means), else its ISO form.
    """
    utc = when.astimezone(UTC)
    if utc.time() == time.max:
        return f"the end of {utc.date()} (UTC)"
    return when.isoformat(timespec="seconds" if not when.microsecond else "microseconds")


def _getter(events: Iterable[Event]) -> Callable[[str], Event | None]:
    """Each event of ``events`` by its id: a log is asked, any other iterable is indexed."""
    if isinstance(events, EventLog):
        return events.get
    return {event.id: event for event in events}.get


def _asset(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def report_html(
    events: Iterable[Event],
    *,
    title: str,
    as_of: date | None = None,
    known_at: datetime | None = None,
    since: datetime | None = None,
    page_size: int = PAGE_SIZE,
    section_items: int = SECTION_ITEMS,
    timeline_rows: int = TIMELINE_ROWS,
) -> str:
    """The report of ``events`` as one HTML page: every view as of ``as_of`` and as known at
    ``known_at`` (as :func:`~negotiations.projections.project` folds them), and with ``since``
    what changed since then (as :func:`~negotiations.projections.changes` finds it), marked in
    every section. The same events and arguments always give the same page.

    The page stays small however long the log: each list of a section shows at most
    ``section_items`` items (those changed since ``since`` first, then the most pressing or the
    newest) and counts the rest, and the timeline holds the newest ``timeline_rows`` events (and
    every one changed since), drawn ``page_size`` rows at a time.

    Raises:
        InvalidValueError: ``since`` is after ``known_at``, or either has no UTC offset, or a
            count to show is less than 1.

    """
    for name, count in (
        ("page_size", page_size),
        ("section_items", section_items),
        ("timeline_rows", timeline_rows),
    ):
        if count < 1:
            raise InvalidValueError(f"{count} is not a number of items to show: give 1 or more", field=name)
    for name, when in (("known_at", known_at), ("since", since)):
        if when is not None and when.utcoffset() is None:
            raise InvalidValueError(f"{when.isoformat()} has no UTC offset, such as +00:00", field=name)
    if isinstance(events, Iterator):
        events = tuple(events)
    found = None if since is None else changes(events, since, known_at=known_at)
    views = project(events, as_of=as_of, known_at=known_at)
    marks = _html.Marks(found, _getter(events) if found is not None and found.retracted else lambda _: None)
    sections = _sections.Sections(views, views_to_json(views), marks, limit=section_items)
    shown = {e.event_id for e in views.timeline.entries[-timeline_rows:]} | set(marks.by_id)
    parties = event_parties(events, only=shown)
    parts = [
        ("deadlines", "Deadlines", sections.deadlines(), "No deadline."),
        ("agreements", "Agreements", sections.agreements(), "No agreement."),
        ("exchanges", "Exchanges", sections.exchanges(), "No exchange agreement."),
        ("measures", "Sanctions and tariffs", sections.measures(), "No sanction or tariff."),
        ("positions", "Positions", sections.positions(), "No position stated."),
        ("talks", "Talks", sections.talks(), "No talks."),
        ("aid", "Aid", sections.aid(), "No aid."),
        ("contacts", "Contacts", sections.contacts(), "No contact."),
        (
            "timeline",
            "Timeline",
            _timeline.timeline(views, parties, marks, page_size=page_size, rows_held=timeline_rows),
            "",
        ),
    ]
    if found is not None and since is not None:
        parts.insert(
            0, ("changes", f"What changed since {_moment(since)}", _changed.changes_section(found), "")
        )
    toc = "".join(
        f'<a href="#{anchor}">{_html.esc(name.split(" since ")[0])}</a>' for anchor, name, _, _ in parts
    )
    known = "everything recorded" if known_at is None else _html.esc(_moment(known_at))
    meta = (
        f"As of <b>{views.as_of or 'no day'}</b> · known at <b>{known}</b>"
        f"{'' if since is None else f' · changes since <b>{_html.esc(_moment(since))}</b>'}"
        f" · {len(views.timeline.entries)} events"
    )
    body = "".join(_html.section(*part) for part in parts)
    return (
        f"{OPENING}"
        f"<title>{_html.esc(title)}</title><style>{_asset('report.css')}</style></head>"
        f'<body><header><h1>{_html.esc(title)}</h1><p class="meta">{meta}</p>'
        f'<nav class="toc">{toc}</nav></header>'
        f"<main>{body}</main>"
        "<footer>Made by negotiations from an append-only log. Every item names the event behind it; "
        "dates are as the sources gave them, and times are UTC.</footer>"
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )
