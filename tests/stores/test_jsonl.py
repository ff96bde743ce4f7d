"""What the file store promises beyond the contract: a file edited so that an append no longer fits
its stream is refused on opening, naming the line, as an append of the same events would be.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from negotiations.domain.events import StatementMade
from negotiations.domain.values import PartialDate, Party
from negotiations.errors import StoreError
from negotiations.stores import JsonlStore


def statement(event_id: str, summary: str = "said something") -> StatementMade:
    """A valid statement with the given id."""
    return StatementMade(
        id=event_id,
        occurred=PartialDate.parse("2025-07-21"),
        recorded=datetime(2025, 7, 21, 9, 0, tzinfo=UTC),
        party=Party("UKR"),
        summary=summary,
    )


@pytest.mark.parametrize(
    ("second", "what"),
    [
        (statement("a"), "repeats event 'a' of stream 's'"),
        (
            statement("a", "said something else"),
            (
                "does not fit its stream 's': field 'id': "
                "id 'a' is already in the log with other content (event 'a')"
            ),
        ),
    ],
    ids=["a repeat", "other content"],
)
def test_an_append_that_does_not_fit_is_refused_at_its_line(
    tmp_path: Path, second: StatementMade, what: str
) -> None:
    """The second line of a batch of three that repeats an earlier id is named, and the file is kept."""
    path = tmp_path / "events.jsonl"
    with JsonlStore(path) as store:
        store.append("s", [statement("a")])
        store.append("s", [statement("b0"), statement("b1"), statement("b2")])
    lines = path.read_bytes().splitlines(keepends=True)
    edited = lines[2].replace(b'"id": "b1"', f'"id": "{second.id}"'.encode())
    if second.summary != "said something":
        edited = edited.replace(b'"said something"', f'"{second.summary}"'.encode())
    path.write_bytes(b"".join([*lines[:2], edited, *lines[3:]]))
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        JsonlStore(path)
    assert str(caught.value) == f"the file store {path} is damaged: line 3 {what}; the file was left as it is"
    assert path.read_bytes() == before
