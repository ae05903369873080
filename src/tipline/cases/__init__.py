"""Cases: reports and campaigns grouped for an investigation, with assignee, deadline and notes."""
