"""The Hypothesis entry point: register a strategy for every event class and value type.

``pyproject.toml`` names :func:`_hypothesis_setup_hook` under ``[project.entry-points.hypothesis]``,
so Hypothesis calls it when it is imported, and ``st.from_type(DeadlineSet)`` then gives valid
events without the user importing :mod:`negotiations.testing`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__: list[str] = []


def _strategy_for(cls: type[object]) -> SearchStrategy[object]:
    """The strategy :mod:`negotiations.testing` has for ``cls``."""
    # Imported when Hypothesis first asks, not when it calls the hook: Hypothesis calls the hook
    # while it is itself being imported, which may be from negotiations.testing's own first line.
    from negotiations import testing  # noqa: PLC0415 - see above
    from negotiations.domain.values import PartialDate, Person, Source  # noqa: PLC0415 - same
    from negotiations.testing._logs import STRATEGIES  # noqa: PLC0415 - same

    by_type: dict[type[object], SearchStrategy[object]] = {
        PartialDate: testing.partial_dates(),
        Person: testing.persons(),
        Source: testing.sources(),
    }
    if cls in by_type:
        return by_type[cls]
    return STRATEGIES[cls]()  # type: ignore[index]  # an event class, as registered


def _hypothesis_setup_hook() -> None:
    """Register :mod:`negotiations.testing`'s strategies for the event classes and the values
    ``PartialDate``, ``Person`` and ``Source`` with Hypothesis.
    """
    from hypothesis import strategies as st  # noqa: PLC0415 - Hypothesis is importing itself now

    from negotiations.domain.events import EVENT_TYPES  # noqa: PLC0415 - kept off the import path
    from negotiations.domain.values import PartialDate, Person, Source  # noqa: PLC0415 - same

    for cls in (*EVENT_TYPES, PartialDate, Person, Source):
        st.register_type_strategy(cls, _strategy_for)
