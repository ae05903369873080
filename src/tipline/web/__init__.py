"""Citizen web pages: home, report, receipt, follow and check, Vietnamese first."""
