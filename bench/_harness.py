"""The benchmarks' measuring kit: timed repeats under a time budget, and the rows of the table.

Every figure is the median of several repeats. A repeat that runs past the budget is stopped (by
``SIGALRM``, so only on Unix and in the main thread); the figure is then a lower bound, shown as
``>x``, and the remaining repeats are skipped.
"""

from __future__ import annotations

import gc
import signal
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, Literal

from attrs import frozen

Unit = Literal["us/event", "ms", "s", "MB", "x"]


class OverBudgetError(Exception):
    """A repeat ran longer than its budget."""


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Raise :class:`OverBudgetError` inside the block once it has run ``seconds``."""

    def ring(_signum: int, _frame: FrameType | None) -> None:
        raise OverBudgetError

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@frozen
class Timing:
    """The median of the repeats' seconds; ``over`` when a repeat ran out of budget, and then
    ``seconds`` is the budget: a lower bound.
    """

    seconds: float
    samples: tuple[float, ...]
    over: bool = False


def timed(
    run: Callable[[], object],
    *,
    repeats: int,
    limit: float,
    setup: Callable[[], object] | None = None,
    teardown: Callable[[], object] | None = None,
) -> Timing:
    """Time ``run`` ``repeats`` times (``setup`` and ``teardown`` around each, untimed)."""
    samples: list[float] = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        gc.collect()
        started = time.perf_counter()
        try:
            with budget(limit):
                run()
        except OverBudgetError:
            return Timing(limit, (*samples, limit), over=True)
        finally:
            if teardown is not None:
                teardown()
        samples.append(time.perf_counter() - started)
    return Timing(statistics.median(samples), tuple(samples))


@frozen
class Value:
    """A figure's value in its unit; ``over``: only a lower bound is known. ``None``: not
    measured (``why`` says why).
    """

    amount: float | None
    over: bool = False
    why: str = ""

    @classmethod
    def per_event(cls, timing: Timing, events: int) -> Value:
        """Microseconds per event of a timing of ``events`` events."""
        return cls(timing.seconds / events * 1e6, timing.over)

    def text(self) -> str:
        """The value for the table."""
        if self.amount is None:
            return "n/a"
        number = f"{self.amount:,.3g}" if self.amount < 100 else f"{self.amount:,.0f}"  # noqa: PLR2004
        return (">" if self.over else "") + number


NOT_MEASURED = Value(None)


@frozen
class Row:
    """One line of the table: our figure, the baseline's, and the target.

    ``ratio`` is ours divided by the baseline's (below 1: ours is faster or smaller). The target
    is a bound on the ratio (``on="ratio"``) or on our value itself (``on="value"``).
    """

    figure: str
    unit: Unit
    ours: Value
    baseline: Value = NOT_MEASURED
    limit: float | None = None
    on: Literal["ratio", "value"] = "ratio"
    note: str = ""
    gate: bool = False
    """Whether a failed target fails the whole run (and so CI's quick run), not only its row."""

    @property
    def ratio(self) -> float | None:
        """Ours over the baseline, or ``None`` when either is missing."""
        if self.ours.amount is None or not self.baseline.amount:
            return None
        return self.ours.amount / self.baseline.amount

    @property
    def ratio_over(self) -> bool:
        """Whether the ratio is only a lower bound."""
        return self.ours.over and not self.baseline.over

    @property
    def holds(self) -> bool | None:
        """Whether the target holds; ``None`` without a target or the figures to judge it."""
        if self.limit is None:
            return None
        measured, over = (
            (self.ratio, self.ratio_over) if self.on == "ratio" else (self.ours.amount, self.ours.over)
        )
        if measured is None:
            return None
        if measured <= self.limit:
            return None if over else True
        return False

    def target_text(self) -> str:
        """The target, for the table."""
        if self.limit is None:
            return "-"
        if self.on == "value":
            return f"<= {self.limit:g} {self.unit}"
        return f"ratio <= {self.limit:.3g}"

    def cells(self) -> list[str]:
        """The row's cells: figure, unit, ours, baseline, ratio, target, holds, note."""
        ratio = self.ratio
        ratio_text = "-" if ratio is None else (">" if self.ratio_over else "") + f"{ratio:.2f}"
        holds = {True: "yes", False: "NO", None: "-"}[self.holds]
        note = self.note or self.ours.why or self.baseline.why
        return [
            self.figure,
            self.unit,
            self.ours.text(),
            self.baseline.text(),
            ratio_text,
            self.target_text(),
            holds,
            note,
        ]

    def as_json(self) -> dict[str, object]:
        """The row as a JSON object; :meth:`from_json` reads it back."""
        return {
            "figure": self.figure,
            "unit": self.unit,
            "ours": self.ours.amount,
            "ours_lower_bound": self.ours.over,
            "baseline": self.baseline.amount,
            "baseline_lower_bound": self.baseline.over,
            "ratio": self.ratio,
            "target": self.target_text(),
            "limit": self.limit,
            "on": self.on,
            "gate": self.gate,
            "holds": self.holds,
            "note": self.cells()[-1],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, suffix: str = "") -> Row:
        """The row :meth:`as_json` wrote (by a run in another process), its figure suffixed."""
        return cls(
            data["figure"] + suffix,
            data["unit"],
            Value(data["ours"], over=data["ours_lower_bound"]),
            Value(data["baseline"], over=data["baseline_lower_bound"]),
            limit=data["limit"],
            on=data["on"],
            note=data["note"],
            gate=data["gate"],
        )


HEADERS = ["FIGURE", "UNIT", "OURS", "BASELINE", "RATIO", "TARGET", "HOLDS", "NOTE"]


def render(rows: list[Row]) -> str:
    """The rows as a Markdown table (readable as plain text too)."""
    table = [HEADERS, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
    lines = [
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) + " |"
        for line in table
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
