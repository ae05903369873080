"""Running the service: the web server, database migrations, health."""
