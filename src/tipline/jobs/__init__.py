"""Background work: each job declared once (`tasks.JOBS`), run once a period across processes
on PostgreSQL (a procrastinate queue), in the server's process on SQLite."""
