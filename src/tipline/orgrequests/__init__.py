"""Requests to organisations: freeze an account, suspend a number, take down a page, preserve
data, disclose subscriber data. An analyst asks the bank, telecom or platform that owns an
indicator; the organisation (role `platform`) sees only its own requests, answers them, and
tipline tracks each to its deadline.
"""
