"""Indicator feeds for organisations (banks, telecoms, platforms): full lists and the changes
since a cursor, removals included, in CSV, JSON lines and STIX 2.1 (docs/feeds.md).

What is in the feed is kept in `feed_entry` (one row per indicator that was ever in it), so that
an indicator that leaves the feed (rejected, expired, withdrawn) is still there to be announced
as a removal. `service.refresh` brings the rows in step with the database; each change takes the
next number of one sequence, and a cursor is the last number a pull read.
"""
