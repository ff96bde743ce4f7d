"""Property-based tests of the service against its own OpenAPI description, with schemathesis:
whatever a client sends, the service never fails with a server error, and answers with a
status, a media type and a body that its description documents.

The description is read from the application in-process, when the tests are collected; every
case is sent over HTTP to the service running under uvicorn. The SSE operation is left out: its
response never ends (``test_service.py`` tests it).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import schemathesis
from examples.service import create_app
from schemathesis import CheckFunction
from schemathesis.openapi import from_dict
from schemathesis.specs.openapi.checks import positive_data_acceptance


@schemathesis.serializer("application/x-ndjson")
def json_lines(_context: schemathesis.SerializationContext, value: object) -> bytes:
    """A generated body of JSON Lines: the description's array of objects, one a line."""
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(item) + "\n" for item in items).encode()


api = from_dict(create_app("memory:").openapi()).exclude(method="GET", path="/streams/{name}/events")


def test_the_description_read_is_the_one_served(service: str) -> None:
    """The OpenAPI description the tests are made from is the one the running service serves."""
    assert httpx.get(f"{service}/openapi.json").json() == create_app("memory:").openapi()


@api.parametrize()
def test_every_answer_is_documented_and_none_is_a_server_error(
    case: schemathesis.Case[Any], service: str
) -> None:
    """Any request the description allows, or breaks, gets a documented answer, never a 5xx."""
    # A body can match the description and still be refused: its objects need not be events
    # (``GET /schema`` describes those), nor fit the stream. So an append of data the
    # description allows may rightly be 422, and that one check is left out for it.
    excluded: list[CheckFunction] = [positive_data_acceptance] if case.method == "POST" else []
    case.call_and_validate(base_url=service, excluded_checks=excluded)
