"""Alembic migrations of tipline's database (`tipline db upgrade`)."""
