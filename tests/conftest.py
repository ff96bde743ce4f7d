"""Shared test settings: Hypothesis profiles, a fast one by default and a thorough one for CI.

Set ``CI`` (any value) to run the ``ci`` profile; ``HYPOTHESIS_PROFILE`` picks one by name.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
