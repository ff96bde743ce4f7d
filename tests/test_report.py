"""The HTML report without a browser: what ``negotiations report`` writes and refuses to write,
that the page loads nothing, that the same log gives the same page, and, for any log, that every
event id the page names is one of the log's and no text of it becomes markup.
"""

from __future__ import annotations

import json
import re
import shlex
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Final

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiations import loads, seed_timeline
from negotiations.cli import main
from negotiations.domain.events import CallHeld, EventCorrected, EventRetracted, OpaqueEvent, ReportDisputed
from negotiations.errors import InvalidValueError
from negotiations.log import EventLog
from negotiations.render.report import GENERATOR, report_html
from negotiations.testing import event_logs

ROOT: Final = Path(__file__).parent.parent
SEED_LOG: Final = ROOT / "src" / "negotiations" / "seed" / "russia_ukraine_2025_07.jsonl"


HIDDEN: Final = frozenset(
    [
        *range(32),
        *range(127, 160),
        0x2028,
        0x2029,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
) - {ord("\t"), ord("\n"), ord("\r")}
"""The code points a page writes as ``\\uXXXX``: controls, separators and bidirectional marks."""


def shown(text: str) -> str:
    r"""An id or a text as the page writes it: each code point of :data:`HIDDEN` as ``\uXXXX``."""
    return "".join(f"\\u{ord(c):04x}" if ord(c) in HIDDEN else c for c in text)


class Page(HTMLParser):
    """A report's elements: each tag with its attributes, and the text of its JSON script."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: dict[str, object] = {}
        self._in_data = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note the element, and whether the timeline's data follows."""
        self.tags.append((tag, dict(attrs)))
        self._in_data = tag == "script" and dict(attrs).get("id") == "timeline-data"

    def handle_data(self, data: str) -> None:
        """Keep the timeline's JSON."""
        if self._in_data:
            self.data = json.loads(data)
            self._in_data = False

    def attribute(self, name: str) -> list[str]:
        """Every value of attribute ``name``, in page order."""
        return [value for _, attrs in self.tags if (value := attrs.get(name)) is not None]


def written(tmp_path: Path, *args: str) -> tuple[int, Path]:
    """The exit status of ``negotiations report ARGS -o FILE``, and FILE."""
    out = tmp_path / "report.html"
    return main(["report", *args, "-o", str(out)]), out


def test_the_report_loads_nothing_from_anywhere(tmp_path: Path) -> None:
    """The page has no element that loads a resource, and a policy that forbids any load."""
    status, out = written(tmp_path)
    assert status == 0
    page = Page(out.read_text(encoding="utf-8"))
    assert not [
        tag for tag, attrs in page.tags if "src" in attrs or tag in ("link", "iframe", "img", "object")
    ]
    (policy,) = [
        attrs["content"] for tag, attrs in page.tags if attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policy is not None
    assert policy.startswith("default-src 'none'")
    assert all(href.startswith(("#", "https://", "http://")) for href in page.attribute("href"))


def test_the_same_log_gives_the_same_page() -> None:
    """Two reports of the same log with the same options are the same bytes: nothing reads the clock."""
    first = report_html(seed_timeline(), title="t", since=datetime(2025, 7, 15, tzinfo=UTC))
    second = report_html(list(seed_timeline()), title="t", since=datetime(2025, 7, 15, tzinfo=UTC))
    assert first == second


def test_a_report_replaces_only_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An earlier report is replaced; a file that is not one is refused with one line and left as it was."""
    status, out = written(tmp_path)
    assert status == 0
    assert main(["report", "--as-of", "2025-07-10", "-o", str(out)]) == 0
    assert "As of <b>2025-07-10</b>" in out.read_text(encoding="utf-8")
    notes = tmp_path / "notes.html"
    notes.write_text("<html>my notes</html>", encoding="utf-8")
    capsys.readouterr()
    assert main(["report", "-o", str(notes)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is not a report of negotiations" in err
    assert notes.read_text(encoding="utf-8") == "<html>my notes</html>"


def test_a_report_never_overwrites_its_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Asked to write the report over the log it reads, the command refuses and the log is kept."""
    log = tmp_path / "log.jsonl"
    log.write_bytes(SEED_LOG.read_bytes())
    capsys.readouterr()
    assert main(["report", str(log), "-o", str(log)]) == 1
    assert "it is the log being reported" in capsys.readouterr().err
    assert log.read_bytes() == SEED_LOG.read_bytes()


def test_since_after_known_at_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--since after --known-at is refused with exit 2 and one line, and writes nothing."""
    status, out = written(tmp_path, "--since", "2025-07-20", "--known-at", "2025-07-15")
    assert status == 2
    assert "--since must not be after --known-at" in capsys.readouterr().err
    assert not out.exists()


def test_the_seed_page_names_its_facts(tmp_path: Path) -> None:
    """The seed's page holds the ultimatum due 2025-09-02 and a timeline row for each of its 19 events."""
    _, out = written(tmp_path)
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert f'<meta name="generator" content="{GENERATOR}">' in text
    assert "due 2025-09-02 · 44 days left" in text
    rows = page.data["rows"]
    assert isinstance(rows, list)
    assert sorted(row[4] for row in rows) == sorted(e.id for e in seed_timeline())


def moments(log: EventLog) -> st.SearchStrategy[datetime]:
    """Moments around the log's record times: each one, and a second before."""
    times = sorted({e.recorded for e in log} | {datetime(2000, 1, 1, tzinfo=UTC)})
    return st.sampled_from(times)


@given(log=event_logs(max_size=25), data=st.data())
def test_every_id_the_page_names_is_the_logs_and_no_text_is_markup(
    log: EventLog, data: st.DataObject
) -> None:
    """For any log and any --since, every data-event-id and data-change-id names an event of the
    log, a change names one recorded after since, the timeline lists exactly the facts counted,
    and the page holds only its own two scripts.
    """
    since = data.draw(moments(log), label="since")
    page = Page(report_html(log, title="any", since=since))
    ids = {shown(event.id) for event in log}
    assert set(page.attribute("data-event-id")) <= ids
    later = {shown(event.id) for event in log if event.recorded > since}
    assert set(page.attribute("data-change-id")) <= later
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert [attrs.get("id") for attrs in scripts] == ["timeline-data", None]
    # The model: the facts of the log, less those retracted and those of unknown kinds, which
    # no view counts; never an amendment itself.
    retracted = {e.target for e in log if isinstance(e, EventRetracted)}
    amendments = (EventCorrected, EventRetracted, ReportDisputed, OpaqueEvent)
    facts = {e.id for e in log if not isinstance(e, amendments) and e.id not in retracted}
    rows = page.data["rows"]
    assert isinstance(rows, list)
    assert {row[4] for row in rows} == {shown(fact) for fact in facts}


def test_the_timeline_data_cannot_end_its_script() -> None:
    """A summary holding '</script>' is written into the page's JSON as an escape, not as a tag."""
    first = next(e for e in seed_timeline() if isinstance(e, CallHeld))
    hostile = attrs.evolve(first, summary="</script><script>alert(1)</script>")
    text = report_html([hostile], title="</script>")
    assert "<script>alert(1)" not in text
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in text
    assert "<title>&lt;/script&gt;</title>" in text


def deadlines(count: int) -> list[str]:
    """``count`` ultimatums set on the days of 2025 in turn, each due 30 days later."""
    return [
        json.dumps(
            {
                "type": "DeadlineSet",
                "id": f"set-{n}",
                "occurred": (date(2025, 1, 1) + timedelta(days=n)).isoformat(),
                "recorded": f"{date(2025, 1, 1) + timedelta(days=n)}T12:00:00+00:00",
                "deadline_id": f"d-{n}",
                "issuer": "USA",
                "target": "RUS",
                "demand": f"demand {n}",
                "within_days": 30,
            }
        )
        for n in range(count)
    ]


def test_a_long_section_shows_the_most_pressing_and_counts_the_rest() -> None:
    """Of 60 deadlines as of 2025-03-01, the 31 still pending (due soonest first) and the 19 that
    lapsed last are shown, and a note counts the 10 others; a deadline changed since --since is
    shown even when it is not among them.
    """
    lines = deadlines(60)
    text = report_html(loads("\n".join(lines)), title="t")
    shown = Page(text).attribute("data-deadline")
    assert len(shown) == 50
    assert shown[:3] == ["d-29", "d-30", "d-31"]  # d-29 is due on the as-of day itself
    assert shown[30:33] == ["d-59", "d-28", "d-27"]
    assert "d-9" not in shown
    assert "10 more deadlines not shown" in text
    fix = {
        "type": "EventCorrected",
        "id": "fix",
        "occurred": "2025-06-01",
        "recorded": "2025-06-01T00:00:00+00:00",
        "target": "set-0",
        "changes": {"within_days": 40},
    }
    since = datetime(2025, 5, 1, tzinfo=UTC)
    amended = Page(report_html(loads("\n".join([*lines, json.dumps(fix)])), title="t", since=since))
    assert "d-0" in amended.attribute("data-deadline")
    assert len(amended.attribute("data-deadline")) == 50


def test_the_timeline_holds_the_newest_rows_and_says_so() -> None:
    """With timeline_rows=5, the page holds the 5 newest of 12 events, and says how many it holds."""
    lines = deadlines(12)
    text = report_html(loads("\n".join(lines)), title="t", timeline_rows=5)
    rows = Page(text).data["rows"]
    assert isinstance(rows, list)
    assert [row[4] for row in rows] == ["set-11", "set-10", "set-9", "set-8", "set-7"]
    assert "The timeline holds the newest 5 of 12 events" in text


def test_the_pages_commands_print_what_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each ``$ negotiations report`` of docs/report.md, run where docs/ is at hand, prints the line
    the page shows under it.
    """
    page = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"^```console\n(.*?)^```$", page, re.MULTILINE | re.DOTALL)
    sessions = re.findall(r"^\$ negotiations (.*)\n(.*)\n", block, re.MULTILINE)
    assert len(sessions) == 3
    (tmp_path / "docs").symlink_to(ROOT / "docs")
    monkeypatch.chdir(tmp_path)
    for command, shown in sessions:
        capsys.readouterr()
        assert main(shlex.split(command)) == 0, command
        assert capsys.readouterr().out == shown + "\n"


def test_a_disputed_exchange_shows_a_range_and_is_marked() -> None:
    """Two sources that report one swap differently (84 and 95 returned to UKR of 100 agreed)
    give a range of 84–95, and the dispute recorded after --since marks the batch as disputed.
    """

    def event(kind: str, event_id: str, day: str, **fields: object) -> str:
        envelope = {"type": kind, "id": event_id, "occurred": day, "recorded": f"{day}T12:00:00+00:00"}
        return json.dumps({**envelope, **fields})

    lines = [
        event(
            "PrisonerExchangeAgreed",
            "deal",
            "2025-06-01",
            agreement_id="swap",
            parties=["UKR", "RUS"],
            categories=["prisoners"],
            terms={"UKR": 100, "RUS": 100},
        ),
        *(
            event(
                "PrisonersExchanged", name, "2025-06-10", agreement_id="swap", returned={"UKR": n, "RUS": n}
            )
            for name, n in (("kyiv-count", 84), ("moscow-count", 95))
        ),
        event("ReportDisputed", "counts-differ", "2025-06-12", claims=["kyiv-count", "moscow-count"]),
    ]
    text = report_html(loads("\n".join(lines)), title="t", since=datetime(2025, 6, 11, tzinfo=UTC))
    assert "84–95 returned of 100" in text
    page = Page(text)
    batches = [
        attrs for tag, attrs in page.tags if tag == "li" and attrs.get("data-event-id") == "kyiv-count"
    ]
    (batch,) = batches
    assert batch["data-change"] == "disputed"
    assert batch["data-change-id"] == "counts-differ"


def test_dash_writes_the_page_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    """``-o -`` prints the page itself, and nothing else, to standard output."""
    capsys.readouterr()
    assert main(["report", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>")
    assert out == report_html(seed_timeline(), title="Russia–Ukraine, July 2025 (the demo)")


def test_a_file_that_only_mentions_the_generator_is_not_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A note that quotes the report's generator tag is not one: it is refused and kept."""
    notes = tmp_path / "notes.md"
    text = '# Notes\nThe page has <meta name="generator" content="negotiations report"> in its head.\n'
    notes.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["report", "-o", str(notes)]) == 1
    assert notes.read_text(encoding="utf-8") == text


def test_a_retraction_marks_the_item_it_changed() -> None:
    """Retracting a change of a deadline's due day, after --since, marks the deadline's card as
    retracted, with the retraction's id, and its due day is the one first set.
    """
    lines = deadlines(1)
    change = {
        "type": "DeadlineChanged",
        "id": "moved",
        "occurred": "2025-01-05",
        "recorded": "2025-01-05T12:00:00+00:00",
        "deadline_id": "d-0",
        "due": "2025-03-01",
    }
    retraction = {
        "type": "EventRetracted",
        "id": "not-moved",
        "occurred": "2025-01-09",
        "recorded": "2025-01-09T12:00:00+00:00",
        "target": "moved",
        "reason": "the report was wrong",
    }
    log = loads("\n".join([*lines, json.dumps(change), json.dumps(retraction)]))
    text = report_html(log, title="t", since=datetime(2025, 1, 6, tzinfo=UTC))
    (card,) = [attrs for tag, attrs in Page(text).tags if attrs.get("data-deadline") == "d-0"]
    assert card["data-change"] == "retracted"
    assert card["data-change-id"] == "not-moved"
    assert "due 2025-01-31" in text


def test_bidirectional_overrides_are_shown_not_obeyed() -> None:
    r"""A right-to-left override in a summary is written as \u202e, in the sections and in the
    timeline's data alike.
    """
    first = next(e for e in seed_timeline() if isinstance(e, CallHeld))
    text = report_html([attrs.evolve(first, summary="agreed\u202e.dias")], title="t")
    assert "\u202e" not in text
    assert "agreed\\u202e.dias" in text
    assert "agreed\\\\u202e.dias" in text  # in the timeline's JSON, as a JSON string's backslash


def test_an_agreement_past_its_end_says_when_it_ended() -> None:
    """An agreement whose end day has passed reads 'ended N days ago', not a negative count."""
    gaza = (ROOT / "docs/examples/gaza-ceasefire-2025.jsonl").read_text(encoding="utf-8").splitlines()
    ended = [
        json.dumps({**json.loads(line), "ends": "2025-10-12"}) if '"AgreementReached"' in line else line
        for line in gaza
    ]
    text = report_html(loads("\n".join(ended)), title="t", as_of=date(2025, 10, 19))
    assert "ends 2025-10-12 · ended 7 days ago" in text
    assert "-7 days" not in text


def test_the_tariff_chart_names_the_day_each_rate_last_changed() -> None:
    """In the US–China example, both totals last changed on 2025-05-14, when the Geneva cuts took effect."""
    log = (ROOT / "docs/examples/us-china-tariffs-2025.jsonl").read_text(encoding="utf-8")
    text = report_html(loads(log), title="t")
    assert "<title>CHN on USA: 60% from 2025-05-14</title>" in text
    assert "<title>USA on CHN: 30% from 2025-05-14</title>" in text


def test_counts_below_one_and_naive_moments_are_refused() -> None:
    """A page size, list size or timeline size below 1, or a known_at without offset, is an
    InvalidValueError naming the argument.
    """
    counts: dict[str, dict[str, int]] = {
        "page_size": {"page_size": 0},
        "section_items": {"section_items": 0},
        "timeline_rows": {"timeline_rows": -1},
    }
    for name, arguments in counts.items():
        with pytest.raises(InvalidValueError) as caught:
            report_html(seed_timeline(), title="t", **arguments)  # type: ignore[arg-type] # counts only
        assert caught.value.field == name
    with pytest.raises(InvalidValueError) as caught:
        report_html(seed_timeline(), title="t", known_at=datetime(2025, 7, 15))  # noqa: DTZ001 - naive on purpose
    assert caught.value.field == "known_at"
