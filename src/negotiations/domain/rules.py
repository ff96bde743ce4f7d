"""The parameters of a field's rule, as data: what kind of value its validator accepts (a text, a
code of some pattern, one of some choices, a count, ...), whether it may be absent, and for a
tuple the rule of each item and how many there may be.

A validator states its rule once, in Python, and says which rule it is with :func:`keeps`. The
codec reads that data to test the common case inline, cheaply, before it calls the validator
(:mod:`negotiations.codec._fast` derives the condition), and to state the rule's JSON Schema
keywords (:mod:`negotiations.codec.schema`); the data never replaces the validator, which still
runs whenever that condition does not hold, and says what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, TypeVar

from attrs import frozen

__all__ = ["Kind", "Rule", "TupleRule", "keeps", "rule_of"]

Kind = Literal["text", "pattern", "choice", "count", "number", "exactly", "aware"]
"""What a value is: ``text`` (a non-blank string without NUL or a lone surrogate), ``pattern``
(a string that :attr:`Rule.pattern` matches whole), ``choice`` (one of :attr:`Rule.choices`),
``count`` (a whole number, zero or more), ``number`` (a finite float, zero or more), ``exactly``
(an instance of :attr:`Rule.cls`) or ``aware`` (a datetime with its UTC offset)."""


@frozen
class Rule:
    """The rule of one value: its :data:`Kind`, the parameter that kind takes, and whether
    ``None`` (absent) is allowed.
    """

    kind: Kind
    optional: bool = False
    pattern: re.Pattern[str] | None = None
    """The pattern of a ``pattern`` value."""
    choices: frozenset[str] = frozenset()
    """The strings a ``choice`` value may be."""
    cls: type | None = None
    """The class an ``exactly`` value is an instance of."""


@frozen
class TupleRule:
    """The rule of a tuple: each item keeps ``item``, and there are ``min_items`` to
    ``max_items`` of them, all different when ``unique``.
    """

    item: Rule
    min_items: int = 0
    max_items: int | None = None
    unique: bool = False


_Check = TypeVar("_Check", bound=Callable[..., None])


def keeps(rule: Rule | TupleRule) -> Callable[[_Check], _Check]:
    """Mark an attrs validator as one that accepts every value ``rule`` describes. It may accept
    more (the rule is what the codec can test cheaply, not all the validator knows), and it
    refuses, with a reason, what it does not accept. Read back by :func:`rule_of`.
    """

    def mark(check: _Check) -> _Check:
        check.rule = rule  # type: ignore[attr-defined]  # an attribute on a function
        return check

    return mark


def rule_of(validator: object) -> Rule | TupleRule | None:
    """The rule a validator keeps, or ``None`` for a validator :func:`keeps` did not mark."""
    rule = getattr(validator, "rule", None)
    return rule if isinstance(rule, Rule | TupleRule) else None
