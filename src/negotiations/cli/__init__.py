"""The ``negotiations`` command line: ``show``, ``validate`` and ``schema``."""

from negotiations.cli._app import main

__all__ = ["main"]
