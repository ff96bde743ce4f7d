"""A property of the log's rules across events for proposals of terms and agreements (issue 13):
event by event, :class:`EventLog` and a store accept exactly what a small model of the rules,
written from the issue's text, accepts. The examples are in ``test_log_agreements.py``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from negotiations.codec import structure
from negotiations.domain.events import Event
from negotiations.errors import LogError
from negotiations.log import EventLog
from negotiations.stores import open_store


def ev(kind: str, **fields: object) -> Event:
    """An event of ``kind`` with ``fields`` (an ``id`` among them), on a whole day."""
    data = {
        "type": kind,
        "schema_version": 1,
        "occurred": "2025-10-09",
        "recorded": "2025-10-10T12:00:00+00:00",
        **fields,
    }
    return structure(data)


# -- a property: an independent model of the reference rules agrees with the log -----------------

PIDS, AIDS, CIDS = ("p1", "p2"), ("a1", "a2"), ("c1",)
ADDRESSEES, TERMS = ("BBB", "CCC"), ("t1", "t2")
"""Small pools, so that references meet their definitions, collide, and miss."""

_subsets = st.sets(st.sampled_from(ADDRESSEES), min_size=1).map(sorted)
_term_sets = st.sets(st.sampled_from(TERMS)).map(sorted)
_pid, _aid, _cid = st.sampled_from(PIDS), st.sampled_from(AIDS), st.sampled_from(CIDS)
_maybe_pid = st.none() | _pid
_early = st.integers(0, 3)
"""Amendments aim at the first few ops: the definitions they can hit are there, and so are
the answers and terms met that a correction must not strand."""
_DEFINITIONS = st.one_of(
    st.tuples(st.just("terms"), _pid, _subsets),
    st.tuples(st.just("talks"), _pid, st.sampled_from(ADDRESSEES)),
    st.tuples(st.just("reached"), _aid, _term_sets.filter(bool), _maybe_pid),
    st.tuples(st.just("exchange"), _aid),
    st.tuples(st.just("ceasefire"), _cid, _maybe_pid),
)
_USES = st.one_of(
    st.tuples(st.just("answer"), _pid, st.sampled_from(("AAA", *ADDRESSEES)), _maybe_pid),
    st.tuples(st.just("met"), _aid, st.sampled_from(TERMS)),
    st.tuples(st.just("violation"), _aid | _cid, st.none() | st.sampled_from(TERMS)),
    st.tuples(st.just("correct-to"), _early, _subsets),
    st.tuples(st.just("correct-terms"), _early, _term_sets),
)
"""The ops the rules of answers, terms and corrections meet: drawn as often as all the rest."""
_OPS = st.one_of(
    _USES,
    _DEFINITIONS,
    st.tuples(st.just("withdraw"), _pid),
    st.tuples(st.just("status"), _aid),
    st.tuples(st.just("extend"), _aid | _cid),
    st.tuples(st.just("returned"), _aid),
    st.tuples(st.just("retract"), _early),
)


@st.composite
def _logs(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    """Definitions first, then ops aimed mostly at them: answers by a party they were put to,
    terms met of an agreement that has them, and corrections of the very definitions, which
    must not strand those. A fifth of the aimed ops are drawn blind instead, so that some miss.
    """
    ops: list[tuple[Any, ...]] = list(draw(st.lists(_DEFINITIONS, min_size=2, max_size=4)))
    for _ in range(draw(st.integers(0, 24))):
        kinds = {op[0] for op in ops}
        aim = draw(st.sampled_from(["answer", "met", "correct-to", "correct-terms", "blind"]))
        targets = [
            n
            for n, op in enumerate(ops)
            if op[0] == {"correct-to": "terms", "correct-terms": "reached"}.get(aim)
        ]
        if aim == "answer" and {"terms", "talks"} & kinds:
            proposal = draw(st.sampled_from([op for op in ops if op[0] in ("terms", "talks")]))
            party = draw(st.sampled_from(proposal[2] if proposal[0] == "terms" else [proposal[2]]))
            ops.append(("answer", proposal[1], party, draw(_maybe_pid)))
        elif aim == "met" and "reached" in kinds:
            agreement = draw(st.sampled_from([op for op in ops if op[0] == "reached"]))
            term = draw(st.sampled_from(sorted({*agreement[2], *TERMS[:1]})))
            ops.append((draw(st.sampled_from(["met", "violation"])), agreement[1], term))
        elif targets:
            new = draw(_subsets if aim == "correct-to" else _term_sets)
            ops.append((aim, draw(st.sampled_from(targets)), new))
        else:
            ops.append(draw(_OPS))
    return ops


_LOGS = _logs()


def _event(n: int, op: tuple[Any, ...]) -> Event:  # noqa: C901, PLR0911, PLR0912 - a case per kind of op
    """The event that op number ``n`` stands for; its id is ``op{n}``."""
    kind, first, *rest = op
    eid = f"op{n}"
    if kind == "terms":
        return ev("TermsProposed", id=eid, proposal_id=first, proposer="AAA", to=rest[0], title="t")
    if kind == "talks":
        return ev(
            "TalksProposed", id=eid, proposal_id=first, proposer="AAA", counterpart=rest[0], level="leaders"
        )
    if kind == "answer":
        counter = rest[1] if rest[1] != first else None
        answer = "countered" if counter else "accepted"
        return ev(
            "ProposalAnswered",
            id=eid,
            proposal_id=first,
            party=rest[0],
            answer=answer,
            counter_proposal_id=counter,
        )
    if kind == "withdraw":
        return ev("ProposalWithdrawn", id=eid, proposal_id=first)
    if kind == "reached":
        terms = [{"term_id": t, "party": "BBB", "commitment": "c"} for t in rest[0]]
        return ev(
            "AgreementReached",
            id=eid,
            agreement_id=first,
            parties=list(ADDRESSEES),
            title="t",
            terms=terms,
            proposal_id=rest[1],
        )
    if kind == "exchange":
        return ev("PrisonerExchangeAgreed", id=eid, agreement_id=first, parties=list(ADDRESSEES), per_side=5)
    if kind == "ceasefire":
        return ev(
            "CeasefireAgreed", id=eid, ceasefire_id=first, parties=list(ADDRESSEES), proposal_id=rest[0]
        )
    subject = {"ceasefire_id": first} if first in CIDS else {"agreement_id": first}
    if kind == "status":
        return ev("AgreementStatusChanged", id=eid, agreement_id=first, status="signed")
    if kind == "extend":
        return ev("AgreementExtended", id=eid, ends="2026-01-01", **subject)
    if kind == "met":
        return ev("CommitmentMet", id=eid, agreement_id=first, term_id=rest[0])
    if kind == "violation":
        term = rest[0] if first in AIDS else None
        return ev("ViolationReported", id=eid, accuser="BBB", accused="CCC", term_id=term, **subject)
    if kind == "returned":
        return ev("PrisonersExchanged", id=eid, agreement_id=first, returned={"BBB": 5})
    if kind == "retract":
        return ev("EventRetracted", id=eid, target=f"op{first}", reason="r")
    terms = [{"term_id": t, "party": "BBB", "commitment": "c"} for t in rest[0]]
    changes = {"to": rest[0]} if kind == "correct-to" else {"terms": terms}
    return ev("EventCorrected", id=eid, target=f"op{first}", changes=changes)


class _Model:
    """The reference rules of issue 13 over plain dictionaries, written from the issue's text, not
    from the log's code: what each id names now, who answered, which terms were named.
    """

    def __init__(self) -> None:
        self.kinds: dict[str, str] = {}  # op id -> kind, for the accepted ops
        self.retracted: set[str] = set()
        self.addressees: dict[str, set[str]] = {}  # proposal id -> its addressees now
        self.agreements: dict[str, str] = {}  # agreement id -> "exchange" or "reached"
        self.terms: dict[str, set[str]] = {}  # agreement id -> its terms now
        self.ceasefires: set[str] = set()
        self.owner: dict[str, str] = {}  # op id of a definition -> the id it defines
        self.answered: set[tuple[str, str]] = set()
        self.used: set[tuple[str, str]] = set()
        self.roots: dict[str, str] = {}  # op id of a correction -> the op id it corrects in the end

    def accepts(self, n: int, op: tuple[Any, ...]) -> bool:  # noqa: C901, PLR0911, PLR0912 - a case per kind of op
        """Whether op ``n`` fits, taking it in when it does."""
        kind, first, *rest = op
        reached = self.agreements.get(first) == "reached"
        if kind in ("terms", "talks"):
            if first in self.addressees:
                return False
            self.addressees[first] = set(rest[0]) if kind == "terms" else {rest[0]}
            self.owner[f"op{n}"] = first
        elif kind == "answer":
            counter = rest[1] if rest[1] != first else None
            if first not in self.addressees or rest[0] not in self.addressees[first]:
                return False
            if counter is not None and counter not in self.addressees:
                return False
            self.answered.add((first, rest[0]))
        elif kind == "withdraw":
            if first not in self.addressees:
                return False
        elif kind in ("reached", "exchange"):
            proposal = rest[1] if kind == "reached" else None
            if first in self.agreements or (proposal is not None and proposal not in self.addressees):
                return False
            self.agreements[first] = kind
            self.terms[first] = set(rest[0]) if kind == "reached" else set()
            self.owner[f"op{n}"] = first
        elif kind == "ceasefire":
            if first in self.ceasefires or (rest[0] is not None and rest[0] not in self.addressees):
                return False
            self.ceasefires.add(first)
        elif kind in ("status", "extend", "violation"):
            if not (reached or (first in self.ceasefires and kind != "status")):
                return False
            term = rest[0] if kind == "violation" and first in AIDS else None
            if term is not None:
                if term not in self.terms[first]:
                    return False
                self.used.add((first, term))
        elif kind == "met":
            if not reached or rest[0] not in self.terms[first]:
                return False
            self.used.add((first, rest[0]))
        elif kind == "returned":
            if self.agreements.get(first) != "exchange":
                return False
        elif kind == "retract":
            target = f"op{first}"
            if (
                target not in self.kinds
                or target in self.retracted
                or self.kinds[target] in ("retract", "correct-to", "correct-terms")
            ):
                return False
            self.retracted.add(target)
        elif not self._corrects(n, f"op{first}", kind, set(rest[0])):
            return False
        self.kinds[f"op{n}"] = kind
        return True

    def _corrects(self, n: int, target: str, kind: str, new: set[str]) -> bool:
        # A correction of a correction corrects what that one corrected.
        target = self.roots.get(target, target)
        wanted = "terms" if kind == "correct-to" else "reached"
        if self.kinds.get(target) != wanted or target in self.retracted:
            return False
        self.roots[f"op{n}"] = target
        subject = self.owner[target]
        if kind == "correct-to":
            if any((subject, p) in self.answered for p in self.addressees[subject] - new):
                return False
            self.addressees[subject] = new
        else:
            if any((subject, t) in self.used for t in self.terms[subject] - new):
                return False
            self.terms[subject] = new
        return True


@settings(max_examples=300, deadline=None)
@given(_LOGS)
def test_the_log_and_a_store_accept_what_the_model_accepts(ops: list[tuple[Any, ...]]) -> None:
    """Event by event, the log and the memory store accept exactly what the model of the rules
    accepts, refusing with a log error otherwise.
    """
    model, log, store = _Model(), EventLog(), open_store("memory:")
    for n, op in enumerate(ops):
        event = _event(n, op)
        expected = model.accepts(n, op)
        try:
            log = log.append(event)
        except LogError:
            in_log = False
        else:
            in_log = True
        try:
            store.append("s", [event])
        except LogError:
            in_store = False
        else:
            in_store = True
        assert (in_log, in_store) == (expected, expected), (n, op)
