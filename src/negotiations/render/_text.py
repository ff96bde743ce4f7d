"""Views as aligned text tables for a terminal: the output of ``negotiations show``.

Every column but the last is as wide as its widest cell; the last takes the rest of the width
and wraps, so long stances and summaries stay readable in a narrow terminal; text from the log is
escaped, so it cannot forge a row or drive the terminal. Explained
(``show --explain``), each item's row is followed by one line per event behind it: the event's id
and the outlets (and urls) of its sources.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Final, get_args, get_type_hints

from attrs import AttrsInstance, fields, has

from negotiations.domain.values import Party
from negotiations.projections import (
    VIEW_NAMES,
    Agreements,
    Aid,
    Batch,
    Contact,
    Contacts,
    Deadlines,
    Exchanges,
    Positions,
    Sanctions,
    Talks,
    Timeline,
    Views,
)
from negotiations.render._deals import agreements, talks
from negotiations.render._measures import measures_text
from negotiations.render._tables import NONE, Cite, behind, cite_for, sentence, summary, table

__all__ = ["table", "views_to_text"]


def _counts(counts: Mapping[Party, int] | None) -> str:
    return NONE if not counts else ", ".join(f"{party} {n}" for party, n in counts.items())


def _returned(batch: Batch, cite: Cite) -> str:
    """A batch's counts; a disputed one shows each party's range of claims and who claims what."""
    if not batch.disputed:
        return _counts(batch.returned)
    high = batch.high
    spans = ", ".join(
        f"{party} {n}" if n == high[party] else f"{party} {n}-{high[party]}"
        for party, n in batch.returned.items()
    )
    claims = "; ".join(
        f"{_counts(c.returned)} per {', '.join(s.outlet for s in cite(c.event_id)) or c.event_id}"
        for c in batch.claims
    )
    return f"{spans} (disputed: {claims})"


def _deadlines(view: Deadlines, as_of: date | None, width: int, *, explain: bool, cite: Cite) -> str:
    items = tuple(view.by_id.values())
    rows = [
        [
            d.deadline_id,
            d.issuer,
            d.target,
            d.set_on,
            d.due,
            d.status(as_of) if as_of else None,
            d.days_left(as_of) if as_of else None,
            sentence(d.demand) + (f" Or else: {sentence(d.consequence)}" if d.consequence else ""),
        ]
        for d in items
    ]
    headers = ["ID", "ISSUER", "TARGET", "SET ON", "DUE", "STATUS", "DAYS LEFT", "DEMAND AND CONSEQUENCE"]
    return table(headers, rows, width=width, notes=behind(items, explain=explain, cite=cite))


def _exchanges(view: Exchanges, _: date | None, width: int, *, explain: bool, cite: Cite) -> str:
    items = tuple(view.agreements.values())
    agreements = [
        [
            a.agreement_id,
            "-".join(a.parties),
            a.agreed_on,
            a.venue,
            _counts(a.owed),
            a.status,
            _counts(a.returned),
        ]
        for a in items
    ]
    batches = [[b.occurred, b.agreement_id, _returned(b, cite)] for b in view.batches]
    remains = [[b.occurred, b.agreement_id, _returned(b, cite)] for b in view.remains]
    headers = ["AGREEMENT", "PARTIES", "AGREED", "VENUE", "OWED", "STATUS", "RETURNED"]
    return "\n\n".join(
        [
            table(headers, agreements, width=width, notes=behind(items, explain=explain, cite=cite)),
            table(
                ["DATE", "AGREEMENT", "PRISONERS RETURNED"],
                batches,
                width=width,
                notes=behind(view.batches, explain=explain, cite=cite),
            ),
            table(
                ["DATE", "AGREEMENT", "REMAINS RETURNED"],
                remains,
                width=width,
                notes=behind(view.remains, explain=explain, cite=cite),
            ),
            (
                f"Prisoners returned in all: {_counts(view.returned)}\n"
                f"Remains returned in all: {_counts(view.remains_returned)}"
            ),
        ]
    )


def _positions(view: Positions, _: date | None, width: int, *, explain: bool, cite: Cite) -> str:
    rows = []
    items = [position for issues in view.parties.values() for position in issues.values()]
    for position in items:
        now = position.current
        demands = f" Demands: {'; '.join(now.demands)}." if now.demands else ""
        speaker = now.speaker.name if now.speaker else None
        rows.append([position.party, position.issue, now.since, speaker, sentence(now.stance) + demands])
    headers = ["PARTY", "ISSUE", "SINCE", "SPEAKER", "STANCE AND DEMANDS"]
    return table(headers, rows, width=width, notes=behind(items, explain=explain, cite=cite))


def _aid(view: Aid, _: date | None, width: int, *, explain: bool, cite: Cite) -> str:
    announced = [
        [a.occurred, a.donor, a.recipient, a.category, ", ".join(a.items)] for a in view.announcements
    ]
    pauses = [
        [
            p.since,
            p.donor,
            p.recipient,
            p.category,
            "active" if p.active else f"resumed {p.resumed}",
            p.reason,
        ]
        for p in view.pauses
    ]
    return "\n\n".join(
        [
            table(
                ["DATE", "DONOR", "RECIPIENT", "CATEGORY", "ITEMS"],
                announced,
                width=width,
                notes=behind(view.announcements, explain=explain, cite=cite),
            ),
            table(
                ["PAUSED", "DONOR", "RECIPIENT", "CATEGORY", "STATUS", "REASON"],
                pauses,
                width=width,
                notes=behind(view.pauses, explain=explain, cite=cite),
            ),
        ]
    )


def _sanctions(view: Sanctions, as_of: date | None, width: int, *, explain: bool, cite: Cite) -> str:
    sanctions = [
        [s.occurred, s.imposer, s.target, ", ".join(s.sectors), "; ".join(s.measures)] for s in view.sanctions
    ]
    tariffs = [[t.occurred, t.imposer, t.target, f"{t.rate_percent:g}%", t.basis] for t in view.tariffs]
    return "\n\n".join(
        [
            table(
                ["DATE", "IMPOSER", "TARGET", "SECTORS", "MEASURES"],
                sanctions,
                width=width,
                notes=behind(view.sanctions, explain=explain, cite=cite),
            ),
            table(
                ["DATE", "IMPOSER", "TARGET", "RATE", "BASIS"],
                tariffs,
                width=width,
                notes=behind(view.tariffs, explain=explain, cite=cite),
            ),
            measures_text(view, as_of, width, explain=explain, cite=cite),
        ]
    )


def _contacts(view: Contacts, _: date | None, width: int, *, explain: bool, cite: Cite) -> str:
    rows = [[c.occurred, c.kind, "-".join(c.parties), _who_where(c), c.summary] for c in view.contacts]
    headers = ["DATE", "KIND", "PARTIES", "WHO / WHERE", "SUMMARY"]
    return table(headers, rows, width=width, notes=behind(view.contacts, explain=explain, cite=cite))


def _who_where(contact: Contact) -> str | None:
    """Those on a call; the venue of a round of talks, then its delegations when known."""
    names = ", ".join(p.name for p in contact.persons)
    if contact.venue is None or not names:
        return names or contact.venue
    return f"{contact.venue}: {names}"


def _timeline(view: Timeline, _: date | None, width: int, *, explain: bool, cite: Cite) -> str:
    rows = [[e.occurred, e.type, summary(e, cite)] for e in view.entries]
    notes = behind(view.entries, explain=explain, cite=cite)
    return table(["DATE", "EVENT", "SUMMARY"], rows, width=width, notes=notes)


def _generic(view: AttrsInstance, _: date | None, width: int, *, explain: bool, cite: Cite) -> str:
    """A view with no renderer of its own: a table per field of the view. A field that holds
    records (a tuple of them, or a mapping to them) has a row per record and a column per field
    of the record, and ``explain`` lists under it the events behind it with their sources; any
    other field is one cell.
    """
    hints = get_type_hints(type(view))
    tables = []
    for attribute in fields(type(view)):
        value = getattr(view, attribute.name)
        # The record type, from the field's type: known even when there are no records.
        args = get_args(hints[attribute.name]) or (None,)
        record = args[-1] if isinstance(value, Mapping) else args[0] if isinstance(value, tuple) else None
        if record is None or not has(record):
            tables.append(table([_header(attribute.name)], [[_cell(value)]], width=width))
            continue
        items = list(value.values() if isinstance(value, Mapping) else value)
        columns = [f.name for f in fields(record)]
        rows = [[_cell(getattr(item, c)) for c in columns] for item in items]
        notes = behind(items, explain=explain and hasattr(record, "provenance"), cite=cite)
        tables.append(table([_header(c) for c in columns], rows, width=width, notes=notes))
    return "\n\n".join(tables)


def _header(name: str) -> str:
    return name.replace("_", " ").upper()


def _cell(value: object) -> object:
    """``value`` as one cell: a sequence or mapping joined into one text, a record by its name or
    the event behind it.
    """
    if isinstance(value, tuple | list):
        return ", ".join(str(_cell(v)) for v in value) or None
    if isinstance(value, Mapping):
        return ", ".join(f"{key} {_cell(v)}" for key, v in value.items()) or None
    if has(type(value)) and type(value).__str__ is object.__str__:  # its text would be its repr
        return getattr(value, "name", None) or getattr(value, "event_id", type(value).__name__)
    return value


_RENDERERS: Final[Mapping[type, Callable[..., str]]] = {
    Deadlines: _deadlines,
    Exchanges: _exchanges,
    Positions: _positions,
    Talks: talks,
    Agreements: agreements,
    Aid: _aid,
    Sanctions: _sanctions,
    Contacts: _contacts,
    Timeline: _timeline,
}
"""The renderer of each view type that has its own; any other view is rendered by
:func:`_generic`."""


def views_to_text(
    views: Views,
    names: tuple[str, ...] = VIEW_NAMES,
    *,
    width: int = 100,
    explain: bool = False,
    citations: Cite | None = None,
) -> str:
    """The views in ``names`` as titled sections of aligned tables, at most ``width`` wide;
    ``explain`` lists under each item the events behind it, with their sources.

    The sources are read through ``citations``, by default the views' own
    (:attr:`~negotiations.projections.Views.citations`, which :func:`~negotiations.project`
    sets).

    Raises:
        NegotiationsError: a source is needed, and the views were folded without their log and
            no ``citations`` were given.

    """
    cite = cite_for(views, citations)
    as_of = views.as_of
    when = f" as of {as_of}" if as_of else ""
    if views.known_at is not None:
        when += f", as known at {views.known_at.isoformat(timespec='seconds')}"
    sections = []
    for name in names:
        title = f"{name.upper()}{when}"
        view = views.view(name)
        body = _RENDERERS.get(type(view), _generic)(view, as_of, width, explain=explain, cite=cite)
        sections.append(f"{title}\n{'=' * len(title)}\n{body}")
    return "\n\n".join(sections) + "\n"
