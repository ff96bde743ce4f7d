"""The event log: an immutable, append-only sequence of events with gap-free positions 1..n, the
amendments that retract and correct its events (:mod:`negotiations.log.amendments`), and logs
read from JSON Lines (:mod:`negotiations.log.files`).

Appending checks each event against the log and returns a new log; the old one is unchanged. The
checks:

- an event whose id is already in the log with identical content is a retry, and is skipped;
  the same id with other content raises :class:`~negotiations.errors.DuplicateEventError`;
- an event that defines a deadline, agreement, proposal or ceasefire id that exists raises
  :class:`~negotiations.errors.DuplicateKeyError`;
- an event that refers to such an id the log does not hold, or to one of the wrong kind (an
  exchange agreement where an AgreementReached is meant, or the other way), or that names a
  party who is not an addressee of the proposal it answers, or a ``term_id`` its agreement lacks,
  raises :class:`~negotiations.errors.UnknownReferenceError` naming the field;
- a retraction, correction or dispute that cannot apply raises
  :class:`~negotiations.errors.InvalidAmendmentError`; among them a correction that changes an
  id, the party of an answer or the term an event names, or that removes an addressee who
  answered or a term an event names.

What events define, state and rely on are *keys* (:func:`recorded_keys`), so that a store checks
an append by looking a few keys up (:func:`lookup_keys`) rather than reading its stream. A
retraction removes no key: a retracted definition still anchors the events that refer to it, and
its id stays taken. ``docs/format.md`` states every rule.

A batch is appended whole or not at all.

This layer sits on the codec, and imports only downward: a correction is applied through the
codec's JSON form of an event, and a log is built from the lines the codec reads.
"""

from negotiations.log._eventlog import (
    EventLog,
    Key,
    KeyKind,
    defined_key,
    new_events,
    recorded_keys,
    referenced_ids,
    referenced_key,
)
from negotiations.log._references import KEYLESS, append_keys, lookup_keys
from negotiations.log.files import check_lines, load_log, loads

__all__ = [
    "KEYLESS",
    "EventLog",
    "Key",
    "KeyKind",
    "append_keys",
    "check_lines",
    "defined_key",
    "load_log",
    "loads",
    "lookup_keys",
    "new_events",
    "recorded_keys",
    "referenced_ids",
    "referenced_key",
]
