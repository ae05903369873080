"""Pulling from and pushing to partners' TAXII 2.1 servers (`tipline partners sync`).

A partner's endpoint (its server's URL and our credentials there, the secret sealed at rest) is
read per sync; each readable collection is pulled from where the last sync stopped (the date the
server added the last object we took) one page at a time, each page imported and committed with
the new position, so that an interruption loses nothing; then what the partner's policy admits of
our published objects is pushed to its writable collections, and what was pushed is remembered.
"""
