"""Reports: what a citizen, a partner or an import files, and how it is followed."""
