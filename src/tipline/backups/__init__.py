"""Backups: encrypted, consistent while serving; restore and verify."""
