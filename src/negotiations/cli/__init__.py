"""The ``negotiations`` command line: ``show``, ``validate`` and ``schema`` on logs, and
``import``, ``export``, ``append`` and ``streams`` on stores.
"""

from negotiations.cli._app import main, parser

__all__ = ["main", "parser"]
