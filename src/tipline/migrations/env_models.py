"""Which models the migrations cover: every capability's `models` module."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

import tipline


def import_every_model() -> None:
    """Import `tipline.<capability>.models` of every capability that has one (reports,
    indicators, triage, campaigns, audit, …), so one metadata holds every table."""
    for package in pkgutil.iter_modules(tipline.__path__):
        module_name = f"tipline.{package.name}.models"
        if package.ispkg and importlib.util.find_spec(module_name) is not None:
            importlib.import_module(module_name)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Whether autogenerate compares this object: not the hand-made full-text search objects
    (SQLite's FTS5 tables, PostgreSQL's GIN index; see tipline.workspace.models), nor the job
    queue's tables (procrastinate's, made by migration 0033 from its own SQL)."""
    from tipline.workspace.models import is_search_object

    return not is_search_object(name) and not (name or "").startswith("procrastinate_")
