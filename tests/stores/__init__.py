"""The store tests. A package, so that its conftest and the top-level one have distinct module names."""
