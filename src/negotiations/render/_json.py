"""Views as JSON-ready values: the stable output of ``negotiations show --json``.

Dates are ``YYYY-MM-DD``; partial dates keep their EDTF text (``2025-06``). Figures that depend
on the as-of day (a deadline's status and days left, whether a ceasefire is in force) are
computed for the views' ``as_of`` (so are an agreement's ``in_force`` and ``days_left``,
each of its terms' ``status``, a measure's ``status``, ``rate_percent`` and ``until``, and the
``tariff_rates``), and are ``null`` (``tariff_rates``: empty) when it is ``None`` (views of no
events). Keys are only ever added, never renamed or removed.

Every item carries the ids and sources of the events behind it in its own fields (``event_id``
and ``sources``, and such fields as ``resumed_by`` for a later event it took in), so this output
needs no ``--explain``: it is what ``show --explain`` prints as text. The views hold only the
ids; each ``sources`` is read from the log through the views' citations and written right after
the ``event_id`` it belongs to (a proposal's ``held_in_sources`` right after its ``held_in``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Final

from negotiations.codec import unstructure_view
from negotiations.projections import (
    VIEW_NAMES,
    Agreements,
    Aid,
    Contacts,
    Deadlines,
    Exchanges,
    Positions,
    Sanctions,
    Talks,
    Timeline,
    Views,
)
from negotiations.render._measures import measures_json, tariff_rates_json
from negotiations.render._tables import Cite, cite_for, summary

__all__ = ["views_to_json"]


def _plain(value: object) -> Any:  # noqa: ANN401 - JSON-ready values of any shape
    """``value`` as JSON-ready values, as the codec writes views (and saved snapshots)."""
    return unstructure_view(value)


def _deadlines(view: Deadlines, as_of: date | None, _cite: Cite) -> list[dict[str, Any]]:
    return [
        {
            **_plain(d),
            "due": d.due.isoformat(),
            "status": None if as_of is None else d.status(as_of),
            "days_left": None if as_of is None else d.days_left(as_of),
        }
        for d in view.by_id.values()
    ]


def _exchanges(view: Exchanges, _: date | None, _cite: Cite) -> dict[str, Any]:
    return {
        "agreements": [{**_plain(a), "status": a.status} for a in view.agreements.values()],
        "batches": _plain(view.batches),
        "remains": _plain(view.remains),
        "returned": dict(view.returned),
        "remains_returned": dict(view.remains_returned),
    }


def _positions(view: Positions, _: date | None, _cite: Cite) -> dict[str, Any]:
    return {
        party: {issue: {**_plain(p.current), "history": _plain(p.history)} for issue, p in issues.items()}
        for party, issues in view.parties.items()
    }


def _talks(view: Talks, as_of: date | None, _cite: Cite) -> dict[str, Any]:
    return {
        "rounds": _plain(view.rounds),
        "proposals": [
            {**_plain(p), "answers": dict(p.answers), "status": p.status, "pending": p.pending}
            for p in view.proposals.values()
        ],
        "ceasefires": [
            {**_plain(c), "in_force": None if as_of is None else c.in_force(as_of)}
            for c in view.ceasefires.values()
        ],
    }


def _agreements(view: Agreements, as_of: date | None, _cite: Cite) -> list[dict[str, Any]]:
    # The keys of the issue's contract first, in its order; the provenance after them.
    return [
        {
            "agreement_id": a.agreement_id,
            "title": a.title,
            "parties": list(a.parties),
            "stage": a.stage,
            "status": a.status,
            "mediators": list(a.mediators),
            "guarantors": list(a.guarantors),
            "agreed_on": str(a.agreed_on),
            "starts": None if a.starts is None else a.starts.isoformat(),
            "ends": None if a.ends is None else a.ends.isoformat(),
            "in_force": None if as_of is None else a.in_force(as_of),
            "days_left": None if as_of is None else a.days_left(as_of),
            "terms": [{**_plain(t), "status": None if as_of is None else t.status(as_of)} for t in a.terms],
            "violations": _plain(a.violations),
            "history": _plain(a.history),
            "reached_as": a.reached_as,
            "agreed_ends": None if a.agreed_ends is None else a.agreed_ends.isoformat(),
            "proposal_id": a.proposal_id,
            "event_id": a.event_id,
        }
        for a in view.by_id.values()
    ]


def _aid(view: Aid, _: date | None, _cite: Cite) -> dict[str, Any]:
    return {
        "announcements": _plain(view.announcements),
        "pauses": [{**_plain(p), "active": p.active} for p in view.pauses],
    }


def _sanctions(view: Sanctions, as_of: date | None, _cite: Cite) -> dict[str, Any]:
    return {
        "sanctions": _plain(view.sanctions),
        "tariffs": _plain(view.tariffs),
        "measures": measures_json(view, as_of),
        "tariff_rates": tariff_rates_json(view, as_of),
    }


def _contacts(view: Contacts, _: date | None, _cite: Cite) -> list[dict[str, Any]]:
    return [_plain(c) for c in view.contacts]


def _timeline(view: Timeline, _: date | None, cite: Cite) -> list[dict[str, Any]]:
    return [
        {
            "event_id": e.event_id,
            "occurred": str(e.occurred),
            "type": e.type,
            "summary": summary(e, cite),
            "disputed_by": None if e.disputed_by is None else _plain(e.disputed_by),
        }
        for e in view.entries
    ]


def _generic(view: object, _: date | None, _cite: Cite) -> object:
    """A view with no renderer of its own: the view converter's JSON of it."""
    return _plain(view)


_RENDERERS: Final[Mapping[type, Callable[[Any, date | None, Cite], object]]] = {
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


def _cited(value: Any, cite: Cite) -> Any:  # noqa: ANN401 - JSON-ready values of any shape
    """``value`` with the sources of each event id it holds written after that id."""
    if isinstance(value, list):
        return [_cited(item, cite) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        out[key] = _cited(item, cite)
        if key == "event_id" and isinstance(item, str) and "sources" not in value:
            out["sources"] = _plain(cite(item))
        elif key == "held_in" and "held_in_sources" not in value:
            out["held_in_sources"] = [] if item is None else _plain(cite(item))
    return out


def views_to_json(
    views: Views, names: tuple[str, ...] = VIEW_NAMES, *, citations: Cite | None = None
) -> dict[str, Any]:
    """One JSON-ready object: ``as_of``, then a key per view in ``names``, keyed by view name.

    The sources of each item are read through ``citations``, by default the views' own
    (:attr:`~negotiations.projections.Views.citations`, which :func:`~negotiations.project`
    sets).

    >>> views_to_json(Views(as_of=date(2025, 7, 20)), ("deadlines",))
    {'as_of': '2025-07-20', 'known_at': None, 'deadlines': []}

    Raises:
        NegotiationsError: an item has a source to show, and the views were folded without their
            log and no ``citations`` were given.

    """
    out: dict[str, Any] = {
        "as_of": None if views.as_of is None else views.as_of.isoformat(),
        "known_at": None if views.known_at is None else views.known_at.isoformat(),
    }
    cite = cite_for(views, citations)
    for name in names:
        view = views.view(name)
        out[name] = _cited(_RENDERERS.get(type(view), _generic)(view, views.as_of, cite), cite)
    return out
