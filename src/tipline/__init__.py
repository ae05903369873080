"""tipline: report, triage, check, link and share indicators of cybercrime."""

__version__ = "0.1.0"
