"""Services over a store: the :class:`ProjectionRunner`, which keeps views current as events
arrive and resumes from the snapshots it saved.

This layer sits above the stores and the views, and imports both; nothing below imports it. It is
not imported by ``import negotiations`` or by the command line until a runner is used.
"""

from negotiations.services.runner import ProjectionRunner, snapshot_tag

__all__ = ["ProjectionRunner", "snapshot_tag"]
