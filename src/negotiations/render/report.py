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
is new, corrected or disputed since ``since`` also carries ``data-change`` (``new``,
``corrected`` or ``disputed``) and ``data-change-id``, the id of the event that made the change.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any, Final

from negotiations.domain.events import Event
from negotiations.domain.values import PartialDate
from negotiations.errors import NegotiationsError
from negotiations.projections import Changes, Views, changes, project
from negotiations.render._json import views_to_json
from negotiations.render.plover import event_parties

__all__ = ["GENERATOR", "PAGE_SIZE", "report_html"]

GENERATOR: Final = "negotiations report"
"""The ``generator`` of a report's ``<meta>``: how a report is told from a file that is not one."""

PAGE_SIZE: Final = 200
"""How many timeline rows a page of the report shows."""

_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PALETTE: Final = ("#1f5fa8", "#b3261e", "#2e7d32", "#b26a00", "#6a3d9a", "#00838f", "#5d4037", "#c2185b")
_POLICY: Final = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _asset(name: str) -> str:
    return resources.files("negotiations.render").joinpath(name).read_text(encoding="utf-8")


def _esc(value: object) -> str:
    """``value`` as HTML text: escaped, with control characters shown as ``\\uXXXX``."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    return html.escape(_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text), quote=True)


def _value(value: object) -> str:
    """A JSON value (a field's old or new value) as short text."""
    if value is None:
        return "none"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _day(text: object) -> date | None:
    """The first day of a date as the views' JSON writes it (``2025-07``, ``2025-07-14``)."""
    if not isinstance(text, str):
        return None
    try:
        return PartialDate.parse(text).earliest
    except (NegotiationsError, ValueError):
        return None


def _badge(status: object) -> str:
    if status is None or status == "":
        return ""
    slug = re.sub(r"[^a-z-]", "", str(status).split(" ")[0].lower())
    return f'<span class="badge status-{slug}">{_esc(status)}</span>'


def _parties(parties: Iterable[str]) -> str:
    return _esc("–".join(parties))


class _Marks:
    """Which items are new, corrected or disputed since ``since``, by the ids of their events."""

    def __init__(self, found: Changes | None) -> None:
        self.by_id: dict[str, tuple[str, str]] = {}
        if found is None:
            return
        for fact in found.new:
            self.by_id[fact.event_id] = ("new", fact.event_id)
        for fix in found.corrected:
            for target in (fix.root, fix.target):
                self.by_id.setdefault(target, ("corrected", fix.event_id))
        for dispute in found.disputed:
            for claim in dispute.claims:
                self.by_id.setdefault(claim, ("disputed", dispute.event_id))

    def of(self, item: object) -> tuple[str, str] | None:
        """The change of an item (a view's JSON), by any event behind it: new, else corrected,
        else disputed.
        """
        found = [self.by_id[i] for i in _event_ids(item) if i in self.by_id]
        for kind in ("new", "corrected", "disputed"):
            for mark in found:
                if mark[0] == kind:
                    return mark
        return None

    def attrs(self, item: Mapping[str, Any], *classes: str, own: str | None = None) -> str:
        """The attributes of an item's element: its class, ``data-event-id`` and its change."""
        event_id = own if own is not None else item.get("event_id")
        mark = self.of(item)
        names = [*classes, *([f"change-{mark[0]}"] if mark else [])]
        out = f' class="{" ".join(names)}"' if names else ""
        if event_id is not None:
            out += f' data-event-id="{_esc(event_id)}"'
        if mark:
            out += f' data-change="{mark[0]}" data-change-id="{_esc(mark[1])}"'
        return out


def _event_ids(item: object) -> Iterator[str]:
    """Every ``event_id`` in an item of a view's JSON, at any depth (its history, its terms)."""
    if isinstance(item, Mapping):
        for key, value in item.items():
            if key == "event_id" and isinstance(value, str):
                yield value
            elif key != "sources":
                yield from _event_ids(value)
    elif isinstance(item, list):
        for value in item:
            yield from _event_ids(value)


def _sources(sources: Sequence[Mapping[str, Any]] | None) -> str:
    """An item's sources, folded: each outlet (linked when its URL is http or https), its
    publication day and its quote.
    """
    if not sources:
        return ""
    items = []
    for source in sources:
        url = source.get("url")
        outlet = _esc(source.get("outlet"))
        if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
            outlet = f'<a href="{_esc(url)}" rel="noopener noreferrer">{outlet}</a>'
        published = f" ({_esc(source['published'])})" if source.get("published") else ""
        quote = f"<blockquote>{_esc(source['quote'])}</blockquote>" if source.get("quote") else ""
        items.append(f"<li>{outlet}{published}{quote}</li>")
    count = len(sources)
    return (
        f'<details class="sources"><summary>{count} source{"" if count == 1 else "s"}</summary>'
        f"<ul>{''.join(items)}</ul></details>"
    )


def _listed(items: str, title: str | None = None) -> str:
    """List items (``<li>`` elements) as a plain list under an optional heading; nothing for none."""
    if not items:
        return ""
    heading = "" if title is None else f"<h4>{_esc(title)}</h4>"
    return f'{heading}<ul class="plain">{items}</ul>'


def _section(anchor: str, title: str, body: str, empty: str) -> str:
    inner = body or f'<p class="empty">{_esc(empty)}</p>'
    return f'<section id="{anchor}"><h2>{_esc(title)}</h2>{inner}</section>'


def _table(head: Sequence[str], rows: Sequence[str]) -> str:
    if not rows:
        return ""
    cells = "".join(f"<th>{_esc(h)}</th>" for h in head)
    return f'<div class="table"><table><thead><tr>{cells}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


class _Report:
    """The sections of one report."""

    def __init__(self, views: Views, data: Mapping[str, Any], marks: _Marks) -> None:
        self.views = views
        self.data = data
        self.marks = marks
        self.as_of = views.as_of

    def deadlines(self) -> str:
        items = self.data["deadlines"]
        if not items:
            return ""
        days = [d for item in items for d in self._deadline_days(item)]
        if self.as_of is not None:
            days.append(self.as_of)
        if not days:
            return ""
        low, high = min(days), max(days)
        span = max((high - low).days, 1)

        def at(day: date | None) -> float:
            return 0.0 if day is None else round(100 * (day - low).days / span, 2)

        cards = []
        for item in items:
            first = next((h.get("event_id") for h in item.get("history", [])), None)  # the event that set it
            set_on, due = _day(item.get("set_on")), _day(item.get("due"))
            closure = item.get("closure")
            status = item.get("status")
            left = item.get("days_left")
            due_text = f"due {_esc(item.get('due'))}" if item.get("due") else "no due day"
            if isinstance(left, int) and status == "pending":
                due_text += f" · {left} day{'' if left == 1 else 's'} left"
            start = at(set_on)
            width = max(at(due) - start, 0.5) if due is not None else 0.5
            ticks = "".join(
                f'<span class="tick" style="left:{at(_day(h.get("due")))}%" title="due {_esc(h.get("due"))}"></span>'
                for h in item.get("history", [])[1:]
                if _day(h.get("due")) is not None
            )
            asof = (
                ""
                if self.as_of is None
                else f'<span class="asof" style="left:{at(self.as_of)}%" title="as of"></span>'
            )
            slug = re.sub(r"[^a-z-]", "", str(status))
            bar = f'<div class="bar"><span class="span status-{slug}" style="left:{start}%;width:{width}%"></span>{ticks}{asof}</div>'
            history = "".join(
                f"<li{self.marks.attrs(h)}>{_esc(h.get('occurred'))}: "
                f"{'set' if n == 0 else 'changed'}, due {_esc(h.get('due') or 'none')}"
                f"{' (' + _esc(h['reason']) + ')' if h.get('reason') else ''}{_sources(h.get('sources'))}</li>"
                for n, h in enumerate(item.get("history", []))
            )
            closed = (
                f"<p>Closed: {_esc(closure.get('status'))} on {_esc(closure.get('occurred'))}"
                f"{' (' + _esc(closure['reason']) + ')' if closure.get('reason') else ''}</p>"
                if isinstance(closure, Mapping)
                else ""
            )
            consequence = f"<p>Or else: {_esc(item['consequence'])}</p>" if item.get("consequence") else ""
            cards.append(
                f"<div{self.marks.attrs(item, 'card', 'deadline', own=first)}"
                f' data-deadline="{_esc(item.get("deadline_id"))}">'
                f"<h3>{_esc(item.get('issuer'))} → {_esc(item.get('target'))}: {_esc(item.get('demand'))} "
                f"{_badge(status)}</h3>"
                f'<p class="meta">Set on {_esc(item.get("set_on"))} · <span class="due">{due_text}</span></p>'
                f'{consequence}{bar}{closed}<ul class="plain">{history}</ul></div>'
            )
        scale = f'<div class="scale"><span>{low}</span><span>{high}</span></div>'
        return scale + "".join(cards)

    @staticmethod
    def _deadline_days(item: Mapping[str, Any]) -> Iterator[date]:
        for key in ("set_on", "due"):
            day = _day(item.get(key))
            if day is not None:
                yield day
        for entry in item.get("history", []):
            day = _day(entry.get("due"))
            if day is not None:
                yield day

    def agreements(self) -> str:
        cards = []
        for item in self.data["agreements"]:
            terms = [
                f'<tr{self.marks.attrs(t, own=t.get("event_id"))} data-term="{_esc(t.get("term_id"))}">'
                f"<td>{_esc(t.get('party'))}</td><td>{_esc(t.get('commitment'))}</td>"
                f"<td>{_esc(t.get('due') or '')}</td><td>{_badge(t.get('status'))}"
                f"{' on ' + _esc(t['met_on']) if t.get('met_on') else ''}</td></tr>"
                for t in item.get("terms", [])
            ]
            violations = "".join(
                f"<li{self.marks.attrs(v)}>{_esc(v.get('occurred'))}: alleged by <b>{_esc(v.get('accuser'))}</b>"
                f" against {_esc(v.get('accused'))}"
                f"{' (term ' + _esc(v['term_id']) + ')' if v.get('term_id') else ''}: {_esc(v.get('summary'))}</li>"
                for v in item.get("violations", [])
            )
            left = item.get("days_left")
            ends = f" · ends {_esc(item['ends'])}" if item.get("ends") else ""
            if isinstance(left, int):
                ends += f" · {left} day{'' if left == 1 else 's'} left"
            history = "".join(
                f"<li{self.marks.attrs(h)}>{_esc(h.get('occurred'))}: {_esc(h.get('kind'))}"
                f"{' to ' + _esc(h['status']) if h.get('status') else ''}"
                f"{', ends ' + _esc(h['ends']) if h.get('ends') else ''}"
                f"{' (' + _esc(h['reason']) + ')' if h.get('reason') else ''}</li>"
                for h in item.get("history", [])
            )
            cards.append(
                f'<div{self.marks.attrs(item, "card", "agreement")} data-agreement="{_esc(item.get("agreement_id"))}">'
                f"<h3>{_esc(item.get('title') or item.get('agreement_id'))} {_badge(item.get('status'))}</h3>"
                f'<p class="meta">{_parties(item.get("parties", []))} · agreed {_esc(item.get("agreed_on"))}{ends}'
                f"{' · mediated by ' + _parties(item['mediators']) if item.get('mediators') else ''}</p>"
                f"{_table(['Party', 'Commitment', 'Due', 'Status'], terms)}"
                f"{_listed(violations, 'Violations alleged')}{_listed(history)}"
                f"{_sources(item.get('sources'))}</div>"
            )
        return "".join(cards)

    def exchanges(self) -> str:
        view = self.views.exchanges
        cards = []
        for item in self.data["exchanges"]["agreements"]:
            agreement = view.agreements.get(item.get("agreement_id", ""))
            high: dict[str, int] = {}
            if agreement is not None:
                for batch in agreement.batches:
                    for party, count in batch.high.items():
                        high[party] = high.get(party, 0) + count
            owed = item.get("owed") or {}
            per_side = item.get("per_side")
            returned = item.get("returned", {})
            sides = sorted({*item.get("parties", []), *returned, *owed})
            rows = []
            for party in sides:
                low = returned.get(party, 0)
                top = max(high.get(party, low), low)
                target = owed.get(party, per_side)
                figure = f"{low}–{top}" if top != low else f"{low}"
                of = f" of {target}" if target else " (no number agreed)"
                scale = max(target or 0, top, 1)
                rows.append(
                    f'<div class="progress" data-party="{_esc(party)}"><span class="who">{_esc(party)}</span>'
                    f'<span class="track"><span class="high" style="width:{round(100 * top / scale, 1)}%"></span>'
                    f'<span class="low" style="width:{round(100 * low / scale, 1)}%"></span></span>'
                    f'<span class="count">{figure}{of} returned</span></div>'
                )
            batches = "".join(self._batch(b) for b in item.get("batches", []) + item.get("remains", []))
            cards.append(
                f'<div{self.marks.attrs(item, "card", "exchange")} data-agreement="{_esc(item.get("agreement_id"))}">'
                f"<h3>{_esc(item.get('agreement_id'))} {_badge(item.get('status'))}</h3>"
                f'<p class="meta">{_parties(item.get("parties", []))} · {_esc(", ".join(item.get("categories", [])))}'
                f" · agreed {_esc(item.get('agreed_on'))}{' in ' + _esc(item['venue']) if item.get('venue') else ''}</p>"
                f"{''.join(rows)}{_listed(batches)}"
                f"{_sources(item.get('sources'))}</div>"
            )
        loose = [b for b in self.data["exchanges"]["batches"] if not b.get("agreement_id")]
        if loose:
            cards.append(
                f'<h3>Outside any agreement</h3><ul class="plain">{"".join(self._batch(b) for b in loose)}</ul>'
            )
        return "".join(cards)

    def _batch(self, batch: Mapping[str, Any]) -> str:
        returned = ", ".join(f"{_esc(p)} {n}" for p, n in batch.get("returned", {}).items())
        claims = batch.get("claims") or []
        disputed = (
            " · <b>disputed</b>: "
            + " / ".join(
                _esc(", ".join(f"{p} {n}" for p, n in c.get("returned", {}).items()))
                + f" ({_esc(c.get('event_id'))})"
                for c in claims
            )
            if claims
            else ""
        )
        return f"<li{self.marks.attrs(batch)}>{_esc(batch.get('occurred'))}: {returned or 'none'} returned{disputed}</li>"

    def measures(self) -> str:
        rows = []
        for m in self.data["sanctions"]["measures"]:
            what = ", ".join([*m.get("measures", []), *m.get("products", []), *m.get("sectors", [])])
            rate = f"{m['rate_percent']:g}%" if isinstance(m.get("rate_percent"), int | float) else ""
            rows.append(
                f"<tr{self.marks.attrs(m)}><td>{_esc(m.get('imposer'))} → {_esc(m.get('target'))}</td>"
                f"<td>{_esc(m.get('kind'))}</td><td>{_esc(what)}</td><td>{rate}</td><td>{_badge(m.get('status'))}</td>"
                f"<td>{_esc(m.get('effective'))}</td><td>{_sources(m.get('sources'))}</td></tr>"
            )
        table = _table(["Who → whom", "Kind", "What", "Rate", "Status", "From", "Sources"], rows)
        return table + self.tariff_chart()

    def tariff_chart(self) -> str:
        """The total tariff rate each party puts on each other, day by day, as a step chart."""
        measures = [m for m in self.views.sanctions.measures if m.kind == "tariffs"]
        if not measures:
            return ""
        days = {m.effective for m in measures}
        for m in measures:
            days.update(move.effective for move in m.history)
            days.update(move.until + timedelta(days=1) for move in m.history if move.until is not None)
            if m.ends is not None:
                days.add(m.ends + timedelta(days=1))
        start = min(days)
        end = max(self.as_of or max(days), start + timedelta(days=1))
        steps = sorted(d for d in days if start <= d <= end)
        pairs = sorted({(m.imposer, m.target) for m in measures})
        series = {
            pair: [
                (d, self.views.sanctions.tariff_rates(d).get(pair[0], {}).get(pair[1], 0.0)) for d in steps
            ]
            for pair in pairs
        }
        top = max([rate for points in series.values() for _, rate in points] + [1.0])
        width, height, left, bottom = 640, 220, 44, 24
        span = max((end - start).days, 1)

        def x(day: date) -> float:
            return round(left + (width - left - 8) * (day - start).days / span, 1)

        def y(rate: float) -> float:
            return round(8 + (height - bottom - 8) * (1 - rate / top), 1)

        paths, legend = [], []
        for n, (pair, points) in enumerate(series.items()):
            colour = _PALETTE[n % len(_PALETTE)]
            first_day, first_rate = points[0]
            moves = [f"M{x(first_day)} {y(first_rate)}", *(f"H{x(d)} V{y(r)}" for d, r in points[1:])]
            moves.append(f"H{x(end)}")
            label = f"{pair[0]} on {pair[1]}"
            paths.append(
                f'<path d="{" ".join(moves)}" fill="none" stroke="{colour}" stroke-width="2" data-pair="{_esc(label)}">'
                f"<title>{_esc(label)}: {points[-1][1]:g}% on {points[-1][0]}</title></path>"
            )
            legend.append(
                f'<span><span class="swatch" style="background:{colour}"></span>{_esc(label)}: {points[-1][1]:g}%</span>'
            )
        axes = (
            f'<line x1="{left}" y1="{y(0)}" x2="{width - 8}" y2="{y(0)}" stroke="#888"/>'
            f'<line x1="{left}" y1="8" x2="{left}" y2="{y(0)}" stroke="#888"/>'
            f'<text x="{left - 4}" y="{y(top) + 4}" text-anchor="end">{top:g}%</text>'
            f'<text x="{left - 4}" y="{y(0) + 4}" text-anchor="end">0%</text>'
            f'<text x="{left}" y="{height - 6}">{start}</text>'
            f'<text x="{width - 8}" y="{height - 6}" text-anchor="end">{end}</text>'
        )
        return (
            '<div class="chart"><h3>Tariff rates over time</h3>'
            f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="Tariff rates over time">{axes}{"".join(paths)}</svg>'
            f'<div class="legend">{"".join(legend)}</div></div>'
        )

    def positions(self) -> str:
        rows = [
            f"<tr{self.marks.attrs(p)}><td>{_esc(party)}</td><td>{_esc(issue)}</td><td>{_esc(p.get('stance'))}</td>"
            f"<td>{_esc('; '.join(p.get('demands', [])))}</td><td>{_esc(p.get('since'))}</td><td>{_sources(p.get('sources'))}</td></tr>"
            for party, issues in self.data["positions"].items()
            for issue, p in issues.items()
        ]
        return _table(["Party", "Issue", "Stance", "Demands", "Since", "Sources"], rows)

    def talks(self) -> str:
        talks = self.data["talks"]
        rounds = "".join(
            f"<li{self.marks.attrs(r)}>{_esc(r.get('occurred'))}: {_parties(r.get('parties', []))} in {_esc(r.get('venue'))}"
            f"{' — ' + _esc(r['summary']) if r.get('summary') else ''}</li>"
            for r in talks["rounds"]
        )
        proposals = "".join(
            f"<li{self.marks.attrs(p)}>{_esc(p.get('proposed_on'))}: <b>{_esc(p.get('title') or p.get('proposal_id'))}</b>"
            f" by {_esc(p.get('proposer'))} to {_parties(p.get('to') or [p.get('counterpart') or ''])} {_badge(p.get('status'))}"
            f"{' · ' + _esc(', '.join(f'{k}: {v}' for k, v in p['answers'].items())) if p.get('answers') else ''}</li>"
            for p in talks["proposals"]
        )
        ceasefires = "".join(
            f"<li{self.marks.attrs(c)}>{_esc(c.get('agreed_on'))}: {_parties(c.get('parties', []))}"
            f"{' on ' + _esc(c['scope']) if c.get('scope') else ''} "
            f"{_badge('in-force' if c.get('in_force') else 'ended' if c.get('ended') else 'agreed')}</li>"
            for c in talks["ceasefires"]
        )
        parts = [("Rounds", rounds), ("Proposals", proposals), ("Ceasefires", ceasefires)]
        return "".join(f'<h3>{name}</h3><ul class="plain">{body}</ul>' for name, body in parts if body)

    def aid(self) -> str:
        aid = self.data["aid"]
        announced = "".join(
            f"<li{self.marks.attrs(a)}>{_esc(a.get('occurred'))}: {_esc(a.get('donor'))} → {_esc(a.get('recipient'))}, "
            f"{_esc(a.get('category'))}{': ' + _esc('; '.join(a['items'])) if a.get('items') else ''}</li>"
            for a in aid["announcements"]
        )
        paused = "".join(
            f"<li{self.marks.attrs(p)}>{_esc(p.get('since'))}: {_esc(p.get('donor'))} paused {_esc(p.get('category'))} aid to "
            f"{_esc(p.get('recipient'))} {_badge('paused' if p.get('active') else 'resumed')}"
            f"{' · resumed ' + _esc(p['resumed']) if p.get('resumed') else ''}</li>"
            for p in aid["pauses"]
        )
        parts = [("Announced", announced), ("Paused", paused)]
        return "".join(f'<h3>{name}</h3><ul class="plain">{body}</ul>' for name, body in parts if body)

    def contacts(self) -> str:
        rows = "".join(
            f"<li{self.marks.attrs(c)}>{_esc(c.get('occurred'))}: {_esc(c.get('kind'))}, {_parties(c.get('parties', []))}"
            f"{' in ' + _esc(c['venue']) if c.get('venue') else ''}{' — ' + _esc(c['summary']) if c.get('summary') else ''}</li>"
            for c in self.data["contacts"]
        )
        return f'<ul class="plain">{rows}</ul>' if rows else ""


def _changes_section(found: Changes) -> str:
    counts = (
        f"<p><b>{len(found.new)}</b> new, <b>{len(found.corrected)}</b> corrected, "
        f"<b>{len(found.retracted)}</b> retracted, <b>{len(found.disputed)}</b> disputed</p>"
    )
    new = "".join(
        f'<li data-event-id="{_esc(n.event_id)}" data-change="new" class="change-new">'
        f'{_esc(n.occurred)} · <span class="what">{_esc(n.kind)}</span> {_esc(n.summary)}</li>'
        for n in found.new
    )
    corrected = "".join(
        f'<li data-event-id="{_esc(c.event_id)}" data-change="corrected" data-target="{_esc(c.target)}" class="change-corrected">'
        f'{_esc(c.root)} <span class="what">{_esc(c.target_kind or "")}</span>: '
        + "; ".join(
            f'{_esc(f.field)} <span class="old">{_esc(_value(f.old))}</span> → <span class="newvalue">{_esc(_value(f.new))}</span>'
            for f in c.fields
        )
        + (f" ({_esc(c.reason)})" if c.reason else "")
        + "</li>"
        for c in found.corrected
    )
    retracted = "".join(
        f'<li data-event-id="{_esc(r.event_id)}" data-change="retracted" data-target="{_esc(r.target)}" class="change-retracted">'
        f'<span class="old">{_esc(r.target_summary or r.target)}</span> <span class="what">{_esc(r.target_kind or "")}</span>'
        f" retracted: {_esc(r.reason)}</li>"
        for r in found.retracted
    )
    disputed = "".join(
        f'<li data-event-id="{_esc(d.event_id)}" data-change="disputed" class="change-disputed">'
        f"{_esc(', '.join(d.claims))}{': ' + _esc(d.subject) if d.subject else ''}</li>"
        for d in found.disputed
    )
    parts = [
        ("New facts", new),
        ("Corrections", corrected),
        ("Retractions", retracted),
        ("Disputes", disputed),
    ]
    lists = "".join(f'<h3>{name}</h3><ul class="plain changes">{body}</ul>' for name, body in parts if body)
    return counts + lists


def _timeline(views: Views, parties: Mapping[str, tuple[str, ...]], marks: _Marks, page_size: int) -> str:
    """The timeline's filters, an empty list the script fills, and its rows as JSON, newest first."""
    kinds: dict[str, int] = {}
    names: dict[str, int] = {}
    rows = []
    for entry in reversed(views.timeline.entries):
        kind = kinds.setdefault(entry.type, len(kinds))
        who = [names.setdefault(p, len(names)) for p in parties.get(entry.event_id, ())]
        mark = marks.by_id.get(entry.event_id)
        rows.append(
            [str(entry.occurred), kind, who, views.summary_of(entry.event_id), entry.event_id, mark or 0]
        )
    order = sorted(names, key=str)
    renumber = {names[p]: n for n, p in enumerate(order)}
    kind_order = sorted(kinds)
    rekind = {kinds[k]: n for n, k in enumerate(kind_order)}
    for row in rows:
        row[1] = rekind[row[1]]  # type: ignore[call-overload] # a row's second item is its kind's index
        row[2] = sorted(renumber[i] for i in row[2])  # type: ignore[union-attr] # its third, its parties
    data = {"page": page_size, "parties": order, "kinds": kind_order, "rows": rows}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Inside <script>, "</script>" or "<!--" in a summary would end the element: escape < > &.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        '<div class="filters">'
        '<label>Party <select id="filter-party"><option value="">every party</option></select></label>'
        '<label>Kind <select id="filter-kind"><option value="">every kind</option></select></label>'
        '<span class="pager"><button type="button" id="page-prev">newer</button> '
        '<span id="timeline-count"></span> <button type="button" id="page-next">older</button></span></div>'
        '<noscript><p class="empty">The timeline needs JavaScript; the sections above do not.</p></noscript>'
        '<ul class="plain" id="timeline-list"></ul>'
        f'<script type="application/json" id="timeline-data">{text}</script>'
    )


def report_html(
    events: Iterable[Event],
    *,
    title: str,
    as_of: date | None = None,
    known_at: datetime | None = None,
    since: datetime | None = None,
    page_size: int = PAGE_SIZE,
) -> str:
    """The report of ``events`` as one HTML page: every view as of ``as_of`` and as known at
    ``known_at`` (as :func:`~negotiations.projections.project` folds them), and with ``since``
    what changed since then (as :func:`~negotiations.projections.changes` finds it).

    Raises:
        InvalidValueError: ``since`` is after ``known_at``.

    """
    if isinstance(events, Iterator):
        events = tuple(events)
    found = None if since is None else changes(events, since, known_at=known_at)
    views = project(events, as_of=as_of, known_at=known_at)
    data = views_to_json(views)
    marks = _Marks(found)
    report = _Report(views, data, marks)
    sections = [
        ("deadlines", "Deadlines", report.deadlines(), "No deadline."),
        ("agreements", "Agreements", report.agreements(), "No agreement."),
        ("exchanges", "Exchanges", report.exchanges(), "No exchange agreement."),
        ("measures", "Sanctions and tariffs", report.measures(), "No sanction or tariff."),
        ("positions", "Positions", report.positions(), "No position stated."),
        ("talks", "Talks", report.talks(), "No talks."),
        ("aid", "Aid", report.aid(), "No aid."),
        ("contacts", "Contacts", report.contacts(), "No contact."),
    ]
    body = [_section(anchor, name, inner, empty) for anchor, name, inner, empty in sections]
    if found is not None:
        body.insert(
            0,
            _section(
                "changes",
                f"What changed since {since.isoformat() if since else ''}",
                _changes_section(found),
                "",
            ),
        )
    body.append(
        _section("timeline", "Timeline", _timeline(views, event_parties(events), marks, page_size), "")
    )
    toc = "".join(
        f'<a href="#{anchor}">{_esc(name)}</a>'
        for anchor, name in [
            *(("changes", "What changed") for _ in [found] if found is not None),
            *((a, n) for a, n, _, _ in sections),
            ("timeline", "Timeline"),
        ]
    )
    meta = (
        f"As of <b>{views.as_of or 'no day'}</b> · known at <b>{known_at.isoformat() if known_at else 'everything recorded'}</b>"
        f"{' · changes since <b>' + since.isoformat() + '</b>' if since else ''} · {len(views.timeline.entries)} events"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="{GENERATOR}">'
        f"<title>{_esc(title)}</title><style>{_asset('report.css')}</style></head>"
        f'<body><header><h1>{_esc(title)}</h1><p class="meta">{meta}</p><nav class="toc">{toc}</nav></header>'
        f"<main>{''.join(body)}</main>"
        "<footer>Made by negotiations from an append-only log. Every item names the event behind it; "
        "dates are as the sources gave them, and times are UTC.</footer>"
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )
