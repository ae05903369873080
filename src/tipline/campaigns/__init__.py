"""Campaigns: reports linked by the indicators they share (rebuilt in bulk, kept incrementally).

Pure cores: `core` (full rebuild and the hub rule), `forest` (incremental union–find),
`summary` (a campaign's figures). Nothing is imported here, so `tipline --help` stays light.
"""
