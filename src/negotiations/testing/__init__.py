"""Hypothesis strategies for negotiations' values, events and logs, to test code built on them.

Every value a strategy here generates passes every validator, and survives a round trip through
the JSON codec unchanged. Dates stay in a realistic range (2020 to 2030 by default), so that
deadline arithmetic cannot overflow.

Strategies for events that refer to deadlines, agreements, proposals, ceasefires or measures take
a pool of the ids they may refer to, so that a log built from them stays consistent;
:func:`event_logs` does that bookkeeping for you::

    from hypothesis import given
    from negotiations import testing

    @given(testing.event_logs(max_size=10))
    def test_every_event_is_on_the_timeline(log):
        ...

Installing the package also registers a strategy for every event class, and for
:class:`~negotiations.domain.PartialDate`, :class:`~negotiations.domain.Person` and
:class:`~negotiations.domain.Source`, with Hypothesis (through its ``hypothesis`` entry point), so
``st.from_type(DeadlineSet)`` works without importing this module.

:mod:`negotiations.testing.stores` holds the store contract, the tests every store passes, for a
backend of your own.

This is the only part of the package that imports Hypothesis; install it with the ``testing``
extra.
"""

from __future__ import annotations

from negotiations.testing._agreements import (
    agreement_extended,
    agreement_reached,
    agreement_status_changed,
    commitment_met,
    proposal_answered,
    proposal_withdrawn,
    terms_proposed,
    violation_reported,
)
from negotiations.testing._commitments import (
    deadline_changed,
    deadline_met,
    deadline_set,
    deadline_withdrawn,
    prisoner_exchange_agreed,
    prisoners_exchanged,
    remains_repatriated,
)
from negotiations.testing._facts import (
    aid_announced,
    aid_paused,
    aid_resumed,
    call_held,
    ceasefire_agreed,
    ceasefire_ended,
    position_stated,
    statement_made,
    talks_held,
    talks_proposed,
)
from negotiations.testing._logs import event_corrected, event_logs, events
from negotiations.testing._measures import (
    MeasureKind,
    measure_changed,
    measure_lifted,
    measure_reinstated,
    measure_suspended,
    sanctions_imposed,
    tariffs_imposed,
)
from negotiations.testing._record import event_retracted, report_disputed
from negotiations.testing._values import (
    MAX_DAY,
    MIN_DAY,
    Precision,
    days,
    ids,
    issues,
    partial_dates,
    parties,
    persons,
    recorded_datetimes,
    sources,
    texts,
)

__all__ = [
    "MAX_DAY",
    "MIN_DAY",
    "MeasureKind",
    "Precision",
    "agreement_extended",
    "agreement_reached",
    "agreement_status_changed",
    "aid_announced",
    "aid_paused",
    "aid_resumed",
    "call_held",
    "ceasefire_agreed",
    "ceasefire_ended",
    "commitment_met",
    "days",
    "deadline_changed",
    "deadline_met",
    "deadline_set",
    "deadline_withdrawn",
    "event_corrected",
    "event_logs",
    "event_retracted",
    "events",
    "ids",
    "issues",
    "measure_changed",
    "measure_lifted",
    "measure_reinstated",
    "measure_suspended",
    "partial_dates",
    "parties",
    "persons",
    "position_stated",
    "prisoner_exchange_agreed",
    "prisoners_exchanged",
    "proposal_answered",
    "proposal_withdrawn",
    "recorded_datetimes",
    "remains_repatriated",
    "report_disputed",
    "sanctions_imposed",
    "sources",
    "statement_made",
    "talks_held",
    "talks_proposed",
    "tariffs_imposed",
    "terms_proposed",
    "texts",
    "violation_reported",
]
