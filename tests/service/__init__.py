"""Tests of the example service in ``examples/service``, run with uvicorn on loopback."""
