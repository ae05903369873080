"""The audit log: every analyst action, append-only, each entry hashing the one before."""
