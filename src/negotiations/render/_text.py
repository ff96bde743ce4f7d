"""Views as aligned text tables for a terminal: the output of ``negotiations show``.

Every column but the last is as wide as its widest cell; the last takes the rest of the width
and wraps, so long stances and summaries stay readable in a narrow terminal; text from the log is
escaped, so it cannot forge a row or drive the terminal. Explained
(``show --explain``), each item's row is followed by one line per event behind it: the event's id
and the outlets (and urls) of its sources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Final, Protocol, get_args, get_type_hints

from attrs import AttrsInstance, fields, has

from negotiations.domain.values import Party, Person, Source
from negotiations.projections import (
    VIEW_NAMES,
    Agreements,
    Aid,
    Batch,
    Contacts,
    Deadlines,
    Evidence,
    Exchanges,
    Positions,
    Sanctions,
    Talks,
    Timeline,
    Views,
    Violation,
)
from negotiations.render._terminal import printable, wrap

__all__ = ["table", "views_to_text"]

_GAP: Final = "  "
_MIN_LAST: Final = 24
_NONE: Final = "-"
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
    cells = [[_NONE if c is None else printable(str(c)) for c in row] for row in rows]
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


def _behind(items: Iterable[_Explained], *, explain: bool) -> list[list[str]]:
    """The notes of ``items`` when explaining: for each, a line per event behind it."""
    if not explain:
        return []
    return [[f"{_BEHIND}{e.event_id}  ({_cited(e.sources)})" for e in item.provenance] for item in items]


def _cited(sources: Iterable[Source]) -> str:
    """Each outlet, with its url when known, once."""
    cited = dict.fromkeys(s.outlet if s.url is None else f"{s.outlet}, {s.url}" for s in sources)
    return "; ".join(cited) or "no sources"


def _counts(counts: Mapping[Party, int] | None) -> str:
    return _NONE if not counts else ", ".join(f"{party} {n}" for party, n in counts.items())


def _returned(batch: Batch) -> str:
    """A batch's counts; a disputed one shows each party's range of claims and who claims what."""
    if not batch.disputed:
        return _counts(batch.returned)
    high = batch.high
    spans = ", ".join(
        f"{party} {n}" if n == high[party] else f"{party} {n}-{high[party]}"
        for party, n in batch.returned.items()
    )
    claims = "; ".join(
        f"{_counts(c.returned)} per {', '.join(s.outlet for s in c.sources) or c.event_id}"
        for c in batch.claims
    )
    return f"{spans} (disputed: {claims})"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _who(person: Person | None) -> str | None:
    if person is None:
        return None
    return person.name if person.role is None else f"{person.name} ({person.role})"


def _deadlines(view: Deadlines, as_of: date | None, width: int, *, explain: bool) -> str:
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
            _sentence(d.demand) + (f" Or else: {_sentence(d.consequence)}" if d.consequence else ""),
        ]
        for d in items
    ]
    headers = ["ID", "ISSUER", "TARGET", "SET ON", "DUE", "STATUS", "DAYS LEFT", "DEMAND AND CONSEQUENCE"]
    return table(headers, rows, width=width, notes=_behind(items, explain=explain))


def _exchanges(view: Exchanges, _: date | None, width: int, *, explain: bool) -> str:
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
    batches = [[b.occurred, b.agreement_id, _returned(b)] for b in view.batches]
    remains = [[b.occurred, b.agreement_id, _returned(b)] for b in view.remains]
    headers = ["AGREEMENT", "PARTIES", "AGREED", "VENUE", "OWED", "STATUS", "RETURNED"]
    return "\n\n".join(
        [
            table(headers, agreements, width=width, notes=_behind(items, explain=explain)),
            table(
                ["DATE", "AGREEMENT", "PRISONERS RETURNED"],
                batches,
                width=width,
                notes=_behind(view.batches, explain=explain),
            ),
            table(
                ["DATE", "AGREEMENT", "REMAINS RETURNED"],
                remains,
                width=width,
                notes=_behind(view.remains, explain=explain),
            ),
            (
                f"Prisoners returned in all: {_counts(view.returned)}\n"
                f"Remains returned in all: {_counts(view.remains_returned)}"
            ),
        ]
    )


def _positions(view: Positions, _: date | None, width: int, *, explain: bool) -> str:
    rows = []
    items = [position for issues in view.parties.values() for position in issues.values()]
    for position in items:
        now = position.current
        demands = f" Demands: {'; '.join(now.demands)}." if now.demands else ""
        speaker = now.speaker.name if now.speaker else None
        rows.append([position.party, position.issue, now.since, speaker, _sentence(now.stance) + demands])
    headers = ["PARTY", "ISSUE", "SINCE", "SPEAKER", "STANCE AND DEMANDS"]
    return table(headers, rows, width=width, notes=_behind(items, explain=explain))


def _talks(view: Talks, as_of: date | None, width: int, *, explain: bool) -> str:
    rounds = [[r.occurred, r.round, "-".join(r.parties), r.venue, r.summary] for r in view.rounds]
    proposals = [
        [
            p.proposal_id,
            p.proposed_on,
            "+".join((p.proposer, *p.co_proposers)),
            ", ".join(p.to),
            p.level or p.kind,
            f"taken up ({p.held_in})" if p.held_in is not None and p.status == "taken-up" else p.status,
            ", ".join(f"{party} {answer}" for party, answer in p.answers.items()) or None,
            p.title or _who(p.proposed_by),
        ]
        for p in view.proposals.values()
    ]
    ceasefires = [
        [
            c.ceasefire_id,
            "-".join(c.parties),
            c.starts or c.agreed_on,
            c.ends,
            "in force" if as_of and c.in_force(as_of) else "not in force",
            c.scope,
        ]
        for c in view.ceasefires.values()
    ]
    return "\n\n".join(
        [
            table(
                ["DATE", "ROUND", "PARTIES", "VENUE", "SUMMARY"],
                rounds,
                width=width,
                notes=_behind(view.rounds, explain=explain),
            ),
            table(
                ["PROPOSAL", "DATE", "BY", "TO", "KIND", "STATUS", "ANSWERS", "TITLE OR PROPOSED BY"],
                proposals,
                width=width,
                notes=_behind(view.proposals.values(), explain=explain),
            ),
            table(
                ["CEASEFIRE", "PARTIES", "FROM", "UNTIL", "STATUS", "SCOPE"],
                ceasefires,
                width=width,
                notes=_behind(view.ceasefires.values(), explain=explain),
            ),
            _violations(
                [((c.ceasefire_id,), v) for c in view.ceasefires.values() for v in c.violations],
                ["CEASEFIRE"],
                width,
                explain=explain,
            ),
        ]
    )


def _allegation(v: Violation) -> str:
    """A violation as what it is, an allegation: who alleges what of whom."""
    what = f": {_sentence(v.summary)}" if v.summary else "."
    return f"{v.accuser} alleges that {v.accused} broke it{what}"


def _violations(
    alleged: Sequence[tuple[Sequence[object], Violation]], about: Sequence[str], width: int, *, explain: bool
) -> str:
    """A row per violation alleged: its day, what it is alleged of (``about``), then who alleges
    it of whom.
    """
    rows = [[v.occurred, *cells, v.accuser, v.accused, _allegation(v)] for cells, v in alleged]
    headers = ["ALLEGED ON", *about, "ALLEGED BY", "AGAINST", "ALLEGATION"]
    return table(headers, rows, width=width, notes=_behind([v for _, v in alleged], explain=explain))


def _amount(quantity: float | None, unit: str | None) -> str:
    if quantity is None:
        return ""
    return f" ({quantity:g} {unit})" if unit else f" ({quantity:g})"


_AGREEMENT_HEADERS: Final = (
    "AGREEMENT",
    "PARTIES",
    "AGREED",
    "STATUS",
    "FROM",
    "UNTIL",
    "IN FORCE",
    "DAYS LEFT",
    "TITLE",
)


def _agreements(view: Agreements, as_of: date | None, width: int, *, explain: bool) -> str:
    items = tuple(view.by_id.values())
    agreements = [
        [
            a.agreement_id,
            "-".join(a.parties),
            a.agreed_on,
            a.status,
            a.starts,
            a.ends,
            ("in force" if a.in_force(as_of) else "not in force") if as_of else None,
            a.days_left(as_of) if as_of else None,
            a.title + (f" (mediators: {', '.join(a.mediators)})" if a.mediators else ""),
        ]
        for a in items
    ]
    terms = [t for a in items for t in a.terms]
    term_rows = [
        [
            t.agreement_id,
            t.term_id,
            t.party,
            t.due,
            t.status(as_of) if as_of else None,
            _sentence(t.commitment + _amount(t.quantity, t.unit)),
        ]
        for t in terms
    ]
    return "\n\n".join(
        [
            table(
                [
                    "AGREEMENT",
                    "PARTIES",
                    "AGREED",
                    "STATUS",
                    "FROM",
                    "UNTIL",
                    "IN FORCE",
                    "DAYS LEFT",
                    "TITLE",
                ],
                agreements,
                width=width,
                notes=_behind(items, explain=explain),
            ),
            table(
                ["AGREEMENT", "TERM", "PARTY", "DUE", "STATUS", "COMMITMENT"],
                term_rows,
                width=width,
                notes=_behind(terms, explain=explain),
            ),
            _violations(
                [((a.agreement_id, v.term_id), v) for a in items for v in a.violations],
                ["AGREEMENT", "TERM"],
                width,
                explain=explain,
            ),
        ]
    )


def _aid(view: Aid, _: date | None, width: int, *, explain: bool) -> str:
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
                notes=_behind(view.announcements, explain=explain),
            ),
            table(
                ["PAUSED", "DONOR", "RECIPIENT", "CATEGORY", "STATUS", "REASON"],
                pauses,
                width=width,
                notes=_behind(view.pauses, explain=explain),
            ),
        ]
    )


def _sanctions(view: Sanctions, _: date | None, width: int, *, explain: bool) -> str:
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
                notes=_behind(view.sanctions, explain=explain),
            ),
            table(
                ["DATE", "IMPOSER", "TARGET", "RATE", "BASIS"],
                tariffs,
                width=width,
                notes=_behind(view.tariffs, explain=explain),
            ),
        ]
    )


def _contacts(view: Contacts, _: date | None, width: int, *, explain: bool) -> str:
    rows = [
        [c.occurred, c.kind, "-".join(c.parties), ", ".join(p.name for p in c.persons) or c.venue, c.summary]
        for c in view.contacts
    ]
    headers = ["DATE", "KIND", "PARTIES", "WHO / WHERE", "SUMMARY"]
    return table(headers, rows, width=width, notes=_behind(view.contacts, explain=explain))


def _timeline(view: Timeline, _: date | None, width: int, *, explain: bool) -> str:
    rows = [[e.occurred, e.type, e.summary] for e in view.entries]
    notes = _behind(view.entries, explain=explain)
    return table(["DATE", "EVENT", "SUMMARY"], rows, width=width, notes=notes)


def _generic(view: AttrsInstance, _: date | None, width: int, *, explain: bool) -> str:
    """A view with no renderer of its own: a table per field of the view. A field that holds
    records (a tuple of them, or a mapping to them) has a row per record and a column per field
    of the record but its sources, which ``explain`` lists under it; any other field is one cell.
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
        columns = [f.name for f in fields(record) if f.name != "sources"]
        rows = [[_cell(getattr(item, c)) for c in columns] for item in items]
        notes = _behind(items, explain=explain and hasattr(record, "provenance"))
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
    Talks: _talks,
    Agreements: _agreements,
    Aid: _aid,
    Sanctions: _sanctions,
    Contacts: _contacts,
    Timeline: _timeline,
}
"""The renderer of each view type that has its own; any other view is rendered by
:func:`_generic`."""


def views_to_text(
    views: Views, names: tuple[str, ...] = VIEW_NAMES, *, width: int = 100, explain: bool = False
) -> str:
    """The views in ``names`` as titled sections of aligned tables, at most ``width`` wide;
    ``explain`` lists under each item the events behind it, with their sources.
    """
    as_of = views.as_of
    when = f" as of {as_of}" if as_of else ""
    if views.known_at is not None:
        when += f", as known at {views.known_at.isoformat(timespec='seconds')}"
    sections = []
    for name in names:
        title = f"{name.upper()}{when}"
        view = views.view(name)
        body = _RENDERERS.get(type(view), _generic)(view, as_of, width, explain=explain)
        sections.append(f"{title}\n{'=' * len(title)}\n{body}")
    return "\n\n".join(sections) + "\n"
