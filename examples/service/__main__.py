"""``python -m examples.service``: serve a store over HTTP with uvicorn."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from collections.abc import Sequence

from negotiations.errors import NegotiationsError
from negotiations.stores import default_url, open_store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m examples.service",
        description="Serve the streams of a negotiations store over HTTP: append events, read live "
        "views, follow a stream as Server-Sent Events. The API is described at /openapi.json.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8000, help="the port to listen on; 0 picks a free one (default: 8000)"
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        default=None,
        help=f"the store: sqlite:PATH.db, postgresql://USER@HOST:PORT/DB, file:PATH.jsonl or memory: "
        f"(default: $NEGOTIATIONS_STORE, else {default_url()})",
    )
    parser.add_argument(
        "--instance",
        metavar="NAME",
        default=None,
        help="this instance's name, which its saved views are kept under in the store; give each "
        "instance that shares a store its own (default: HOST-PORT of this machine, or HOST-PID with "
        "--port 0)",
    )
    parser.add_argument("--log-level", default="info", help="uvicorn's log level (default: info)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the service until interrupted; return the exit status."""
    args = _parser().parse_args(argv)
    import uvicorn  # noqa: PLC0415 - imported after the arguments, so that --help is quick

    from examples.service.app import create_app  # noqa: PLC0415 - as above

    try:  # a store that cannot be opened is one line, not a traceback from the server's startup
        open_store(args.store).close()
    except NegotiationsError as exc:
        sys.stderr.write(f"python -m examples.service: error: {exc}\n")
        return 1
    # With --port 0 two instances would share a name: then the process id tells them apart.
    instance = args.instance or f"{socket.gethostname()}-{args.port or os.getpid()}"
    app = create_app(args.store, instance=instance)
    config = uvicorn.Config(
        app, host=args.host, port=args.port, log_level=args.log_level, timeout_graceful_shutdown=5
    )
    server = uvicorn.Server(config)
    server.run()
    # uvicorn logs why it could not start (a store that cannot be opened, a port in use) and
    # leaves ``started`` unset.
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
