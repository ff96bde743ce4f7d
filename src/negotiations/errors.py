"""Every error this library raises, in one hierarchy.

Catch :class:`NegotiationsError` to catch them all::

    NegotiationsError
     ├── InvalidValueError        a value or an event field breaks its rule
     ├── DecodeError              a JSON line is not a valid event
     ├── LogError                 an event does not fit the log it is appended to
     │    ├── DuplicateEventError       an event id reused with other content
     │    ├── DuplicateKeyError         a deadline, agreement, proposal or ceasefire id defined twice
     │    ├── UnknownReferenceError     an event refers to an id the log does not hold
     │    └── InvalidAmendmentError     a retraction, correction or dispute that cannot apply
     ├── RefoldRequiredError      an amendment cannot be folded into views one step at a time
     └── StoreError               a store cannot be opened, read or written
          └── ConcurrencyError          an append expected another stream version

Each error names the line (when it came from a file), the field and what was wrong, and
``str(error)`` reads as one line: ``line 7: field 'due': '2025-02-30' is not a valid date``.
"""

from __future__ import annotations

__all__ = [
    "ConcurrencyError",
    "DecodeError",
    "DuplicateEventError",
    "DuplicateKeyError",
    "InvalidAmendmentError",
    "InvalidValueError",
    "LogError",
    "NegotiationsError",
    "RefoldRequiredError",
    "StoreError",
    "UnknownReferenceError",
]


class NegotiationsError(Exception):
    """The base of every error this library raises.

    Attributes:
        reason: What was wrong, in words a person can act on.
        field: The field at fault, as a dotted path (``returned.RUS``), or ``None``.
        line: The 1-based line of the input it came from, or ``None``.

    """

    def __init__(self, reason: str, *, field: str | None = None, line: int | None = None) -> None:
        self.reason = reason
        self.field = field
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        parts.append(self.reason)
        return ": ".join(parts)

    def at_line(self, line: int) -> NegotiationsError:
        """Set the line this error came from and return the error, for re-raising."""
        self.line = line
        self.args = (str(self),)
        return self

    def within(self, field: str) -> NegotiationsError:
        """Prefix the field with the path of the value that contains it, and return the error."""
        self.field = field if self.field is None else f"{field}.{self.field}"
        self.args = (str(self),)
        return self


class InvalidValueError(NegotiationsError, ValueError):
    """A value or an event field breaks its rule: a bad party code, a negative count, ..."""


class DecodeError(NegotiationsError, ValueError):
    """A JSON line is not a valid event: not JSON, an unknown ``type``, a wrong field."""


class LogError(NegotiationsError):
    """An event does not fit the log it is appended to. The log is left unchanged."""

    def __init__(
        self,
        reason: str,
        *,
        event_id: str,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.event_id = event_id
        super().__init__(reason, field=field, line=line)

    def __str__(self) -> str:
        return f"{super().__str__()} (event '{self.event_id}')"


class DuplicateEventError(LogError):
    """An event reuses the id of an event in the log with different content."""


class DuplicateKeyError(LogError):
    """An event defines a deadline, agreement, proposal or ceasefire id that already exists."""


class UnknownReferenceError(LogError):
    """An event refers to a deadline, agreement, proposal or ceasefire the log does not hold."""


class InvalidAmendmentError(LogError):
    """A retraction, correction or dispute that cannot apply: its target is a retraction or is
    retracted, the corrected event would be invalid, or a dispute's claims are not alike.
    """


class RefoldRequiredError(NegotiationsError):
    """A retraction or correction was given to a one-step view update: it changes events already
    folded, so the log must be folded again.
    """


class StoreError(NegotiationsError):
    """A store cannot be opened, read or written: a bad URL, a missing driver, a damaged file."""


class ConcurrencyError(StoreError):
    """An append expected the stream at one version and found it at another. Nothing was written.

    Attributes:
        stream: The stream appended to.
        expected: The version the append expected.
        actual: The version the stream had.

    """

    def __init__(self, stream: str, expected: int, actual: int) -> None:
        self.stream = stream
        self.expected = expected
        self.actual = actual
        reason = f"stream '{stream}' is at version {actual}, not the expected {expected}; read it and retry"
        super().__init__(reason)
