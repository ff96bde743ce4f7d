"""What every section of the report shares: escaping, small pieces of markup, the sources of an
item, and the marks of what changed.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Final

from negotiations.domain.events import Event
from negotiations.domain.values import PartialDate
from negotiations.errors import NegotiationsError
from negotiations.log import referenced_key
from negotiations.projections import Changes

__all__ = [
    "Marks",
    "badge",
    "day",
    "esc",
    "listed",
    "opt",
    "parties",
    "plural",
    "section",
    "sources",
    "table",
    "value",
    "visible",
]

_CONTROL: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # the C0 and C1 controls but tab and line ends
    "\u2028\u2029"  # line and paragraph separators
    "\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # bidirectional marks, overrides and isolates
)
"""The characters shown as ``\\uXXXX`` rather than as they are, as the command line shows them:
none of them is text a reader means to see, and a bidirectional override would turn the rest of
its line around."""


def visible(text: str) -> str:
    r"""``text`` with each character of :data:`_CONTROL` written as ``\uXXXX``."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def esc(text: object) -> str:
    """``text`` as HTML text: :func:`visible`, then escaped for an element or an attribute."""
    plain = text if isinstance(text, str) else "" if text is None else str(text)
    return html.escape(visible(plain), quote=True)


def opt(before: str, text: object, after: str = "") -> str:
    """``before``, ``text`` escaped and ``after``, when there is a ``text``; else nothing."""
    return f"{before}{esc(text)}{after}" if text not in (None, "", [], {}) else ""


def plural(count: int, word: str) -> str:
    """``1 day``, ``2 days``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def value(json_value: object) -> str:
    """A JSON value (a field's old or new value) as short text."""
    if json_value is None:
        return "none"
    return json_value if isinstance(json_value, str) else json.dumps(json_value, ensure_ascii=False)


def day(text: object) -> date | None:
    """The first day of a date as the views' JSON writes it (``2025-07``, ``2025-07-14``)."""
    if not isinstance(text, str):
        return None
    try:
        return PartialDate.parse(text).earliest
    except (NegotiationsError, ValueError):
        return None


def badge(status: object) -> str:
    """A status as a coloured badge (``status-in-force``, ``status-met``...)."""
    if status in (None, ""):
        return ""
    slug = re.sub(r"[^a-z-]", "", str(status).split(" ")[0].lower())
    return f'<span class="badge status-{slug}">{esc(status)}</span>'


def parties(codes: Iterable[str]) -> str:
    """Party codes joined by dashes: ``RUS–UKR``."""
    return esc("–".join(codes))


def sources(cited: Sequence[Mapping[str, Any]] | None) -> str:
    """An item's sources, folded: each outlet (linked only when its URL is http or https), its
    publication day and its quote.
    """
    if not cited:
        return ""
    items = []
    for source in cited:
        url = source.get("url")
        outlet = esc(source.get("outlet"))
        if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
            outlet = f'<a href="{esc(url)}" rel="noopener noreferrer">{outlet}</a>'
        quote = opt("<blockquote>", source.get("quote"), "</blockquote>")
        items.append(f"<li>{outlet}{opt(' (', source.get('published'), ')')}{quote}</li>")
    summary = plural(len(cited), "source")
    return f'<details class="sources"><summary>{summary}</summary><ul>{"".join(items)}</ul></details>'


def listed(items: str, title: str | None = None) -> str:
    """``<li>`` items as a plain list, under a heading when given; nothing for no items."""
    if not items:
        return ""
    return f'{opt("<h4>", title, "</h4>")}<ul class="plain">{items}</ul>'


def section(anchor: str, title: str, body: str, empty: str) -> str:
    """A section of the report, with ``empty`` said when it has nothing to show."""
    inner = body or f'<p class="empty">{esc(empty)}</p>'
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{inner}</section>'


def table(head: Sequence[str], rows: Sequence[str]) -> str:
    """Rows (``<tr>`` elements) under a head, in a box that scrolls sideways on a narrow screen."""
    if not rows:
        return ""
    cells = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join(rows)
    return f'<div class="table"><table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table></div>'


def event_ids(item: object) -> Iterator[str]:
    """Every ``event_id`` in an item of a view's JSON, at any depth (its history, its terms)."""
    if isinstance(item, Mapping):
        for key, inner in item.items():
            if key == "event_id" and isinstance(inner, str):
                yield inner
            elif key != "sources":
                yield from event_ids(inner)
    elif isinstance(item, list):
        for inner in item:
            yield from event_ids(inner)


class Marks:
    """Which items are new, corrected, changed by a retraction or disputed since ``since``: by the
    ids of their events, and for a retraction, by what the retracted event referred to (a
    deadline, an agreement, a measure...), since the item no longer holds the retracted event.
    """

    KINDS: Final = ("new", "corrected", "retracted", "disputed")

    def __init__(self, found: Changes | None, get: Callable[[str], Event | None] = lambda _: None) -> None:
        self.by_id: dict[str, tuple[str, str]] = {}
        """An event's id to its change and the id of the event that made it."""
        self.by_key: dict[tuple[str, str], tuple[str, str]] = {}
        """A field and its value (``("deadline_id", "d")``) to the retraction that changed what
        the items with it show."""
        if found is None:
            return
        for retraction in found.retracted:
            gone = get(retraction.target)
            referred = None if gone is None else referenced_key(gone)
            if referred is not None:
                (_kind, name), field = referred
                self.by_key.setdefault((field, name), ("retracted", retraction.event_id))
        for fact in found.new:
            self.by_id[fact.event_id] = ("new", fact.event_id)
        for fix in found.corrected:
            for target in (fix.root, fix.target):
                self.by_id.setdefault(target, ("corrected", fix.event_id))
        for dispute in found.disputed:
            for claim in dispute.claims:
                self.by_id.setdefault(claim, ("disputed", dispute.event_id))

    def of(self, item: object) -> tuple[str, str] | None:
        """An item's change, by any event behind it: new, else corrected, else retracted, else
        disputed.
        """
        found = [self.by_id[i] for i in event_ids(item) if i in self.by_id]
        if self.by_key and isinstance(item, Mapping):
            found += [self.by_key[k] for k in item.items() if isinstance(k[1], str) and k in self.by_key]
        return next((mark for kind in self.KINDS for mark in found if mark[0] == kind), None)

    def attrs(self, item: Mapping[str, Any], *classes: str, own: str | None = None) -> str:
        """The attributes of an item's element: its classes, ``data-event-id`` (``own``, else
        the item's ``event_id``), and its change.
        """
        event_id = own if own is not None else item.get("event_id")
        mark = self.of(item)
        names = [*classes, *([f"change-{mark[0]}"] if mark else [])]
        out = f' class="{" ".join(names)}"' if names else ""
        out += opt(' data-event-id="', event_id, '"')
        if mark:
            out += f' data-change="{mark[0]}" data-change-id="{esc(mark[1])}"'
        return out
