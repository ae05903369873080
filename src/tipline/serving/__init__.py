"""Serving the web app: `tipline serve`, with the demo data set loading beside it."""
