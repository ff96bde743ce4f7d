"""The builders' fast ``evolve`` copies a view item exactly as ``attrs.evolve`` does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiations.domain.values import PartialDate
from negotiations.log import EventLog
from negotiations.projections import Entry, project
from negotiations.projections._projection import evolve
from negotiations.testing import event_logs


def _items(value: object) -> Iterator[Any]:
    """Every attrs instance inside ``value``: the view items at every depth."""
    cls: Any = type(value)
    if attrs.has(cls):
        yield value
        for field in attrs.fields(cls):
            yield from _items(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _items(item)
    elif hasattr(value, "values") and not isinstance(value, str):
        for item in value.values():  # a mapping of a view
            yield from _items(item)


@given(log=event_logs(max_size=20), data=st.data())
def test_evolve_gives_what_attrs_evolve_gives(log: EventLog, data: st.DataObject) -> None:
    """Changing any one field of any view item, to another item's value, does what attrs.evolve does."""
    items = list(_items(project(log)))
    by_class: dict[type, list[Any]] = {}
    for item in items:
        by_class.setdefault(type(item), []).append(item)
    for cls, same in by_class.items():
        item, other = data.draw(st.sampled_from(same)), data.draw(st.sampled_from(same))
        name = data.draw(st.sampled_from([f.name for f in attrs.fields(cls) if f.init]))
        change = {name: getattr(other, name)}
        assert _outcome(evolve, item, change) == _outcome(attrs.evolve, item, change)
        assert evolve(item) == item


def _outcome(copy: Any, item: object, change: dict[str, Any]) -> tuple[str, object]:  # noqa: ANN401 - either evolve
    """What ``copy(item, **change)`` gives: the copy and its class, or the error it raised (a value
    such as a partial date refuses some mixes of another's fields).
    """
    try:
        copied = copy(item, **change)
    except Exception as error:  # noqa: BLE001 - compared, not hidden
        return ("raised", (type(error), str(error)))
    return ("copied", (type(copied), copied))


def test_evolve_refuses_a_field_the_class_does_not_have() -> None:
    """A misspelt field is an error, as with attrs.evolve, not a silent no-op."""
    entry = Entry(event_id="e1", occurred=PartialDate.parse("2025-07-01"), type="call_held")
    with pytest.raises(TypeError):
        evolve(entry, summery="typo")
