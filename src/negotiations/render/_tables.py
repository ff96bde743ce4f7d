"""The text tables every view is printed as, and the small helpers their renderers share.

Every column but the last is as wide as its widest cell; the last takes the rest of the width
and wraps; every cell is made printable, so text from a log cannot forge a row or drive the
terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, Protocol

from negotiations.domain.events import Event
from negotiations.domain.values import Person, Source
from negotiations.projections import Entry, Evidence, Views, describe
from negotiations.render._terminal import printable, wrap

__all__ = ["NONE", "Cite", "behind", "cite_for", "cited", "sentence", "summary", "table", "who"]


class Cite(Protocol):
    """What renderers read the log's text through, by event id: a
    :class:`~negotiations.projections.Citations`, say.
    """

    def __call__(self, event_id: str, /) -> tuple[Source, ...]:
        """The sources the event cites."""
        ...

    def event(self, event_id: str, /) -> Event | None:
        """The event as the views counted it."""
        ...


class _ViewsOwn:
    """The citations of views, through their own methods, which raise when they have none."""

    __slots__ = ("views",)

    def __init__(self, views: Views) -> None:
        self.views = views

    def __call__(self, event_id: str, /) -> tuple[Source, ...]:
        return self.views.sources_of(event_id)

    def event(self, event_id: str, /) -> Event | None:
        return self.views.event_of(event_id)


_GAP: Final = "  "
_MIN_LAST: Final = 24
NONE: Final = "-"
"""The text of an empty cell."""
_BEHIND: Final = "      ← "


class _Explained(Protocol):
    """An item of a view that can list the events behind it."""

    @property
    def provenance(self) -> tuple[Evidence, ...]: ...


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    width: int = 100,
    notes: Sequence[Sequence[str]] = (),
) -> str:
    """Rows under headers in aligned columns; the last column wraps to fit ``width``. ``notes``,
    when given, holds for each row the lines to print under it. Every cell and note is made
    :func:`~negotiations.render._terminal.printable`: text from a log cannot break a row or
    drive the terminal.

    >>> print(table(["A", "NAME"], [[1, "x"], [22, "yy"]]))
    A   NAME
    1   x
    22  yy
    """
    cells = [[NONE if c is None else printable(str(c)) for c in row] for row in rows]
    if not cells:
        return f"{_GAP.join(headers)}\n(none)"
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers[:-1])]
    last = max(_MIN_LAST, width - sum(widths) - len(_GAP) * len(widths))
    lines = [_line(headers, widths)]
    for index, row in enumerate(cells):
        wrapped = wrap(row[-1], last) or [""]
        lines.append(_line([*row[:-1], wrapped[0]], widths))
        lines.extend(_line([""] * len(widths) + [more], widths) for more in wrapped[1:])
        if notes:
            lines.extend(printable(note) for note in notes[index])
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    padded = [cell.ljust(w) for cell, w in zip(cells, widths, strict=False)]
    return _GAP.join([*padded, cells[-1]]).rstrip()


def behind(items: Iterable[_Explained], *, explain: bool, cite: Cite) -> list[list[str]]:
    """The notes of ``items`` when explaining: for each, a line per event behind it, with the
    sources ``cite`` reads for it.
    """
    if not explain:
        return []
    return [
        [f"{_BEHIND}{e.event_id}  ({cited(cite(e.event_id))})" for e in item.provenance] for item in items
    ]


def cite_for(views: Views, citations: Cite | None) -> Cite:
    """What the items of ``views`` are cited through: ``citations`` when given, else the views'
    own (:meth:`~negotiations.projections.Views.sources_of`, which raises when they have none).
    """
    if citations is not None:
        return citations
    return views.citations if views.citations is not None else _ViewsOwn(views)


def summary(entry: Entry, cite: Cite) -> str:
    """The one-line summary of a timeline entry: :func:`~negotiations.projections.describe` of
    its event, read from the log.
    """
    event = cite.event(entry.event_id)
    return "" if event is None else describe(event)  # as Views.summary_of, through any citations


def cited(sources: Iterable[Source]) -> str:
    """Each outlet, with its url when known, once."""
    cited = dict.fromkeys(s.outlet if s.url is None else f"{s.outlet}, {s.url}" for s in sources)
    return "; ".join(cited) or "no sources"


def sentence(text: str) -> str:
    """``text`` ending as a sentence does."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


def who(person: Person | None) -> str | None:
    """A person by name, with the role when known."""
    if person is None:
        return None
    return person.name if person.role is None else f"{person.name} ({person.role})"
