"""Evidence files: stored by SHA-256 outside the database, with a chain of custody."""
