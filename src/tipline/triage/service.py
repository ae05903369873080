"""Triage's use cases that touch the database: recording corrections, retraining on them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from tipline.errors import InvalidInput, NotFound
from tipline.triage import repository
from tipline.triage.models import TriageCorrection
from tipline.triage.store import ModelInfo, forget_current_model, train_version
from tipline.triage.training import Example
from tipline.vocabulary import CATEGORIES, URGENCIES


def record_correction(
    session: Session, report_id: int, category: str, urgency: str, analyst: str
) -> TriageCorrection:
    """Keep an analyst's overruling of a report's triage (the caller updates the report)."""
    if category not in CATEGORIES:
        raise InvalidInput(f"unknown category {category!r}", field="category")
    if urgency not in URGENCIES:
        raise InvalidInput(f"unknown urgency {urgency!r}", field="urgency")
    if not analyst.strip():
        raise InvalidInput("an analyst must be named", field="analyst")
    current = repository.report_triage(session, report_id)
    if current is None:
        raise NotFound(f"no report {report_id}", field="report_id")
    return repository.add_correction(
        session,
        {
            "report_id": report_id,
            "previous_category": current[0],
            "previous_urgency": current[1],
            "corrected_category": category,
            "corrected_urgency": urgency,
            "analyst": analyst.strip()[:100],
        },
    )


def corrections_as_examples(session: Session) -> list[Example]:
    """Every corrected report as a training example (its latest correction wins)."""
    return [
        Example(row.narrative, row.category, row.urgency)
        for row in repository.latest_corrected_reports(session)
    ]


def has_corrections_table(bind: Engine | Connection) -> bool:
    """True when the database holds the corrections and the reports they point to."""
    names = set(inspect(bind).get_table_names())
    return {"triage_correction", "report"} <= names


def retrain(folder: Path, corrections: Sequence[Example]) -> ModelInfo:
    """Train and save a new model version on the corpus plus `corrections`."""
    _, info = train_version(folder, corrections)
    forget_current_model()
    return info
