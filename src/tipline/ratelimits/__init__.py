"""Rate limits: counting requests per client address (or token) in the database."""
