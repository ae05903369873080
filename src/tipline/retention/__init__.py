"""Retention per data class, and the audited purge that enforces it."""
