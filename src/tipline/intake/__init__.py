"""Intake: the one way a report enters tipline (web form, API, bulk API, `tipline import`).

It sits above reports, indicators, triage and campaigns, and orchestrates them: read (extract,
triage) → store → record indicators → link to campaigns.
"""
