"""Campaigns: reports linked by the indicators they share (rebuilt in bulk, kept incrementally).

Pure cores: `core` (full rebuild and the hub rule), `linking` (what a batch of new reports
changes in the stored campaigns), `forest` (in-memory incremental union–find), `summary` (a
campaign's figures), `graph` (a campaign as nodes and edges for the browser). Nothing is
imported here, so `tipline --help` stays light.
"""
