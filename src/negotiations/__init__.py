"""negotiations: track negotiations as typed, immutable events in an append-only log."""
