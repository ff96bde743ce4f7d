"""The envelope every event carries: :class:`EventBase`, which each kind of event extends."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from attrs import field, frozen

from negotiations.domain import _fields as f
from negotiations.domain.values import PartialDate, Source


@frozen(kw_only=True)
class EventBase:
    """The envelope every event carries. Not an event kind itself."""

    wire_type: ClassVar[str]
    schema_version: ClassVar[int] = 1
    id: str = f.text()
    occurred: PartialDate = field(validator=f.instance_of(PartialDate))
    recorded: datetime = field(validator=f.aware)
    sources: tuple[Source, ...] = field(default=(), validator=f.tuple_of(Source))
