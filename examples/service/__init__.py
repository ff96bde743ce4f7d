"""An example HTTP service that embeds :mod:`negotiations`: append events to a store's streams,
read their views as they stay live, and follow a stream as Server-Sent Events.

Run it with ``python -m examples.service`` (``--help`` for its options); build it into a program
of your own with :func:`create_app`. ``docs/service.md`` explains it.
"""

from examples.service.app import create_app

__all__ = ["create_app"]
