"""The report in a real headless Chromium: the seed's facts in the DOM, the timeline's filters,
what changed since a moment, escaping, phones and print, and a screenshot.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import pytest

from negotiations.cli import main
from report.conftest import OpenReport

ROOT: Final = Path(__file__).resolve().parents[2]
SEED: Final = ROOT / "src" / "negotiations" / "seed" / "russia_ukraine_2025_07.jsonl"
SOURCE: Final = [{"outlet": "Wire"}]


def report(tmp_path: Path, *args: str, name: str = "report.html") -> Path:
    """The report ``negotiations report ARGS`` writes, as a file in ``tmp_path``."""
    out = tmp_path / name
    assert main(["report", *args, "-o", str(out)]) == 0
    return out


def line(**fields: object) -> str:
    """One event line, with a source."""
    return json.dumps({**fields, "sources": SOURCE}, ensure_ascii=False)


def amended_log(tmp_path: Path) -> Path:
    """The seed, and then recorded after 2025-07-21: a new statement, a correction of the
    ultimatum's 50 days to 45, and a retraction of the US aid announcement.
    """
    extra = [
        line(
            type="StatementMade",
            id="kremlin-answer-2025-07-24",
            occurred="2025-07-24",
            recorded="2025-07-24T09:00:00+00:00",
            party="RUS",
            summary="The Kremlin says it is studying the ultimatum",
        ),
        line(
            type="EventCorrected",
            id="ultimatum-fix-2025-07-25",
            occurred="2025-07-25",
            recorded="2025-07-25T09:00:00+00:00",
            target="us-ceasefire-ultimatum-2025-07-14",
            changes={"within_days": 45},
            reason="the White House gave 45 days",
        ),
        line(
            type="EventRetracted",
            id="aid-retraction-2025-07-26",
            occurred="2025-07-26",
            recorded="2025-07-26T09:00:00+00:00",
            target="us-military-aid-ukr-2025-07-14",
            reason="the report was of an older package",
        ),
    ]
    path = tmp_path / "amended.jsonl"
    path.write_text(SEED.read_text(encoding="utf-8") + "\n".join(extra) + "\n", encoding="utf-8")
    return path


def test_the_seed_report_shows_the_seed_facts(tmp_path: Path, open_report: OpenReport) -> None:
    """The seed's report shows the ultimatum due 2025-09-02, its exchange, positions and timeline,
    and loads nothing but itself.
    """
    seen = open_report(report(tmp_path))
    page = seen.page
    deadline = page.locator('[data-deadline="us-ceasefire-ultimatum"]')
    assert "due 2025-09-02" in deadline.locator(".due").inner_text()
    assert "44 days left" in deadline.locator(".due").inner_text()
    assert deadline.get_attribute("data-event-id") == "us-ceasefire-ultimatum-2025-07-14"
    assert page.locator('[data-agreement="istanbul-agreements"]').count() == 1
    assert page.locator("#positions tbody tr").count() == 4
    assert page.locator("#timeline-list li").count() == 19
    assert page.locator("#timeline-count").inner_text() == "1–19 of 19 events"
    assert page.locator("#measures tbody tr").first.inner_text().startswith("EU → RUS")
    assert seen.requests == [page.url], "the report loaded something besides itself"
    assert seen.errors == []


def test_a_filter_hides_the_rows_it_does_not_match(tmp_path: Path, open_report: OpenReport) -> None:
    """Choosing a party shows only its events; choosing a kind as well narrows them again."""
    page = open_report(report(tmp_path)).page
    page.select_option("#filter-party", label="RUS")
    rows = page.locator("#timeline-list li")
    parties = [rows.nth(n).get_attribute("data-parties") or "" for n in range(rows.count())]
    assert parties, "no row for RUS"
    assert all("RUS" in p.split() for p in parties)
    shown = {rows.nth(n).get_attribute("data-event-id") for n in range(rows.count())}
    assert "us-military-aid-ukr-2025-07-14" not in shown  # USA to UKR
    assert "kremlin-settlement-position-2025-07-20" in shown
    assert (
        page.locator("#timeline-count").inner_text() == f"1–{len(parties)} of {len(parties)} events (of 19)"
    )
    page.select_option("#filter-kind", label="TalksProposed")
    kinds = [rows.nth(n).get_attribute("data-kind") for n in range(rows.count())]
    assert kinds == ["TalksProposed", "TalksProposed"]
    page.select_option("#filter-party", label="every party")
    page.select_option("#filter-kind", label="every kind")
    assert rows.count() == 19


def test_the_timeline_pages_through_a_long_log(tmp_path: Path, open_report: OpenReport) -> None:
    """A log longer than a page shows one page at a time; 'older' shows the next."""
    lines = [
        line(
            type="StatementMade",
            id=f"s-{n}",
            occurred=f"2025-{1 + n // 28:02d}-{1 + n % 28:02d}",
            recorded="2025-12-31T00:00:00+00:00",
            party="UKR" if n % 2 else "RUS",
            summary=f"statement {n}",
        )
        for n in range(250)
    ]
    log = tmp_path / "long.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = open_report(report(tmp_path, str(log))).page
    rows = page.locator("#timeline-list li")
    assert rows.count() == 200
    assert rows.first.get_attribute("data-event-id") == "s-249"  # newest first
    page.click("#page-next")
    assert rows.count() == 50
    assert page.locator("#timeline-count").inner_text() == "201–250 of 250 events"
    assert page.locator("#page-next").is_disabled()


def test_since_marks_the_correction_and_the_retraction(tmp_path: Path, open_report: OpenReport) -> None:
    """With --since, what changed lists the new fact, the correction (old → new) and the
    retraction, and the sections mark what they changed, each with the event's id.
    """
    path = report(tmp_path, str(amended_log(tmp_path)), "--since", "2025-07-21")
    page = open_report(path).page
    changed = page.locator("#changes")
    fix = changed.locator('li[data-change="corrected"]')
    assert fix.get_attribute("data-event-id") == "ultimatum-fix-2025-07-25"
    assert fix.locator(".old").inner_text() == "50"
    assert fix.locator(".newvalue").inner_text() == "45"
    retraction = changed.locator('li[data-change="retracted"]')
    assert retraction.get_attribute("data-event-id") == "aid-retraction-2025-07-26"
    assert retraction.get_attribute("data-target") == "us-military-aid-ukr-2025-07-14"
    new = changed.locator('li[data-change="new"]')
    assert [new.nth(n).get_attribute("data-event-id") for n in range(new.count())] == [
        "kremlin-answer-2025-07-24"
    ]
    deadline = page.locator('[data-deadline="us-ceasefire-ultimatum"]')
    assert deadline.get_attribute("data-change") == "corrected"
    assert deadline.get_attribute("data-change-id") == "ultimatum-fix-2025-07-25"
    assert "due 2025-08-28" in deadline.locator(".due").inner_text()  # 45 days from 2025-07-14
    assert page.locator('#aid [data-event-id="us-military-aid-ukr-2025-07-14"]').count() == 0
    marked = page.locator('#timeline-list li[data-change="new"]')
    assert marked.get_attribute("data-event-id") == "kremlin-answer-2025-07-24"
    assert page.locator('#timeline-list li[data-event-id="us-military-aid-ukr-2025-07-14"]').count() == 0


def test_text_from_the_log_is_never_markup(tmp_path: Path, open_report: OpenReport) -> None:
    """A quote and a summary that hold HTML show as text, and their scripts never run."""
    hostile = "<script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'>"
    log = tmp_path / "hostile.jsonl"
    event = {
        "type": "StatementMade",
        "id": "hostile",
        "occurred": "2025-07-01",
        "recorded": "2025-07-01T00:00:00+00:00",
        "sources": [{"outlet": "</script><b>Outlet</b>", "quote": hostile, "url": "javascript:alert(1)"}],
        "party": "RUS",
        "summary": hostile,
    }
    position = {**event, "type": "PositionStated", "id": "hostile-position", "issue": "x", "stance": hostile}
    del position["summary"]
    log.write_text(json.dumps(event) + "\n" + json.dumps(position) + "\n", encoding="utf-8")
    seen = open_report(report(tmp_path, str(log)))
    page = seen.page
    assert page.evaluate("window.pwned") is None
    assert page.locator("script:not(#timeline-data)").count() == 1  # the report's own
    assert page.locator("img").count() == 0
    assert hostile in page.locator("#timeline-list").inner_text()
    row = page.locator("#positions tbody tr")
    assert hostile in row.locator("td").nth(2).inner_text()
    row.locator("details summary").click()
    assert hostile in row.locator("blockquote").inner_text()
    assert row.locator("a").count() == 0, "a javascript: URL became a link"
    assert seen.errors == []


@pytest.mark.parametrize("width", [360, 1100])
def test_it_reads_on_a_phone_without_scrolling_sideways(
    tmp_path: Path, open_report: OpenReport, width: int
) -> None:
    """At a phone's width the page is no wider than the screen (tables scroll in their boxes)."""
    page = open_report(
        report(tmp_path, str(ROOT / "docs/examples/us-china-tariffs-2025.jsonl")), width=width
    ).page
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_print_hides_the_controls(tmp_path: Path, open_report: OpenReport) -> None:
    """Printed, the filters and pager are hidden, and the sections stay."""
    page = open_report(report(tmp_path)).page
    page.emulate_media(media="print")
    assert not page.locator(".filters").is_visible()
    assert page.locator("#deadlines").is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


def test_a_screenshot_is_saved(tmp_path: Path, open_report: OpenReport) -> None:
    """A full-page screenshot of the seed's report is a PNG under the test's folder."""
    page = open_report(report(tmp_path, "--since", "2025-07-15")).page
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 10_000
