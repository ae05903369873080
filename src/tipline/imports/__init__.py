"""Bulk import of reports from `.jsonl` and `.csv` files (`tipline import FILE`)."""

DEFAULT_BATCH = 1000  # reports a transaction: `tipline import --batch`, `import_reports`
