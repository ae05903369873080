"""Public alerts: an analyst turns a campaign into a warning, a supervisor publishes it (issue 19).

See docs/alerts.md: the workflow, what refreshes by itself and what needs a re-review, and why
no victim's data can reach an alert.
"""
