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
    cameo: ClassVar[str | None] = None
    """The nearest CAMEO event code of the kind (``"046"``), or ``None`` when CAMEO has none.
    Every kind declares its own; ``docs/codes.md`` lists them."""
    plover: ClassVar[str | None] = None
    """The nearest PLOVER event category of the kind (``"CONSULT"``), or ``None`` when PLOVER
    has none."""
    plover_mode: ClassVar[str | None] = None
    """The PLOVER mode of the kind (``"phone"``), as the PLOVER manual (M0.8) spells it, or
    ``None`` when the category has no mode that fits."""
    plover_context: ClassVar[str | None] = None
    """The PLOVER context of the kind (``"diplomatic"``), or ``None`` when it depends on the
    event."""
    codes_note: ClassVar[str | None] = None
    """One line on where the codes fit loosely, or ``None`` when they fit."""
    id: str = f.text()
    occurred: PartialDate = field(validator=f.instance_of(PartialDate))
    recorded: datetime = field(validator=f.aware)
    sources: tuple[Source, ...] = field(default=(), validator=f.tuple_of(Source))
