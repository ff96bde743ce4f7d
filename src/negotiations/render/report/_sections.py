"""The report's sections, each from its view's JSON (as ``show --json`` gives it), and the list
of what changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Final

from negotiations.projections import Views
from negotiations.render.report import _order as order
from negotiations.render.report._chart import tariff_chart
from negotiations.render.report._html import (
    Marks,
    badge,
    day,
    esc,
    listed,
    opt,
    parties,
    plural,
    sources,
    table,
)

__all__ = ["SECTION_ITEMS", "Sections"]

SECTION_ITEMS: Final = 50
"""The most items a list of a section shows: those changed since ``since`` first, then the most
pressing or the newest. A note counts the rest and names the command that lists them all."""

_ACTIVE = ("in-force", "suspended", "announced")


class Sections:
    """The sections of one report: ``views``, their JSON ``data``, and the ``marks`` of what
    changed.
    """

    def __init__(
        self, views: Views, data: Mapping[str, Any], marks: Marks, *, limit: int = SECTION_ITEMS
    ) -> None:
        self.views = views
        self.data = data
        self.marks = marks
        self.as_of = views.as_of
        self.limit = limit

    def pick(
        self, items: Sequence[Mapping[str, Any]], key: Callable[[Mapping[str, Any]], Any]
    ) -> tuple[list[Mapping[str, Any]], int]:
        """At most :attr:`limit` of ``items`` in the order of ``key``, those marked as changed
        first; and how many are left out.
        """
        ordered = sorted(items, key=key)
        if len(ordered) <= self.limit:
            return ordered, 0
        marked = [i for i in ordered if self.marks.of(i)] if self.marks.by_id else []
        chosen = {id(i) for i in [*marked, *ordered][: self.limit]}
        shown = [i for i in ordered if id(i) in chosen]
        return shown, len(ordered) - len(shown)

    def deadlines(self) -> str:
        """Each deadline as a card: a bar from the day it was set to the day it is due, with the
        as-of day marked, each change of its due day, and its status.
        """
        items, more = self.pick(self.data["deadlines"], order.pressing)
        days = [d for item in items for d in _deadline_days(item)]
        if not days:
            return ""
        low, high = min([*days, self.as_of or days[0]]), max([*days, self.as_of or days[0]])
        span = max((high - low).days, 1)

        def at(when: date | None) -> float:
            return 0.0 if when is None else round(100 * (when - low).days / span, 2)

        cards = []
        for item in items:
            history = item.get("history", [])
            status = item.get("status")
            due_text = opt("due ", item.get("due")) or "no due day"
            left = item.get("days_left")
            if isinstance(left, int) and status == "pending":
                due_text += f" · {plural(left, 'day')} left"
            start, due = at(day(item.get("set_on"))), day(item.get("due"))
            width = 0.5 if due is None else max(at(due) - start, 0.5)
            ticks = "".join(
                f'<span class="tick" style="left:{at(day(h.get("due")))}%" title="due {esc(h.get("due"))}">'
                "</span>"
                for h in history[1:]
                if day(h.get("due")) is not None
            )
            now = "" if self.as_of is None else f'<span class="asof" style="left:{at(self.as_of)}%"></span>'
            slug = re.sub(r"[^a-z-]", "", str(status))
            span_html = f'<span class="span status-{slug}" style="left:{start}%;width:{width}%"></span>'
            moves = "".join(
                f"<li{self.marks.attrs(h)}>{esc(h.get('occurred'))}: {'set' if n == 0 else 'changed'}, "
                f"due {esc(h.get('due') or 'none')}{opt(' (', h.get('reason'), ')')}"
                f"{sources(h.get('sources'))}</li>"
                for n, h in enumerate(history)
            )
            closure = item.get("closure")
            closed = (
                f"<p>Closed: {esc(closure.get('status'))} on {esc(closure.get('occurred'))}"
                f"{opt(' (', closure.get('reason'), ')')}</p>"
                if isinstance(closure, Mapping)
                else ""
            )
            first = next((h.get("event_id") for h in history), None)  # the event that set it
            cards.append(
                f"<div{self.marks.attrs(item, 'card', 'deadline', own=first)}"
                f' data-deadline="{esc(item.get("deadline_id"))}">'
                f"<h3>{esc(item.get('issuer'))} → {esc(item.get('target'))}: {esc(item.get('demand'))} "
                f"{badge(status)}</h3>"
                f'<p class="meta">Set on {esc(item.get("set_on"))} · <span class="due">{due_text}</span></p>'
                f"{opt('<p>Or else: ', item.get('consequence'), '</p>')}"
                f'<div class="bar">{span_html}{ticks}{now}</div>{closed}{listed(moves)}</div>'
            )
        scale = f'<div class="scale"><span>{low}</span><span>{high}</span></div>'
        return scale + "".join(cards) + _more(more, "deadlines", "deadlines")

    def agreements(self) -> str:
        """Each agreement: its terms with their status, its end and days left, and the
        violations alleged, with who alleged them.
        """
        cards = []
        agreements, more = self.pick(self.data["agreements"], order.in_force_first)
        for item in agreements:
            terms = [
                f'<tr{self.marks.attrs(t)} data-term="{esc(t.get("term_id"))}">'
                f"<td>{esc(t.get('party'))}</td><td>{esc(t.get('commitment'))}</td>"
                f"<td>{esc(t.get('due'))}</td>"
                f"<td>{badge(t.get('status'))}{opt(' on ', t.get('met_on'))}</td></tr>"
                for t in item.get("terms", [])
            ]
            violations = "".join(
                f"<li{self.marks.attrs(v)}>{esc(v.get('occurred'))}: "
                f"alleged by <b>{esc(v.get('accuser'))}</b> against {esc(v.get('accused'))}"
                f"{opt(' (term ', v.get('term_id'), ')')}: "
                f"{esc(v.get('summary'))}</li>"
                for v in item.get("violations", [])
            )
            moves = "".join(
                f"<li{self.marks.attrs(h)}>{esc(h.get('occurred'))}: {esc(h.get('kind'))}"
                f"{opt(' to ', h.get('status'))}{opt(', ends ', h.get('ends'))}"
                f"{opt(' (', h.get('reason'), ')')}</li>"
                for h in item.get("history", [])
            )
            left = item.get("days_left")
            ends = opt(" · ends ", item.get("ends")) + _left(left)
            meta = (
                f"{parties(item.get('parties', []))} · agreed {esc(item.get('agreed_on'))}{ends}"
                f"{opt(' · mediated by ', '–'.join(item.get('mediators', [])))}"
            )
            cards.append(
                f"<div{self.marks.attrs(item, 'card', 'agreement')}"
                f' data-agreement="{esc(item.get("agreement_id"))}">'
                f"<h3>{esc(item.get('title') or item.get('agreement_id'))} {badge(item.get('status'))}</h3>"
                f'<p class="meta">{meta}</p>{table(["Party", "Commitment", "Due", "Status"], terms)}'
                f"{listed(violations, 'Violations alleged')}{listed(moves)}"
                f"{sources(item.get('sources'))}</div>"
            )
        return "".join(cards) + _more(more, "agreements", "agreements")

    def exchanges(self) -> str:
        """Each exchange agreement's progress: returned per side against what was agreed, a
        disputed figure as a range from the lowest claim to the highest.
        """
        view = self.views.exchanges
        cards = []
        agreements, more = self.pick(self.data["exchanges"]["agreements"], order.open_first)
        for item in agreements:
            agreement = view.agreements.get(item.get("agreement_id", ""))
            high: dict[str, int] = {}
            for batch in () if agreement is None else agreement.batches:
                for party, count in batch.high.items():
                    high[party] = high.get(party, 0) + count
            owed, returned = item.get("owed") or {}, item.get("returned", {})
            sides = sorted({*item.get("parties", []), *returned, *owed})
            rows = "".join(
                _progress(p, returned.get(p, 0), high.get(p, 0), owed.get(p, item.get("per_side")))
                for p in sides
            )
            every = sorted(
                [*item.get("batches", []), *item.get("remains", [])], key=lambda b: -order.newest(b)
            )
            batches = "".join(self._batch(b) for b in every[-_BATCHES:])
            if len(every) > _BATCHES:
                batches += f'<li class="more">and {plural(len(every) - _BATCHES, "earlier batch")}</li>'
            meta = (
                f"{parties(item.get('parties', []))} · {esc(', '.join(item.get('categories', [])))}"
                f" · agreed {esc(item.get('agreed_on'))}{opt(' in ', item.get('venue'))}"
            )
            cards.append(
                f"<div{self.marks.attrs(item, 'card', 'exchange')}"
                f' data-agreement="{esc(item.get("agreement_id"))}">'
                f"<h3>{esc(item.get('agreement_id'))} {badge(item.get('status'))}</h3>"
                f'<p class="meta">{meta}</p>{rows}{listed(batches)}{sources(item.get("sources"))}</div>'
            )
        unagreed = [b for b in self.data["exchanges"]["batches"] if not b.get("agreement_id")]
        outside, left = self.pick(unagreed, order.newest)
        loose = listed("".join(self._batch(b) for b in outside), "Outside any agreement")
        return (
            "".join(cards)
            + _more(more, "exchange agreements", "exchanges")
            + loose
            + _more(left, "batches", "exchanges")
        )

    def _batch(self, batch: Mapping[str, Any]) -> str:
        returned = ", ".join(f"{esc(p)} {n}" for p, n in batch.get("returned", {}).items())
        claims = " / ".join(
            f"{esc(', '.join(f'{p} {n}' for p, n in c.get('returned', {}).items()))}"
            f" ({esc(c.get('event_id'))})"
            for c in batch.get("claims") or []
        )
        disputed = f" · <b>disputed</b>: {claims}" if claims else ""
        when = esc(batch.get("occurred"))
        return f"<li{self.marks.attrs(batch)}>{when}: {returned or 'none'} returned{disputed}</li>"

    def measures(self) -> str:
        """The measures in force (and suspended or announced), those lifted or expired folded
        away, and the tariff rates between parties over time.
        """
        active: list[str] = []
        past: list[str] = []
        measures = self.data["sanctions"]["measures"]
        now = [m for m in measures if str(m.get("status", "")).startswith(_ACTIVE)]
        shown, more = self.pick(now, order.newest_effective)
        current = {id(m) for m in now}
        ended, gone = self.pick([m for m in measures if id(m) not in current], order.newest_effective)
        for m in [*shown, *ended]:
            what = ", ".join([*m.get("measures", []), *m.get("products", []), *m.get("sectors", [])])
            rate = m.get("rate_percent")
            row = (
                f"<tr{self.marks.attrs(m)}><td>{esc(m.get('imposer'))} → {esc(m.get('target'))}</td>"
                f"<td>{esc(m.get('kind'))}</td><td>{esc(what)}</td>"
                f"<td>{'' if rate is None else f'{rate:g}%'}</td><td>{badge(m.get('status'))}</td>"
                f"<td>{esc(m.get('effective'))}</td><td>{sources(m.get('sources'))}</td></tr>"
            )
            (active if str(m.get("status", "")).startswith(_ACTIVE) else past).append(row)
        head = ["Who → whom", "Kind", "What", "Rate", "Status", "From", "Sources"]
        folded = (
            f'<details class="past"><summary>{plural(len(past), "measure")} lifted or expired</summary>'
            f"{table(head, past)}</details>"
            if past
            else ""
        )
        rest = _more(more, "measures in force", "sanctions") + _more(gone, "measures ended", "sanctions")
        return table(head, active) + rest + folded + tariff_chart(self.views.sanctions, self.as_of)

    def positions(self) -> str:
        """Each party's position on each issue, with its demands and sources."""
        every = [
            {**p, "party": party, "issue": issue}
            for party, issues in self.data["positions"].items()
            for issue, p in issues.items()
        ]
        positions, more = self.pick(every, lambda p: (p["party"], p["issue"]))
        rows = [
            f"<tr{self.marks.attrs(p)}><td>{esc(p['party'])}</td><td>{esc(p['issue'])}</td>"
            f"<td>{esc(p.get('stance'))}</td><td>{esc('; '.join(p.get('demands', [])))}</td>"
            f"<td>{esc(p.get('since'))}</td><td>{sources(p.get('sources'))}</td></tr>"
            for p in positions
        ]
        head = ["Party", "Issue", "Stance", "Demands", "Since", "Sources"]
        return table(head, rows) + _more(more, "positions", "positions")

    def talks(self) -> str:
        """Rounds held, proposals with their answers, and ceasefires."""
        talks = self.data["talks"]
        held, more_held = self.pick(talks["rounds"], order.newest)
        offered, more_offered = self.pick(talks["proposals"], order.pending_first)
        truces, more_truces = self.pick(talks["ceasefires"], order.in_force_first)
        rounds = "".join(
            f"<li{self.marks.attrs(r)}>{esc(r.get('occurred'))}: {parties(r.get('parties', []))}"
            f"{opt(' in ', r.get('venue'))}{opt(' — ', r.get('summary'))}</li>"
            for r in held
        )
        proposals = "".join(
            f"<li{self.marks.attrs(p)}>{esc(p.get('proposed_on'))}: "
            f"<b>{esc(p.get('title') or p.get('proposal_id'))}</b> by {esc(p.get('proposer'))} "
            f"to {parties(p.get('to') or [p.get('counterpart') or ''])} {badge(p.get('status'))}"
            f"{opt(' · ', ', '.join(f'{k}: {v}' for k, v in (p.get('answers') or {}).items()))}</li>"
            for p in offered
        )
        ceasefires = "".join(
            f"<li{self.marks.attrs(c)}>{esc(c.get('agreed_on'))}: {parties(c.get('parties', []))}"
            f"{opt(' on ', c.get('scope'))} {badge('in-force' if c.get('in_force') else 'not in force')}</li>"
            for c in truces
        )
        return (
            listed(rounds, "Rounds")
            + _more(more_held, "rounds", "talks")
            + listed(proposals, "Proposals")
            + _more(more_offered, "proposals", "talks")
            + listed(ceasefires, "Ceasefires")
            + _more(more_truces, "ceasefires", "talks")
        )

    def aid(self) -> str:
        """Aid announced, and aid paused (and whether it resumed)."""
        aid = self.data["aid"]
        given, more_given = self.pick(aid["announcements"], order.newest)
        held, more_held = self.pick(aid["pauses"], order.paused_first)
        announced = "".join(
            f"<li{self.marks.attrs(a)}>{esc(a.get('occurred'))}: {esc(a.get('donor'))} → "
            f"{esc(a.get('recipient'))}, {esc(a.get('category'))}"
            f"{opt(': ', '; '.join(a.get('items', [])))}</li>"
            for a in given
        )
        paused = "".join(
            f"<li{self.marks.attrs(p)}>{esc(p.get('since'))}: {esc(p.get('donor'))} paused "
            f"{esc(p.get('category'))} aid to {esc(p.get('recipient'))} "
            f"{badge('paused' if p.get('active') else 'resumed')}{opt(' · resumed ', p.get('resumed'))}</li>"
            for p in held
        )
        return (
            listed(announced, "Announced")
            + _more(more_given, "announcements", "aid")
            + listed(paused, "Paused")
            + _more(more_held, "pauses", "aid")
        )

    def contacts(self) -> str:
        """Calls, talks and meetings, newest last."""
        contacts, more = self.pick(self.data["contacts"], order.newest)
        return listed(
            "".join(
                f"<li{self.marks.attrs(c)}>{esc(c.get('occurred'))}: {esc(c.get('kind'))}, "
                f"{parties(c.get('parties', []))}{opt(' in ', c.get('venue'))}"
                f"{opt(' — ', c.get('summary'))}</li>"
                for c in contacts
            )
        ) + _more(more, "contacts", "contacts")


_BATCHES: Final = 10
"""The most batches an exchange agreement lists: the latest."""


def _left(days: object) -> str:
    """``· 12 days left``, or ``· ended 3 days ago`` once the end day has passed."""
    if not isinstance(days, int):
        return ""
    return f" · {plural(days, 'day')} left" if days >= 0 else f" · ended {plural(-days, 'day')} ago"


def _more(count: int, what: str, view: str) -> str:
    """The note under a list that shows only some: how many more, and where to see them all."""
    if not count:
        return ""
    return (
        f'<p class="more">{count:,} more {esc(what)} not shown: '
        f"<code>negotiations show --view {esc(view)}</code> lists them all.</p>"
    )


def _deadline_days(item: Mapping[str, Any]) -> Iterator[date]:
    """The days a deadline's bar spans: set, due, and each due day it had."""
    texts = [item.get("set_on"), item.get("due"), *(h.get("due") for h in item.get("history", []))]
    return (d for d in map(day, texts) if d is not None)


def _progress(party: str, low: int, high: int, owed: object) -> str:
    """One side of an exchange: returned (low to high when disputed) against what is owed."""
    top = max(high, low)
    target = owed if isinstance(owed, int) and owed > 0 else None
    scale = max(target or 0, top, 1)
    figure = f"{low}–{top}" if top != low else str(low)
    of = f" of {target}" if target else ", no number agreed"
    return (
        f'<div class="progress" data-party="{esc(party)}"><span class="who">{esc(party)}</span>'
        f'<span class="track"><span class="high" style="width:{round(100 * top / scale, 1)}%"></span>'
        f'<span class="low" style="width:{round(100 * low / scale, 1)}%"></span></span>'
        f'<span class="count">{figure} returned{of}</span></div>'
    )
