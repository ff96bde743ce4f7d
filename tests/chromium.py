"""Debian's Chromium, as the report tests and the report benchmark launch it through Playwright.

Playwright cannot download a browser here, so it drives the system's: ``$NEGOTIATIONS_CHROMIUM``,
or ``chromium`` on ``$PATH`` (``scripts/check`` installs Debian's package when it is missing).
"""

from __future__ import annotations

import os
import shutil
from typing import Final

REQUIRE_ENV: Final = "NEGOTIATIONS_REQUIRE_CHROMIUM"
"""Set to ``1`` to fail, not skip, the browser tests when there is no Chromium."""

ARGS: Final = (
    "--no-sandbox",  # as root, Chromium's sandbox cannot start
    "--disable-gpu",
    # Off this machine's closed network, which refuses its background connections, and a clean
    # start each time.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""The flags every launch passes."""


def chromium_path() -> str | None:
    """Where the system's Chromium is, if anywhere."""
    return os.environ.get("NEGOTIATIONS_CHROMIUM") or shutil.which("chromium")
