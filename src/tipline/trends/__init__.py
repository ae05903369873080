"""Trends: which categories, scripts (campaigns) and indicator kinds rose this week against the
eight weeks before, by a Poisson rule, with charts, tables, CSV and the campaigns behind a rise."""
