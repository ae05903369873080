"""Bulk import of reports from `.jsonl` and `.csv` files (`tipline import FILE`)."""
