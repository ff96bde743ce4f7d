"""The talks and agreements views as text: proposals and what became of them, ceasefires, and
agreements, their terms and the violations alleged. A violation is shown as an allegation: who
alleges it of whom, never as a fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

from negotiations.projections import Agreements, Talks, Violation
from negotiations.render._tables import Cite, behind, sentence, table, who

__all__ = ["agreements", "talks"]


def talks(view: Talks, as_of: date | None, width: int, *, explain: bool, cite: Cite) -> str:
    """The talks view: rounds, proposals, ceasefires, then the violations alleged of them."""
    rounds = [
        [
            r.occurred if r.ends is None else f"{r.occurred} to {r.ends}",
            r.round,
            "-".join(r.parties),
            r.venue,
            r.summary,
        ]
        for r in view.rounds
    ]
    proposals = [
        [
            p.proposal_id,
            p.proposed_on,
            "+".join((p.proposer, *p.co_proposers)),
            ", ".join(p.to),
            p.kind if p.level is None else f"{p.kind}, {p.level}",
            f"taken up ({p.held_in})" if p.held_in is not None and p.status == "taken-up" else p.status,
            ", ".join(f"{party} {answer}" for party, answer in p.answers.items()) or None,
            p.title or who(p.proposed_by),
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
                notes=behind(view.rounds, explain=explain, cite=cite),
            ),
            table(
                ["PROPOSAL", "DATE", "BY", "TO", "KIND", "STATUS", "ANSWERS", "TITLE OR PROPOSED BY"],
                proposals,
                width=width,
                notes=behind(view.proposals.values(), explain=explain, cite=cite),
            ),
            table(
                ["CEASEFIRE", "PARTIES", "FROM", "UNTIL", "STATUS", "SCOPE"],
                ceasefires,
                width=width,
                notes=behind(view.ceasefires.values(), explain=explain, cite=cite),
            ),
            _violations(
                [((c.ceasefire_id,), v) for c in view.ceasefires.values() for v in c.violations],
                ["CEASEFIRE"],
                width,
                explain=explain,
                cite=cite,
            ),
        ]
    )


def _allegation(v: Violation) -> str:
    """A violation as what it is, an allegation: who alleges what of whom."""
    what = f": {sentence(v.summary)}" if v.summary else "."
    return f"{v.accuser} alleges that {v.accused} broke it{what}"


def _violations(
    alleged: Sequence[tuple[Sequence[object], Violation]],
    about: Sequence[str],
    width: int,
    *,
    explain: bool,
    cite: Cite,
) -> str:
    """A row per violation alleged: its day, what it is alleged of (``about``), then who alleges
    it of whom.
    """
    rows = [[v.occurred, *cells, v.accuser, v.accused, _allegation(v)] for cells, v in alleged]
    headers = ["ALLEGED ON", *about, "ALLEGED BY", "AGAINST", "ALLEGATION"]
    return table(
        headers, rows, width=width, notes=behind([v for _, v in alleged], explain=explain, cite=cite)
    )


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


def agreements(view: Agreements, as_of: date | None, width: int, *, explain: bool, cite: Cite) -> str:
    """The agreements view: agreements, then their terms with their status, then violations."""
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
            sentence(t.commitment + _amount(t.quantity, t.unit)),
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
                notes=behind(items, explain=explain, cite=cite),
            ),
            table(
                ["AGREEMENT", "TERM", "PARTY", "DUE", "STATUS", "COMMITMENT"],
                term_rows,
                width=width,
                notes=behind(terms, explain=explain, cite=cite),
            ),
            _violations(
                [((a.agreement_id, v.term_id), v) for a in items for v in a.violations],
                ["AGREEMENT", "TERM"],
                width,
                explain=explain,
                cite=cite,
            ),
        ]
    )
