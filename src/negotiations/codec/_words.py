"""What a decoded JSON value is, in JSON's words, for the codec's error messages.

Both converters name values so: the generated fast path of :mod:`negotiations.codec._converter`
when it refuses a value outright, and the detailed cattrs converter of
:mod:`negotiations.codec._detailed`. It lives apart from both so that neither imports the other
for it: the fast path imports the detailed converter only on first need, and the detailed
converter imports nothing of the fast path.
"""

from __future__ import annotations

__all__ = ["describe"]


def describe(value: object) -> str:
    """What ``value`` is, in JSON's words: ``null``, ``a string``, ``an object``, ..."""
    if value is None:
        return "null"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)
