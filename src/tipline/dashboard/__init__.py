"""The dashboard: reports per day and category, losses, urgency mix, provinces, indicators and
new campaigns over a period, as charts and as CSV."""
