"""A real headless Chromium for the report tests: Debian's ``chromium``, driven by Playwright
(see ``tests/chromium.py``). When there is none the browser tests are skipped, loudly, unless
``NEGOTIATIONS_REQUIRE_CHROMIUM=1`` (as ``scripts/check`` sets on CI) makes them fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from chromium import ARGS, REQUIRE_ENV, chromium_path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """A headless Chromium for the whole session."""
    executable = chromium_path()
    if executable is None:
        reason = "Chromium is not installed (apt-get install chromium, or set NEGOTIATIONS_CHROMIUM)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{reason}; {REQUIRE_ENV}=1 requires it", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=list(ARGS), headless=True)
        yield launched
        launched.close()


class Opened:
    """A report opened in a page: the page, and every request it made and error it raised."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console", lambda message: self.errors.append(message.text) if message.type == "error" else None
        )


class OpenReport(Protocol):
    """Opens a report file in a new page of the given viewport."""

    def __call__(self, path: Path, *, width: int = ..., height: int = ...) -> Opened:
        """The report at ``path``, opened."""
        ...


@pytest.fixture
def open_report(browser: Browser) -> Iterator[OpenReport]:
    """A function that opens a report file in a new page (of a given viewport) and returns it."""
    contexts = []

    def opened(path: Path, *, width: int = 1100, height: int = 900) -> Opened:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        seen = Opened(page)
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        return seen

    yield opened
    for context in contexts:
        context.close()
